-- Schema version 5: a unit's history (DOMAIN.md section 3, issue 15). A unit that changes its
-- superior keeping its code has several rows with non-overlapping validity, keyed by code and
-- `Hiệu lực từ`. DuckDB keys cannot be NULL (the start date is optional), so the table keeps the
-- derived key `ma_hieu_luc` = "ma_don_vi|yyyy-mm-dd" (empty date part without a start date; the
-- importer builds it with parse.unit_version_key, the same text as below). The levels above the
-- grassroots grow by Tỉnh ủy and Đảng bộ cấp trên cơ sở.

create table don_vi_v5 (
    ma_hieu_luc   varchar primary key,
    ma_don_vi     varchar not null,
    ten_don_vi    varchar not null,
    ma_cap_tren   varchar,
    cap           varchar not null check (cap in ('Tỉnh ủy', 'Đảng bộ Khối', 'Đảng bộ cấp trên cơ sở', 'Đảng bộ cơ sở', 'Chi bộ cơ sở', 'Chi bộ trực thuộc')),
    loai_hinh     varchar check (loai_hinh in ('Cơ quan', 'Doanh nghiệp', 'Đơn vị sự nghiệp', 'Khác')),
    hieu_luc_tu   date,
    hieu_luc_den  date,
    ma_ke_thua    varchar
);

insert into don_vi_v5
select
    ma_don_vi || '|' || coalesce(strftime(hieu_luc_tu, '%Y-%m-%d'), ''),
    ma_don_vi, ten_don_vi, ma_cap_tren, cap, loai_hinh, hieu_luc_tu, hieu_luc_den, ma_ke_thua
from don_vi;

drop table don_vi;
alter table don_vi_v5 rename to don_vi;

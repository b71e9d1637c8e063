-- Schema version 3: an award's key is its decision number, the year of the decision, the subject
-- and the name (DOMAIN.md section 3): decision numbers restart every calendar year, and text keys
-- match ignoring case and repeated spaces (stored text is already NFC and trimmed). DuckDB keys
-- cannot hold an expression, so the table keeps the derived key `ma_khen_thuong` (the importer
-- builds it with parse.award_key, the same text as below).

create table khen_thuong_v3 (
    ma_khen_thuong   varchar primary key,
    so_quyet_dinh    varchar not null,
    ngay_quyet_dinh  date,
    nam              integer not null check (nam between 1990 and 2100),
    ma_don_vi        varchar not null,
    doi_tuong        varchar not null check (doi_tuong in ('Tập thể', 'Cá nhân')),
    ten_chu_the      varchar not null,
    hinh_thuc        varchar not null check (hinh_thuc in ('Giấy khen', 'Bằng khen', 'Biểu dương', 'Khác')),
    cap_khen_thuong  varchar not null check (cap_khen_thuong in ('Cơ sở', 'Đảng ủy Khối', 'Ban Dân vận Tỉnh ủy', 'Ban Chỉ đạo tỉnh', 'UBND tỉnh', 'Trung ương')),
    trang_thai       varchar not null check (trang_thai in ('Đã khen thưởng', 'Đề nghị')),
    ma_dang_ky       varchar
);

-- rows that now share a key (the same decision written in two cases) keep one of them
insert or ignore into khen_thuong_v3
select
    lower(regexp_replace(so_quyet_dinh, '\s+', ' ', 'g')) || '|'
        || coalesce(year(ngay_quyet_dinh), nam)::varchar || '|'
        || doi_tuong || '|'
        || lower(regexp_replace(ten_chu_the, '\s+', ' ', 'g')),
    so_quyet_dinh, ngay_quyet_dinh, nam, ma_don_vi, doi_tuong, ten_chu_the, hinh_thuc,
    cap_khen_thuong, trang_thai, ma_dang_ky
from khen_thuong;

drop table khen_thuong;
alter table khen_thuong_v3 rename to khen_thuong;

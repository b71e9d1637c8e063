-- Schema version 6: the large tables (quy_mo, dang_ky, khen_thuong, hoi_nghi) without PRIMARY KEY
-- and CHECK constraints. The importer is what enforces them, with a message per row: a key met
-- twice in the import (importer._duplicates, or for a table written directly a count of distinct
-- keys after it), stored rows replaced by key (delete of the matching keys, then insert, in the
-- write transaction: importer._write), and every value checked against the template (required,
-- choice, range) before it is written. DuckDB kept an ART index per key and checked every value
-- again on every insert: a bulk load into these tables took about twice as long as into plain ones
-- (benchmarks/README.md). NOT NULL stays: it costs nothing measurable. don_vi keeps its key and
-- constraints (it is small). Re-running this file (a database whose schema_version was cut back)
-- rebuilds the same tables from whatever layout they have, keeping their rows.

create table quy_mo_v6 (
    ma_don_vi          varchar not null,
    nam                integer not null,
    so_dang_vien       integer,
    so_nguoi_lao_dong  integer
);
insert into quy_mo_v6
select ma_don_vi, nam, so_dang_vien, so_nguoi_lao_dong from quy_mo;
drop table quy_mo;
alter table quy_mo_v6 rename to quy_mo;

create table dang_ky_v6 (
    ma_dang_ky     varchar not null,
    ma_mo_hinh     varchar,
    nam            integer not null,
    ma_don_vi      varchar not null,
    doi_tuong      varchar not null,
    ten_chu_the    varchar not null,
    ten_mo_hinh    varchar not null,
    loai           varchar not null,
    phong_trao     varchar not null,
    linh_vuc       varchar not null,
    ngay_dang_ky   date,
    ket_qua        varchar not null,
    diem           double,
    cap_cong_nhan  varchar
);
insert into dang_ky_v6
select
    ma_dang_ky, ma_mo_hinh, nam, ma_don_vi, doi_tuong, ten_chu_the, ten_mo_hinh, loai, phong_trao,
    linh_vuc, ngay_dang_ky, ket_qua, diem, cap_cong_nhan
from dang_ky;
drop table dang_ky;
alter table dang_ky_v6 rename to dang_ky;

create table khen_thuong_v6 (
    ma_khen_thuong   varchar not null,
    so_quyet_dinh    varchar not null,
    ngay_quyet_dinh  date,
    nam              integer not null,
    ma_don_vi        varchar not null,
    doi_tuong        varchar not null,
    ten_chu_the      varchar not null,
    hinh_thuc        varchar not null,
    cap_khen_thuong  varchar not null,
    trang_thai       varchar not null,
    ma_dang_ky       varchar
);
insert into khen_thuong_v6
select
    ma_khen_thuong, so_quyet_dinh, ngay_quyet_dinh, nam, ma_don_vi, doi_tuong, ten_chu_the,
    hinh_thuc, cap_khen_thuong, trang_thai, ma_dang_ky
from khen_thuong;
drop table khen_thuong;
alter table khen_thuong_v6 rename to khen_thuong;

create table hoi_nghi_v6 (
    -- derived from (ma_don_vi, nam, loai_hoi_nghi, ngay), see 001_init.sql
    ma_hoi_nghi      varchar not null,
    ma_don_vi        varchar not null,
    nam              integer not null,
    loai_hoi_nghi    varchar not null,
    ngay             date,
    so_nguoi_du      integer,
    so_dang_vien_du  integer
);
insert into hoi_nghi_v6
select ma_hoi_nghi, ma_don_vi, nam, loai_hoi_nghi, ngay, so_nguoi_du, so_dang_vien_du from hoi_nghi;
drop table hoi_nghi;
alter table hoi_nghi_v6 rename to hoi_nghi;

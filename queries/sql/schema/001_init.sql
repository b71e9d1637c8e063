-- Schema version 1: the five tables of the import template (DOMAIN.md section 3) and the import log.
-- Column names are the template's ASCII aliases; enum columns hold the canonical Vietnamese labels.

create table don_vi (
    ma_don_vi     varchar primary key,
    ten_don_vi    varchar not null,
    ma_cap_tren   varchar,
    cap           varchar not null check (cap in ('Đảng bộ Khối', 'Đảng bộ cơ sở', 'Chi bộ cơ sở', 'Chi bộ trực thuộc')),
    loai_hinh     varchar check (loai_hinh in ('Cơ quan', 'Doanh nghiệp', 'Đơn vị sự nghiệp', 'Khác')),
    hieu_luc_tu   date,
    hieu_luc_den  date,
    ma_ke_thua    varchar
);

create table quy_mo (
    ma_don_vi          varchar not null,
    nam                integer not null,
    so_dang_vien       integer check (so_dang_vien >= 0),
    so_nguoi_lao_dong  integer check (so_nguoi_lao_dong >= 0),
    primary key (ma_don_vi, nam)
);

create table dang_ky (
    ma_dang_ky     varchar primary key,
    ma_mo_hinh     varchar,
    nam            integer not null check (nam between 1990 and 2100),
    ma_don_vi      varchar not null,
    doi_tuong      varchar not null check (doi_tuong in ('Tập thể', 'Cá nhân')),
    ten_chu_the    varchar not null,
    ten_mo_hinh    varchar not null,
    loai           varchar not null check (loai in ('Mô hình', 'Điển hình')),
    phong_trao     varchar not null check (phong_trao in ('Dân vận khéo', 'QCDC')),
    linh_vuc       varchar not null check (linh_vuc in ('Kinh tế', 'Văn hóa - xã hội', 'Quốc phòng - an ninh', 'Xây dựng hệ thống chính trị', 'Khác')),
    ngay_dang_ky   date,
    ket_qua        varchar not null check (ket_qua in ('Đã đăng ký', 'Đang thực hiện', 'Hoàn thành', 'Được công nhận', 'Tiêu biểu', 'Không đạt')),
    diem           double check (diem between 0 and 100),
    cap_cong_nhan  varchar check (cap_cong_nhan in ('Cơ sở', 'Đảng ủy Khối', 'Tỉnh', 'Trung ương'))
);

create table khen_thuong (
    so_quyet_dinh    varchar not null,
    ngay_quyet_dinh  date,
    nam              integer not null check (nam between 1990 and 2100),
    ma_don_vi        varchar not null,
    doi_tuong        varchar not null check (doi_tuong in ('Tập thể', 'Cá nhân')),
    ten_chu_the      varchar not null,
    hinh_thuc        varchar not null check (hinh_thuc in ('Giấy khen', 'Bằng khen', 'Biểu dương', 'Khác')),
    cap_khen_thuong  varchar not null check (cap_khen_thuong in ('Cơ sở', 'Đảng ủy Khối', 'Ban Dân vận Tỉnh ủy', 'Ban Chỉ đạo tỉnh', 'UBND tỉnh', 'Trung ương')),
    trang_thai       varchar not null check (trang_thai in ('Đã khen thưởng', 'Đề nghị')),
    ma_dang_ky       varchar,
    primary key (so_quyet_dinh, doi_tuong, ten_chu_the)
);

create table hoi_nghi (
    -- derived from (ma_don_vi, nam, loai_hoi_nghi, ngay): key columns cannot be NULL in DuckDB
    -- and the date is optional in the template.
    ma_hoi_nghi      varchar primary key,
    ma_don_vi        varchar not null,
    nam              integer not null check (nam between 1990 and 2100),
    loai_hoi_nghi    varchar not null check (loai_hoi_nghi in ('Tuyên dương, khen thưởng', 'Sơ kết', 'Tổng kết', 'Học tập, quán triệt')),
    ngay             date,
    so_nguoi_du      integer check (so_nguoi_du >= 0),
    so_dang_vien_du  integer check (so_dang_vien_du >= 0)
);

create sequence nhat_ky_nhap_seq;

create table nhat_ky_nhap (
    import_id     integer not null,
    imported_at   timestamp not null,
    file_name     varchar not null,
    file_sha256   varchar not null,
    table_name    varchar not null,
    rows_added    bigint not null,
    rows_updated  bigint not null
);

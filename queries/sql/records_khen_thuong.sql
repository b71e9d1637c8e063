-- Awards and nominations of the scope and period (subject filter only), template columns.

with

awards as (
    select * from khen_thuong
),

scope as (
    select ma_don_vi, nam_from, nam_to from scope_units
),

records as (
    select
        awards.so_quyet_dinh,
        awards.ngay_quyet_dinh,
        awards.nam,
        awards.ma_don_vi,
        awards.doi_tuong,
        awards.ten_chu_the,
        awards.hinh_thuc,
        awards.cap_khen_thuong,
        awards.trang_thai,
        awards.ma_dang_ky
    from awards
    inner join scope on awards.ma_don_vi = scope.ma_don_vi and awards.nam between scope.nam_from and scope.nam_to
    where
        awards.nam between $year_from and $year_to
        and ($subject is null or awards.doi_tuong = $subject)
)

select * from records
order by nam, ma_don_vi, so_quyet_dinh, doi_tuong, ten_chu_the

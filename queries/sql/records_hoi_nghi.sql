-- Conferences of the scope and period, template columns.

with

conferences as (
    select * from hoi_nghi
),

scope as (
    select ma_don_vi, nam_from, nam_to from scope_units
),

records as (
    select
        conferences.ma_don_vi,
        conferences.nam,
        conferences.loai_hoi_nghi,
        conferences.ngay,
        conferences.so_nguoi_du,
        conferences.so_dang_vien_du
    from conferences
    inner join scope on conferences.ma_don_vi = scope.ma_don_vi and conferences.nam between scope.nam_from and scope.nam_to
    where conferences.nam between $year_from and $year_to
)

select * from records
order by nam, ma_don_vi, loai_hoi_nghi, ngay

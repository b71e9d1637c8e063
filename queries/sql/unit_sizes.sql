-- Unit sizes (quy_mo) of the scope's units in the period: the denominators of per capita and
-- attendance figures.

with

sizes as (
    select * from quy_mo
),

scope as (
    select ma_don_vi from scope_units
),

scoped_sizes as (
    select
        sizes.ma_don_vi,
        sizes.nam,
        sizes.so_dang_vien,
        sizes.so_nguoi_lao_dong
    from sizes
    inner join scope on sizes.ma_don_vi = scope.ma_don_vi
    where sizes.nam between $year_from and $year_to
)

select * from scoped_sizes

-- Registrations of the scope and period under the filters, with the template's columns
-- (aliases, template order) so that an export re-imports as it is.

with

registrations as (
    select * from dang_ky
),

scope as (
    select ma_don_vi, nam_from, nam_to from scope_units
),

records as (
    select
        registrations.ma_dang_ky,
        registrations.ma_mo_hinh,
        registrations.nam,
        registrations.ma_don_vi,
        registrations.doi_tuong,
        registrations.ten_chu_the,
        registrations.ten_mo_hinh,
        registrations.loai,
        registrations.phong_trao,
        registrations.linh_vuc,
        registrations.ngay_dang_ky,
        registrations.ket_qua,
        registrations.diem,
        registrations.cap_cong_nhan
    from registrations
    inner join scope on registrations.ma_don_vi = scope.ma_don_vi and registrations.nam between scope.nam_from and scope.nam_to
    where
        registrations.nam between $year_from and $year_to
        and ($field is null or registrations.linh_vuc = $field)
        and ($subject is null or registrations.doi_tuong = $subject)
        and ($movement is null or registrations.phong_trao = $movement)
        and ($kind is null or registrations.loai = $kind)
)

select * from records
order by nam, ma_dang_ky

-- Registrations of the scope and period under the filters, with the template's columns
-- (aliases, template order) so that an export re-imports as it is.

with

@include scope_registrations

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
    from scope_registrations as registrations
)

select * from records
order by nam, ma_dang_ky

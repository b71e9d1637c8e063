-- Registrations of the scope and period counted by year and every categorical column:
-- the small cube that the scope-wide breakdowns (subject, field, kind, movement, result) sum.
-- `scope_units` is the scope resolved by scope_units.sql and registered on the cursor.

with

registrations as (
    select * from dang_ky
),

scope as (
    select ma_don_vi from scope_units
),

filtered as (
    select registrations.*
    from registrations
    inner join scope on registrations.ma_don_vi = scope.ma_don_vi
    where
        registrations.nam between $year_from and $year_to
        and ($field is null or registrations.linh_vuc = $field)
        and ($subject is null or registrations.doi_tuong = $subject)
        and ($movement is null or registrations.phong_trao = $movement)
        and ($kind is null or registrations.loai = $kind)
),

registration_cube as (
    select
        nam,
        doi_tuong,
        linh_vuc,
        loai,
        phong_trao,
        ket_qua,
        count(*) as n_registrations,
        count(diem) as n_scored,
        sum(diem) as sum_score
    from filtered
    group by all
)

select * from registration_cube

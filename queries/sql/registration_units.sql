-- Registrations of the scope and period counted per unit and year: the input of every figure
-- that looks at units (coverage, target compliance, per-unit rankings, per capita).
-- The movement filter applies to the counts but not to n_dvk / n_qcdc, because the target
-- (at least 1 DVK and 1 QCDC model per chi bộ per year) is defined across both movements.

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
        and ($kind is null or registrations.loai = $kind)
),

registration_units as (
    select
        ma_don_vi,
        nam,
        count(*) filter (where $movement is null or phong_trao = $movement) as n_registrations,
        count(*) filter (
            where ($movement is null or phong_trao = $movement) and doi_tuong = $collective
        ) as n_collective,
        count(*) filter (
            where ($movement is null or phong_trao = $movement) and doi_tuong = $individual
        ) as n_individual,
        count(*) filter (
            where ($movement is null or phong_trao = $movement) and list_contains($recognised_results, ket_qua)
        ) as n_recognised,
        count(diem) filter (where $movement is null or phong_trao = $movement) as n_scored,
        sum(diem) filter (where $movement is null or phong_trao = $movement) as sum_score,
        count(*) filter (where phong_trao = $movement_dvk) as n_dvk,
        count(*) filter (where phong_trao = $movement_qcdc) as n_qcdc
    from filtered
    group by all
)

select * from registration_units

-- Registration scores (diem) of the scope and period in bins of $bin_width points; the last bin
-- is closed so that 100 falls into it.

with

registrations as (
    select * from dang_ky
),

scope as (
    select ma_don_vi, nam_from, nam_to from scope_units
),

scored as (
    select registrations.diem, registrations.ket_qua
    from registrations
    inner join scope on registrations.ma_don_vi = scope.ma_don_vi and registrations.nam between scope.nam_from and scope.nam_to
    where
        registrations.diem is not null
        and registrations.nam between $year_from and $year_to
        and ($field is null or registrations.linh_vuc = $field)
        and ($subject is null or registrations.doi_tuong = $subject)
        and ($movement is null or registrations.phong_trao = $movement)
        and ($kind is null or registrations.loai = $kind)
),

binned as (
    select
        least(floor(diem / $bin_width), ceil(100 / $bin_width) - 1)::integer as bin_index,
        list_contains($recognised_results, ket_qua) as is_recognised
    from scored
),

score_bins as (
    select
        bin_index,
        count(*) as n_registrations,
        count(*) filter (where is_recognised) as n_recognised
    from binned
    group by bin_index
)

select * from score_bins

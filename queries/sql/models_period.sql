-- Distinct models (Mã mô hình) registered in the scope and period under the filters, and how many
-- of them were carried over: the same code was registered before $year_from too, anywhere in the
-- database and whatever the filters. The others are new in the period.

with

registrations as (
    select * from dang_ky
),

scope as (
    select ma_don_vi, nam_from, nam_to from scope_units
),

period_models as (
    select distinct registrations.ma_mo_hinh
    from registrations
    inner join scope on registrations.ma_don_vi = scope.ma_don_vi and registrations.nam between scope.nam_from and scope.nam_to
    where
        registrations.ma_mo_hinh is not null
        and registrations.nam between $year_from and $year_to
        and ($field is null or registrations.linh_vuc = $field)
        and ($subject is null or registrations.doi_tuong = $subject)
        and ($movement is null or registrations.phong_trao = $movement)
        and ($kind is null or registrations.loai = $kind)
),

carried_over as (
    select distinct registrations.ma_mo_hinh
    from registrations
    inner join period_models on registrations.ma_mo_hinh = period_models.ma_mo_hinh
    where registrations.nam < $year_from
),

models_period as (
    select
        (select count(*) from period_models) as n_models,
        (select count(*) from carried_over) as n_models_carried_over
)

select * from models_period

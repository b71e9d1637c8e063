-- Distinct models (Mã mô hình) registered in the scope and period under the filters, and how many
-- of them were carried over: the same code was registered before $year_from too, anywhere in the
-- database and whatever the filters. The others are new in the period.

with

@include scope_registrations

period_models as (
    select distinct ma_mo_hinh
    from scope_registrations
    where ma_mo_hinh is not null
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

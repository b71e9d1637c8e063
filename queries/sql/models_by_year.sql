-- Distinct models (Mã mô hình) registered in the scope under the filters, per year of the period,
-- and how many were carried over: the same code was registered in an earlier year too, anywhere
-- in the database and whatever the filters. The others are new that year.

with

@include scope_registrations

year_models as (
    select distinct nam, ma_mo_hinh
    from scope_registrations
    where ma_mo_hinh is not null
),

first_years as (
    select
        registrations.ma_mo_hinh,
        min(registrations.nam) as first_year
    from registrations
    where registrations.ma_mo_hinh in (select ma_mo_hinh from year_models)
    group by registrations.ma_mo_hinh
),

models_by_year as (
    select
        year_models.nam,
        count(*) as n_models,
        count(*) filter (where first_years.first_year < year_models.nam) as n_models_carried_over
    from year_models
    inner join first_years on year_models.ma_mo_hinh = first_years.ma_mo_hinh
    group by year_models.nam
)

select * from models_by_year

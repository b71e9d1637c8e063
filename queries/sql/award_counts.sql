-- Awards and nominations of the scope and period counted per year, level, form, subject and
-- status (scope-wide; per-unit award counts come from counts.sql). Of the registration filters
-- only the subject applies (awards have no field, kind or movement).

with

awards as (
    select * from khen_thuong
),

scope as (
    select ma_don_vi, nam_from, nam_to from scope_units
),

award_counts as (
    select
        awards.nam,
        awards.cap_khen_thuong,
        awards.hinh_thuc,
        awards.doi_tuong,
        awards.trang_thai,
        count(*) as n_awards
    from awards
    inner join scope on awards.ma_don_vi = scope.ma_don_vi and awards.nam between scope.nam_from and scope.nam_to
    where
        awards.nam between $year_from and $year_to
        and ($subject is null or awards.doi_tuong = $subject)
    group by all
)

select * from award_counts

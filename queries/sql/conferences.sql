-- Conferences held by units of the scope in the period, one row per conference.
-- The registration filters do not apply to conferences.

with

conferences as (
    select * from hoi_nghi
),

scope as (
    select ma_don_vi from scope_units
),

scoped_conferences as (
    select
        conferences.ma_don_vi,
        conferences.nam,
        conferences.loai_hoi_nghi,
        conferences.so_nguoi_du,
        conferences.so_dang_vien_du
    from conferences
    inner join scope on conferences.ma_don_vi = scope.ma_don_vi
    where conferences.nam between $year_from and $year_to
)

select * from scoped_conferences

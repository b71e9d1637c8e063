-- The registrations of the scope and period under the filters (fragment: `@include scope_registrations`
-- opens a query's `with`). `scope_units` is the scope resolved by scope_units.sql, registered on the
-- cursor; a row counts for the unit it was registered to while that unit was in the scope.
--   scope_registrations_any_movement: every filter but the movement, which is a flag (in_movement):
--                                     counts.sql counts the target across both movements;
--   scope_registrations:              every filter.

registrations as (
    select * from dang_ky
),

scope as (
    select ma_don_vi, nam_from, nam_to, unit_idx from scope_units
),

scope_registrations_any_movement as (
    select
        registrations.*,
        scope.unit_idx,
        ($movement is null or registrations.phong_trao = $movement) as in_movement
    from registrations
    inner join scope on registrations.ma_don_vi = scope.ma_don_vi and registrations.nam between scope.nam_from and scope.nam_to
    where
        registrations.nam between $year_from and $year_to
        and ($field is null or registrations.linh_vuc = $field)
        and ($subject is null or registrations.doi_tuong = $subject)
        and ($kind is null or registrations.loai = $kind)
),

scope_registrations as (
    select * from scope_registrations_any_movement where in_movement
),

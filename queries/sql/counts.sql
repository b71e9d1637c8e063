-- Every count the figures need, in one round trip and one pass over the registrations:
--   grain 'unit': per unit (unit_idx of the registered scope) and year, the unit's OWN rows:
--                 registrations under the filters, conferences, awards and its reported sizes;
--   grain 'cube': per year and every categorical column of the registrations, which the
--                 scope-wide breakdowns (subject, field, kind, movement, result) sum.
-- The movement filter applies to the registration counts but not to n_dvk / n_qcdc: the target
-- (at least 1 DVK and 1 QCDC model per chi bộ per year) is defined across both movements.
-- Conferences take no filter; awards only the subject filter. Sizes of 0 count as not reported.
-- `scope_units` (ma_don_vi, unit_idx) is the scope resolved by scope_units.sql, registered on
-- the cursor.

with

@include scope_registrations

conferences as (
    select * from hoi_nghi
),

awards as (
    select * from khen_thuong
),

sizes as (
    select * from quy_mo
),

filtered_registrations as materialized (
    select unit_idx, nam, doi_tuong, linh_vuc, loai, phong_trao, ket_qua, diem, in_movement as is_counted
    from scope_registrations_any_movement
),

unit_registrations as (
    select
        unit_idx,
        nam,
        count(*) filter (where is_counted) as n_registrations,
        count(*) filter (where is_counted and doi_tuong = $collective) as n_collective,
        count(*) filter (where is_counted and doi_tuong = $individual) as n_individual,
        count(*) filter (where is_counted and list_contains($recognised_results, ket_qua)) as n_recognised,
        count(diem) filter (where is_counted) as n_scored,
        coalesce(sum(diem) filter (where is_counted), 0) as sum_score,
        count(*) filter (where phong_trao = $movement_dvk) as n_dvk,
        count(*) filter (where phong_trao = $movement_qcdc) as n_qcdc
    from filtered_registrations
    group by unit_idx, nam
),

unit_conferences as (
    select
        scope.unit_idx,
        conferences.nam,
        @include conference_counts
    from conferences
    inner join scope on conferences.ma_don_vi = scope.ma_don_vi and conferences.nam between scope.nam_from and scope.nam_to
    where conferences.nam between $year_from and $year_to
    group by scope.unit_idx, conferences.nam
),

unit_awards as (
    select
        scope.unit_idx,
        awards.nam,
        count(*) filter (where awards.trang_thai = $awarded) as awards,
        count(*) filter (where awards.trang_thai = $awarded and awards.doi_tuong = $collective)
            as awards_collective,
        count(*) filter (where awards.trang_thai = $awarded and awards.doi_tuong = $individual)
            as awards_individual,
        count(*) filter (where awards.trang_thai = $nominated) as nominations
    from awards
    inner join scope on awards.ma_don_vi = scope.ma_don_vi and awards.nam between scope.nam_from and scope.nam_to
    where
        awards.nam between $year_from and $year_to
        and ($subject is null or awards.doi_tuong = $subject)
    group by scope.unit_idx, awards.nam
),

unit_sizes as (
    -- one row per unit and year: on today's structure (structure.py) a unit's predecessors' sizes
    -- of a year add up to its own
    select
        scope.unit_idx,
        sizes.nam,
        sum(case when sizes.so_nguoi_lao_dong > 0 then sizes.so_nguoi_lao_dong end)::bigint as own_staff,
        sum(case when sizes.so_dang_vien > 0 then sizes.so_dang_vien end)::bigint as own_members
    from sizes
    inner join scope on sizes.ma_don_vi = scope.ma_don_vi and sizes.nam between scope.nam_from and scope.nam_to
    where sizes.nam between $year_from and $year_to
    group by scope.unit_idx, sizes.nam
),

unit_keys as (
    select unit_idx, nam from unit_registrations
    union
    select unit_idx, nam from unit_conferences
    union
    select unit_idx, nam from unit_awards
    union
    select unit_idx, nam from unit_sizes
),

unit_counts as (
    select
        'unit' as grain,
        unit_keys.unit_idx,
        unit_keys.nam,
        null::varchar as doi_tuong,
        null::varchar as linh_vuc,
        null::varchar as loai,
        null::varchar as phong_trao,
        null::varchar as ket_qua,
        coalesce(unit_registrations.n_registrations, 0) as n_registrations,
        coalesce(unit_registrations.n_collective, 0) as n_collective,
        coalesce(unit_registrations.n_individual, 0) as n_individual,
        coalesce(unit_registrations.n_recognised, 0) as n_recognised,
        coalesce(unit_registrations.n_scored, 0) as n_scored,
        coalesce(unit_registrations.sum_score, 0) as sum_score,
        coalesce(unit_registrations.n_dvk, 0) as n_dvk,
        coalesce(unit_registrations.n_qcdc, 0) as n_qcdc,
        coalesce(unit_conferences.n_conferences, 0) as n_conferences,
        coalesce(unit_conferences.n_commendation, 0) as n_commendation,
        coalesce(unit_conferences.attendees, 0) as attendees,
        coalesce(unit_conferences.n_member_reports, 0) as n_member_reports,
        coalesce(unit_conferences.members_attending, 0) as members_attending,
        coalesce(unit_awards.awards, 0) as awards,
        coalesce(unit_awards.awards_collective, 0) as awards_collective,
        coalesce(unit_awards.awards_individual, 0) as awards_individual,
        coalesce(unit_awards.nominations, 0) as nominations,
        unit_sizes.own_staff,
        unit_sizes.own_members
    from unit_keys
    left join unit_registrations using (unit_idx, nam)
    left join unit_conferences using (unit_idx, nam)
    left join unit_awards using (unit_idx, nam)
    left join unit_sizes using (unit_idx, nam)
),

cube_counts as (
    select
        'cube' as grain,
        null::integer as unit_idx,
        nam,
        doi_tuong,
        linh_vuc,
        loai,
        phong_trao,
        ket_qua,
        count(*) as n_registrations,
        0 as n_collective,
        0 as n_individual,
        0 as n_recognised,
        count(diem) as n_scored,
        coalesce(sum(diem), 0) as sum_score,
        0 as n_dvk,
        0 as n_qcdc,
        0 as n_conferences,
        0 as n_commendation,
        0 as attendees,
        0 as n_member_reports,
        0 as members_attending,
        0 as awards,
        0 as awards_collective,
        0 as awards_individual,
        0 as nominations,
        null::integer as own_staff,
        null::integer as own_members
    from filtered_registrations
    where is_counted
    group by nam, doi_tuong, linh_vuc, loai, phong_trao, ket_qua
),

counts as (
    select * from unit_counts
    union all
    select * from cube_counts
)

select * from counts

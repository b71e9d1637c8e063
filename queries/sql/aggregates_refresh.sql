-- The aggregate tables (queries/aggregates.py), rebuilt from the base tables at the end of every
-- import, inside its write transaction. Statements run in order, each with the parameters it
-- uses; agg_stage_* are temporary tables of this connection.
--
-- Units are numbered in tree order: `pos` is a unit's 0-based position when every unit reachable
-- from a root is sorted by its path of codes from that root (the order the figures engine lists a
-- scope's units in), so a unit's subtree is the positions pos..last_pos. `anc` lists the positions
-- of its ancestors from its root down to itself (anc[depth + 1] = pos). The subtree sums of
-- agg_unit_year and agg_top also have a row for the virtual root, pos = depth = -1: every root.
--
-- Category columns are stored as 0-based positions in the vocab tuples the caller binds ($fields,
-- $subjects, $kinds, $movements, $results, $award_levels, $award_forms, $award_statuses).

-- agg_stage_units (one row per node of the reading's tree: pos, last_pos, n_units, depth, anc, the
-- unit's row, first_year, last_year, node_from, node_to) and agg_stage_links (ma_don_vi, nam_from,
-- nam_to, pos: the records of a unit in those years belong to the node at pos) are made by
-- aggregates.py from queries/structure.py, the tree the base tables' figures use.

create or replace table agg_link as
select ma_don_vi, nam_from::smallint as nam_from, nam_to::smallint as nam_to, pos
from agg_stage_links
order by ma_don_vi, nam_from;

-- (unit, ancestor-or-self, the ancestor's depth), and (unit, -1, -1) for the virtual root.
create or replace temp table agg_stage_closure as
select pos, unnest(anc) as anc_pos, unnest(range(depth + 1))::integer as anc_depth
from agg_stage_units
union all
select pos, -1 as anc_pos, -1 as anc_depth
from agg_stage_units;

-- one row per node and year: on today's structure a unit's predecessors' sizes of a year add up to
-- its own (as sql/counts.sql)
create or replace temp table agg_stage_sizes as
select
    units.pos,
    sizes.nam,
    sum(case when sizes.so_nguoi_lao_dong > 0 then sizes.so_nguoi_lao_dong end) as own_staff,
    sum(case when sizes.so_dang_vien > 0 then sizes.so_dang_vien end) as own_members
from quy_mo as sizes
inner join agg_stage_links as units
    on sizes.ma_don_vi = units.ma_don_vi and sizes.nam between units.nam_from and units.nam_to
group by units.pos, sizes.nam;

-- Per unit and year, the depth of the deepest ancestor-or-self that reported staff, and of the
-- deepest strict ancestor that reported staff / party members (null: none did).
create or replace temp table agg_stage_reporting as
select
    closure.pos,
    sizes.nam,
    max(closure.anc_depth) filter (where sizes.own_staff is not null) as staff_depth,
    max(closure.anc_depth) filter (
        where sizes.own_staff is not null and closure.anc_pos <> closure.pos
    ) as staff_above_depth,
    max(closure.anc_depth) filter (
        where sizes.own_members is not null and closure.anc_pos <> closure.pos
    ) as members_above_depth
from agg_stage_closure as closure
inner join agg_stage_sizes as sizes on closure.anc_pos = sizes.pos
where closure.anc_depth >= 0
group by closure.pos, sizes.nam;

-- Every model code, numbered 1.. in the order of its hash, with the first year it was registered
-- anywhere: grouped by the codes' hashes, which is much faster than by the codes. `collided` marks
-- a hash shared by two codes (told apart by a second hash of the code); aggregates.py then
-- rebuilds this table from the codes themselves (aggregates_models_exact.sql) and the join below
-- compares the codes too ($exact_models).
create or replace temp table agg_stage_models as
with

codes as (
    select
        hash(ma_mo_hinh) as code_hash,
        min(nam)::smallint as first_year,
        min(hash('~' || ma_mo_hinh)) <> max(hash('~' || ma_mo_hinh)) as collided
    from dang_ky
    where ma_mo_hinh is not null
    group by hash(ma_mo_hinh)
)

select
    code_hash,
    null::varchar as ma_mo_hinh,
    (row_number() over (order by code_hash))::integer as model,
    first_year,
    collided
from codes;

-- One row per registration of a unit in the tree, in unit (then year) order: a scope's rows are
-- one run of positions. staff_depth (see agg_stage_reporting) decides which top units' staff
-- figures cover the row.
create or replace table agg_fact as
select
    units.pos,
    registrations.nam::smallint as nam,
    (list_position($fields, registrations.linh_vuc) - 1)::utinyint as f,
    (list_position($subjects, registrations.doi_tuong) - 1)::utinyint as s,
    (list_position($kinds, registrations.loai) - 1)::utinyint as k,
    (list_position($movements, registrations.phong_trao) - 1)::utinyint as m,
    (list_position($results, registrations.ket_qua) - 1)::utinyint as r,
    registrations.diem,
    models.model,
    models.first_year as model_first_year,
    reporting.staff_depth::tinyint as staff_depth
from dang_ky as registrations
inner join agg_stage_links as units
    on registrations.ma_don_vi = units.ma_don_vi and registrations.nam between units.nam_from and units.nam_to
left join agg_stage_models as models
    on hash(registrations.ma_mo_hinh) = models.code_hash
    and (not $exact_models or registrations.ma_mo_hinh = models.ma_mo_hinh)
left join agg_stage_reporting as reporting
    on units.pos = reporting.pos and registrations.nam = reporting.nam
order by units.pos, registrations.nam;

-- Headcounts per unit (and the virtual root) and year: its own figure if it reported one, else
-- the sum of its children's (queries/figures/__init__.py, "Staff / party members of a group").
create or replace temp table agg_stage_headcounts as
select
    closure.anc_depth as depth,
    closure.anc_pos as pos,
    sizes.nam,
    sum(sizes.own_staff) filter (
        where coalesce(reporting.staff_above_depth, -2) < closure.anc_depth
    ) as staff,
    sum(sizes.own_members) filter (
        where coalesce(reporting.members_above_depth, -2) < closure.anc_depth
    ) as members
from agg_stage_sizes as sizes
inner join agg_stage_reporting as reporting on sizes.pos = reporting.pos and sizes.nam = reporting.nam
inner join agg_stage_closure as closure on sizes.pos = closure.pos
group by closure.anc_depth, closure.anc_pos, sizes.nam;

-- Per unit and year, its own rows: which (field, subject, kind, movement) combinations it
-- registered (bit f * 8 + s * 4 + k * 2 + m), its conferences and their attendance, its awards.
create or replace temp table agg_stage_unit_year as
with

conferences as (
    select
        units.pos,
        conferences.nam,
        @include conference_counts
    from hoi_nghi as conferences
    inner join agg_stage_links as units
    on conferences.ma_don_vi = units.ma_don_vi and conferences.nam between units.nam_from and units.nam_to
    group by units.pos, conferences.nam
),

attendance as (
    select
        conferences.pos,
        conferences.nam,
        least(conferences.members_attending, conferences.n_member_reports * headcounts.members)
            as members_attending_capped,
        conferences.n_member_reports * headcounts.members as members_expected
    from conferences
    inner join agg_stage_headcounts as headcounts
        on conferences.pos = headcounts.pos and conferences.nam = headcounts.nam
    where conferences.n_member_reports > 0 and headcounts.members > 0
),

awards as (
    select
        units.pos,
        awards.nam,
        awards.trang_thai = $awarded and awards.doi_tuong = $collective as award_collective,
        awards.trang_thai = $awarded and awards.doi_tuong = $individual as award_individual,
        awards.trang_thai = $nominated and awards.doi_tuong = $collective as nomination_collective,
        awards.trang_thai = $nominated and awards.doi_tuong = $individual as nomination_individual
    from khen_thuong as awards
    inner join agg_stage_links as units
    on awards.ma_don_vi = units.ma_don_vi and awards.nam between units.nam_from and units.nam_to
),

own_rows as (
    select pos, nam, 1::bigint << (f * 8 + s * 4 + k * 2 + m) as reg_mask
    from agg_fact
    union all by name
    select pos, nam, n_conferences, n_commendation, attendees, members_attending
    from conferences
    union all by name
    select pos, nam, members_attending_capped, members_expected
    from attendance
    union all by name
    select pos, nam, award_collective, award_individual, nomination_collective, nomination_individual
    from awards
)

select
    pos,
    nam,
    coalesce(bit_or(reg_mask), 0) as reg_mask,
    coalesce(sum(n_conferences), 0) as n_conferences,
    coalesce(sum(n_commendation), 0) as n_commendation,
    coalesce(sum(attendees), 0) as attendees,
    coalesce(sum(members_attending), 0) as members_attending,
    coalesce(sum(members_attending_capped), 0) as members_attending_capped,
    coalesce(sum(members_expected), 0) as members_expected,
    count(*) filter (where award_collective) as awards_collective,
    count(*) filter (where award_individual) as awards_individual,
    count(*) filter (where nomination_collective) as nominations_collective,
    count(*) filter (where nomination_individual) as nominations_individual
from own_rows
group by pos, nam;

-- Per unit (and the virtual root) and year, sums over its subtree: the combinations registered,
-- conferences, attendance, awards by subject and status; and its staff headcount.
create or replace table agg_unit_year as
with

sums as (
    select
        closure.anc_depth as depth,
        closure.anc_pos as pos,
        own.nam,
        bit_or(own.reg_mask) as reg_mask,
        sum(own.n_conferences)::bigint as n_conferences,
        sum(own.n_commendation)::bigint as n_commendation,
        sum(own.attendees)::bigint as attendees,
        sum(own.members_attending)::bigint as members_attending,
        sum(own.members_attending_capped)::bigint as members_attending_capped,
        sum(own.members_expected)::bigint as members_expected,
        sum(own.awards_collective)::bigint as awards_collective,
        sum(own.awards_individual)::bigint as awards_individual,
        sum(own.nominations_collective)::bigint as nominations_collective,
        sum(own.nominations_individual)::bigint as nominations_individual
    from agg_stage_unit_year as own
    inner join agg_stage_closure as closure on own.pos = closure.pos
    group by closure.anc_depth, closure.anc_pos, own.nam
)

select
    coalesce(sums.depth, headcounts.depth) as depth,
    coalesce(sums.pos, headcounts.pos) as pos,
    coalesce(sums.nam, headcounts.nam)::smallint as nam,
    coalesce(sums.reg_mask, 0) as reg_mask,
    coalesce(sums.n_conferences, 0) as n_conferences,
    coalesce(sums.n_commendation, 0) as n_commendation,
    coalesce(sums.attendees, 0) as attendees,
    coalesce(sums.members_attending, 0) as members_attending,
    coalesce(sums.members_attending_capped, 0) as members_attending_capped,
    coalesce(sums.members_expected, 0) as members_expected,
    coalesce(sums.awards_collective, 0) as awards_collective,
    coalesce(sums.awards_individual, 0) as awards_individual,
    coalesce(sums.nominations_collective, 0) as nominations_collective,
    coalesce(sums.nominations_individual, 0) as nominations_individual,
    headcounts.staff::bigint as staff
from sums
full outer join agg_stage_headcounts as headcounts
    on sums.pos = headcounts.pos and sums.nam = headcounts.nam;

-- The units (but their ancestors), with n_facts (registrations in the subtree) and is_top: the
-- subtree's registrations are summed in agg_top (every root, any unit with >= $top_min_facts).
create or replace table agg_unit as
with

own_facts as (
    select pos, count(*) as n
    from agg_fact
    group by pos
),

subtree_facts as (
    select closure.anc_pos as pos, sum(own_facts.n)::bigint as n_facts
    from own_facts
    inner join agg_stage_closure as closure on own_facts.pos = closure.pos
    where closure.anc_depth >= 0
    group by closure.anc_pos
)

select
    units.* exclude (anc),
    coalesce(subtree_facts.n_facts, 0) as n_facts,
    units.depth = 0 or coalesce(subtree_facts.n_facts, 0) >= $top_min_facts as is_top
from agg_stage_units as units
left join subtree_facts on units.pos = subtree_facts.pos
order by units.pos;

-- The registrations of every top unit's subtree (and of the virtual root) counted per year and
-- category; n_covered: individuals under a unit with a staff figure, from the top unit down.
create or replace table agg_top as
with

tops as (
    select closure.pos, closure.anc_pos as top, closure.anc_depth as top_depth
    from agg_stage_closure as closure
    left join agg_unit as units on closure.anc_pos = units.pos
    where closure.anc_pos = -1 or units.is_top
)

select
    tops.top_depth as depth,
    tops.top as pos,
    facts.nam,
    facts.f,
    facts.s,
    facts.k,
    facts.m,
    facts.r,
    count(*) as n,
    count(facts.diem) as n_scored,
    coalesce(sum(facts.diem), 0) as sum_score,
    count(*) filter (where facts.s = $individual_index and facts.staff_depth >= tops.top_depth) as n_covered
from agg_fact as facts
inner join tops on facts.pos = tops.pos
group by tops.top_depth, tops.top, facts.nam, facts.f, facts.s, facts.k, facts.m, facts.r;

-- Awards and nominations per unit, year, level, form, subject and status.
create or replace table agg_award as
select
    units.pos,
    awards.nam::smallint as nam,
    (list_position($award_levels, awards.cap_khen_thuong) - 1)::utinyint as level,
    (list_position($award_forms, awards.hinh_thuc) - 1)::utinyint as form,
    (list_position($subjects, awards.doi_tuong) - 1)::utinyint as s,
    (list_position($award_statuses, awards.trang_thai) - 1)::utinyint as status,
    count(*) as n
from khen_thuong as awards
inner join agg_stage_links as units
    on awards.ma_don_vi = units.ma_don_vi and awards.nam between units.nam_from and units.nam_to
group by units.pos, awards.nam, awards.cap_khen_thuong, awards.hinh_thuc, awards.doi_tuong, awards.trang_thai;

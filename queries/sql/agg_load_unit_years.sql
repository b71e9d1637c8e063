-- agg_unit_year for the figures engine's in-memory copy (aggregates.py), no nulls.

select
    pos,
    nam,
    reg_mask,
    n_conferences,
    n_commendation,
    attendees,
    members_attending,
    members_attending_capped,
    members_expected,
    awards_collective,
    awards_individual,
    nominations_collective,
    nominations_individual,
    coalesce(staff, 0) as staff
from agg_unit_year

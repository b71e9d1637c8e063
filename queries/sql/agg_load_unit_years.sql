-- agg_unit_year by position (the virtual root -1 first) and year, for the in-memory copy.

select
    pos,
    depth,
    nam::integer as nam,
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
    staff
from agg_unit_year
order by pos, nam

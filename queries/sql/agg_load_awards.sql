-- agg_award by position and year, for the in-memory copy.

select
    pos,
    nam::integer as nam,
    level,
    form,
    s,
    status,
    n
from agg_award
order by pos, nam

-- agg_top by position (the virtual root -1 first) and year, for the in-memory copy.

select
    pos,
    depth,
    nam::integer as nam,
    f,
    s,
    k,
    m,
    r,
    n,
    n_scored,
    sum_score,
    n_covered
from agg_top
order by pos, nam

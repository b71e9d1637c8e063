-- agg_top for the figures engine's in-memory copy, the category codes and the result packed as
-- one cell: f << 6 | s << 5 | k << 4 | m << 3 | r.

select
    pos,
    nam,
    (f::integer << 6) | (s::integer << 5) | (k::integer << 4) | (m::integer << 3) | r::integer as cell,
    n,
    n_scored,
    sum_score,
    n_covered
from agg_top

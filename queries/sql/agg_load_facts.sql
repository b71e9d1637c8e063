-- agg_fact for the figures engine's in-memory copy, no nulls: cell as in agg_load_tops.sql,
-- model 0 for none, staff_depth -2 for none, a missing score as NaN.

select
    pos,
    nam,
    (f::integer << 6) | (s::integer << 5) | (k::integer << 4) | (m::integer << 3) | r::integer as cell,
    coalesce(model, 0) as model,
    coalesce(model_first_year, 0) as model_first_year,
    coalesce(staff_depth, -2) as staff_depth,
    coalesce(diem, 'nan'::double) as diem
from agg_fact

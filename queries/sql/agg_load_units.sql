-- agg_unit in tree order (row i is position i), for the figures engine's in-memory copy (the
-- tables of today's structure: the same with agg_unit_current, aggregates.for_reading).

select
    pos,
    last_pos,
    depth,
    is_top,
    ma_don_vi,
    ten_don_vi,
    ma_cap_tren,
    cap,
    hieu_luc_tu,
    hieu_luc_den,
    first_year,
    last_year,
    node_from,
    node_to
from agg_unit
order by pos

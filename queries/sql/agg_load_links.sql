-- agg_link for the figures engine's in-memory copy: the nodes a unit's records belong to; a scope
-- on a unit is the subtree of its one node (a unit at several places of the tree as it was, one
-- that moved keeping its code, is answered from the base tables).

select ma_don_vi, min(pos) as pos, count(distinct pos) as n_nodes
from agg_link
group by ma_don_vi

-- The superiors a unit has had, oldest row first (structure.superior picks the one a period shows).
select ma_cap_tren, hieu_luc_tu
from don_vi
where ma_don_vi = $unit
order by hieu_luc_tu nulls first

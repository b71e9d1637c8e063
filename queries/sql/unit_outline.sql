-- Every unit, for the dashboard's unit list (pages_data.unit_outline orders them as a tree); a unit
-- with a history (several rows: it moved keeping its code) is listed by its latest row.
select ma_don_vi, ten_don_vi, ma_cap_tren, cap, hieu_luc_tu, hieu_luc_den
from don_vi
qualify row_number() over (partition by ma_don_vi order by hieu_luc_tu desc nulls last) = 1
order by ma_don_vi

-- Every unit, for the dashboard's unit list (pages_data.unit_outline orders them as a tree).
select ma_don_vi, ten_don_vi, ma_cap_tren, cap, hieu_luc_tu, hieu_luc_den
from don_vi
order by ma_don_vi

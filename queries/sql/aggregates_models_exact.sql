-- agg_stage_models from the model codes themselves, for the (unlikely) database where two codes
-- share a hash: numbered 1.. in code order, each with the first year it was registered anywhere.

create or replace temp table agg_stage_models as
select
    hash(ma_mo_hinh) as code_hash,
    ma_mo_hinh,
    (row_number() over (order by ma_mo_hinh))::integer as model,
    first_year,
    false as collided
from (
    select ma_mo_hinh, min(nam)::smallint as first_year
    from dang_ky
    where ma_mo_hinh is not null
    group by ma_mo_hinh
)

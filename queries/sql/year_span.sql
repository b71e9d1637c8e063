-- The first and last year any registration, award or conference refers to (nulls without any).
select min(nam) as year_from, max(nam) as year_to
from (
    select nam from dang_ky
    union all select nam from khen_thuong
    union all select nam from hoi_nghi
)

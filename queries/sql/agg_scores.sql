-- Registration scores (diem) of the scope ($lo..$hi in agg_fact) and period under the filters in
-- bins of $bin_width points, as scores.sql; the last bin is closed so that 100 falls into it.

with

binned as (
    select
        least(floor(diem / $bin_width), ceil(100 / $bin_width) - 1)::integer as bin_index,
        list_contains($recognised, r) as is_recognised
    from agg_fact
    where
        diem is not null
        and pos between $lo and $hi
        and nam between $year_from and $year_to
        and ($f is null or f = $f)
        and ($s is null or s = $s)
        and ($k is null or k = $k)
        and ($m is null or m = $m)
)

select
    bin_index,
    count(*) as n_registrations,
    count(*) filter (where is_recognised) as n_recognised
from binned
group by bin_index

-- The registrations of positions $lo..$hi of agg_fact in the period under the filters, counted
-- per unit, year, category and staff_depth (which top units' staff figures cover them).

select
    pos,
    nam::integer as nam,
    f,
    s,
    k,
    m,
    r,
    staff_depth,
    count(*) as n,
    count(diem) as n_scored,
    coalesce(sum(diem), 0)::double as sum_score
from agg_fact
where
    pos between $lo and $hi
    and nam between $year_from and $year_to
    and ($f is null or f = $f)
    and ($s is null or s = $s)
    and ($k is null or k = $k)
    and ($m is null or m = $m)
group by pos, nam, f, s, k, m, r, staff_depth

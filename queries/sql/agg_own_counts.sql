-- Each unit's own registrations (not its subtree's) in the scope ($lo..$hi in agg_fact) and
-- period under the filters: registrations, collective, individual, recognised.

select
    pos,
    count(*) as registrations,
    count(*) filter (where s = $s_collective) as collective,
    count(*) filter (where s = $s_individual) as individual,
    count(*) filter (where list_contains($recognised, r)) as recognised
from agg_fact
where
    pos between $lo and $hi
    and nam between $year_from and $year_to
    and ($f is null or f = $f)
    and ($s is null or s = $s)
    and ($k is null or k = $k)
    and ($m is null or m = $m)
group by pos

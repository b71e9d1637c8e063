-- Distinct models of the scope ($lo..$hi in agg_fact) under the filters, per window of years
-- ($windows: [first year, last year] pairs, e.g. each year of a period, or two periods compared),
-- and how many were carried over (first registered, anywhere, before the window). A model's rows
-- all carry its first year, so the carried-over and the new models are counted apart, as bit
-- strings over the model numbers 1..$n_models.

with

windows as (
    select spans.span[1] as y0, spans.span[2] as y1
    from (select unnest($windows) as span) as spans
),

counts as (
    select
        windows.y0,
        windows.y1,
        bit_count(bitstring_agg(facts.model, 1, $n_models) filter (
            where facts.model_first_year < windows.y0
        )) as n_models_carried_over,
        bit_count(bitstring_agg(facts.model, 1, $n_models) filter (
            where facts.model_first_year >= windows.y0
        )) as n_models_new
    from agg_fact as facts
    inner join windows on facts.nam between windows.y0 and windows.y1
    where
        facts.model is not null
        and facts.pos between $lo and $hi
        and facts.nam between (select min(y0) from windows) and (select max(y1) from windows)
        and ($f is null or facts.f = $f)
        and ($s is null or facts.s = $s)
        and ($k is null or facts.k = $k)
        and ($m is null or facts.m = $m)
    group by windows.y0, windows.y1
)

select
    y0,
    y1,
    (coalesce(n_models_carried_over, 0) + coalesce(n_models_new, 0))::bigint as n_models,
    coalesce(n_models_carried_over, 0)::bigint as n_models_carried_over
from counts

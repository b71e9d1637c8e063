-- What the tables were built from: the last import (the caller logs it in nhat_ky_nhap first)
-- and the registrations. tree_ok ($tree_ok, worked out by aggregates.py): every unit was placed in
-- the trees of both readings and each subtree is one run of positions; when false the figures
-- engine keeps to the base tables. fingerprint identifies the contents of the tables the engine
-- keeps in memory, both readings' (deterministic: the same data, the same file).
delete from agg_meta;

insert into agg_meta
select
    $version as version,
    $tree_ok
    and coalesce((select bool_and(n_units = last_pos - pos + 1) from agg_unit), true)
    and coalesce((select bool_and(n_units = last_pos - pos + 1) from agg_unit_current), true) as tree_ok,
    (select max(import_id) from nhat_ky_nhap) as import_id,
    (select count(*) from dang_ky) as n_dang_ky,
    $n_models::bigint as n_models,
    hash(
        $n_models::bigint,
        (select sum(hash(t)) from agg_unit as t),
        (select sum(hash(t)) from agg_unit_year as t),
        (select sum(hash(t)) from agg_top as t),
        (select sum(hash(t)) from agg_award as t),
        (select sum(hash(t)) from agg_link as t),
        (select sum(hash(t)) from agg_unit_current as t),
        (select sum(hash(t)) from agg_unit_year_current as t),
        (select sum(hash(t)) from agg_top_current as t),
        (select sum(hash(t)) from agg_award_current as t),
        (select sum(hash(t)) from agg_link_current as t)
    ) as fingerprint;

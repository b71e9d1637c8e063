-- Schema version 2: agg_meta describes the aggregate tables that queries/aggregates.py rebuilds
-- from the base tables at the end of every import (agg_unit, agg_unit_year, agg_fact, agg_top,
-- agg_award; created by that rebuild, not here). Until the first rebuild the table is empty and
-- the figures are computed from the base tables.

create table agg_meta (
    version      integer not null,  -- aggregates.VERSION that built the tables
    tree_ok      boolean not null,  -- every unit numbered, each subtree one run of positions
    import_id    integer,           -- the import (nhat_ky_nhap) they were built in
    n_dang_ky    bigint not null,   -- the registrations they were built from
    n_models     bigint not null,   -- agg_fact.model numbers the model codes 1..n_models
    fingerprint  ubigint not null   -- a hash of agg_unit, agg_unit_year, agg_top and agg_award
);

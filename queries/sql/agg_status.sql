-- The aggregate tables (queries/aggregates.py) of this database and whether they still match it:
-- built by the last import, from as many registrations as there are. No row: never built.

select
    version,
    tree_ok,
    import_id is not distinct from (select max(import_id) from nhat_ky_nhap) as same_import,
    n_dang_ky = (select count(*) from dang_ky) as same_registrations,
    n_models,
    fingerprint
from agg_meta

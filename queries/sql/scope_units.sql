-- The units of a scope: a unit and its whole subtree, or every root when $unit is null.
-- One row per unit with its depth below the scope root, its path of codes from that root
-- (joined by chr(31), the ASCII unit separator: a list would cost more here), the years it was
-- valid (hieu_luc_tu/hieu_luc_den; null = unbounded) and whether it was active at some time in
-- the period $year_from..$year_to.

with recursive

units as (
    select * from don_vi
),

roots as (
    select *
    from units
    where
        ($unit is null and (
            ma_cap_tren is null
            or ma_cap_tren not in (select ma_don_vi from units)
        ))
        or ma_don_vi = $unit
),

subtree as (
    select
        ma_don_vi,
        ten_don_vi,
        ma_cap_tren,
        cap,
        hieu_luc_tu,
        hieu_luc_den,
        0 as depth,
        ma_don_vi as path
    from roots

    union all

    select
        units.ma_don_vi,
        units.ten_don_vi,
        units.ma_cap_tren,
        units.cap,
        units.hieu_luc_tu,
        units.hieu_luc_den,
        subtree.depth + 1 as depth,
        subtree.path || chr(31) || units.ma_don_vi as path
    from units
    inner join subtree on units.ma_cap_tren = subtree.ma_don_vi
    -- a guard against a cycle slipping past the importer
    where subtree.depth < 64
),

scope_units as (
    select
        *,
        year(hieu_luc_tu) as first_year,
        year(hieu_luc_den) as last_year,
        coalesce(year(hieu_luc_tu) <= $year_to, true)
        and coalesce(year(hieu_luc_den) >= $year_from, true) as is_active
    from subtree
)

select * from scope_units

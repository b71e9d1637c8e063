"""The checks across the unit rows: known units, parents and successors, loops in the tree and in
successions, a unit's rows in time (DOMAIN.md section 3), rows corrected in place."""

from __future__ import annotations

import polars as pl

from queries import vocab
from queries.importer.validate import TEXT_SUFFIX, _Check


def _cycle_members(edges: pl.DataFrame) -> set[str]:
    """Units on a loop of the parent relation: what is left after repeatedly pruning childless units."""
    remaining = edges.filter(
        pl.col("ma_cap_tren").is_not_null() & pl.col("ma_cap_tren").is_in(edges["ma_don_vi"].implode())
    )
    while remaining.height:
        parents = remaining.get_column("ma_cap_tren").unique()
        kept = remaining.filter(pl.col("ma_don_vi").is_in(parents.implode()))
        if kept.height == remaining.height:
            break
        remaining = kept
    return set(remaining.get_column("ma_don_vi").to_list())


def _cycle_path(start: str, parent_of: dict[str, str]) -> str:
    path, seen, code = [start], {start}, parent_of.get(start)
    while code is not None and code not in seen:
        path.append(code)
        seen.add(code)
        code = parent_of.get(code)
    path.append(code if code is not None else "")
    return " → ".join(path)


def _unknown_units(frame: pl.DataFrame, known: pl.Series) -> _Check:
    bad = frame.filter(pl.col("ma_don_vi").is_not_null() & ~pl.col("ma_don_vi").is_in(known.implode()))
    return _Check("ma_don_vi", "unknown_unit", bad.select("_src", "_row", pl.col("ma_don_vi").alias("value")))


def _date_order(frame: pl.DataFrame) -> _Check:
    order = frame.filter(pl.col("hieu_luc_den") < pl.col("hieu_luc_tu"))
    return _Check(
        "hieu_luc_den",
        "date_order",
        order.select(
            "_src",
            "_row",
            pl.col("hieu_luc_den" + TEXT_SUFFIX).alias("value"),
            pl.col("hieu_luc_tu").dt.strftime("%d/%m/%Y").alias("p_start"),
        ),
    )


# The columns of a unit's history that the checks across rows look at (stored and imported).
_UNIT_HISTORY = ("ma_hieu_luc", "ma_don_vi", "ma_cap_tren", "hieu_luc_tu", "hieu_luc_den", "ma_ke_thua")


def _corrections(imported: pl.DataFrame, stored: pl.DataFrame) -> pl.DataFrame:
    """(old_key, new_key): a unit with one stored row and one imported row under the same superior
    but another start date is that row corrected, as when the code alone was the key (a file
    re-sent with a fixed date keeps importing); a unit with a new superior is a new period."""
    one_imported = imported.filter(pl.col("ma_don_vi").is_not_null() & (pl.len().over("ma_don_vi") == 1))
    one_stored = stored.filter(pl.len().over("ma_don_vi") == 1)
    pairs = one_imported.join(one_stored, on="ma_don_vi", suffix="_stored").filter(
        (pl.col("ma_hieu_luc") != pl.col("ma_hieu_luc_stored"))
        & pl.col("ma_cap_tren").eq_missing(pl.col("ma_cap_tren_stored"))
    )
    return pairs.select(pl.col("ma_hieu_luc_stored").alias("old_key"), pl.col("ma_hieu_luc").alias("new_key"))


def _unit_tree_checks(imported: pl.DataFrame, stored: pl.DataFrame, corrected: pl.DataFrame) -> list[_Check]:
    """Parents and successors known; no loops in the tree; a chi bộ trực thuộc (a branch of a đảng
    bộ cơ sở) has a parent, as only a root has none; a unit's rows do not overlap in time; a
    successor carries on the day after its predecessor ended, with no loop of successions
    (imported: _src, _row, _UNIT_HISTORY, cap of the units in this import, in reading order;
    stored: _UNIT_HISTORY of the stored rows, those with an imported key being replaced, and those
    `corrected`)."""
    checks: list[_Check] = []
    orphans = imported.filter((pl.col("cap") == vocab.LEVEL_BRANCH) & pl.col("ma_cap_tren").is_null())
    if orphans.height:
        rows = orphans.select("_src", "_row", pl.lit("").alias("value"))
        checks.append(_Check("ma_cap_tren", "branch_without_parent", rows))
    known = pl.concat([stored.select("ma_don_vi"), imported.select("ma_don_vi").drop_nulls()])
    known_codes = known.get_column("ma_don_vi").unique().implode()

    def unknown(alias: str, code: str) -> None:
        bad = imported.filter(pl.col(alias).is_not_null() & ~pl.col(alias).is_in(known_codes))
        if bad.height:
            checks.append(_Check(alias, code, bad.select("_src", "_row", pl.col(alias).alias("value"))))

    unknown("ma_cap_tren", "missing_parent")
    unknown("ma_ke_thua", "unknown_successor")
    # the unit rows once this import is written: the stored ones it does not replace, and its own
    # (the first of a duplicated key: the duplicate is reported apart)
    incoming = imported.filter(pl.col("ma_don_vi").is_not_null()).unique(
        "ma_hieu_luc", keep="first", maintain_order=True
    )
    replaced = pl.concat([incoming.get_column("ma_hieu_luc"), corrected.get_column("old_key")])
    kept = stored.filter(~pl.col("ma_hieu_luc").is_in(replaced.implode()))
    after = pl.concat(
        [
            kept.select(
                *_UNIT_HISTORY, pl.lit(None, pl.Int32).alias("_src"), pl.lit(None, pl.Int64).alias("_row")
            ),
            incoming.select(*_UNIT_HISTORY, pl.col("_src").cast(pl.Int32), pl.col("_row").cast(pl.Int64)),
        ]
    )
    checks += _history_checks(after)
    edges = after.select("ma_don_vi", "ma_cap_tren").unique(maintain_order=True)
    checks += _loop_checks(edges, imported, "ma_cap_tren", "cycle")
    return checks


def _loop_checks(edges: pl.DataFrame, rows: pl.DataFrame, alias: str, code: str) -> list[_Check]:
    """The rows of `rows` whose unit is on a loop of `edges` (ma_don_vi -> ma_cap_tren: a parent,
    or a successor), each with the loop written out (p_path); the value shown is the row's `alias`."""
    looped = _cycle_members(edges)
    if not looped:
        return []
    on_loop = rows.filter(pl.col("ma_don_vi").is_in(list(looped)))
    if not on_loop.height:
        return []
    next_of = dict(edges.filter(pl.col("ma_don_vi").is_in(list(looped))).iter_rows())  # loop units only
    paths = {unit: _cycle_path(unit, next_of) for unit in on_loop.get_column("ma_don_vi").to_list()}
    rows = on_loop.select(
        "_src",
        "_row",
        pl.col(alias).alias("value"),
        pl.col("ma_don_vi").replace_strict(paths, default=None).alias("p_path"),
    )
    return [_Check(alias, code, rows)]


def _dmy(column: str) -> pl.Expr:
    return pl.col(column).dt.strftime("%d/%m/%Y")


def _history_checks(after: pl.DataFrame) -> list[_Check]:
    """A unit's rows in time and its successions (DOMAIN.md section 3), over the unit rows as they
    will be once the import is written (after: _UNIT_HISTORY, _src and _row, null for stored
    rows). Only imported rows are reported: a stored row in conflict is named in the reason."""
    checks: list[_Check] = []
    imported = pl.col("_src").is_not_null()
    # overlapping rows of one code: each row against the next one by start (no start = the
    # earliest, no end = open), reported on the imported one of the pair
    ordered = after.sort("ma_don_vi", "hieu_luc_tu", nulls_last=False).with_columns(
        pl.col(c).shift(1).over("ma_don_vi").alias(f"prev_{c.lstrip('_')}")
        for c in ("hieu_luc_tu", "hieu_luc_den", "_src", "_row", "ma_hieu_luc")
    )
    overlaps = ordered.filter(
        pl.col("prev_ma_hieu_luc").is_not_null()
        & (
            pl.col("prev_hieu_luc_den").is_null()
            | pl.col("hieu_luc_tu").is_null()
            | (pl.col("hieu_luc_tu") <= pl.col("prev_hieu_luc_den"))
        )
    )
    period = pl.concat_str(
        [_dmy("prev_hieu_luc_tu").fill_null("…"), _dmy("prev_hieu_luc_den").fill_null("…")], separator=" – "
    )
    later = overlaps.filter(imported)
    if later.height:
        rows = later.select(
            "_src",
            "_row",
            _dmy("hieu_luc_tu").fill_null("").alias("value"),
            period.alias("p_period"),
            pl.col("ma_don_vi").alias("p_code"),
            pl.col("prev_src").alias("p_src"),
            pl.col("prev_row").alias("p_row"),
        )
        in_import = rows.filter(pl.col("p_src").is_not_null())
        if in_import.height:
            checks.append(_Check("hieu_luc_tu", "validity_overlap", in_import))
        with_stored = rows.filter(pl.col("p_src").is_null()).drop("p_src", "p_row")
        if with_stored.height:
            checks.append(_Check("hieu_luc_tu", "validity_overlap_stored", with_stored))
    # an imported row overlapping a later stored row: reported on the imported (earlier) row
    earlier = overlaps.filter(~imported & pl.col("prev_src").is_not_null())
    if earlier.height:
        checks.append(
            _Check(
                "hieu_luc_den",
                "validity_overlap_stored",
                earlier.select(
                    pl.col("prev_src").alias("_src"),
                    pl.col("prev_row").alias("_row"),
                    _dmy("prev_hieu_luc_den").fill_null("").alias("value"),
                    pl.concat_str(
                        [_dmy("hieu_luc_tu").fill_null("…"), _dmy("hieu_luc_den").fill_null("…")],
                        separator=" – ",
                    ).alias("p_period"),
                    pl.col("ma_don_vi").alias("p_code"),
                ),
            )
        )
    # a successor needs the end of the unit it carries on
    successions = after.filter(imported & pl.col("ma_ke_thua").is_not_null())
    no_end = successions.filter(pl.col("hieu_luc_den").is_null())
    if no_end.height:
        checks.append(
            _Check(
                "ma_ke_thua",
                "successor_without_end",
                no_end.select("_src", "_row", pl.col("ma_ke_thua").alias("value")),
            )
        )
    # ... and is active the day after it (some row of the successor covers that day)
    ended = successions.filter(pl.col("hieu_luc_den").is_not_null()).with_columns(
        (pl.col("hieu_luc_den") + pl.duration(days=1)).alias("_next_day")
    )
    if ended.height:
        known = set(after.get_column("ma_don_vi").to_list())
        covering = ended.join(
            after.select(
                pl.col("ma_don_vi").alias("ma_ke_thua"),
                pl.col("hieu_luc_tu").alias("s_from"),
                pl.col("hieu_luc_den").alias("s_to"),
            ),
            on="ma_ke_thua",
            how="inner",
        ).filter(
            (pl.col("s_from").is_null() | (pl.col("s_from") <= pl.col("_next_day")))
            & (pl.col("s_to").is_null() | (pl.col("s_to") >= pl.col("_next_day")))
        )
        inactive = ended.filter(
            pl.col("ma_ke_thua").is_in(list(known))  # an unknown successor is reported as such
            & ~pl.struct("_src", "_row").is_in(
                covering.select(pl.struct("_src", "_row")).to_series().implode()
            )
        )
        if inactive.height:
            checks.append(
                _Check(
                    "ma_ke_thua",
                    "successor_inactive",
                    inactive.select(
                        "_src", "_row", pl.col("ma_ke_thua").alias("value"), _dmy("_next_day").alias("p_day")
                    ),
                )
            )
    # no loop of successions (A → B → A, or A → A)
    chain = (
        after.filter(pl.col("ma_ke_thua").is_not_null())
        .select("ma_don_vi", pl.col("ma_ke_thua").alias("ma_cap_tren"))
        .unique(maintain_order=True)
    )
    checks += _loop_checks(chain, successions, "ma_ke_thua", "succession_cycle")
    return checks

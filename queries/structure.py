"""The unit tree by year, in the two readings of DOMAIN.md section 4a (issue 15).

The figures engine asks here for the units of a scope and for where each record belongs:

* `as-was` (tại thời điểm): a record of year Y belongs to the unit it was recorded for, under the
  superiors of year Y. A unit's row in force in year Y is the last one that started by 31/12 of Y
  (a unit that moved on 01/02/2025 counts its 2025 records under its new superior), else its
  first row. A tree *node* is a unit at one place in the tree (its path of codes from the scope's
  root): a unit that moved keeping its code is two nodes, one per superior, each holding the
  records of its own years.
* `current` (theo cơ cấu hiện nay): a record of an ended unit counts for the end of its successor
  chain (A → B → C: C), under today's superiors (each unit's last row, its superior followed along
  its own chain). Each unit of today's structure is one node, active in a year when it or any of
  its predecessors was. A unit that ended with no successor stays itself, under its last superior.

`scope_units` gives both as two frames: the nodes, with the columns of sql/scope_units.sql (one row
per node; `path` joins the codes from the scope's root by PATH_SEPARATOR) plus `parent_path`; and
the links (ma_don_vi, nam_from, nam_to, path): the records of unit `ma_don_vi` with `nam` in
nam_from..nam_to belong to the node at `path`. Where the reading changes nothing (has_history)
the tree is sql/scope_units.sql's, as it always was.
"""

from __future__ import annotations

from datetime import date
from typing import Literal, get_args

import duckdb
import polars as pl

from queries import named_sql, store, vocab

Reading = Literal["as-was", "current"]
READINGS: tuple[str, ...] = get_args(Reading)
AS_WAS: Reading = "as-was"
CURRENT: Reading = "current"
PATH_SEPARATOR = chr(31)  # as in sql/scope_units.sql
MAX_DEPTH = 64  # the same guard as sql/scope_units.sql

LINK_SCHEMA = {"ma_don_vi": pl.String, "nam_from": pl.Int32, "nam_to": pl.Int32, "path": pl.String}
# A unit row's columns a node of the tree carries (the aggregate tables store the same ones).
NODE_COLUMNS = ("ma_don_vi", "ten_don_vi", "ma_cap_tren", "cap", "hieu_luc_tu", "hieu_luc_den")
_ROW_COLUMNS = (*NODE_COLUMNS, "ma_ke_thua")


def has_history(cur: duckdb.DuckDBPyConnection, reading: str = CURRENT) -> bool:
    """Whether the reading differs from the plain tree of one row per unit: as it was, when some
    unit has several rows (it moved keeping its code); on today's structure, also when some unit
    has a successor. Asked once per read-only snapshot and reading."""
    memo = store.snapshot_memo(cur)
    key = f"has_history_{reading}"
    if memo is not None and key in memo:
        return memo[key]
    successors = "or count(ma_ke_thua) > 0" if reading == CURRENT else ""
    ((found,),) = cur.execute(
        f"select count(*) > count(distinct ma_don_vi) {successors} from don_vi"
    ).fetchall()
    if memo is not None:
        memo[key] = bool(found)
    return bool(found)


def scope_units(
    cur: duckdb.DuckDBPyConnection, unit: str | None, year_from: int, year_to: int, reading: str = AS_WAS
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The scope's nodes and the links of records to them (see the module's docstring)."""
    if reading not in READINGS:
        raise ValueError(f"structure must be one of {', '.join(READINGS)}; got {reading!r}")
    # kept per read-only snapshot (it never sees a write): the last few scopes asked for
    return store.snapshot_kept(
        cur,
        "scope_units",
        (unit, year_from, year_to, reading),
        lambda: _scope_units(cur, unit, year_from, year_to, reading),
        SCOPES_KEPT,
    )


SCOPES_KEPT = 16  # scopes kept per read-only snapshot


def _scope_units(
    cur: duckdb.DuckDBPyConnection, unit: str | None, year_from: int, year_to: int, reading: str
) -> tuple[pl.DataFrame, pl.DataFrame]:
    if not has_history(cur, reading):
        return _plain(cur, unit, year_from, year_to)
    rows = cur.sql(f"select {', '.join(_ROW_COLUMNS)} from don_vi").pl()
    if reading == CURRENT:
        return _current(rows, unit, year_from, year_to)
    if unit is not None:  # the tree of every year is worked out per unit and year: only those below
        rows = _below(rows, unit)
    return _as_was(rows, unit, year_from, year_to)


def _below(rows: pl.DataFrame, unit: str) -> pl.DataFrame:
    """The rows of `unit` and of every unit below it by some row (any year's superior): every
    unit its subtree holds in some year, with all their rows (a superset of each year's subtree;
    the others cannot be reached from it)."""
    found, frontier = {unit}, [unit]
    for _ in range(MAX_DEPTH):
        below = rows.filter(pl.col("ma_cap_tren").is_in(frontier)).get_column("ma_don_vi").unique()
        frontier = [code for code in below.to_list() if code not in found]
        if not frontier:
            break
        found.update(frontier)
    return rows.filter(pl.col("ma_don_vi").is_in(sorted(found)))


def _plain(
    cur: duckdb.DuckDBPyConnection, unit: str | None, year_from: int, year_to: int
) -> tuple[pl.DataFrame, pl.DataFrame]:
    from queries import figures  # the named queries live there; figures imports this module

    units = figures.run_sql(cur, "scope_units", {"unit": unit, "year_from": year_from, "year_to": year_to})
    units = units.unique("ma_don_vi", keep="first", maintain_order=True)  # only if a cycle slipped past
    units = units.with_columns(_parent_of(pl.col("path")).alias("parent_path"))
    links = units.select(
        "ma_don_vi",
        pl.lit(vocab.YEAR_MIN, pl.Int32).alias("nam_from"),
        pl.lit(vocab.YEAR_MAX, pl.Int32).alias("nam_to"),
        "path",
    )
    return units, links


def _parent_of(path: pl.Expr) -> pl.Expr:
    """The path of a node's parent (null for a root)."""
    parts = path.str.split(PATH_SEPARATOR)
    return pl.when(parts.list.len() > 1).then(parts.list.head(parts.list.len() - 1).list.join(PATH_SEPARATOR))


def _year_bounds(first: pl.Expr, last: pl.Expr, year_from: int, year_to: int) -> pl.Expr:
    return (first.is_null() | (first <= year_to)) & (last.is_null() | (last >= year_from))


def _paths(edges: pl.DataFrame, unit: str | None, keys: list[str]) -> pl.DataFrame:
    """Walk down the tree(s) of `edges` (keys..., ma_don_vi, ma_cap_tren and the row columns) from
    the roots (the unit, or every unit whose superior is empty or unknown), per value of `keys`:
    every reachable unit with its depth and path."""
    if unit is not None:
        level = edges.filter(pl.col("ma_don_vi") == unit)
    else:
        known = edges.select(*keys, pl.col("ma_don_vi").alias("ma_cap_tren"), pl.lit(True).alias("_known"))
        level = edges.join(known, on=[*keys, "ma_cap_tren"], how="left").filter(pl.col("_known").is_null())
        level = level.drop("_known")
    level = level.with_columns(pl.lit(0, pl.Int32).alias("depth"), pl.col("ma_don_vi").alias("path"))
    found = [level]
    for depth in range(1, MAX_DEPTH + 1):
        level = edges.join(
            level.select(*keys, pl.col("ma_don_vi").alias("ma_cap_tren"), pl.col("path").alias("_parent")),
            on=[*keys, "ma_cap_tren"],
        ).with_columns(
            pl.lit(depth, pl.Int32).alias("depth"),
            (pl.col("_parent") + PATH_SEPARATOR + pl.col("ma_don_vi")).alias("path"),
        )
        level = level.drop("_parent")
        if level.is_empty():
            break
        found.append(level)
    return pl.concat(found, how="diagonal_relaxed")


def _finish(nodes: pl.DataFrame, year_from: int, year_to: int) -> pl.DataFrame:
    """The node columns of sql/scope_units.sql (and parent_path), in path order."""
    return nodes.select(
        *NODE_COLUMNS,
        pl.col("depth").cast(pl.Int32),
        "path",
        pl.col("first_year").cast(pl.Int32),
        pl.col("last_year").cast(pl.Int32),
        _year_bounds(pl.col("first_year"), pl.col("last_year"), year_from, year_to).alias("is_active"),
        _parent_of(pl.col("path")).alias("parent_path"),
    ).sort("path")


def _as_was(
    rows: pl.DataFrame, unit: str | None, year_from: int, year_to: int
) -> tuple[pl.DataFrame, pl.DataFrame]:
    # Per unit and year of the window: the row in force, the unit's place in that year's tree and
    # whether it is active. That is a row per unit and year (2,6M at 10M registrations, over every
    # year), so it is worked out on small integers: a unit's code is a number (_u), its superior's
    # too (_p, null where it has none or names no unit: a root), a row is its index (_r), a place
    # in the tree a node number (_node, whose path is built once per node). The rows' columns and
    # the paths are joined to the nodes at the end.
    codes = rows.select("ma_don_vi").unique().with_row_index("_u")
    narrow = (
        rows.with_row_index("_r")
        .select(
            "_r",
            "ma_don_vi",
            "ma_cap_tren",
            "hieu_luc_tu",
            pl.col("hieu_luc_tu").dt.year().cast(pl.Int32).alias("_first"),
            pl.col("hieu_luc_den").dt.year().cast(pl.Int32).alias("_last"),
        )
        .join(codes, on="ma_don_vi", how="left")
        .join(codes.rename({"ma_don_vi": "ma_cap_tren", "_u": "_p"}), on="ma_cap_tren", how="left")
        .drop("ma_don_vi", "ma_cap_tren")
    )
    years = pl.DataFrame({"nam": list(range(year_from, year_to + 1))}, schema={"nam": pl.Int32})
    chosen = _pick(narrow, years).join(narrow.drop("_u", "hieu_luc_tu"), on="_r")
    root = None if unit is None else codes.filter(pl.col("ma_don_vi") == unit).get_column("_u")
    placed, paths = _nodes(chosen, codes, root, year_from, year_to)
    # a node: the unit at one path; its row is that of its last year, its years of activity are
    # those of its own years, open at a window edge when the unit's rows go on beyond it
    nodes = (
        placed.sort("nam")
        .group_by("_node")
        .agg(
            pl.col("_r", "depth").last(),
            pl.col("nam").min().alias("_lo"),
            pl.col("nam").max().alias("_hi"),
            pl.col("nam").filter(pl.col("_active")).min().alias("_act_lo"),
            pl.col("nam").filter(pl.col("_active")).max().alias("_act_hi"),
            # a row without a start: from the beginning
            pl.when(pl.col("_first").is_null().any())
            .then(None)
            .otherwise(pl.col("_first").min())
            .alias("_row_first"),
            pl.col("_last").max().alias("_row_last"),
            pl.col("_last").is_null().any().alias("_open"),
        )
        .join(paths, on="_node")
        .join(rows.with_row_index("_r").select("_r", *NODE_COLUMNS), on="_r")
    )
    nodes = nodes.with_columns(
        pl.when(pl.col("_lo") == year_from)
        .then(pl.col("_row_first"))
        .otherwise(pl.col("_act_lo"))
        .alias("first_year"),
        pl.when((pl.col("_hi") == year_to) & pl.col("_open"))
        .then(None)
        .when(pl.col("_hi") == year_to)
        .then(pl.col("_row_last"))
        .otherwise(pl.col("_act_hi"))
        .alias("last_year"),
    )
    # never active in the window: its rows' own years (outside it)
    nodes = nodes.with_columns(
        pl.when(pl.col("_act_lo").is_null())
        .then(pl.col("_row_first"))
        .otherwise(pl.col("first_year"))
        .alias("first_year"),
        pl.when(pl.col("_act_lo").is_null())
        .then(pl.col("_row_last"))
        .otherwise(pl.col("last_year"))
        .alias("last_year"),
    )
    if placed.is_empty():
        return _finish(nodes, year_from, year_to), pl.DataFrame(schema=LINK_SCHEMA)
    runs = _runs(placed.select(pl.col("_u").alias("ma_don_vi"), "nam", pl.col("_node").alias("path")))
    links = (
        runs.rename({"ma_don_vi": "_u", "path": "_node"})
        .join(codes, on="_u")
        .join(paths, on="_node")
        .select("ma_don_vi", "nam_from", "nam_to", "path")
        .sort("ma_don_vi", "nam_from")
    )
    return _finish(nodes, year_from, year_to), links


def _pick(rows: pl.DataFrame, years: pl.DataFrame) -> pl.DataFrame:
    """Per unit (_u) and year, the row (_r) in force: the last started by the year's end, else the
    first; and whether the unit is active in the year (_active: some row of it valid then). A unit
    with one row has it in force every year: only units with several rows are sorted and grouped
    (a group per unit and year costs much memory)."""
    started = pl.col("hieu_luc_tu").is_null() | (pl.col("_first") <= pl.col("nam"))
    valid = started & (pl.col("_last").is_null() | (pl.col("_last") >= pl.col("nam")))
    several = pl.col("_u").is_duplicated()
    one = rows.filter(~several).join(years, how="cross").select("_u", "nam", "_r", valid.alias("_active"))
    picked = (
        rows.filter(several)
        .join(years, how="cross")
        .select("_u", "nam", "_r", "hieu_luc_tu", started.alias("_started"), valid.alias("_valid"))
        .sort("_u", "nam", "hieu_luc_tu", nulls_last=False)
        .group_by("_u", "nam")
        .agg(
            pl.when(pl.col("_started").any())
            .then(pl.col("_r").filter(pl.col("_started")).last())
            .otherwise(pl.col("_r").first())
            .alias("_r"),
            pl.col("_valid").any().alias("_active"),
        )
    )
    return pl.concat([one, picked])


def _nodes(
    chosen: pl.DataFrame, codes: pl.DataFrame, root: pl.Series | None, year_from: int, year_to: int
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Walk down each year's tree of `chosen` (_u, nam in year_from..year_to, _p, ...) from its
    roots (the unit numbered `root`, or every unit without a known superior): every (unit, year)
    reached, with its depth and node (_node); and the nodes' paths (_node, path), one node per
    path. Joins are on one integer key each, which costs much less than on two columns."""
    years = max(year_to - year_from + 1, 1)
    year = (pl.col("nam") - year_from).cast(pl.UInt64)
    chosen = chosen.with_columns(
        (pl.col("_u").cast(pl.UInt64) * years + year).alias("_at"),  # this unit in this year
        (pl.col("_p").cast(pl.UInt64) * years + year).alias("_up"),  # its superior in this year
    )
    if root is None:
        level = chosen.filter(pl.col("_p").is_null())
    else:
        level = chosen.filter(pl.col("_u").is_in(root.implode()))
    columns = ("_u", "nam", "_r", "_first", "_last", "_active", "_node", "depth")
    placed: list[pl.DataFrame] = []
    made: list[pl.DataFrame] = []
    for depth in range(MAX_DEPTH + 1):
        if depth:
            above = made[-1].select(pl.col("_node").alias("_parent"), pl.col("path").alias("_above"))
            level = chosen.join(
                level.select(pl.col("_at").alias("_up"), pl.col("_node").alias("_parent")), on="_up"
            ).with_columns((pl.col("_parent").cast(pl.UInt64) * 2**32 + pl.col("_u")).alias("_pair"))
            if level.is_empty():
                break
            # a node per (parent node, unit): its path is its parent's, then its code
            here = (
                level.select("_pair", "_parent", "_u")
                .unique("_pair")
                .with_row_index("_node", offset=sum(m.height for m in made))
                .join(codes, on="_u")
                .join(above, on="_parent")
                .select(
                    "_pair", "_node", (pl.col("_above") + PATH_SEPARATOR + pl.col("ma_don_vi")).alias("path")
                )
            )
            level = level.join(here.select("_pair", "_node"), on="_pair")
        else:
            here = (
                level.select("_u")
                .unique()
                .with_row_index("_node")
                .join(codes, on="_u")
                .select("_u", "_node", pl.col("ma_don_vi").alias("path"))
            )
            level = level.join(here.select("_u", "_node"), on="_u")
        made.append(here.select("_node", "path"))
        placed.append(level.with_columns(pl.lit(depth, pl.Int32).alias("depth")).select(columns))
        level = level.select("_at", "_node")
    found = pl.concat(placed)
    paths = pl.concat(made)
    if paths.get_column("path").is_duplicated().any():  # a code holding PATH_SEPARATOR: one node per path
        same = paths.join(paths.group_by("path").agg(pl.col("_node").min().alias("_same")), on="path")
        found = found.join(same.select("_node", "_same"), on="_node").with_columns(
            pl.col("_same").alias("_node")
        )
        paths = same.filter(pl.col("_node") == pl.col("_same")).select("_node", "path")
    return found.select(columns), paths


def _runs(links: pl.DataFrame) -> pl.DataFrame:
    """(unit, year, path) as runs of consecutive years at one path: (unit, nam_from, nam_to, path)."""
    if links.is_empty():
        return pl.DataFrame(schema=LINK_SCHEMA)
    ordered = links.sort("ma_don_vi", "nam").with_columns(
        (
            (pl.col("path") != pl.col("path").shift(1).over("ma_don_vi"))
            | (pl.col("nam") != pl.col("nam").shift(1).over("ma_don_vi") + 1)
        )
        .fill_null(True)
        .cum_sum()
        .alias("_run")
    )
    return (
        ordered.group_by("ma_don_vi", "_run", "path")
        .agg(pl.col("nam").min().alias("nam_from"), pl.col("nam").max().alias("nam_to"))
        .select("ma_don_vi", pl.col("nam_from").cast(pl.Int32), pl.col("nam_to").cast(pl.Int32), "path")
        .sort("ma_don_vi", "nam_from")
    )


def final_units(rows: pl.DataFrame) -> pl.DataFrame:
    """(ma_don_vi, final): every unit and the end of its successor chain (itself if it has none);
    the successor is the one named on the unit's last row."""
    last = rows.sort("ma_don_vi", "hieu_luc_tu", nulls_last=False).group_by("ma_don_vi").last()
    next_of = dict(last.select("ma_don_vi", "ma_ke_thua").iter_rows())
    final: dict[str, str] = {}
    for code in next_of:
        seen, at = {code}, code
        while (step := next_of.get(at)) is not None and step in next_of and step not in seen:
            seen.add(step)
            at = step
        final[code] = at
    return pl.DataFrame(
        {"ma_don_vi": list(final), "final": list(final.values())},
        schema={"ma_don_vi": pl.String, "final": pl.String},
    )


def _current(
    rows: pl.DataFrame, unit: str | None, year_from: int, year_to: int
) -> tuple[pl.DataFrame, pl.DataFrame]:
    finals = final_units(rows)
    final_of = dict(finals.iter_rows())
    last = rows.sort("ma_don_vi", "hieu_luc_tu", nulls_last=False).group_by("ma_don_vi").last()
    # today's units: those that are their own end of chain, each with its last row, under today's
    # superior (the last superior followed along its own chain)
    today = last.filter(pl.col("ma_don_vi").is_in(list(set(final_of.values())))).with_columns(
        pl.col("ma_cap_tren").replace_strict(final_of, default=pl.col("ma_cap_tren")).alias("ma_cap_tren")
    )
    # active in a year when it or a predecessor was: the widest span of their rows
    spans = (
        rows.join(finals, on="ma_don_vi")
        .group_by("final")
        .agg(
            pl.col("hieu_luc_tu").dt.year().min().alias("first_year"),
            pl.when(pl.col("hieu_luc_den").is_null().any())
            .then(None)
            .otherwise(pl.col("hieu_luc_den").dt.year().max())
            .alias("last_year"),
        )
        .with_columns(pl.col("first_year").cast(pl.Int32), pl.col("last_year").cast(pl.Int32))
    )
    # ... a unit whose row has no start stays unbounded
    no_start = rows.join(finals, on="ma_don_vi").filter(pl.col("hieu_luc_tu").is_null()).get_column("final")
    spans = spans.with_columns(
        pl.when(pl.col("final").is_in(no_start.implode()))
        .then(None)
        .otherwise(pl.col("first_year"))
        .alias("first_year")
    )
    today = today.join(spans, left_on="ma_don_vi", right_on="final", how="left")
    scope_root = final_of.get(unit, unit) if unit is not None else None
    nodes = _paths(today.with_columns(pl.lit(0, pl.Int32).alias("_k")), scope_root, ["_k"])
    links = finals.join(nodes.select(pl.col("ma_don_vi").alias("final"), "path"), on="final").select(
        "ma_don_vi",
        pl.lit(vocab.YEAR_MIN, pl.Int32).alias("nam_from"),
        pl.lit(vocab.YEAR_MAX, pl.Int32).alias("nam_to"),
        "path",
    )
    return _finish(nodes, year_from, year_to), links.sort("ma_don_vi")


MOVED, MERGED = "moved", "merged"
CHANGE_SCHEMA = {
    "ma_don_vi": pl.String,
    "ten_don_vi": pl.String,
    "ngay": pl.Date,
    "thay_doi": pl.String,
    "ma_moi": pl.String,
}


def reorganised_between(
    cur: duckdb.DuckDBPyConnection,
    first: tuple[int, int],
    second: tuple[int, int],
    *,
    unit: str | None = None,
) -> pl.DataFrame:
    """The reorganisations within the scope between two periods (So sánh: A and B straddle one).

    A unit changed: it moved under another superior keeping its code (a row after its first whose
    superior differs from the row before: `thay_doi` MOVED on the new row's `Hiệu lực từ`, `ma_moi`
    the new superior), or it ended with a successor (MERGED on the day after `Hiệu lực đến`, `ma_moi`
    the successor). A change counts when it falls after 1 January of the earlier period's first year
    and by 31 December of the later period's last year (a change on the first day of the span leaves
    both periods on the same structure), and the unit was in the scope in some year of that span in
    either reading (as it was, or on today's structure: a predecessor of a unit in scope). One row
    per change, by date; none: both periods read the same in both readings."""
    lo, hi = min(first[0], second[0]), max(first[1], second[1])
    rows = cur.sql(f"select {', '.join(_ROW_COLUMNS)} from don_vi").pl()
    ordered = rows.sort("ma_don_vi", "hieu_luc_tu", nulls_last=False).with_columns(
        pl.col("ma_cap_tren").shift(1).over("ma_don_vi").alias("_before"),
        pl.int_range(pl.len()).over("ma_don_vi").alias("_row"),
    )
    moves = ordered.filter((pl.col("_row") > 0) & pl.col("ma_cap_tren").ne_missing(pl.col("_before"))).select(
        "ma_don_vi",
        "ten_don_vi",
        pl.col("hieu_luc_tu").alias("ngay"),
        pl.lit(MOVED).alias("thay_doi"),
        pl.col("ma_cap_tren").alias("ma_moi"),
    )
    merges = rows.filter(pl.col("ma_ke_thua").is_not_null() & pl.col("hieu_luc_den").is_not_null()).select(
        "ma_don_vi",
        "ten_don_vi",
        (pl.col("hieu_luc_den") + pl.duration(days=1)).alias("ngay"),
        pl.lit(MERGED).alias("thay_doi"),
        pl.col("ma_ke_thua").alias("ma_moi"),
    )
    changes = pl.concat([moves, merges]).cast(CHANGE_SCHEMA)
    start, end = pl.date(lo, 1, 1), pl.date(hi, 12, 31)
    changes = changes.filter((pl.col("ngay") > start) & (pl.col("ngay") <= end))
    if unit is not None and not changes.is_empty():
        in_scope: set[str] = set()
        for reading in READINGS:
            _, links = scope_units(cur, unit, lo, hi, reading)
            in_scope |= set(links.filter((pl.col("nam_to") >= lo) & (pl.col("nam_from") <= hi))["ma_don_vi"])
        changes = changes.filter(pl.col("ma_don_vi").is_in(sorted(in_scope)))
    return changes.sort("ngay", "ma_don_vi", "thay_doi")


PREDECESSOR, SUCCESSOR = "predecessor", "successor"
HISTORY_SCHEMA = {"quan_he": pl.String, "ma_don_vi": pl.String, "ten_don_vi": pl.String, "ngay": pl.Date}


def superior(cur: duckdb.DuckDBPyConnection, unit: str, year_to: int, reading: str = AS_WAS) -> str | None:
    """The unit's superior as a period ending in `year_to` shows it: as it was, the superior named
    by the row in force at the period's end (or the unit's last row before it ended); on today's
    structure, the superior of its latest row. None for a root or an unknown unit."""
    rows = named_sql.run_sql(cur, "unit_superiors", {"unit": unit})
    if reading == AS_WAS:
        end = date(year_to, 12, 31)
        in_force = rows.filter(pl.col("hieu_luc_tu").is_null() | (pl.col("hieu_luc_tu") <= end))
        rows = in_force if in_force.height else rows.head(1)
    return rows["ma_cap_tren"][-1] if rows.height else None


def unit_history(cur: duckdb.DuckDBPyConnection, unit: str | None = None) -> pl.DataFrame:
    """A unit's direct predecessors (the units that ended naming it as their successor) and its
    successor (named on its last row): quan_he PREDECESSOR or SUCCESSOR, the other unit's code and
    name (of its last row), and `ngay`, the day the successor took over. Predecessors by date."""
    if unit is None:
        return pl.DataFrame(schema=HISTORY_SCHEMA)
    rows = cur.sql(f"select {', '.join(_ROW_COLUMNS)} from don_vi").pl()
    last = rows.sort("ma_don_vi", "hieu_luc_tu", nulls_last=False).group_by("ma_don_vi").last()
    names = last.select("ma_don_vi", "ten_don_vi")
    took_over = (pl.col("hieu_luc_den") + pl.duration(days=1)).alias("ngay")
    before = last.filter(pl.col("ma_ke_thua") == unit).select(
        pl.lit(PREDECESSOR).alias("quan_he"), "ma_don_vi", "ten_don_vi", took_over
    )
    after = (
        last.filter((pl.col("ma_don_vi") == unit) & pl.col("ma_ke_thua").is_not_null())
        .select(pl.lit(SUCCESSOR).alias("quan_he"), pl.col("ma_ke_thua").alias("ma_don_vi"), took_over)
        .join(names, on="ma_don_vi", how="left")
        .select("quan_he", "ma_don_vi", "ten_don_vi", "ngay")
    )
    out = pl.concat([before.sort("ngay", "ma_don_vi"), after]).cast(HISTORY_SCHEMA)
    return out

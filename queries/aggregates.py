"""Aggregate tables behind the figures engine, rebuilt from the base tables by every import.

The figures of a scope at national scale would otherwise re-read millions of registrations per
request. `refresh(con)` rebuilds, from the base tables, in the importer's write transaction
(`sql/aggregates_refresh.sql`):

* `agg_unit`: every node of the unit tree numbered in tree order (`pos`), so a subtree is one run
  of positions pos..last_pos, with its depth, validity years, the years records can belong to it
  (node_from..node_to) and whether it is a top unit;
* `agg_link`: which node a unit's records of which years belong to;
* `agg_fact`: one narrow row per registration, category labels as small integers, sorted by unit:
  a scope's registrations are one contiguous, cheaply skipped-to run;
* `agg_unit_year`: per unit and year, sums over its subtree (combinations registered as a bit
  mask, conferences, attendance, awards) and its staff headcount;
* `agg_top`: per top unit (every root, any unit with a large subtree, and the virtual root -1
  standing for all roots), its subtree's registrations counted by year and category;
* `agg_award`: awards per unit, year, level, form, subject and status;
* `agg_meta` (schema migration 002): the version of this layout, whether the unit tree could be
  numbered (`tree_ok`), the import and the registration count they were built from, and a
  fingerprint of the tables the engine keeps in memory.

Both readings of DOMAIN.md 4a have their tables. The tree is queries/structure.py's, the one the
base tables' figures use, over every year: as it was (the tables above), a node is a unit at one
place, so a unit that moved keeping its code is a node per superior, each holding the records of
its own years; on today's structure (the same names + CURRENT_SUFFIX), a node is a unit of today's
structure holding its predecessors' records. Where today's structure changes nothing
(structure.has_history: no successor, one row per unit) those tables are empty and the engine
reads the as-was ones for both.

The figures engine uses the tables only when `agg_meta` says they match the database: the same
VERSION, tree_ok, built in the last import logged in nhat_ky_nhap (every import logs itself, so
a write by a program that skipped the rebuild shows) and from as many registrations as there are.
Otherwise it computes from the base tables, as before: a database built before migration 002 keeps
working and gets its tables on its next import.

An import rebuilds only what the tables it wrote feed (`refresh(touched=...)`): one that wrote no
units, unit sizes or registrations keeps agg_fact, agg_unit and agg_top (and the model numbering)
as the previous import built them, when agg_meta says they match; one that wrote no units or awards
keeps agg_award. The rest (the per unit-year sums, which every table feeds) is rebuilt every time.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection

import duckdb
import polars as pl

from queries import named_sql, structure, vocab

VERSION = 2  # 2: both readings (DOMAIN.md 4a), the tree from queries/structure.py
TOP_MIN_FACTS = 100_000  # a unit with at least this many registrations in its subtree gets agg_top rows
TABLES = ("agg_unit", "agg_unit_year", "agg_fact", "agg_top", "agg_award", "agg_link")
STAGE_TABLES = (
    "agg_stage_units",
    "agg_stage_links",
    "agg_stage_closure",
    "agg_stage_sizes",
    "agg_stage_reporting",
    "agg_stage_models",
    "agg_stage_headcounts",
    "agg_stage_unit_year",
)

_STATEMENT_END = re.compile(r";[ \t]*$", re.MULTILINE)
_MAKES = re.compile(r"create or replace (?:temp )?table (\w+)")


def parameters() -> dict[str, object]:
    """Every value the refresh statements bind."""
    return {
        "version": VERSION,
        "top_min_facts": TOP_MIN_FACTS,
        "fields": list(vocab.FIELDS),
        "subjects": list(vocab.SUBJECTS),
        "kinds": list(vocab.KINDS),
        "movements": list(vocab.MOVEMENTS),
        "results": list(vocab.RESULTS),
        "award_levels": list(vocab.AWARD_LEVELS),
        "award_forms": list(vocab.AWARD_FORMS),
        "award_statuses": list(vocab.AWARD_STATUSES),
        "collective": vocab.SUBJECT_COLLECTIVE,
        "individual": vocab.SUBJECT_INDIVIDUAL,
        "individual_index": vocab.SUBJECTS.index(vocab.SUBJECT_INDIVIDUAL),
        "commendation": vocab.CONFERENCE_COMMENDATION,
        "awarded": vocab.STATUS_AWARDED,
        "nominated": vocab.STATUS_NOMINATED,
    }


def combination_bit(field: str, subject: str, kind: str, movement: str) -> int:
    """The bit of a (field, subject, kind, movement) combination in agg_unit_year.reg_mask:
    f * 8 + s * 4 + k * 2 + m, with each label's position in its vocab tuple (the refresh SQL
    computes the same)."""
    return (
        vocab.FIELDS.index(field) * 8
        + vocab.SUBJECTS.index(subject) * 4
        + vocab.KINDS.index(kind) * 2
        + vocab.MOVEMENTS.index(movement)
    )


@functools.cache
def statements() -> tuple[tuple[str, str, frozenset[str]], ...]:
    """The refresh statements in order: (the table it makes, or '' for another statement; its
    text; the parameters it uses)."""
    out = []
    for text in _STATEMENT_END.split(named_sql.load_sql("aggregates_refresh")):
        code = named_sql.strip_comments(text).strip()
        if code:
            made = _MAKES.match(code)
            out.append((made.group(1) if made else "", text, named_sql.parameters_in(code)))
    return tuple(out)


# What each aggregate table is built from, among the base tables; a table kept by a refresh is
# one none of whose sources the import wrote. The temporary agg_stage_* tables are always made,
# but agg_stage_models, which only agg_fact uses: it is made when agg_fact is. The tables of the
# reading on today's structure (name + CURRENT_SUFFIX) have the same sources as the as-was ones;
# agg_link, a row or a few per unit, is always rebuilt.
SOURCES = {
    "agg_stage_models": frozenset({"don_vi", "quy_mo", "dang_ky"}),
    "agg_fact": frozenset({"don_vi", "quy_mo", "dang_ky"}),
    "agg_unit": frozenset({"don_vi", "quy_mo", "dang_ky"}),
    "agg_top": frozenset({"don_vi", "quy_mo", "dang_ky"}),
    "agg_award": frozenset({"don_vi", "khen_thuong"}),
}
CURRENT_SUFFIX = "_current"
_READING_TABLES = re.compile(r"\b(agg_unit_year|agg_unit|agg_fact|agg_top|agg_award|agg_link)\b")


def table_of(name: str, reading: str) -> str:
    """The name of an aggregate table (one of TABLES) in a reading (structure.READINGS)."""
    return name + CURRENT_SUFFIX if reading == structure.CURRENT else name


def for_reading(text: str, reading: str) -> str:
    """SQL over the as-was aggregate tables, rewritten over those of `reading`."""
    if reading != structure.CURRENT:
        return text
    return _READING_TABLES.sub(lambda m: m.group(1) + CURRENT_SUFFIX, text)


_PREVIOUS = """
select count(*) = 1 and coalesce(bool_and(
    version = $version and import_id is not distinct from $previous_import
    and n_dang_ky = (select count(*) from dang_ky)
), false), max(n_models)
from agg_meta
"""


def _kept(
    con: duckdb.DuckDBPyConnection, touched: Collection[str] | None, previous_import: int | None
) -> tuple[frozenset[str], int | None]:
    """The aggregate tables a refresh may keep as they are, and the model count they were built
    with: none unless the tables were built by the import before this one (`previous_import`)."""
    if touched is None:
        return frozenset(), None
    try:
        ((valid, n_models),) = con.execute(
            _PREVIOUS, {"version": VERSION, "previous_import": previous_import}
        ).fetchall()
    except duckdb.CatalogException:  # no agg_meta: a database from before migration 002
        return frozenset(), None
    if not valid:
        return frozenset(), None
    kept = frozenset(name for name, sources in SOURCES.items() if not sources & set(touched))
    return kept, n_models


_YEARS = """
select min(y), max(y) from (
    select year(hieu_luc_tu) as y from don_vi union all select year(hieu_luc_den) from don_vi
    union all select min(nam) from dang_ky union all select max(nam) from dang_ky
    union all select min(nam) from quy_mo union all select max(nam) from quy_mo
    union all select min(nam) from hoi_nghi union all select max(nam) from hoi_nghi
    union all select min(nam) from khen_thuong union all select max(nam) from khen_thuong
)
"""


def stage_tree(con: duckdb.DuckDBPyConnection, reading: str) -> bool:
    """Make agg_stage_units and agg_stage_links, the tree of a reading (queries/structure.py) over
    every year: one row per node (a unit at one place of the tree; a unit that moved keeping its
    code is a node per superior, as it was) numbered in path order, and which node each unit's
    records of each year belong to. A node's node_from..node_to are the years records can belong
    to it: the figures of a period list only the nodes of its years, as the base tables do.
    Returns whether every unit was placed (False: a cycle or a tree deeper than the guard)."""
    # the tree of every year is that of the years from one before the first date or record to one
    # after the last: before and after them no row starts or ends, the tree stays as it is there
    ((first, last),) = con.execute(_YEARS).fetchall()
    year_from = max(vocab.YEAR_MIN, first - 1) if first is not None else vocab.YEAR_MIN
    year_to = min(vocab.YEAR_MAX, last + 1) if last is not None else vocab.YEAR_MAX
    nodes, links = structure.scope_units(con, None, year_from, year_to, reading)
    links = links.with_columns(
        pl.when(pl.col("nam_from") <= year_from)
        .then(vocab.YEAR_MIN)
        .otherwise(pl.col("nam_from"))
        .cast(pl.Int32)
        .alias("nam_from"),
        pl.when(pl.col("nam_to") >= year_to)
        .then(vocab.YEAR_MAX)
        .otherwise(pl.col("nam_to"))
        .cast(pl.Int32)
        .alias("nam_to"),
    )
    nodes = nodes.sort("path").with_row_index("pos").with_columns(pl.col("pos").cast(pl.Int32))
    positions = nodes.select("path", "pos")
    links = links.join(positions, on="path").select("ma_don_vi", "nam_from", "nam_to", "pos")
    spans = links.group_by("pos").agg(
        pl.col("nam_from").min().alias("node_from"), pl.col("nam_to").max().alias("node_to")
    )
    # every ancestor-or-self of a node: the prefixes of its path
    pairs = (
        nodes.select("pos", pl.col("path").str.split(structure.PATH_SEPARATOR).alias("_parts"))
        .with_columns(pl.int_ranges(0, pl.col("_parts").list.len(), dtype=pl.Int32).alias("_k"))
        .explode("_k")
        .with_columns(
            pl.col("_parts").list.head(pl.col("_k") + 1).list.join(structure.PATH_SEPARATOR).alias("path")
        )
        .join(positions.rename({"pos": "anc_pos"}), on="path")
    )
    ancestors = pairs.sort("pos", "_k").group_by("pos").agg(pl.col("anc_pos").alias("anc"))
    subtrees = pairs.group_by("anc_pos").agg(
        pl.col("pos").max().alias("last_pos"), pl.len().cast(pl.Int32).alias("n_units")
    )
    staged = (
        nodes.join(ancestors, on="pos")
        .join(subtrees, left_on="pos", right_on="anc_pos")
        .join(spans, on="pos", how="left")
        .select(
            "pos",
            pl.col("last_pos").cast(pl.Int32),
            "n_units",
            pl.col("depth").cast(pl.Int32),
            "anc",
            *structure.NODE_COLUMNS,
            pl.col("first_year").cast(pl.Int32),
            pl.col("last_year").cast(pl.Int32),
            pl.col("node_from").fill_null(vocab.YEAR_MIN).cast(pl.Int32),
            pl.col("node_to").fill_null(vocab.YEAR_MAX).cast(pl.Int32),
        )
        .sort("pos")
    )
    for name, frame in (("agg_stage_units", staged), ("agg_stage_links", links)):
        con.register("agg_stage_frame", frame.to_arrow())
        try:
            con.execute(
                f"create or replace temp table {name} as select * from agg_stage_frame"
            )  # names above
        finally:
            con.unregister("agg_stage_frame")
    ((units, placed),) = con.execute(
        "select (select count(distinct ma_don_vi) from don_vi),"
        " (select count(distinct ma_don_vi) from agg_stage_links)"
    ).fetchall()
    return bool(units == placed)


def refresh(
    con: duckdb.DuckDBPyConnection,
    *,
    exact_models: bool | None = None,
    touched: Collection[str] | None = None,
    previous_import: int | None = None,
) -> None:
    """Rebuild the aggregate tables from the base tables, on a connection that may write.

    Meant for the end of a `store.write_transaction` block (the importer calls it): the tables are
    swapped in with the data they were built from, or not at all. Model codes are told apart by
    their hashes unless two codes share one (or `exact_models`), then by the codes themselves.
    `touched`: the base tables this write changed (None: any); the aggregate tables built only from
    others are kept, when agg_meta says the import `previous_import` (the last one logged before
    this write) built them (SOURCES). Every table then holds what a whole rebuild would give.

    Both readings of DOMAIN.md 4a get their tables: the as-was tree in TABLES, today's structure
    in the same names + CURRENT_SUFFIX; where today's structure changes nothing (no successor, one
    row per unit: structure.has_history) the latter are empty and the engine reads the former.
    """
    kept, n_models = _kept(con, touched, previous_import)
    values = {**parameters(), "exact_models": bool(exact_models), "n_models": n_models}
    tree_ok = True
    try:
        for reading in structure.READINGS:
            if reading == structure.CURRENT and not structure.has_history(con, structure.CURRENT):
                for name in TABLES:
                    con.execute(  # names from this module
                        f"create or replace table {table_of(name, reading)} as select * from {name} limit 0"
                    )
                continue
            tree_ok = stage_tree(con, reading) and tree_ok
            for table, text, names in statements():
                if table in kept or (reading == structure.CURRENT and table == "agg_stage_models"):
                    continue  # kept, or made by the first reading's pass
                con.execute(for_reading(text, reading), {name: values[name] for name in names})
                if table == "agg_stage_models":
                    if exact_models is None:
                        query = "select coalesce(bool_or(collided), false) from agg_stage_models"
                        values["exact_models"] = con.execute(query).fetchall()[0][0]
                    if values["exact_models"]:
                        named_sql.execute(con, "aggregates_models_exact")
                    values["n_models"] = con.execute("select count(*) from agg_stage_models").fetchall()[0][0]
        meta = {"version": VERSION, "n_models": values["n_models"], "tree_ok": tree_ok}
        for text in _STATEMENT_END.split(named_sql.load_sql("aggregates_meta")):
            code = named_sql.strip_comments(text).strip()
            if code:
                con.execute(text, {name: meta[name] for name in named_sql.parameters_in(code)})
    finally:
        for table in STAGE_TABLES:
            con.execute(f"drop table if exists temp.main.{table}")  # names from this module

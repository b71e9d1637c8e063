"""Aggregate tables behind the figures engine, rebuilt from the base tables by every import.

The figures of a scope at national scale would otherwise re-read millions of registrations per
request. `refresh(con)` rebuilds, from the base tables, in the importer's write transaction
(`sql/aggregates_refresh.sql`):

* `agg_unit`: every unit numbered in tree order (`pos`), so a subtree is one run of positions
  pos..last_pos, with its depth, validity years and whether it is a top unit;
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

from queries import named_sql, vocab

VERSION = 1
TOP_MIN_FACTS = 100_000  # a unit with at least this many registrations in its subtree gets agg_top rows
TABLES = ("agg_unit", "agg_unit_year", "agg_fact", "agg_top", "agg_award")
STAGE_TABLES = (
    "agg_stage_units",
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
# but agg_stage_models, which only agg_fact uses: it is made when agg_fact is.
SOURCES = {
    "agg_stage_models": frozenset({"don_vi", "quy_mo", "dang_ky"}),
    "agg_fact": frozenset({"don_vi", "quy_mo", "dang_ky"}),
    "agg_unit": frozenset({"don_vi", "quy_mo", "dang_ky"}),
    "agg_top": frozenset({"don_vi", "quy_mo", "dang_ky"}),
    "agg_award": frozenset({"don_vi", "khen_thuong"}),
}

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
    """
    kept, n_models = _kept(con, touched, previous_import)
    values = {**parameters(), "exact_models": bool(exact_models), "n_models": n_models}
    try:
        for table, text, names in statements():
            if table in kept:
                continue
            con.execute(text, {name: values[name] for name in names})
            if table == "agg_stage_models":
                if exact_models is None:
                    query = "select coalesce(bool_or(collided), false) from agg_stage_models"
                    values["exact_models"] = con.execute(query).fetchall()[0][0]
                if values["exact_models"]:
                    named_sql.execute(con, "aggregates_models_exact")
                values["n_models"] = con.execute("select count(*) from agg_stage_models").fetchall()[0][0]
    finally:
        for table in STAGE_TABLES:
            con.execute(f"drop table if exists temp.main.{table}")  # names from this module

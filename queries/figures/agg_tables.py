"""The aggregate tables (queries/aggregates.py) of one database content, held in memory.

They are read once per content (agg_meta.fingerprint) into arrays ordered by unit position, so
that a scope is a run of rows; a request (aggregate.AggregateSource) then only slices, masks and
counts them (numpy), and builds its small frames at the end. agg_fact, the largest, is read on
first use.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypedDict

import duckdb
import numpy as np
import polars as pl

from queries import aggregates, named_sql, store, structure, vocab
from queries.figures.filters import Filters, UnknownUnitError
from queries.named_sql import Cursor


def ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The indices starts[i] .. starts[i] + lengths[i] - 1 of every i, in order."""
    ends = np.cumsum(lengths)
    return np.repeat(starts - ends + lengths, lengths) + np.arange(ends[-1] if len(ends) else 0)


@dataclass(frozen=True)
class ByPosition:
    """Columns of rows ordered by unit position (-1, the virtual root, first): the rows of the
    positions a..b are starts[a + 1]:starts[b + 2]."""

    starts: np.ndarray
    columns: dict[str, np.ndarray]

    @staticmethod
    def of(columns: dict[str, np.ndarray], n_units: int) -> ByPosition:
        pos = np.asarray(columns.pop("pos"), dtype=np.int64)
        if np.any(pos[1:] < pos[:-1]):
            order = np.argsort(pos, kind="stable")
            pos, columns = pos[order], {name: values[order] for name, values in columns.items()}
        return ByPosition(np.searchsorted(pos, np.arange(-1, n_units + 1), "left"), columns)

    def span(self, a: int, b: int) -> slice:
        """The rows of positions a..b."""
        return slice(self.starts[a + 1], self.starts[b + 2])

    def rows_of(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The rows of these positions, and for each row the index of its position."""
        lengths = self.starts[positions + 2] - self.starts[positions + 1]
        return ranges(self.starts[positions + 1], lengths), np.repeat(np.arange(len(positions)), lengths)


_LOAD_PARAMETERS = {
    "n_results": len(vocab.RESULTS),
    "n_forms": len(vocab.AWARD_FORMS),
    "n_subjects": len(vocab.SUBJECTS),
    "n_statuses": len(vocab.AWARD_STATUSES),
}


def _execute(cur: Cursor, name: str, params: Mapping[str, object], reading: str) -> Cursor:
    """A named query over the aggregate tables of a reading (aggregates.for_reading)."""
    text = aggregates.for_reading(named_sql.load_sql(name), reading)
    return cur.execute(text, named_sql.bound(name, params))


def _load(cur: Cursor, name: str, n_units: int, reading: str) -> ByPosition:
    rows = _execute(cur, name, _LOAD_PARAMETERS, reading).fetchnumpy()
    return ByPosition.of(dict(rows), n_units)


class _Loaded(TypedDict, total=False):
    """What AggTables reads on first use."""

    facts: ByPosition
    model_first_year: np.ndarray  # by model number (0: none)
    models_by_year: dict[tuple[int, int], tuple[int, np.ndarray]]  # see AggTables.models_by_year


MODEL_FILTERS_KEPT = 8  # the filters AggTables.models_by_year keeps its answer for (4 MB each at 10M)


@dataclass(frozen=True)
class AggTables:
    """The aggregate tables of one database content, in memory (see above); agg_fact's copy is
    read on first use."""

    reading: str  # structure.READINGS: the tree these tables are numbered in
    units: pl.DataFrame  # agg_unit; row i is position i
    positions: dict[str, int]  # unit code -> the position of its scope (-1: several, see find_scope)
    depth: np.ndarray  # by position
    node_from: np.ndarray  # by position: the years records can belong to the node (agg_unit)
    node_to: np.ndarray
    last_pos: np.ndarray
    is_top: np.ndarray
    n_roots: int
    n_models: int
    unit_years: ByPosition  # agg_unit_year: subtree sums per unit and year
    tops: ByPosition  # agg_top: the top units' subtrees per year and cell
    awards: ByPosition  # agg_award: awards per unit, year and (level, form, subject, status)
    grassroots: UnitYears  # the grassroots units' subtree registrations and conferences per year
    branches: UnitYears  # the chi bộ's subtree registrations per year
    _loaded: _Loaded = field(default_factory=_Loaded)

    @staticmethod
    def load(cur: Cursor, n_models: int, reading: str = structure.AS_WAS) -> AggTables:
        text = aggregates.for_reading(named_sql.load_sql("agg_load_units"), reading)
        units = (
            cur.sql(text)
            .pl()
            .with_columns(
                pl.col("pos", "last_pos", "depth", "first_year", "last_year", "node_from", "node_to").cast(
                    pl.Int32
                ),
                # a unit's code as a number: a unit at several places counts once (aggregate.py)
                pl.col("ma_don_vi").rank("dense").cast(pl.Int64).alias("code"),
            )
        )
        n = units.height
        unit_years = _load(cur, "agg_load_unit_years", n, reading)
        links = _execute(cur, "agg_load_links", {}, reading).fetchall()
        return AggTables(
            reading=reading,
            units=units,
            positions={code: pos if n_nodes == 1 else -1 for code, pos, n_nodes in links},
            depth=units["depth"].to_numpy(),
            node_from=units["node_from"].to_numpy().astype(np.int64),
            node_to=units["node_to"].to_numpy().astype(np.int64),
            last_pos=units["last_pos"].to_numpy().astype(np.int64),
            is_top=units["is_top"].to_numpy(),
            n_roots=int((units["depth"] == 0).sum()),
            n_models=n_models,
            unit_years=unit_years,
            tops=_load(cur, "agg_load_tops", n, reading),
            awards=_load(cur, "agg_load_awards", n, reading),
            grassroots=UnitYears.of(units.filter(pl.col("cap").is_in(vocab.GRASSROOTS_LEVELS)), unit_years),
            branches=UnitYears.of(units.filter(pl.col("cap").is_in(vocab.BRANCH_LEVELS)), unit_years),
        )

    def facts(self, cur: Cursor) -> ByPosition:
        """agg_fact: every registration's year, cell, model, staff_depth and score (first use reads it)."""
        with AGG_LOCK:
            if "facts" not in self._loaded:
                facts = _load(cur, "agg_load_facts", self.units.height, self.reading)
                c = facts.columns
                c["nam"], c["cell"] = c["nam"].astype(np.int16), c["cell"].astype(np.uint16)
                c["staff_depth"], c["model"] = c["staff_depth"].astype(np.int8), c["model"].astype(np.int32)
                first_year = np.full(self.n_models + 1, vocab.YEAR_MAX + 1, dtype=np.int16)
                first_year[c["model"]] = c.pop("model_first_year")
                self._loaded["facts"] = facts
                self._loaded["model_first_year"] = first_year  # by model number (0: none)
            return self._loaded["facts"]

    def model_first_year(self, cur: Cursor) -> np.ndarray:
        """Each model's first year in the database, by model number (0: none; read with agg_fact)."""
        self.facts(cur)
        return self._loaded["model_first_year"]

    def models_by_year(self, cur: Cursor, cell_mask: int, cell_value: int) -> tuple[int, np.ndarray]:
        """Every registration's models under a filter of cells (aggregate.py: cell & cell_mask ==
        cell_value), per year: (the first year, bits packed by model number [year, model // 8]).
        Worked out in one pass over agg_fact on first use per filter; the last MODEL_FILTERS_KEPT
        filters kept. The models of every root's scope in any period are then a few OR's."""
        with AGG_LOCK:
            kept = self._loaded.setdefault("models_by_year", {})
            key = (cell_mask, cell_value)
            found = kept.pop(key, None)
            if found is None:
                c = self.facts(cur).columns
                nam, model = c["nam"], c["model"]
                keep = model > 0
                if cell_mask:
                    keep &= (c["cell"] & cell_mask) == cell_value
                first = int(nam.min()) if len(nam) else 0
                years = np.zeros(
                    (int(nam.max()) - first + 1 if len(nam) else 0, self.n_models + 1), dtype=bool
                )
                years[nam[keep] - first, model[keep]] = True
                found = (first, np.packbits(years, axis=1))
            kept[key] = found  # the most recently used last
            while len(kept) > MODEL_FILTERS_KEPT:
                del kept[next(iter(kept))]
            return found


@dataclass(frozen=True)
class UnitYears:
    """Some units (by position) with their validity years and, per year of the data, the subtree's
    registered combinations (agg_unit_year.reg_mask) and whether a commendation conference was held."""

    pos: np.ndarray  # sorted
    code: np.ndarray  # the unit's code as a number (AggTables.units' "code")
    node_from: np.ndarray  # the years records can belong to the node
    node_to: np.ndarray
    first_year: np.ndarray  # YEAR_MIN - 1 when unbounded
    last_year: np.ndarray  # YEAR_MAX + 1 when unbounded
    years: np.ndarray  # the years of the columns below, sorted
    masks: np.ndarray  # [unit, year]
    commendation: np.ndarray  # bool [unit, year]
    several: np.ndarray  # whether the unit's code is at several positions (as it was: it moved keeping it)

    @staticmethod
    def of(units: pl.DataFrame, unit_years: ByPosition) -> UnitYears:
        pos = units["pos"].to_numpy().astype(np.int64)
        rows, owner = unit_years.rows_of(pos)
        nam = unit_years.columns["nam"][rows]
        years = np.unique(nam).astype(np.int64)
        masks = np.zeros((len(pos), len(years)), dtype=np.int64)
        commendation = np.zeros((len(pos), len(years)), dtype=bool)
        column = np.searchsorted(years, nam)
        masks[owner, column] = unit_years.columns["reg_mask"][rows]
        commendation[owner, column] = unit_years.columns["n_commendation"][rows] > 0
        code = units["code"].to_numpy().astype(np.int64)
        return UnitYears(
            pos=pos,
            code=code,
            node_from=units["node_from"].to_numpy().astype(np.int64),
            node_to=units["node_to"].to_numpy().astype(np.int64),
            first_year=units["first_year"].fill_null(vocab.YEAR_MIN - 1).to_numpy().astype(np.int64),
            last_year=units["last_year"].fill_null(vocab.YEAR_MAX + 1).to_numpy().astype(np.int64),
            years=years,
            masks=masks,
            commendation=commendation,
            several=np.bincount(code, minlength=int(code.max(initial=0)) + 1)[code] > 1,
        )

    def between(self, lo: int, hi: int) -> UnitYears:
        """The units at positions lo..hi."""
        a, b = np.searchsorted(self.pos, lo, "left"), np.searchsorted(self.pos, hi, "right")
        return UnitYears(
            self.pos[a:b],
            self.code[a:b],
            self.node_from[a:b],
            self.node_to[a:b],
            self.first_year[a:b],
            self.last_year[a:b],
            self.years,
            self.masks[a:b],
            self.commendation[a:b],
            self.several[a:b],
        )

    def placed(self, y0: int, y1: int) -> np.ndarray:
        """Which nodes records of y0..y1 can belong to (those the base tables list for the period)."""
        return (self.node_from <= y1) & (self.node_to >= y0)

    def active(self, y0: int, y1: int) -> np.ndarray:
        """Which units were active at some time in y0..y1."""
        return (self.first_year <= y1) & (self.last_year >= y0)

    def columns(self, y0: int, y1: int) -> slice:
        """The columns of the years y0..y1."""
        return slice(np.searchsorted(self.years, y0, "left"), np.searchsorted(self.years, y1, "right"))

    def any_registered(self, y0: int, y1: int, mask: int) -> np.ndarray:
        """Which units' subtrees registered one of the combinations in `mask` in y0..y1."""
        return ((self.masks[:, self.columns(y0, y1)] & mask) != 0).any(axis=1)

    def any_commendation(self, y0: int, y1: int) -> np.ndarray:
        return np.any(self.commendation[:, self.columns(y0, y1)], axis=1)

    def active_in(self, years: list[int]) -> np.ndarray:
        """Which units were active in each of these years: bool [unit, year]."""
        at = np.asarray(years, dtype=np.int64)
        return (self.first_year[:, None] <= at) & (self.last_year[:, None] >= at)

    def registered_in(self, years: list[int], mask: int) -> np.ndarray:
        """Which units' subtrees registered one of the combinations in `mask` in each of these
        years: bool [unit, year]."""
        at = np.asarray(years, dtype=np.int64)
        if not len(self.years):
            return np.zeros((len(self.pos), len(at)), dtype=bool)
        column = np.minimum(np.searchsorted(self.years, at), len(self.years) - 1)
        return ((self.masks[:, column] & mask) != 0) & (self.years[column] == at)


# by agg_meta.fingerprint and reading, most recently used last
_AGG_CACHE: dict[tuple[int, str], AggTables] = {}
_AGG_CACHE_SIZE = 4  # two databases, both readings
AGG_LOCK = threading.RLock()


def loaded_count() -> int:
    """How many databases' aggregate tables this process holds in memory."""
    with AGG_LOCK:
        return len({fingerprint for fingerprint, _ in _AGG_CACHE})


def forget_loaded() -> None:
    """Drop the aggregate tables held in memory (the next request reads them again)."""
    with AGG_LOCK:
        _AGG_CACHE.clear()


_SAME_TREE = "select count(*) = 0 from agg_unit_current"


def aggregate_tables(cur: Cursor, reading: str = structure.AS_WAS) -> AggTables | None:
    """The in-memory aggregate tables of the cursor's database in a reading (structure.READINGS);
    None when it has none usable (missing, stale, of another layout: the figures then come from
    the base tables). Where today's structure changes nothing its tables are empty (aggregates.py)
    and both readings share the as-was tables."""
    memo = store.snapshot_memo(cur)
    if memo is not None and "agg_status" in memo:  # a read-only snapshot: asked once per connection
        rows = memo["agg_status"]
    else:
        try:
            rows = cur.execute(named_sql.load_sql("agg_status")).fetchall()
        except duckdb.Error:  # a database from before migration 002
            rows = []
        if memo is not None:
            memo["agg_status"] = rows
    if not rows:
        return None
    version, tree_ok, same_import, same_registrations, n_models, fingerprint = rows[0]
    if not (version == aggregates.VERSION and tree_ok and same_import and same_registrations):
        return None
    with AGG_LOCK:
        if reading == structure.CURRENT and (fingerprint, reading) not in _AGG_CACHE:
            if cur.execute(_SAME_TREE).fetchall()[0][0]:
                reading = structure.AS_WAS
        key = (fingerprint, reading)
        tables = _AGG_CACHE.pop(key, None)
        if tables is None:
            tables = AggTables.load(cur, n_models, reading)
        _AGG_CACHE[key] = tables
        while len(_AGG_CACHE) > _AGG_CACHE_SIZE:
            del _AGG_CACHE[next(iter(_AGG_CACHE))]
    return tables


@dataclass(frozen=True)
class AggScope:
    """Where a scope lies in the aggregate tables: the positions lo..hi."""

    lo: int
    hi: int
    depth: int  # depth of the scope's root(s) in the whole tree
    all_roots: bool  # no unit: every root (the virtual root -1 sums them)
    n_roots: int  # the roots of the period (a root of other years only is not listed)
    is_top: bool  # agg_top sums the scope's subtree (always for every root together)
    name: str | None


def find_scope(tables: AggTables, f: Filters) -> AggScope | None:
    """The scope's positions; raises UnknownUnitError for an unknown unit. None: the base tables
    answer (no units; a unit at several places of the tree as it was: it moved keeping its code,
    and its scope joins its subtrees of each place)."""
    if tables.units.is_empty():
        return None  # nothing to aggregate: the base tables answer as fast
    if f.unit is None:
        placed = (tables.node_from <= f.year_to) & (tables.node_to >= f.year_from)
        n_roots = int(((tables.depth == 0) & placed).sum())
        return AggScope(0, tables.units.height - 1, 0, True, n_roots, True, None)
    pos = tables.positions.get(f.unit)
    if pos is None:
        raise UnknownUnitError(f.unit)
    if pos < 0:
        return None
    row = tables.units.row(pos, named=True)
    return AggScope(pos, row["last_pos"], row["depth"], False, 1, row["is_top"], row["ten_don_vi"])

"""Where a request's figures come from: the Source protocol, its two implementations, and the switch.

A *source* answers one request (a cursor and Filters): the scope's units, and the counts every
figure is computed from. Two implement it and give the same answers (tests/test_aggregates.py):

* `base.BaseSource`: the base tables (dang_ky, don_vi, quy_mo, hoi_nghi, khen_thuong) through
  named SQL; always available;
* `aggregate.AggregateSource`: the aggregate tables (queries/aggregates.py) held in memory; used
  when agg_meta says they match the data, in either reading of DOMAIN.md 4a (each has its tables).

`open_source` picks one: the aggregate tables when they are usable, else the base tables, unless
`use_source` says otherwise. The units of a scope are loaded in one place per source
(`base.open_base`: sql/scope_units.sql; `agg_tables.AggTables.load`: sql/agg_load_units.sql).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Literal, Protocol

import polars as pl

from queries import periods
from queries import structure as unit_structure
from queries.figures import agg_tables
from queries.figures.aggregate import AggregateSource
from queries.figures.base import open_base
from queries.figures.filters import FiguresError, Filters
from queries.named_sql import Cursor

SourceName = Literal["auto", "aggregates", "base"]
SOURCE_NAMES: tuple[SourceName, ...] = ("auto", "aggregates", "base")


class Source(Protocol):
    """One request's data: what every figure function asks of a source (see the module docstring).

    Frames are keyed by `unit_idx`, a unit's position in the scope in tree order (frames.UNIT_ID).
    """

    @property
    def cur(self) -> Cursor: ...

    @property
    def f(self) -> Filters:
        """The request's filters."""
        ...

    @property
    def reported(self) -> frozenset[int]:
        """The years with data (periods.reported_years)."""
        ...

    @property
    def units(self) -> pl.DataFrame:
        """The scope's units in tree order: unit_idx, ma_don_vi, ten_don_vi, ma_cap_tren, cap,
        depth (0 at the scope's root(s)), is_active (in the period), hieu_luc_tu, hieu_luc_den,
        first_year, last_year."""
        ...

    @property
    def cube(self) -> pl.DataFrame:
        """Registrations per year and label: nam, doi_tuong, linh_vuc, loai, phong_trao, ket_qua,
        n_registrations, n_scored, sum_score."""
        ...

    @property
    def unit_name(self) -> str | None:
        """The scope unit's name (None for every root)."""
        ...

    @property
    def child_depth(self) -> int:
        """Depth of the scope's children: 1 below a single root; 0 (the roots) when there are several."""
        ...

    def children(self) -> pl.DataFrame:
        """The child units of the scope, in tree order (columns as `units`)."""
        ...

    def unit_counts(self, per: str, by_year: bool) -> pl.DataFrame:
        """The counts behind the unit-based figures per (group, window): per 'scope' (one group) or
        'child' (one group per child unit, its unit_idx); a window per year or one for the period."""
        ...

    def award_counts(self) -> pl.DataFrame:
        """Awards and nominations: nam, cap_khen_thuong, hinh_thuc, doi_tuong, trang_thai, n_awards."""
        ...

    def model_counts(self, by_year: bool) -> pl.DataFrame:
        """[nam,] n_models, n_models_carried_over."""
        ...

    def score_counts(self, bin_width: float) -> pl.DataFrame:
        """bin_index, n_registrations, n_recognised."""
        ...

    def own_registrations(self, collective_and_recognised: bool = True) -> pl.DataFrame:
        """Per unit_idx, the unit's own rows: registrations[, collective, individual, recognised]."""
        ...

    def sibling(self, f: Filters) -> Source | None:
        """A source for other filters on the same cursor that shares what this one has loaded, or
        None when the other request must be opened on its own (open_source)."""
        ...


class _Choice:
    """The source `use_source` asked for (process-wide)."""

    name: SourceName = "auto"


@contextlib.contextmanager
def use_source(name: SourceName) -> Iterator[None]:
    """Inside the block, figures come from this source: 'base' (the base tables), 'aggregates' (the
    aggregate tables; FiguresError where they are not usable) or 'auto' (the default: the aggregate
    tables when they match the data, else the base tables).

    The choice holds for the whole process while the block runs: it is meant for tests and
    benchmarks that compare the two sources, not for a server's concurrent requests.
    """
    if name not in SOURCE_NAMES:
        raise FiguresError(f"source must be one of {', '.join(SOURCE_NAMES)}; got {name!r}")
    previous, _Choice.name = _Choice.name, name
    try:
        yield
    finally:
        _Choice.name = previous


def _usable_tables(cur: Cursor, reading: str = unit_structure.AS_WAS) -> agg_tables.AggTables | None:
    """The aggregate tables to answer from in a reading, under the current choice (None: the base
    tables)."""
    if _Choice.name == "base":
        return None
    tables = agg_tables.aggregate_tables(cur, reading)
    if tables is None and _Choice.name == "aggregates":
        raise FiguresError("the aggregate tables are missing or do not match the data")
    return tables


def answers_from(cur: Cursor, reading: str = unit_structure.AS_WAS) -> Literal["aggregates", "base"]:
    """Which tables the figures of this cursor's database come from now (in a reading)."""
    return "base" if _usable_tables(cur, reading) is None else "aggregates"


@contextlib.contextmanager
def open_source(cur: Cursor, f: Filters) -> Iterator[Source]:
    """The request's source: the aggregate tables of the request's reading when they are usable
    (see use_source), else the base tables, with the scope resolved once. Both readings have their
    aggregate tables (aggregates.py); a scope on a unit that sits at several places of the tree as
    it was (it moved keeping its code) is answered from the base tables (agg_tables.find_scope)."""
    reported = periods.reported_years(cur)
    tables = _usable_tables(cur, f.structure)
    scope = agg_tables.find_scope(tables, f) if tables is not None else None
    if tables is not None and scope is not None:
        yield AggregateSource(cur, f, tables, scope, reported)
        return
    with open_base(cur, f, reported) as base:
        yield base


def loaded_aggregates() -> int:
    """How many databases' aggregate tables this process holds in memory."""
    return agg_tables.loaded_count()


def forget_aggregates() -> None:
    """Drop the aggregate tables held in memory (the next request reads them again)."""
    agg_tables.forget_loaded()

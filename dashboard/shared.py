"""Data access for the pages: one read-only snapshot per process, every data call cached.

Cache keys are small: the database path, the snapshot stamp (so an import shows up without a
restart) and the filter values. Pages never open connections or run SQL themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import streamlit as st

from queries import figures, pages_data
from queries.figures import Filters
from queries.store import Snapshot, resolve_db_path


def db_path() -> Path:
    """The database the dashboard reads ($DVK_DB or data/dvk.duckdb)."""
    return resolve_db_path()


def db_exists() -> bool:
    """Whether the database file is there (otherwise the app shows its getting-started page)."""
    return db_path().exists()


@st.cache_resource(show_spinner=False)
def _snapshot(path: str) -> Snapshot:
    # One read-only connection per process; Snapshot reopens it when an import swaps the file.
    return Snapshot(path)


def snapshot() -> Snapshot:
    """The process's snapshot of the current database."""
    return _snapshot(str(db_path()))


def stamp() -> tuple[int, int]:
    """The version of the database file on disk: part of every cache key."""
    return snapshot().stamp


@st.cache_data(show_spinner=False, max_entries=2000)
def _query(module: str, name: str, path: str, version: tuple[int, int], args: tuple, kwargs: tuple) -> Any:
    # `path` and `version` are cache keys only: the snapshot follows the file by itself.
    target = figures if module == "figures" else pages_data
    cur = _snapshot(path).cursor()
    try:
        return getattr(target, name)(cur, *args, **dict(kwargs))
    finally:
        cur.close()


def _call(module: str, name: str, *args: Any, **kwargs: Any) -> Any:
    return _query(module, name, str(db_path()), stamp(), args, tuple(sorted(kwargs.items())))


# --- look-ups for the filters ------------------------------------------------------------------


def unit_outline() -> pl.DataFrame:
    """Every unit in hierarchy order with its depth."""
    return _call("pages_data", "unit_outline")


def year_span() -> tuple[int, int] | None:
    """First and last year in the data."""
    return _call("pages_data", "year_span")


def unit_names() -> dict[str, str]:
    """Unit code -> unit name."""
    outline = unit_outline()
    return dict(zip(outline["ma_don_vi"].to_list(), outline["ten_don_vi"].to_list(), strict=True))


# --- figures -----------------------------------------------------------------------------------


def summary(f: Filters) -> dict:
    """Headline figures of the scope and period."""
    return _call("figures", "summary", f)


def trend(f: Filters) -> pl.DataFrame:
    """Every figure per year."""
    return _call("figures", "trend", f)


def by_unit(f: Filters) -> pl.DataFrame:
    """Figures per child unit of the scope."""
    return _call("figures", "by_unit", f)


def compare(a: Filters, b: Filters, lang: str) -> pl.DataFrame:
    """Every figure for periods A and B."""
    return _call("figures", "compare", a, b, lang=lang)


def breakdown(f: Filters, by: str) -> pl.DataFrame:
    """Registrations counted by one dimension."""
    return _call("figures", "breakdown", f, by)


def awards_breakdown(f: Filters) -> pl.DataFrame:
    """Awards and nominations by year, level, form, subject and status."""
    return _call("figures", "awards_breakdown", f)


def compliance_matrix(f: Filters, per: str = "branch") -> pl.DataFrame:
    """Target compliance per chi bộ (or child unit) and year."""
    return _call("figures", "compliance_matrix", f, per=per)


def score_distribution(f: Filters) -> pl.DataFrame:
    """Histogram of scores."""
    return _call("figures", "score_distribution", f)


def unit_tree(f: Filters) -> pl.DataFrame:
    """Units of the scope with their parents."""
    return _call("figures", "unit_tree", f)


def records(f: Filters, table: str, limit: int, offset: int) -> pl.DataFrame:
    """One page of filtered records."""
    return _call("figures", "records", f, table, limit, offset)


def count_records(f: Filters, table: str) -> int:
    """Number of filtered records."""
    return _call("figures", "count_records", f, table)


def all_records_loader(f: Filters, table: str) -> Callable[[], pl.DataFrame]:
    """A function that reads every filtered record of a table: a download builds it on click.

    It holds the snapshot itself, so it runs outside the script thread (no Streamlit calls).
    """
    snap = snapshot()

    def load() -> pl.DataFrame:
        cur = snap.cursor()
        try:
            return figures.records(cur, f, table)
        finally:
            cur.close()

    return load

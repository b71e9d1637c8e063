"""The figures engine (DOMAIN.md section 4): scope, period, filters -> figures as Polars frames.

Work in progress: the API below is fixed; bodies are being filled in.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl


@dataclass(frozen=True)
class Filters:
    """What a figure is computed over: an inclusive period of years, a scope unit and optional filters.

    `unit=None` means the root (all roots when there are several). `field`, `subject`, `movement`
    and `kind` take the canonical labels of `queries.vocab` (FIELDS, SUBJECTS, MOVEMENTS, KINDS).
    """

    year_from: int
    year_to: int
    unit: str | None = None
    field: str | None = None
    subject: str | None = None
    movement: str | None = None
    kind: str | None = None


Cursor = duckdb.DuckDBPyConnection


def summary(cur: Cursor, f: Filters) -> dict:
    """The headline figures of one scope and period as a JSON-ready dict."""
    raise NotImplementedError


def trend(cur: Cursor, f: Filters) -> pl.DataFrame:
    """One row per year of the period: every figure, plus <fig>_change and <fig>_change_pct."""
    raise NotImplementedError


def by_unit(cur: Cursor, f: Filters) -> pl.DataFrame:
    """One row per child unit of the scope, each child's subtree aggregated."""
    raise NotImplementedError


def compare(cur: Cursor, a: Filters, b: Filters, lang: str = "vi") -> pl.DataFrame:
    """Every figure for periods A and B: figure, label, a, b, change (= b - a), change_pct."""
    raise NotImplementedError


def breakdown(cur: Cursor, f: Filters, by: str) -> pl.DataFrame:
    """Registrations counted by one of doi_tuong/linh_vuc/loai/phong_trao/ket_qua/ma_don_vi, zero-filled."""
    raise NotImplementedError


def awards_breakdown(cur: Cursor, f: Filters) -> pl.DataFrame:
    """Awards and nominations counted by year, level, form, subject and status."""
    raise NotImplementedError


def compliance_matrix(cur: Cursor, f: Filters, per: str = "branch") -> pl.DataFrame:
    """Target compliance (>= 1 DVK and >= 1 QCDC registration) per chi bộ (or child unit) and year."""
    raise NotImplementedError


def score_distribution(cur: Cursor, f: Filters, bin_width: float = 5.0) -> pl.DataFrame:
    """Histogram of registration scores (diem) in bins of `bin_width` points."""
    raise NotImplementedError


def unit_tree(cur: Cursor, f: Filters) -> pl.DataFrame:
    """The units of the scope: ma_don_vi, ten_don_vi, ma_cap_tren, cap, depth, is_active."""
    raise NotImplementedError


def records(cur: Cursor, f: Filters, table: str, limit: int | None = None, offset: int = 0) -> pl.DataFrame:
    """Filtered rows of dang_ky / khen_thuong / hoi_nghi with the template's columns, paged."""
    raise NotImplementedError


def count_records(cur: Cursor, f: Filters, table: str) -> int:
    """How many rows `records` would return without paging."""
    raise NotImplementedError

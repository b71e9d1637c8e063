"""The filtered rows behind the figures (registrations, awards, conferences), paged, from the base tables."""

from __future__ import annotations

import polars as pl

from queries import named_sql
from queries.figures.base import open_base
from queries.figures.catalogue import RECORD_TABLES
from queries.figures.filters import FiguresError, Filters
from queries.named_sql import Cursor


def _check_table(table: str) -> None:
    """FiguresError unless records come from this table."""
    if table not in RECORD_TABLES:
        raise FiguresError(f"records come from {', '.join(RECORD_TABLES)}; got {table!r}")


def records(cur: Cursor, f: Filters, table: str, limit: int | None = None, offset: int = 0) -> pl.DataFrame:
    """Filtered rows of dang_ky / khen_thuong / hoi_nghi with the template's columns (aliases), paged.

    Registrations take every filter; awards the subject only; conferences scope and period only.
    Rows are ordered by year and key (unique), so pages are stable.
    """
    _check_table(table)
    if (limit is not None and limit < 0) or offset < 0:
        raise FiguresError("limit and offset must not be negative")
    with open_base(cur, f) as ctx:
        rel = named_sql.relation(ctx.cur, f"records_{table}", ctx.params)
        if limit is not None or offset:
            rel = rel.limit(limit if limit is not None else 2**62, offset=offset)
        return rel.pl()


def count_records(cur: Cursor, f: Filters, table: str) -> int:
    """How many rows `records` would return without paging."""
    _check_table(table)
    with open_base(cur, f) as ctx:
        return int(
            named_sql.relation(ctx.cur, f"records_{table}", ctx.params).aggregate("count(*)").fetchall()[0][0]
        )

"""Small look-ups the dashboard's filters need: the unit list in hierarchy order and the data's years.

Like every module under queries/, this never imports streamlit; functions receive a cursor. The
queries are named (sql/unit_outline.sql, sql/year_span.sql) and run through queries.named_sql.
"""

from __future__ import annotations

import duckdb
import polars as pl

from queries import history, named_sql, status, vocab

Cursor = duckdb.DuckDBPyConnection

_LEVEL_ORDER = {
    vocab.LEVEL_PROVINCE: 0,
    vocab.LEVEL_BLOC: 1,
    vocab.LEVEL_UPPER_COMMITTEE: 1,
    vocab.LEVEL_GRASSROOTS_COMMITTEE: 2,
    vocab.LEVEL_GRASSROOTS_BRANCH: 3,
    vocab.LEVEL_BRANCH: 4,
}


def unit_outline(cur: Cursor) -> pl.DataFrame:
    """Every unit in depth-first hierarchy order: ma_don_vi, ten_don_vi, ma_cap_tren, cap, depth, dates.

    Children follow their parent, ordered by level then code; a unit whose parent is missing (or
    part of a cycle) is listed as a root, so no unit ever disappears from the list.
    """
    rows = named_sql.execute(cur, "unit_outline").fetchall()
    by_code = {r[0]: r for r in rows}
    children: dict[str | None, list[tuple]] = {}
    for r in rows:
        parent = r[2] if r[2] in by_code and r[2] != r[0] else None
        children.setdefault(parent, []).append(r)
    for siblings in children.values():
        siblings.sort(key=lambda r: (_LEVEL_ORDER.get(r[3], 9), r[0]))

    out: list[tuple] = []
    seen: set[str] = set()

    def walk(parent: str | None, depth: int) -> None:
        for r in children.get(parent, []):
            if r[0] in seen:
                continue
            seen.add(r[0])
            out.append((*r, depth))
            walk(r[0], depth + 1)

    walk(None, 0)
    for r in rows:  # units only reachable through a cycle
        if r[0] not in seen:
            seen.add(r[0])
            out.append((*r, 0))
            walk(r[0], 1)

    schema = {
        "ma_don_vi": pl.String,
        "ten_don_vi": pl.String,
        "ma_cap_tren": pl.String,
        "cap": pl.String,
        "hieu_luc_tu": pl.Date,
        "hieu_luc_den": pl.Date,
        "depth": pl.Int32,
    }
    return pl.DataFrame(out, schema=schema, orient="row")


def year_span(cur: Cursor) -> tuple[int, int] | None:
    """The first and last year any registration, award or conference refers to, or None if none."""
    row = named_sql.execute(cur, "year_span").fetchone()
    if row is None or row[0] is None:
        return None
    return int(row[0]), int(row[1])


def submission_status(cur: Cursor, year: int, unit: str | None = None) -> pl.DataFrame:
    """Which grassroots units sent their figures for the year (queries/status.py)."""
    return status.submission_status(cur, year, unit)


def import_history(cur: Cursor, db_path: str) -> pl.DataFrame:
    """The import history, newest first (queries/history.py)."""
    return history.history_frame(cur, db_path)

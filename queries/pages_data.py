"""Small look-ups the dashboard's filters need: the unit list in hierarchy order and the data's years.

Like every module under queries/, this never imports streamlit; functions receive a cursor.
"""

from __future__ import annotations

import duckdb
import polars as pl

from queries import history, status, vocab

Cursor = duckdb.DuckDBPyConnection

# a unit with a history (several rows: it moved keeping its code) is listed by its latest row
UNITS_SQL = """
select ma_don_vi, ten_don_vi, ma_cap_tren, cap, hieu_luc_tu, hieu_luc_den
from don_vi
qualify row_number() over (partition by ma_don_vi order by hieu_luc_tu desc nulls last) = 1
order by ma_don_vi
"""

YEARS_SQL = """
select min(nam) as year_from, max(nam) as year_to
from (
    select nam from dang_ky
    union all select nam from khen_thuong
    union all select nam from hoi_nghi
)
"""

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
    rows = cur.execute(UNITS_SQL).fetchall()
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
    row = cur.execute(YEARS_SQL).fetchone()
    if row is None or row[0] is None:
        return None
    return int(row[0]), int(row[1])


def submission_status(cur: Cursor, year: int, unit: str | None = None) -> pl.DataFrame:
    """Which grassroots units sent their figures for the year (queries/status.py)."""
    return status.submission_status(cur, year, unit)


def import_history(cur: Cursor, db_path: str) -> pl.DataFrame:
    """The import history, newest first (queries/history.py)."""
    return history.history_frame(cur, db_path)

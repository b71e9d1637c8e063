"""Which units an upload would touch, for importers limited to one unit's subtree (no Streamlit here).

The files are read and typed exactly as the importer reads them (importer.typed_columns),
so the codes checked are the codes that would be written. A scoped importer may:

* write rows (registrations, awards, conferences, sizes) only for units in their subtree, or for
  new units of the same upload attached inside it;
* add units under a unit of their subtree, and change units of their subtree, but not move one
  under a unit outside it (their own unit may keep its parent) nor name a successor outside it.
  A unit with several rows (it moved keeping its code, DOMAIN.md §3) keeps the parent of its
  stored row with the same key (code + `Hiệu lực từ`), else of the row in force on the uploaded
  row's start (a row without a start: the latest row), never of an arbitrary one of its rows;
* not overwrite a stored registration or award of another unit by reusing its key
  (ma_dang_ky; so_quyet_dinh + doi_tuong + ten_chu_the), which would move it into their scope.

Anything the check cannot read raises ScopeUnverified: the page then refuses (fail closed).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from queries import access, importer, vocab
from queries.auth import User

Cursor = duckdb.DuckDBPyConnection

_UNIT_REFERENCES = ("ma_don_vi", "ma_cap_tren", "ma_ke_thua")


class ScopeUnverified(Exception):
    """The upload could not be read for the check; a scoped import must then be refused."""


@dataclass
class ScopeCheck:
    """Codes of the upload outside the user's subtree, and rows that would overwrite another unit's."""

    outside: set[str] = field(default_factory=set)
    foreign_rows: dict[str, int] = field(default_factory=dict)  # table -> rows

    @property
    def ok(self) -> bool:
        """True when the upload stays inside the user's scope."""
        return not self.outside and not self.foreign_rows


def upload_frames(paths: Sequence[str | os.PathLike], names: Sequence[str]) -> dict[str, pl.DataFrame]:
    """The typed rows of every table the files hold (unit and key columns), as the importer types them."""
    try:
        wanted = {t.name: [*_UNIT_REFERENCES, *t.key] for t in vocab.TABLES}
        return importer.typed_columns([Path(p) for p in paths], list(names), wanted)
    except Exception as exc:  # an importer change this module does not know: refuse, never guess
        raise ScopeUnverified(f"{type(exc).__name__}: {exc}"[:300]) from exc


def _codes(frame: pl.DataFrame, column: str) -> set[str]:
    if column not in frame.columns:
        return set()
    return set(frame.get_column(column).drop_nulls().unique().to_list())


def _foreign_rows(cur: Cursor, table: vocab.Table, frame: pl.DataFrame, allowed: set[str]) -> int:
    """Rows of the upload whose key is a stored row of a unit outside `allowed`."""
    keys = list(table.key)
    keyed = frame.select(keys).drop_nulls().unique()
    if keyed.is_empty():
        return 0
    cur.register("_upload_keys", keyed.to_arrow())
    try:
        join = " and ".join(f"s.{k} = u.{k}" for k in keys)
        stored = cur.execute(
            f"select distinct {', '.join('s.' + k for k in keys)}, s.ma_don_vi "  # noqa: S608 (vocab names)
            f"from {table.name} as s join _upload_keys as u on {join}"
        ).fetchall()
    finally:
        cur.unregister("_upload_keys")
    foreign = {row[:-1] for row in stored if row[-1] not in allowed}
    if not foreign:
        return 0
    rows = frame.select(keys).rows()
    return sum(1 for row in rows if row in foreign)


def parent_in_force(rows: Sequence[tuple[date | None, str | None]], start: date | None) -> str | None:
    """The superior a stored unit has where an uploaded row of it starts, from the unit's stored
    (hieu_luc_tu, ma_cap_tren) rows: the row with the same start (the same key), else the row in
    force on that day (the last started by then, else the first); for a row without a start, the
    latest row (a sheet without dates states the unit as it is now)."""
    ordered = sorted(rows, key=lambda r: (r[0] is not None, r[0] or date.min))
    for row_start, parent in ordered:
        if row_start == start:
            return parent
    if start is None:
        return ordered[-1][1]
    started = [parent for row_start, parent in ordered if row_start is None or row_start <= start]
    return started[-1] if started else ordered[0][1]


def check(cur: Cursor, user: User, frames: dict[str, pl.DataFrame]) -> ScopeCheck:
    """What in these typed rows lies outside the user's scope (nothing for unscoped users)."""
    result = ScopeCheck()
    allowed = access.allowed_units(cur, user)
    if allowed is None:
        return result
    stored: dict[str, list[tuple[date | None, str | None]]] = {}
    for code, start, parent in cur.execute(
        "select ma_don_vi, hieu_luc_tu, ma_cap_tren from don_vi"
    ).fetchall():
        stored.setdefault(code, []).append((start, parent))

    units = frames.get("don_vi")
    if units is not None and "hieu_luc_tu" not in units.columns:
        units = units.with_columns(pl.lit(None, pl.Date).alias("hieu_luc_tu"))
    rows = units.select("ma_don_vi", "ma_cap_tren", "hieu_luc_tu").rows() if units is not None else []
    new_units = {code: parent for code, parent, _ in rows if code is not None and code not in stored}
    # New units count as in scope once their parent chain reaches the subtree (within the upload).
    effective = set(allowed)
    grew = True
    while grew:
        grew = False
        for code, parent in new_units.items():
            if code not in effective and parent in effective:
                effective.add(code)
                grew = True

    for code, parent, start in rows:
        if code is None:
            continue
        if code in stored:
            if code not in allowed:
                result.outside.add(code)
            elif parent not in effective and parent != parent_in_force(stored[code], start):
                result.outside.add(parent if parent is not None else code)
        elif code not in effective:
            result.outside.add(code)
    if units is not None:
        result.outside |= _codes(units, "ma_ke_thua") - effective

    for table in vocab.TABLES:
        frame = frames.get(table.name)
        if frame is None or table.name == "don_vi":
            continue
        result.outside |= _codes(frame, "ma_don_vi") - effective
        if "ma_don_vi" not in table.key:  # a key without the unit can match another unit's row
            n = _foreign_rows(cur, table, frame, set(allowed))
            if n:
                result.foreign_rows[table.name] = n
    return result

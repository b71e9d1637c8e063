"""Locating a table inside a grid: the header row among the first rows, which table it is
(by the sheet or file name, or by its headers) and which column is which."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from queries import vocab
from queries.readers.grid import EXCEL_SUFFIXES, HEADER_SCAN_ROWS, TEXT_SUFFIXES, Grid


@dataclass
class Located:
    """A grid recognised as one table: which row holds the headers and which column is which."""

    grid: Grid
    table: vocab.Table
    header_index: int  # grid row of the header row (Excel row header_index + 1)
    columns: dict[int, str]  # grid column index -> alias
    headers: dict[str, str]  # alias -> header text as written
    ignored: list[str] = field(default_factory=list)  # unknown header texts
    duplicates: list[str] = field(default_factory=list)  # header texts of repeated columns


# --- header matching ----------------------------------------------------------------------------

_PARENS = re.compile(r"\([^)]*\)")


# No column's header is near this long, even with a note; a longer cell (a pasted paragraph, a
# hostile 32.767-character one) names no column, and is not folded (folding costs about a
# microsecond a character, and a sheet's first rows are scored cell by cell).
_LONGEST_HEADER = 200


@functools.lru_cache(maxsize=4096)
def _header_keys(text: str) -> tuple[str, ...]:
    """Matching keys of a header cell: as written, and without a parenthesised note ("Năm (*)")."""
    bare = _PARENS.sub("", text)
    written = (text, bare) if bare != text else (text,)
    keys = (vocab.fold_value(t) for t in written if len(t) <= _LONGEST_HEADER)
    return tuple(k for k in keys if k)


HEADER_INDEX: dict[str, dict[str, str]] = {
    table.name: {
        key: col.alias
        for col in table.columns
        for key in (vocab.fold_value(col.header), col.alias.replace("_", ""))
    }
    for table in vocab.TABLES
}


def match_header(table: vocab.Table, text: str | None) -> str | None:
    """The alias of the column this header cell names in this table, if any."""
    if text is None:
        return None
    index = HEADER_INDEX[table.name]
    for key in _header_keys(str(text)):
        if key in index:
            return index[key]
    return None


def _row_score(table: vocab.Table, row: list[str | None]) -> int:
    return len({a for a in (match_header(table, c) for c in row) if a is not None})


def _recognised(table: vocab.Table, score: int) -> bool:
    """Enough known headers to take a sheet for this table when its name says nothing."""
    required = sum(1 for c in table.columns if c.required)
    return score >= 2 and score * 2 >= required


def find_header(rows: list[list[str | None]], table: vocab.Table | None) -> tuple[vocab.Table, int] | None:
    """The (table, row index) of the best header row in these first rows of a grid.

    With a table given (recognised by name), the row matching most of its headers; otherwise
    the table and row with the most matches, ties going to the table whose columns are better
    covered. None when no row looks like a header.
    """
    best: tuple[tuple[int, float], vocab.Table, int] | None = None
    for table_ in (table,) if table is not None else vocab.TABLES:
        for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
            score = _row_score(table_, row)
            if score == 0 or (table is None and not _recognised(table_, score)):
                continue
            rank = (score, score / len(table_.columns))
            if best is None or rank > best[0]:
                best = (rank, table_, i)
    return None if best is None else (best[1], best[2])


def table_for_file_name(name: str) -> vocab.Table | None:
    """The table a sheet or file name announces: exact name, or a prefix ("dang_ky_2021.csv")."""
    stem = Path(name).stem if Path(name).suffix.lower() in EXCEL_SUFFIXES | TEXT_SUFFIXES else name
    exact = vocab.table_for_name(stem)
    if exact is not None:
        return exact
    key = vocab.fold_value(stem)
    best = None
    for table in vocab.TABLES:
        for candidate in (vocab.fold_value(table.label), vocab.fold_value(table.name)):
            if key.startswith(candidate) and (best is None or len(candidate) > best[0]):
                best = (len(candidate), table)
    return None if best is None else best[1]


def locate(grid: Grid, by_name: vocab.Table | None) -> Located | None:
    """Find the header row and map the columns; None if the grid holds no recognisable header."""
    head = grid.cells.head(HEADER_SCAN_ROWS).rows()
    found = find_header([list(r) for r in head], by_name)
    if found is None:
        return None
    table, index = found
    columns: dict[int, str] = {}
    headers: dict[str, str] = {}
    ignored: list[str] = []
    duplicates: list[str] = []
    for j, text in enumerate(head[index]):
        if text is None or not str(text).strip():
            continue
        written = unicodedata.normalize("NFC", " ".join(str(text).split()))
        alias = match_header(table, text)
        if alias is None:
            ignored.append(written)
        elif alias in headers:
            duplicates.append(written)
        else:
            columns[j] = alias
            headers[alias] = written
    return Located(grid, table, index, columns, headers, ignored, duplicates)

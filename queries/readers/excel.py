"""Reading a workbook: every sheet through calamine (fastexcel) as a text grid and a typed
(datetime) grid, error cells as Excel shows them, cells merged down a column filled."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from queries.readers.grid import Grid, PasswordProtected, UnreadableFile, _short


def read_excel(path: Path, display: str) -> list[Grid]:
    """Every sheet of a workbook as a Grid (text and typed views), in this process: the importer
    calls it through sandbox.read_excel, in a worker process with a memory cap. The workbook's
    parts and sheets are checked first (xlsx_guard: sizes inflated, each sheet's used range)."""
    import fastexcel

    from queries import xlsx_guard

    merged = xlsx_guard.check_workbook(path)
    try:
        reader = fastexcel.read_excel(str(path))
        grids = []
        for name in reader.sheet_names:
            text = _sheet_frame(reader, name, "string")
            typed = _typed_frame(reader, name, text)
            if merged.get(name):
                text = _fill_merged(text, merged[name])
                typed = None if typed is None else _fill_merged(typed, merged[name])
            grids.append(Grid(display, name, text, typed))
        return grids
    except Exception as exc:  # calamine/fastexcel raise several types for bad input
        if "password protected" in str(exc).lower():  # calamine: "Workbook is password protected"
            raise PasswordProtected(_short(exc)) from exc
        raise UnreadableFile(_short(exc)) from exc


def _typed_frame(reader, name: str, text: pl.DataFrame) -> pl.DataFrame | None:
    """The datetime view of a sheet, or None if it cannot be had (the text view then suffices)."""
    if not text.width:
        return None
    try:
        typed = _sheet_frame(reader, name, "datetime")
    except Exception:  # an odd cell type: fall back to reading numbers from their text
        return None
    return typed if typed.shape == text.shape else None


def _sheet_frame(reader, name: str, dtype: str) -> pl.DataFrame:
    sheet = reader.load_sheet(name, header_row=None, skip_rows=0, dtypes=dtype)
    if dtype != "string":
        frame = pl.DataFrame(sheet.to_arrow())
    else:
        batch, errors = sheet.to_arrow_with_errors()
        frame = pl.DataFrame(batch)
        frame = frame.with_columns(pl.all().str.normalize("NFC"))  # Excel keeps text as typed, NFD included
        if errors is not None and errors.errors:
            frame = _with_error_cells(frame, errors.errors)
    return frame.rename({c: f"c{i}" for i, c in enumerate(frame.columns)})


# calamine's cell error kinds -> what Excel shows in the cell
_EXCEL_ERRORS = {
    "Div0": "#DIV/0!",
    "NA": "#N/A",
    "Name": "#NAME?",
    "Null": "#NULL!",
    "Num": "#NUM!",
    "Ref": "#REF!",
    "Value": "#VALUE!",
    "GettingData": "#GETTING_DATA",
}
_ERROR_DETAIL = re.compile(r"Error\((\w+)\)")


def _with_error_cells(frame: pl.DataFrame, errors) -> pl.DataFrame:
    """The text view with each error cell (a formula that failed: #DIV/0!, #N/A, ...) holding what
    Excel shows in it, instead of nothing: the importer then reports the cell, never reads it as
    empty."""
    by_column: dict[int, tuple[list[int], list[str]]] = {}
    for error in errors:
        found = _ERROR_DETAIL.search(error.detail)
        if not found:
            continue
        row, col = error.offset_position
        if row < frame.height and col < frame.width:
            rows, texts = by_column.setdefault(col, ([], []))
            rows.append(row)
            texts.append(_EXCEL_ERRORS.get(found.group(1), f"#{found.group(1).upper()}!"))
    columns = frame.columns
    return frame.with_columns(
        frame.get_column(columns[col]).scatter(rows, texts) for col, (rows, texts) in by_column.items()
    )


def _fill_merged(frame: pl.DataFrame, ranges: list[tuple[int, int, int, int]]) -> pl.DataFrame:
    """Cells merged down a column take the merged cell's value (Excel keeps it in the top cell
    only): a unit code merged over its rows belongs to each of them. Merges across columns are
    left as they are."""
    by_column: dict[int, tuple[list[int], list[int]]] = {}
    for r0, c0, r1, c1 in ranges:
        if c0 != c1 or r1 <= r0 or c0 >= frame.width or r0 >= frame.height:
            continue
        rows, sources = by_column.setdefault(c0, ([], []))
        below = range(r0 + 1, min(r1, frame.height - 1) + 1)
        rows.extend(below)
        sources.extend([r0] * len(below))
    if not by_column:
        return frame
    columns = frame.columns
    filled = []
    for col, (rows, sources) in by_column.items():
        series = frame.get_column(columns[col])
        filled.append(series.scatter(rows, series.gather(sources)))
    return frame.with_columns(filled)

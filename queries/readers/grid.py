"""The grid every reader produces, and what they share: the file suffixes read, the exceptions
for a file that cannot be read.

A grid is a Polars frame of String columns c0..cN, one row per sheet row from row 1, so that grid
row k is the row Excel shows as k + 1. Excel grids also carry, per column, the cell read as a
datetime (non-null only for number and date cells), which the value parsers use.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
TEXT_SUFFIXES = {".csv", ".txt", ".tsv", ".tab"}
HEADER_SCAN_ROWS = 20
CELL_SUFFIX = "#cell"  # raw frame column holding the calamine datetime of a column's cells


class UnreadableFile(Exception):
    """The file cannot be read as a workbook or as text (carries a short technical reason)."""


MAX_COLUMNS = 16_384  # Excel's limit: a wider text file was not made by a spreadsheet


class PasswordProtected(UnreadableFile):
    """A workbook encrypted with a password (Excel's File > Info > Protect Workbook)."""


class SheetTooLarge(UnreadableFile):
    """A sheet whose used range (first to last cell) exceeds xlsx_guard.MAX_SHEET_CELLS."""

    def __init__(self, sheet: str, last_cell: str, cells: int):
        super().__init__(f"{sheet}: {last_cell}")
        self.sheet, self.last_cell, self.cells = sheet, last_cell, cells


class TooManyColumns(UnreadableFile):
    """A text file wider than MAX_COLUMNS (reading it column by column would take minutes)."""

    def __init__(self, columns: int):
        super().__init__(f"{columns} columns")
        self.columns = columns


@dataclass
class Grid:
    """The raw cells of one sheet (or one CSV file) as text, plus calamine's typed view."""

    file: str
    sheet: str | None
    cells: pl.DataFrame  # String columns c0..cN; row k = Excel row k + 1
    typed: pl.DataFrame | None = None  # Datetime columns c0..cN (Excel only)


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]

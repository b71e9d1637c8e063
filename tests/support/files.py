"""Writers of small .xlsx/.csv files built in a test, and read-only queries on a database file."""

from __future__ import annotations

import csv
import io
import shutil
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from queries import figures, store


@dataclass(frozen=True)
class FailedFormula:
    """A cell whose formula failed, as Excel saves it: the formula and its error, e.g. #DIV/0!."""

    formula: str
    error: str


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    """A workbook with these sheets; each sheet is a list of rows from row 1, None = empty cell.

    date/datetime values become real date cells (dd/mm/yyyy), numbers number cells, str text,
    FailedFormula an error cell.
    """
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path))
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for name, rows in sheets.items():
        sheet = workbook.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, datetime | date):
                    value = (
                        value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
                    )
                    sheet.write_datetime(r, c, value, date_format)
                elif isinstance(value, FailedFormula):
                    sheet.write_formula(r, c, value.formula, None, value.error)
                elif isinstance(value, bool):
                    sheet.write_boolean(r, c, value)
                elif isinstance(value, int | float):
                    sheet.write_number(r, c, value)
                else:
                    sheet.write_string(r, c, str(value))
    workbook.close()
    return path


def csv_bytes(rows: list[list], *, separator: str = ",", encoding: str = "utf-8") -> bytes:
    """Rows as CSV text (quoted where needed, CRLF like Excel) encoded as asked."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue().encode(encoding)


def query(db: Path, sql: str, params: dict | None = None) -> list[tuple]:
    """Rows of a read-only query on a database file (closed again at once)."""
    con = store.connect_read_only(db)  # ATTACHed: never a stale cached instance after a swap
    try:
        return store.cursor_on(con).execute(sql, params or {}).fetchall()
    finally:
        con.close()


def engine(db: Path, name: str, *args):
    """What the figures engine says (figures.<name>) on a database file, to hold a page against."""
    cur = store.Snapshot(db).cursor()
    try:
        return getattr(figures, name)(cur, *args)
    finally:
        cur.close()


def copy_of(db: Path, folder: Path) -> Path:
    """A private copy of a database file in `folder` (made if missing), to write into."""
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy2(db, folder / "dvk.duckdb"))

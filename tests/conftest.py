"""Shared, generic fixtures: a database path and writers of small .xlsx/.csv files built in the test.

Keep this small; fixtures about one module live in that module's test file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import browser_support
import pytest

from queries import store


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path_factory, monkeypatch) -> None:
    """No test reads a developer's users file, audit log or $DVK_DB: a real users.toml at the
    project root would otherwise put every dashboard test behind the login page."""
    private = tmp_path_factory.mktemp("env")
    monkeypatch.setenv("DVK_USERS", str(private / "no-users.toml"))
    monkeypatch.setenv("DVK_AUDIT", str(private / "audit.jsonl"))
    monkeypatch.delenv("DVK_DB", raising=False)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where a test's DuckDB file goes (not created)."""
    return tmp_path / "dvk.duckdb"


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


@pytest.fixture
def make_xlsx(tmp_path: Path) -> Callable[..., Path]:
    """make_xlsx("name.xlsx", {"Sheet": [[...], ...]}) -> path inside tmp_path."""

    def make(name: str, sheets: dict[str, list[list]]) -> Path:
        return write_xlsx(tmp_path / name, sheets)

    return make


@pytest.fixture
def make_csv(tmp_path: Path) -> Callable[..., Path]:
    """make_csv("name.csv", rows, separator=",", encoding="utf-8") or make_csv(name, raw_bytes)."""

    def make(name: str, rows: list[list] | bytes, *, separator: str = ",", encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        data = rows if isinstance(rows, bytes) else csv_bytes(rows, separator=separator, encoding=encoding)
        path.write_bytes(data)
        return path

    return make


def query(db: Path, sql: str, params: dict | None = None) -> list[tuple]:
    """Rows of a read-only query on a database file (closed again at once)."""
    con = store.connect_read_only(db)  # ATTACHed: never a stale cached instance after a swap
    try:
        return store.cursor_on(con).execute(sql, params or {}).fetchall()
    finally:
        con.close()


# --- the dashboard's downloads (AppTest) --------------------------------------------------------


@pytest.fixture
def deferred(monkeypatch) -> dict[str, tuple]:
    """file id -> (callable, file name) of every deferred download the app registers; calling the
    callable builds the file as a click would (AppTest cannot click a download button)."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    seen: dict[str, tuple] = {}
    original = MediaFileManager.add_deferred

    def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        file_id = original(self, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)
        seen[file_id] = (data_callable, file_name)
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return seen


# --- browser tests (tests/browser_support.py) ----------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright, one per browser test module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=str(browser_support.CHROMIUM), args=browser_support.CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A tab in a fresh context (Vietnamese locale, downloads accepted)."""
    context = browser.new_context(viewport=browser_support.VIEWPORT, accept_downloads=True, locale="vi-VN")
    tab = context.new_page()
    yield tab
    context.close()

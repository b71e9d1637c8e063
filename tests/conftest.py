"""Shared, generic fixtures: a database path and writers of small .xlsx/.csv files built in the test.

Keep this small; fixtures about one module live in that module's test file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

# tests/support's checks (hostile_corpus's, apptest's, ...) report their values as a test's own do
pytest.register_assert_rewrite("support")

from support import browser as browser_support  # noqa: E402 (after the rewrite is registered)
from support.files import copy_of, csv_bytes, write_xlsx  # noqa: E402
from support.sheets import UNITS  # noqa: E402

from queries.demo import build_demo_database  # noqa: E402
from queries.importer import import_files, limits  # noqa: E402


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(config, items) -> None:
    """Under pytest-xdist (`--dist loadgroup`): a module's tests stay on one worker, so its module
    fixtures are built once; every browser test goes to the same worker, one Chromium at a time,
    while the other worker runs the rest."""
    for item in items:
        group = "browser" if item.get_closest_marker("browser") else item.nodeid.split("::", 1)[0]
        item.add_marker(pytest.mark.xdist_group(group))
    # The browser tests first: they are the longest group, so one worker starts on them at once
    # while the other works through the rest (a stable sort keeps each module's own order).
    items.sort(key=lambda item: item.get_closest_marker("browser") is None)


_GROUP_SECONDS: dict[str, float] = {}


def pytest_runtest_logreport(report) -> None:
    """Add each test's setup, call and teardown time to its xdist group (on the controller too)."""
    group = "browser" if "browser" in getattr(report, "keywords", {}) else report.nodeid.split("::", 1)[0]
    _GROUP_SECONDS[group] = _GROUP_SECONDS.get(group, 0.0) + report.duration


def pytest_terminal_summary(terminalreporter) -> None:
    """Where the suite's time goes, by xdist group: the browser group runs on one worker, so its
    total against half of the rest tells which side sets the wall time (issue 12)."""
    if not _GROUP_SECONDS:
        return
    total = sum(_GROUP_SECONDS.values())
    browser = _GROUP_SECONDS.get("browser", 0.0)
    terminalreporter.section("time by group (s)")
    terminalreporter.write_line(
        f"all {total:.0f}; browser group {browser:.0f}; the rest {total - browser:.0f} "
        f"(per worker if spread evenly: {(total - browser) / 2:.0f})"
    )
    for group, seconds in sorted(_GROUP_SECONDS.items(), key=lambda kv: -kv[1])[:20]:
        terminalreporter.write_line(f"{seconds:8.1f}  {group}")


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


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory):
    """The demo database built once per run through the real importer, and the import's report."""
    db = tmp_path_factory.mktemp("demo") / "dvk.duckdb"
    report = build_demo_database(db)
    assert report.ok, [p.message("en") for p in report.problems]
    return db, report


@pytest.fixture(scope="session")
def demo_db(demo_build) -> Path:
    """The demo database shared by the whole run: only read it (a test that writes takes a copy)."""
    return demo_build[0]


@pytest.fixture
def demo_copy(demo_db, tmp_path) -> Path:
    """A private copy of the demo database for a test that writes."""
    return copy_of(demo_db, tmp_path / "demo")


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


@pytest.fixture
def checked_in_small_batches(monkeypatch) -> None:
    """Several check batches a file: the rows of the pieces are checked 16 at a time (by default
    pieces of fewer than limits.CHECK_ROWS rows are joined, and these files would be one batch)."""
    monkeypatch.setattr(limits, "CHECK_ROWS", 16)


@pytest.fixture
def units_db(db_path, make_csv) -> Path:
    """A database holding the bloc and its two units of support.sheets.UNITS (the importer's tests)."""
    report = import_files(db_path, [make_csv("don_vi.csv", UNITS)])
    assert report.ok, [p.message("en") for p in report.problems]
    return db_path


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


# --- browser tests (tests/support/browser.py) ----------------------------------------------------


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

"""The dashboard in a real headless Chromium: every page renders without an exception, screenshots for
docs/screenshots/, a shared link restores its view, and the data page's CSV download is Excel-safe.

Needs Debian's chromium (/usr/bin/chromium); skipped without it, except under CI=true.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.browser import assert_no_error_shown, require_chromium, running_dashboard, wait_until_drawn
from support.files import copy_of, engine

from queries import formatting, store
from queries.figures import Filters
from queries.importer import import_files

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
# The README's screenshots are rewritten only when asked (DVK_UPDATE_SCREENSHOTS=1): a test run
# leaves the checkout as it found it.
SCREENSHOTS = ROOT / "docs" / "screenshots"
PAGES = {  # screenshot name -> URL path
    "overview": "",
    "units": "don-vi",
    "compare": "so-sanh",
    "awards": "khen-thuong",
    "quality": "chi-tieu",
    "data": "du-lieu",
    "import": "nhap-du-lieu",
}
FORMULA = '=HYPERLINK("http://x")'
RUN_TIMEOUT_MS = 30_000

require_chromium()

sync_api = pytest.importorskip("playwright.sync_api")


def _a_branch(db: Path) -> str:
    con = store.connect_read_only(db)
    try:
        cur = store.cursor_on(con)
        return cur.execute("select min(ma_don_vi) from don_vi where cap = 'Chi bộ cơ sở'").fetchone()[0]
    finally:
        con.close()


@pytest.fixture(scope="module")
def database(tmp_path_factory, demo_db) -> tuple[Path, str]:
    """The demo plus one registration whose model name is a spreadsheet formula; (path, its unit).

    The extra row is in 2024, outside the default view, so the screenshots show the demo's figures.
    """
    folder = tmp_path_factory.mktemp("browser")
    db = copy_of(demo_db, folder)
    unit = _a_branch(db)
    extra = folder / "dang_ky_them.csv"
    header = '"Mã đăng ký","Năm","Mã đơn vị","Đối tượng","Tên tập thể, cá nhân","Tên mô hình","Lĩnh vực"'
    row = f'"DK-FORMULA",2024,"{unit}","Tập thể","Chi bộ thử","{FORMULA.replace(chr(34), chr(34) * 2)}","Kinh tế"'
    extra.write_bytes(("\ufeff" + header + "\r\n" + row + "\r\n").encode("utf-8"))
    report = import_files(db, [extra])
    assert report.ok, report.problems_frame().to_dicts()
    return db, unit


@pytest.fixture(scope="module")
def server(database) -> Iterator[str]:
    """`dvk serve` on a free port, as users start it; yields its base URL."""
    db, _ = database
    with running_dashboard(db, db.parent / "streamlit.log") as dashboard:
        yield dashboard.url


def settle(tab) -> None:
    """Wait until the page script has run and every chart has drawn; fail on a shown exception."""
    wait_until_drawn(tab, RUN_TIMEOUT_MS)
    assert_no_error_shown(tab)


# Counts the page's script runs started from now on (the app's state attribute turning "running").
RUN_COUNTER = """() => {
    window.__runsStarted = 0;
    const app = document.querySelector('[data-testid="stApp"]');
    new MutationObserver(() => {
        if (app.getAttribute('data-test-script-state') === 'running') window.__runsStarted += 1;
    }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""


def combo(tab, label: str) -> str:
    """The value a selectbox shows."""
    return tab.get_by_role("combobox", name=label).input_value()


def engine_summary(db: Path, f: Filters) -> dict:
    """What the figures engine says, to compare the page against."""
    return engine(db, "summary", f)


def test_a_link_to_a_page_opens_it_on_a_fresh_server(server, page):
    # The first session after a start is where Streamlit's old pages/ handling used to interfere.
    page.goto(f"{server}/don-vi?from=2018&to=2020")
    settle(page)
    assert page.locator("h1").first.inner_text().strip() == "Đơn vị"
    assert combo(page, "Kỳ báo cáo") == "Giai đoạn 2018-2020"


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_renders_and_is_photographed(server, page, name, tmp_path):
    page.goto(f"{server}/{PAGES[name]}")
    settle(page)
    assert page.locator("h1").first.inner_text().strip()
    folder = SCREENSHOTS if os.environ.get("DVK_UPDATE_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"))
    assert (folder / f"{name}.png").stat().st_size > 10_000


def test_the_overview_shows_vietnamese_numbers(server, page, database):
    db, _ = database
    page.goto(server)
    settle(page)
    expected = engine_summary(db, Filters(2021, 2023))["registrations"]["total"]
    cards = page.locator('[data-testid="stMetricValue"]')
    assert cards.first.inner_text().strip() == formatting.fmt_int(expected, "vi")
    assert "Tổng quan" in page.locator("h1").first.inner_text()


def test_a_shared_link_opens_the_same_view(server, page, database):
    db, unit = database
    names = dict(
        store.cursor_on(con := store.connect_read_only(db))
        .execute("select ma_don_vi, ten_don_vi from don_vi")
        .fetchall()
    )
    con.close()
    page.goto(f"{server}/?from=2022&to=2023&unit={unit}&lang=en")
    settle(page)
    assert combo(page, "Reporting period") == "Custom year range"  # 2022-2023 is not a preset
    assert combo(page, "Unit").endswith(names[unit])
    assert page.locator("h1").first.inner_text().strip() == "Overview"
    expected = engine_summary(db, Filters(2022, 2023, unit=unit))["registrations"]["total"]
    assert page.locator('[data-testid="stMetricValue"]').first.inner_text().strip() == formatting.fmt_int(
        expected, "en"
    )
    # every filter travels in the link: field, subject, movement and kind too
    page.goto(f"{server}/?from=2021&to=2023&field=kinh-te&subject=ca-nhan&movement=dan-van-kheo&kind=mo-hinh")
    settle(page)
    assert combo(page, "Lĩnh vực") == "Kinh tế" and combo(page, "Phong trào") == "Dân vận khéo"
    sidebar = page.get_by_test_id("stSidebar")
    for chosen in ("Cá nhân", "Mô hình"):  # segmented controls
        assert sidebar.get_by_role("radio", name=chosen, exact=True).get_attribute("aria-checked") == "true"
    narrow = Filters(2021, 2023, field="Kinh tế", subject="Cá nhân", movement="Dân vận khéo", kind="Mô hình")
    assert page.locator('[data-testid="stMetricValue"]').first.inner_text().strip() == formatting.fmt_int(
        engine_summary(db, narrow)["registrations"]["total"], "vi"
    )
    # the page itself travels in the link too
    page.goto(f"{server}/so-sanh?from=2018&to=2020&lang=en")
    settle(page)
    assert page.locator("h1").first.inner_text().strip() == "Compare periods"
    assert combo(page, "Reporting period") == "Phase 2018-2020"
    assert "from=2018" in page.url and "to=2020" in page.url


def test_the_data_page_downloads_an_excel_safe_csv(server, page, database):
    _, unit = database
    page.goto(f"{server}/du-lieu?from=2024&to=2024&unit={unit}")
    settle(page)
    button = page.locator('[data-testid="stDownloadButton"] button').filter(
        has_text="Tải toàn bộ", visible=True
    )
    page.evaluate(RUN_COUNTER)
    with page.expect_download() as info:
        button.first.click()
    download = info.value
    page.wait_for_timeout(1500)
    assert page.evaluate("() => window.__runsStarted") == 0  # a download does not rerun the page
    assert download.suggested_filename.endswith(".csv")
    assert "dang_ky" in download.suggested_filename and "2024" in download.suggested_filename
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens it as UTF-8
    text = data.decode("utf-8-sig")
    header = text.splitlines()[0]
    for label in ("Mã đăng ký", "Năm", "Mã đơn vị", "Tên mô hình", "Lĩnh vực"):
        assert label in header
    line = next(line for line in text.splitlines() if "DK-FORMULA" in line)
    assert "'=HYPERLINK" in line  # the formula is text: Excel shows it, never runs it
    assert '"=HYPERLINK' not in line and ";=HYPERLINK" not in line and ",=HYPERLINK" not in line


def test_a_chart_downloads_as_a_workbook_of_what_it_shows(server, page, database, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    db, _ = database
    page.goto(server)
    settle(page)
    buttons = page.locator('[data-testid="stDownloadButton"] button').filter(has_text="Excel", visible=True)
    with page.expect_download() as info:
        buttons.nth(1).click()  # the first is the cards'; the second is "registrations per year"
    download = info.value
    assert download.suggested_filename == "dang_ky_theo_nam_2021-2023.xlsx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    workbook = openpyxl.load_workbook(saved)
    data_sheet, filters_sheet = workbook.worksheets  # opens on the data; the filters come last
    assert "Giai đoạn 2021-2023" in [c.value for row in filters_sheet.iter_rows() for c in row]
    rows = list(data_sheet.iter_rows(values_only=True))
    assert rows[0] == ("Năm", "Tập thể", "Cá nhân")
    expected = engine_summary(db, Filters(2021, 2023))["by_year"]
    assert [(str(r["year"]), r["collective"], r["individual"]) for r in expected] == [
        (str(y), c, i) for y, c, i in rows[1:]
    ]


def test_the_uploader_speaks_the_pages_language(server, page):
    """Streamlit writes its uploader's button and limits in English; the import page replaces them."""
    after = """(s) => getComputedStyle(document.querySelector(s), '::after').content"""
    button = '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p'
    limits = '[data-testid="stFileUploaderDropzoneInstructions"] span'
    page.goto(f"{server}/nhap-du-lieu")
    settle(page)
    assert page.evaluate(after, button) == '"Tải tệp lên"'
    assert page.evaluate(after, limits).startswith('"Tối đa ') and "MB mỗi tệp" in page.evaluate(
        after, limits
    )
    page.goto(f"{server}/nhap-du-lieu?lang=en")
    settle(page)
    assert page.evaluate(after, limits).startswith('"Up to ')


COLOURS = """() => {
    const fill = (s) => { const e = document.querySelector(s); return e && getComputedStyle(e).fill; };
    return {background: getComputedStyle(document.querySelector('[data-testid="stApp"]')).backgroundColor,
            heading: getComputedStyle(document.querySelector('h1')).color,
            card: getComputedStyle(document.querySelector('[data-testid="stMetricValue"]')).color,
            chart_title: fill('.gtitle'), tick: fill('.xtick text'), axis_title: fill('.ytitle'),
            legend: fill('.legendtext')};
}"""


def _luminance(css: str) -> float:
    """WCAG relative luminance of an "rgb(r, g, b)" colour."""
    r, g, b = (int(v) / 255 for v in css[css.index("(") + 1 : css.index(")")].split(",")[:3])
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_and_charts_are_readable_in_light_and_dark(server, browser, scheme):
    """The dashboard follows the browser's colour scheme. Headings, cards, chart titles and legends keep
    a contrast of at least 4.5:1 (WCAG AA) against the page; the axes' ticks and titles, in the
    theme's faded text colour, at least 3:1 (3,7:1 in the light theme)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, color_scheme=scheme)
    try:
        tab = context.new_page()
        tab.goto(server)
        settle(tab)
        colours = tab.evaluate(COLOURS)
        background = colours.pop("background")
        assert (_luminance(background) < 0.2) == (scheme == "dark"), background
        for name, colour in colours.items():
            least = 3.0 if name in ("tick", "axis_title") else 4.5
            assert colour and _contrast(colour, background) >= least, (name, colour, background)
    finally:
        context.close()

"""Logins and per-unit scope in a real headless Chromium: a scoped viewer logs in through the form,
every page shows their unit's figures, a hand-edited link to another unit shows their own, and the
data page's CSV holds only rows of their subtree (and is recorded in the audit log).

Needs Debian's chromium (/usr/bin/chromium); skipped without it, except under CI=true.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.browser import (
    VIEWPORT,
    assert_no_error_shown,
    require_chromium,
    running_dashboard,
    wait_until_drawn,
)
from support.files import copy_of, engine
from support.scope import demo_scope

from queries import audit, auth, formatting
from queries.figures import Filters

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
RUN_TIMEOUT_MS = 90_000  # the machine may be busy
NAME, PASSWORD = "lan", "lan-mat-khau-1"
PAGES = {  # title in the sidebar -> h1 of the page
    "Tổng quan": "Tổng quan",
    "Đơn vị": "Đơn vị",
    "So sánh giai đoạn": "So sánh giai đoạn",
    "Khen thưởng": "Khen thưởng",
    "Chỉ tiêu và chất lượng": "Chỉ tiêu và chất lượng",
    "Dữ liệu": "Dữ liệu",
}

require_chromium()

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def setup(tmp_path_factory, demo_db) -> dict:
    """The demo, a users file with one viewer scoped to a Đảng bộ cơ sở, the audit log path, the units."""
    folder = tmp_path_factory.mktemp("browser_access")
    db = copy_of(demo_db, folder)
    units = demo_scope(db)
    users = folder / "users.toml"
    auth.add_user(users, NAME, PASSWORD, "viewer", units["scope"], "Nguyễn Thị Lan")
    return {"db": db, "users": users, "audit": folder / "audit.jsonl", **units}


@pytest.fixture(scope="module")
def server(setup) -> Iterator[str]:
    """`dvk serve` with the users file and audit log; yields its base URL."""
    env = {auth.ENV_USERS: str(setup["users"]), audit.ENV_AUDIT: str(setup["audit"])}
    with running_dashboard(setup["db"], setup["db"].parent / "streamlit.log", env) as dashboard:
        yield dashboard.url


def settle(tab) -> None:
    """Wait until the page script has run and every chart has drawn; fail on a shown exception."""
    wait_until_drawn(tab, RUN_TIMEOUT_MS)
    assert_no_error_shown(tab)


def h1(tab) -> str:
    return tab.locator("h1").first.inner_text().strip()


def log_in(tab, url: str, password: str = PASSWORD) -> None:
    """Open a URL (a new session: the login form) and log in through the form."""
    tab.goto(url)
    settle(tab)
    assert h1(tab) == "Đăng nhập"
    assert tab.locator('[data-testid="stMetricValue"]').count() == 0  # nothing before the login
    tab.get_by_label("Tên đăng nhập").fill(NAME)
    tab.get_by_label("Mật khẩu").fill(password)
    tab.locator('[data-testid="stFormSubmitButton"] button').click()
    if password == PASSWORD:
        tab.wait_for_function(
            "() => document.querySelector('h1')?.innerText.trim() !== 'Đăng nhập'", timeout=RUN_TIMEOUT_MS
        )
    else:
        tab.get_by_text("Tên đăng nhập hoặc mật khẩu không đúng.").wait_for(timeout=RUN_TIMEOUT_MS)
    settle(tab)


def first_card(tab) -> str:
    return tab.locator('[data-testid="stMetricValue"]').first.inner_text().strip()


def assert_scoped(tab, setup: dict) -> None:
    """The unit picker shows the user's unit and no unit outside the subtree is named on the page."""
    picker = tab.get_by_role("combobox", name="Đơn vị", exact=True)
    assert picker.input_value() == setup["names"][setup["scope"]]
    text = tab.locator("body").inner_text()
    leaked = sorted(n for n in setup["foreign"] if n in text)
    assert leaked == [], leaked


def check_page(tab, title: str, setup: dict) -> None:
    db, scope = setup["db"], setup["scope"]
    f = Filters(2021, 2023, unit=scope)
    s = engine(db, "summary", f)
    assert h1(tab) == PAGES[title]
    if title == "Tổng quan":
        assert first_card(tab) == formatting.fmt_int(s["registrations"]["total"], "vi")
    elif title == "Khen thưởng":
        assert first_card(tab) == formatting.fmt_int(s["awards"]["total"], "vi")
    elif title == "Chỉ tiêu và chất lượng":
        assert first_card(tab) == formatting.fmt_pct(s["target_compliance_rate"], "vi")
    elif title == "Dữ liệu":
        total = engine(db, "count_records", f, "dang_ky")
        assert f"/ {formatting.fmt_int(total, 'vi')}" in tab.locator("body").inner_text()
    elif title in ("Đơn vị", "So sánh giai đoạn"):
        assert setup["names"][scope] in tab.locator("body").inner_text()
    assert_scoped(tab, setup)


def test_a_wrong_password_keeps_the_login_page(server, page, setup):
    log_in(page, server, password="sai-mat-khau")
    assert h1(page) == "Đăng nhập"
    assert page.get_by_text("Tên đăng nhập hoặc mật khẩu không đúng.").count() == 1
    assert page.locator('[data-testid="stMetricValue"]').count() == 0


def test_a_scoped_viewer_sees_their_unit_on_every_page(server, page, setup):
    log_in(page, server)
    nav = page.locator('[data-testid="stSidebarNav"]')
    assert nav.get_by_text("Nhập dữ liệu").count() == 0  # a viewer has no import page
    for title in PAGES:
        nav.locator("a").filter(has_text=title).first.click()
        page.wait_for_function(
            f"() => document.querySelector('h1') && document.querySelector('h1').innerText.trim() === {title!r}",
            timeout=RUN_TIMEOUT_MS,
        )
        settle(page)
        check_page(page, title, setup)


@pytest.mark.parametrize("path", ["", "don-vi", "khen-thuong"])
def test_a_hand_edited_link_to_another_unit_shows_their_own(server, page, setup, path):
    log_in(page, f"{server}/{path}?unit={setup['sibling']}&from=2021&to=2023")
    title = {"": "Tổng quan", "don-vi": "Đơn vị", "khen-thuong": "Khen thưởng"}[path]
    check_page(page, title, setup)  # the page of the link, after the login
    assert page.get_by_text("nằm ngoài phạm vi tài khoản").count() == 1
    assert f"unit={setup['sibling']}" not in page.url


def test_the_data_page_csv_holds_only_the_subtree(server, page, setup):
    log_in(page, f"{server}/du-lieu?unit={setup['root']}")
    check_page(page, "Dữ liệu", setup)
    page.locator('[data-testid="stDataFrame"]').first.hover()
    toolbar = page.locator('[data-testid="stElementToolbar"] button')
    toolbar.first.wait_for(timeout=RUN_TIMEOUT_MS)
    assert "Download as CSV" not in [b.get_attribute("aria-label") for b in toolbar.all()]  # not recorded
    before = len(audit.read_log(setup["audit"], action="download"))
    button = page.locator('[data-testid="stDownloadButton"] button').filter(
        has_text="Tải toàn bộ", visible=True
    )
    with page.expect_download() as info:
        button.first.click()
    download = info.value
    assert setup["scope"] in download.suggested_filename
    text = Path(download.path()).read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))  # as Excel on a Vietnamese Windows
    f = Filters(2021, 2023, unit=setup["scope"])
    assert len(rows) == engine(setup["db"], "count_records", f, "dang_ky") > 0
    assert {r["Mã đơn vị"] for r in rows} <= setup["subtree"]
    logged = audit.read_log(setup["audit"], action="download")
    assert len(logged) == before + 1
    assert (logged[-1]["user"], logged[-1]["what"]) == (NAME, download.suggested_filename)
    assert logged[-1]["filters"]["unit"] == setup["scope"]


def test_a_login_survives_a_reload_and_a_new_tab_until_the_logout(server, page, setup, browser):
    log_in(page, f"{server}/khen-thuong")
    assert h1(page) == "Khen thưởng"
    page.wait_for_function("() => document.cookie.includes('dvk_session=')", timeout=RUN_TIMEOUT_MS)
    [cookie] = [c for c in page.context.cookies() if c["name"] == "dvk_session"]
    assert cookie["sameSite"] == "Strict" and cookie["path"] == "/" and not cookie["secure"]  # http here
    assert 11 * 3600 < cookie["expires"] - time.time() <= 12 * 3600
    logins = len(audit.read_log(setup["audit"], action="login"))

    page.reload()
    settle(page)
    assert h1(page) == "Khen thưởng"  # no login form after a reload
    other = page.context.new_page()
    other.goto(f"{server}/don-vi")
    settle(other)
    assert h1(other) == "Đơn vị"  # nor in a new tab
    assert_scoped(other, setup)
    assert len(audit.read_log(setup["audit"], action="login")) == logins  # no new login recorded

    page.locator(".st-key-auth_logout button").click()
    page.wait_for_function(
        "() => document.querySelector('h1')?.innerText.trim() === 'Đăng nhập'", timeout=RUN_TIMEOUT_MS
    )
    page.wait_for_function("() => !document.cookie.includes('dvk_session=')", timeout=RUN_TIMEOUT_MS)
    other.reload()
    settle(other)
    assert h1(other) == "Đăng nhập"  # the other tab is logged out too
    assert audit.read_log(setup["audit"])[-1]["action"] == "logout"

    stolen = browser.new_context(viewport=VIEWPORT, locale="vi-VN")  # a copy of the cookie, after logout
    stolen.add_cookies([cookie])
    tab = stolen.new_page()
    tab.goto(f"{server}/khen-thuong")
    settle(tab)
    assert h1(tab) == "Đăng nhập" and tab.locator('[data-testid="stMetricValue"]').count() == 0
    stolen.close()


def test_a_forged_cookie_is_refused(server, page):
    page.context.add_cookies(
        [{"name": "dvk_session", "value": "eyJ1IjoibGFuIiwicyI6IngiLCJoIjoieCJ9.Z0.forged", "url": server}]
    )
    page.goto(f"{server}/khen-thuong")
    settle(page)
    assert h1(page) == "Đăng nhập" and page.locator('[data-testid="stMetricValue"]').count() == 0

"""Names planted in the data harm nobody, in a real headless Chromium: a database whose unit, model
and person names hold markdown images, links, HTML and a beacon URL pointing at a tiny HTTP server
on a loopback port; every page is opened, and the beacon is never asked for anything, Chromium asks
no host but the dashboard's, no link in the page leads where a name says, and the names show as
written. A link with `page=²` shows the data page, no traceback.

Needs Debian's chromium (/usr/bin/chromium); skipped without it, except under CI=true.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from support.browser import free_port, require_chromium, running_dashboard, wait_until_drawn
from support.builders import hostile_bloc, hostile_names

pytestmark = pytest.mark.browser

RUN_TIMEOUT_MS = 120_000
WORD_JOINER = "\u2060"  # dashboard/escape.py splits autolinks with it: invisible, left out here
PAGES = [  # (path and query, h1)
    ("", "Tổng quan"),
    ("?unit=A", "Tổng quan"),
    ("don-vi", "Đơn vị"),
    ("don-vi?unit=A", "Đơn vị"),
    ("so-sanh", "So sánh giai đoạn"),
    ("khen-thuong", "Khen thưởng"),
    ("chi-tieu?unit=A", "Chỉ tiêu và chất lượng"),
    ("chi-tieu", "Chỉ tiêu và chất lượng"),
    ("du-lieu", "Dữ liệu"),
    ("du-lieu?table=khen_thuong", "Dữ liệu"),
    ("nhap-du-lieu", "Nhập dữ liệu"),
    ("du-lieu?page=²&size=²", "Dữ liệu"),
]

require_chromium()

sync_api = pytest.importorskip("playwright.sync_api")


class Beacon:
    """An HTTP server on a free loopback port that remembers every path asked of it."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        hits = self.hits

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the http.server name)
                hits.append(self.path)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)


@pytest.fixture(scope="module")
def beacon() -> Iterator[Beacon]:
    b = Beacon()
    b.thread.start()
    try:
        yield b
    finally:
        b.server.shutdown()
        b.server.server_close()


@pytest.fixture(scope="module")
def server(beacon, tmp_path_factory) -> Iterator[str]:
    """`dvk serve` (open mode) on a database of hostile names; yields its base URL."""
    folder = tmp_path_factory.mktemp("browser_hostile")
    db = hostile_bloc(beacon.url).build(folder)
    with running_dashboard(db, folder / "streamlit.log") as dashboard:
        yield dashboard.url


def settle(tab) -> None:
    wait_until_drawn(tab, RUN_TIMEOUT_MS, pause_ms=800)


def body_text(tab) -> str:
    return tab.locator("body").inner_text().replace(WORD_JOINER, "")


def chart_texts(tab) -> str:
    """What the charts draw (SVG text), tick labels and tile labels included."""
    return tab.eval_on_selector_all(
        '[data-testid="stPlotlyChart"] svg text', "els => els.map(e => e.textContent).join('\\n')"
    )


def test_planted_names_are_text_on_every_page(server, beacon, page, tmp_path):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    names = hostile_names(beacon.url)
    for path, title in PAGES:
        page.goto(f"{server}/{path}")
        settle(page)
        assert page.locator("h1").first.inner_text().strip() == title, path
        assert page.locator('[data-testid="stException"]').count() == 0, path
        text = body_text(page)
        assert "Traceback" not in text and "ValueError" not in text, path
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        planted = [
            h for h in hrefs if "evil" in h or str(beacon.port) in h or h.lower().startswith("javascript")
        ]
        assert planted == [], (path, planted)
        assert page.locator(f"img[src*='evil'], img[src*=':{beacon.port}']").count() == 0, path
        if path in ("", "so-sanh", "khen-thuong", "chi-tieu", "du-lieu"):
            assert names["K"] in text, path  # the scope line under the title, as written
        if path in ("?unit=A", "don-vi?unit=A"):
            assert names["A"] in text, path  # the scope line (and the narrative, the ranking title)
        if path == "don-vi?unit=A":
            assert f"Lên cấp trên: {names['K']}" in text  # the way up, a button label
            assert "<b>A1</b>" in chart_texts(page)  # a treemap tile, as written
        if path == "chi-tieu?unit=A":
            assert "<b>A1</b>" in chart_texts(page)  # a heatmap row, as written
        if path == "so-sanh":
            assert names["A"][:20] in chart_texts(page)  # the units' bars, as written
        page.screenshot(path=str(tmp_path / f"{path.replace('?', '_') or 'tong-quan'}.png"), full_page=True)
    assert beacon.hits == []  # no image, link or script in a name reached the beacon
    hosts = {urlparse(u).hostname for u in requests if u.startswith(("http:", "https:", "ws:", "wss:"))}
    assert hosts <= {"127.0.0.1", "localhost"}, hosts
    shots = Path(__file__).resolve().parent / "artifacts" / "hostile"
    shots.mkdir(parents=True, exist_ok=True)
    for shot in tmp_path.glob("*.png"):  # kept for a person to look at (tests/artifacts is git-ignored)
        (shots / shot.name).write_bytes(shot.read_bytes())

"""Browser timings for the benchmark: Tổng quan drawn after opening, and after a period change.

Starts the dashboard with `dvk serve` (python -m queries serve) on the given database and drives Debian's chromium through
Playwright, the same way tests/test_browser.py does.
"""

from __future__ import annotations

import contextlib
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from queries import store

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
FLOOR_APP = ROOT / "benchmarks" / "floor_app.py"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 120_000
FLOOR_ROUNDS = 3  # first visits of each page compared, taking turns

# Every chart drawn and no skeleton left, on a page that may have no chart (Dữ liệu).
SETTLED = """() => !document.querySelector('[data-testid="stSkeleton"], [data-testid="stSkeletonElement"]')
    && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].every(c => c.querySelector('.main-svg'))"""

# Tổng quan drawn: the script finished, the headline there, at least one chart, all settled.
DRAWN = f"""() => {{
    const app = document.querySelector('[data-testid="stApp"]');
    return app && app.getAttribute('data-test-script-state') === 'notRunning'
        && document.querySelector('h1')
        && document.querySelector('[data-testid="stPlotlyChart"]') !== null
        && ({SETTLED})();
}}"""


# When the headline and the first chart appear, noted by the page itself (ms since navigation);
# and how many script runs have finished (window.__dvkRuns), to wait for a page's own run.
TIMELINE = """(() => {
    const seen = {};
    window.__dvkTimeline = seen;
    window.__dvkRuns = 0;
    let state = null;
    new MutationObserver(() => {
        if (!seen.h1 && document.querySelector('h1')) seen.h1 = performance.now();
        if (!seen.chart && document.querySelector('[data-testid="stPlotlyChart"] .main-svg')) seen.chart = performance.now();
        const app = document.querySelector('[data-testid="stApp"]');
        const now = app && app.getAttribute('data-test-script-state');
        if (now !== state && now === 'notRunning' && state === 'running') window.__dvkRuns += 1;
        state = now;
    }).observe(document, {childList: true, subtree: true, attributes: true, attributeFilter: ['data-test-script-state']});
})()"""

# The other report pages, by their link in the sidebar: each opened after the one before.
OTHER_PAGES = ("Đơn vị", "So sánh giai đoạn", "Khen thưởng", "Chỉ tiêu và chất lượng", "Dữ liệu")

# Where the first open's time went: the timeline, and Streamlit's Plotly bundle fetched.
PHASES = """() => {
    const plotly = performance.getEntriesByType('resource').find(r => /PlotlyChart[^/]*\\.js$/.test(r.name));
    const nav = performance.getEntriesByType('navigation')[0];
    const t = window.__dvkTimeline || {};
    return {dom_ready: nav ? nav.domContentLoadedEventEnd : null, headline: t.h1 ?? null,
            plotly_requested: plotly ? plotly.startTime : null, plotly_fetched: plotly ? plotly.responseEnd : null,
            plotly_bytes: plotly ? plotly.encodedBodySize : null, first_chart: t.chart ?? null};
}"""


def free_port() -> int:
    """A TCP port free on this machine now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(db: Path):
    """A dashboard server on `db`; yields its base URL."""
    port = free_port()
    env = dict(os.environ, **{store.ENV_DB: str(db)})
    env.pop("DVK_USERS", None)
    # The product's own command (`dvk serve`), as users start it: it warms the server up.
    cmd = [sys.executable, "-m", "queries", "serve", "--db", str(db), "--port", str(port)]
    with _server(cmd, port, env) as base:
        yield base


@contextlib.contextmanager
def serve_floor(chart: bool):
    """A bare Streamlit page (benchmarks/floor_app.py), with one Plotly chart or none; yields its URL."""
    port = free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", str(FLOOR_APP), "--server.port", str(port)]
    cmd += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    if chart:
        cmd += ["--", "chart"]
    with _server(cmd, port, dict(os.environ)) as base:
        yield base


@contextlib.contextmanager
def _server(cmd: list[str], port: int, env: dict):
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        if not wait_until_healthy(base, proc, 60):
            raise RuntimeError(f"the server did not start: {' '.join(cmd)}")
        yield base
    finally:
        stop_server(proc, 10)


def wait_until_healthy(base: str, proc: subprocess.Popen, seconds: float) -> bool:
    """Whether the Streamlit server at `base` answers its health check within `seconds`
    (False as soon as its process has ended)."""
    deadline = time.monotonic() + seconds
    while True:
        with contextlib.suppress(OSError):
            if urllib.request.urlopen(f"{base}/_stcore/health", timeout=2).status == 200:
                return True
        if proc.poll() is not None or time.monotonic() > deadline:
            return False
        time.sleep(0.3)


def stop_server(proc: subprocess.Popen, seconds: float) -> None:
    """Ask the server to end; kill it when it has not within `seconds`."""
    proc.terminate()
    try:
        proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=seconds)


def _first_metric(tab) -> str:
    return tab.locator('[data-testid="stMetricValue"]').first.inner_text().strip()


def measure(db: Path) -> dict:
    """Seconds to a fully drawn Tổng quan (first and second open) and to the redraw after a period change
    (median and slowest of len(CHANGES) changes);
    for the first open, when its phases ended (seconds since navigation: page ready, headline shown,
    Plotly bundle requested and fetched, first chart drawn); then each other report page opened
    from the sidebar, to drawn."""
    from playwright.sync_api import sync_playwright

    with serve(db) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="vi-VN")
            context.add_init_script(TIMELINE)
            tab = context.new_page()
            start = time.perf_counter()
            tab.goto(f"{base}/?from=2021&to=2023")
            tab.wait_for_function(DRAWN, timeout=TIMEOUT_MS, polling=50)
            open_cold = time.perf_counter() - start
            phases = tab.evaluate(PHASES)
            for k, v in phases.items():  # milliseconds since navigation → seconds
                if k != "plotly_bytes" and v is not None:
                    phases[k] = v / 1000

            start = time.perf_counter()
            tab.goto(f"{base}/?from=2021&to=2023")
            tab.wait_for_function(DRAWN, timeout=TIMEOUT_MS, polling=50)
            open_warm = time.perf_counter() - start

            changes = [_change_period(tab, year) for year in CHANGES]
            pages = {name: _open_page(tab, name) for name in OTHER_PAGES}
            context.close()
            floor = first_opens(browser, f"{base}/?from=2021&to=2023")
        finally:
            browser.close()
    return {
        "open_s": open_cold,
        "open_warm_s": open_warm,
        "change_s": statistics.median(changes),
        "change_max_s": max(changes),
        "changes_s": changes,
        "first_open": phases,
        "pages_s": pages,
        "floor": floor,
    }


# A bare Streamlit page drawn: its script finished, its heading shown, nothing still loading.
HEADING_DRAWN = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return app && app.getAttribute('data-test-script-state') === 'notRunning' && document.querySelector('h1')
        && !document.querySelector('[data-testid="stSkeleton"], [data-testid="stSkeletonElement"]');
}"""


def first_opens(browser, dashboard: str, rounds: int = FLOOR_ROUNDS) -> dict:
    """Seconds to drawn on a first visit (a new browser context: empty cache), `rounds` times each and
    taking turns, for the dashboard's Tổng quan and for two bare Streamlit pages (benchmarks/floor_app.py):
    a heading only, and a heading with one Plotly chart. Whatever Streamlit and its Plotly element need
    on a first visit on this machine, with none of the product's work; medians compared within one run."""
    with serve_floor(chart=False) as heading, serve_floor(chart=True) as chart:
        targets = {
            "dashboard": (dashboard, DRAWN),
            "streamlit_heading": (heading, HEADING_DRAWN),
            "streamlit_chart": (chart, DRAWN),
        }
        times: dict[str, list[float]] = {name: [] for name in targets}
        for _ in range(rounds):
            for name, (url, drawn) in targets.items():
                context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="vi-VN")
                try:
                    tab = context.new_page()
                    start = time.perf_counter()
                    tab.goto(url)
                    tab.wait_for_function(drawn, timeout=TIMEOUT_MS, polling=50)
                    times[name].append(time.perf_counter() - start)
                finally:
                    context.close()
    return {f"{name}_s": sorted(values) for name, values in times.items()} | {
        f"{name}_median_s": statistics.median(values) for name, values in times.items()
    }


def _open_page(tab, link: str) -> float:
    """Seconds from clicking a page's link in the sidebar to that page's run finished and drawn."""
    runs = tab.evaluate("() => window.__dvkRuns")
    start = time.perf_counter()
    tab.get_by_role("link", name=link, exact=True).click()
    tab.wait_for_function(f"() => window.__dvkRuns > {runs} && ({SETTLED})()", timeout=TIMEOUT_MS, polling=50)
    return time.perf_counter() - start


# The period changes measured, one after the other, from 2021-2023: each to a year not yet shown.
CHANGES = (2022, 2019, 2023, 2020, 2018)


def _change_period(tab, year: int) -> float:
    """Seconds from choosing "Năm YEAR" in the period box to the page redrawn with new figures."""
    before = _first_metric(tab)
    tab.get_by_role("combobox", name="Kỳ báo cáo").click()
    option = tab.get_by_role("option", name=f"Năm {year}")
    start = time.perf_counter()
    option.click()
    tab.wait_for_function(
        f"""() => {{
            const m = document.querySelector('[data-testid="stMetricValue"]');
            return m && m.innerText.trim() !== {before!r} && ({DRAWN})();
        }}""",
        timeout=TIMEOUT_MS,
        polling=50,
    )
    return time.perf_counter() - start

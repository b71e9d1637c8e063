"""The benchmark's browser floor runs: the dashboard and the two bare Streamlit pages
(benchmarks/floor_app.py) are each opened in a new browser context and found drawn.

Timings are printed by the benchmark, never asserted here (shared, noisy machines)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from support.browser import require_chromium

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import browser as bench_browser  # noqa: E402

require_chromium()
pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_the_bare_pages_wait_for_what_they_show(browser):
    """The floor's 'drawn' conditions are not met by a page that has not drawn its chart yet."""
    with bench_browser.serve_floor(chart=False) as heading:
        tab = browser.new_context().new_page()
        tab.goto(heading)
        tab.wait_for_function(bench_browser.HEADING_DRAWN, timeout=60_000)
        # the heading page has no chart: the chart page's condition is never met on it
        assert tab.evaluate(bench_browser.DRAWN) is False
        assert tab.locator("h1").inner_text() == "Tổng quan"
        tab.context.close()


def test_the_first_visits_alone_give_the_summary_ratio(demo_copy, browser):
    """The dashboard and the two bare pages are each opened in a new context and found drawn, as
    `bench.py --first-visits N` (the first-visit part of the benchmark alone): one turn each; the
    ratio is the dashboard's median over the bare Plotly page's, as the results file's summary."""
    from benchmarks import bench

    # one turn here (the benchmark runs several); the median of one time is that time
    fl = bench.first_visits(demo_copy, rounds=1, chromium=browser)
    for name in ("dashboard", "streamlit_heading", "streamlit_chart"):
        times = fl[f"{name}_s"]
        assert len(times) == 1 and all(0 < t < bench_browser.TIMEOUT_MS / 1000 for t in times)
        assert fl[f"{name}_median_s"] == pytest.approx(times[0])
    assert fl["first_visit_vs_floor"] == fl["dashboard_s"][0] / fl["streamlit_chart_s"][0]
    line = bench.first_visit_line("demo", fl)
    assert (
        line.startswith("demo: Tổng quan ")
        and f"first_visit_vs_floor {fl['first_visit_vs_floor']:.2f}" in line
    )

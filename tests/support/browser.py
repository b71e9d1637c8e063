"""What a browser test needs besides its own checks: Debian's Chromium and a running dashboard.

`require_chromium()` at the top of a browser test module skips it where /usr/bin/chromium is missing
(fails under CI=true); `CHROMIUM` and `CHROMIUM_ARGS` are what to launch; `running_dashboard()`
starts the project's `dvk serve` on a free port against a database and stops it again.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from benchmarks import browser as bench_browser
from support import tools

ROOT = Path(__file__).resolve().parents[2]
# Debian's Chromium and its flags: one definition, in the benchmark's browser module.
CHROMIUM = Path(bench_browser.CHROMIUM)
CHROMIUM_ARGS = list(bench_browser.FLAGS)
STARTUP_SECONDS = 60


def require_chromium() -> None:
    """Skip the calling test module without /usr/bin/chromium (fail instead under CI=true)."""
    tools.require([] if CHROMIUM.exists() else [str(CHROMIUM)], "chromium", module=True)


free_port = bench_browser.free_port


@dataclass
class Dashboard:
    url: str  # base URL, no trailing slash
    process: subprocess.Popen
    log: Path  # the server's stdout and stderr

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextlib.contextmanager
def running_dashboard(db: Path, log: Path, env: dict[str, str] | None = None) -> Iterator[Dashboard]:
    """`dvk serve --db DB --port <free>` (this checkout's code first on the path); stopped on exit.

    The command replaces itself with `python -m dashboard.launch run dashboard/app.py`, so `process` is the
    Streamlit server itself. `env` adds variables to the server's environment.
    """
    port = free_port()
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    server_env = dict(os.environ, PYTHONPATH=path, **(env or {}))
    out = open(log, "wb")  # noqa: SIM115 (closed below)
    proc = subprocess.Popen(
        [sys.executable, "-m", "queries", "serve", "--db", str(db), "--port", str(port)],
        cwd=ROOT,
        env=server_env,
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        if not bench_browser.wait_until_healthy(base, proc, STARTUP_SECONDS):
            out.flush()
            pytest.fail("the dashboard did not start:\n" + log.read_text(errors="replace")[-5000:])
        yield Dashboard(base, proc, log)
    finally:
        bench_browser.stop_server(proc, 15)
        out.close()


VIEWPORT = {"width": 1400, "height": 900}


def wait_until_drawn(tab, timeout_ms: int, pause_ms: int = 600) -> None:
    """Wait until the page script has run and every chart has drawn: the h1 the script writes (the
    run has begun), the app's state back to notRunning, no skeleton left (lazily loaded elements show
    one until drawn) and an SVG in every Plotly chart; then `pause_ms` for fonts and the last chart
    transitions."""
    tab.wait_for_selector("h1", timeout=timeout_ms)
    tab.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout_ms)
    tab.wait_for_function(
        """() => !document.querySelector('[data-testid="stSkeleton"], [data-testid="stSkeletonElement"]')
                 && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
                    .every(chart => chart.querySelector('.main-svg'))""",
        timeout=timeout_ms,
    )
    tab.wait_for_timeout(pause_ms)


def assert_no_error_shown(tab) -> None:
    """No exception box and no "Page not found" on the page."""
    errors = tab.locator('[data-testid="stException"]')
    assert errors.count() == 0, errors.first.inner_text()
    assert tab.get_by_text("Page not found").count() == 0

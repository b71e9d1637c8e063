"""`deploy/local-cluster.sh check`: the local cluster (nginx in front of `dvk serve` replicas sharing
one database file) under 10 concurrent Chromium sessions, with an import landing in the middle.

Checks, each failing the run:
- every session's pages settle through nginx with no Streamlit exception on them;
- an import (`dvk import` of a small registrations CSV, new codes each run) lands while the sessions
  browse; afterwards every session's Tổng quan, and Tổng quan opened on each replica directly, shows
  the new total of registrations (the same number `figures.summary` gives on the file);
- the sessions were spread over more than one replica and each browser stayed on its replica
  (nginx's access log: the route cookie against the upstream address);
- scripts arrive gzip-compressed through nginx (the app bundle, and every /static/ script the
  browsers fetched), with long-lived cache headers.

Prints one line and exits 0 (all held) or 1. Bounded: every wait has a timeout, loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gzip
import re
import statistics
import sys
import time
import urllib.request
from collections import defaultdict
from datetime import datetime
from pathlib import Path

from benchmarks import browser as bench_browser

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from queries import figures, formatting, store  # noqa: E402

SESSIONS = 10
# Each session opens one of these pages by its link first (title, path), then goes to Tổng quan by
# the sidebar once the import has landed, in the same Streamlit session, and reads its headline.
FIRST_PAGES = [
    ("Đơn vị", "don-vi"),
    ("So sánh giai đoạn", "so-sanh"),
    ("Khen thưởng", "khen-thuong"),
    ("Dữ liệu", "du-lieu"),
]
OVERVIEW = "Tổng quan"
QUERY = "from=2021&to=2023"
PERIOD = figures.Filters(2021, 2023)
NEW_REGISTRATIONS = 25
GZIP_MIN_LENGTH = 1024  # deploy/nginx.conf
PAGE_SHARE = 0.6  # of the time allowed, the most one page may take
TOTAL_SECONDS = 170
STAGGER_SECONDS = 0.5  # sessions start one after another, as visitors do
CHROMIUM = bench_browser.CHROMIUM  # Debian's Chromium, with the flags the benchmark and tests use
CHROMIUM_ARGS = list(bench_browser.FLAGS)
# The page's script run has finished on the server with this title (charts may still be drawing).
SETTLED = """title => {
    const app = document.querySelector('[data-testid="stApp"]');
    const h1 = document.querySelector('[data-testid="stMain"] h1');
    return app && app.getAttribute('data-test-script-state') === 'notRunning'
        && h1 && h1.innerText.trim() === title;
}"""
# The value of the metric card whose label holds the text.
CARD_VALUE = """label => {
    for (const value of document.querySelectorAll('[data-testid="stMetricValue"]')) {
        let card = value.parentElement;
        while (card && !card.querySelector('[data-testid="stMetricLabel"]')) card = card.parentElement;
        if (card && card.querySelector('[data-testid="stMetricLabel"]').innerText.includes(label)) {
            return value.innerText.trim();
        }
    }
    return "";
}"""
# ... and the browser has drawn every chart (for the screenshot).
DRAWN = """() => !document.querySelector('[data-testid="stSkeleton"], [data-testid="stSkeletonElement"]')
    && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].every(c => c.querySelector('.main-svg'))"""


def registrations_total(db: Path) -> int:
    cur = store.Snapshot(db).cursor()
    try:
        return int(figures.summary(cur, PERIOD)["registrations"]["total"])
    finally:
        cur.close()


def write_import(folder: Path, db: Path) -> Path:
    """A CSV of NEW_REGISTRATIONS registrations in 2022 under a unit that has some, with new codes."""
    cur = store.Snapshot(db).cursor()
    try:
        (unit,) = cur.execute(
            "select ma_don_vi from dang_ky where nam = 2022 order by ma_don_vi limit 1"
        ).fetchone()
    finally:
        cur.close()
    stamp = datetime.now().strftime("%Y%m%d%H%M%S")
    lines = ['"Mã đăng ký","Năm","Mã đơn vị","Đối tượng","Tên tập thể, cá nhân","Tên mô hình","Lĩnh vực"']
    for i in range(NEW_REGISTRATIONS):
        subject = "Tập thể" if i % 5 == 0 else "Cá nhân"
        lines.append(
            f'"KT-{stamp}-{i:02d}",2022,"{unit}","{subject}","Người kiểm tra {i}","Mô hình kiểm tra","Khác"'
        )
    path = folder / f"dang_ky_kiem_tra_{stamp}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def settle(page, title: str, timeout_ms: float) -> None:
    await page.wait_for_function(SETTLED, arg=title, timeout=timeout_ms, polling=250)


async def headline(page, expected: str, timeout_ms: float) -> str:
    """The «Lượt đăng ký» card of Tổng quan (the period's registrations), once it shows `expected` or
    when the time is up (a page drawn again after an import replaces its cards one by one)."""
    deadline = time.monotonic() + timeout_ms / 1000
    value = ""
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            value = await page.evaluate(CARD_VALUE, "Lượt đăng ký")
        if value == expected:
            break
        await asyncio.sleep(1)
    return value


async def exceptions(page) -> list[str]:
    found = page.locator('[data-testid="stException"]')
    return [(await found.nth(i).inner_text())[:200] for i in range(await found.count())]


class Run:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.problems: list[str] = []
        self.page_seconds: list[float] = []
        self.first_pages = asyncio.Event()
        self.imported = asyncio.Event()
        self.import_landed_at: float | None = None
        self.started = time.monotonic()
        self.scripts: dict[str, str | None] = {}  # /static/ script URL -> Content-Encoding seen by a browser
        self.after_shown: list[str] = []
        self.replica_values: list[str] = []
        self.photographed = False
        self.seconds = args.seconds
        self.page_ms = args.seconds * PAGE_SHARE * 1000

    def problem(self, text: str) -> None:
        self.problems.append(text)

    async def shown(self, page, title: str, who: str, go) -> bool:
        """Run `go` (a navigation), wait until the page `title` has finished its run; False on a problem."""
        start = time.monotonic()
        try:
            await go()
            await settle(page, title, self.page_ms)
        except Exception as exc:  # noqa: BLE001 (a timeout is a failed check, reported)
            self.problem(f"{who}: {title} did not settle ({type(exc).__name__})")
            return False
        self.page_seconds.append(time.monotonic() - start)
        errors = await exceptions(page)
        if errors:
            self.problem(f"{who}: {title} shows an exception: {errors[0]}")
            return False
        return True

    async def session(self, browser, i: int, expected: asyncio.Future) -> None:
        who = f"session {i + 1}"
        await asyncio.sleep(i * STAGGER_SECONDS)
        ctx = await browser.new_context(viewport={"width": 1400, "height": 900}, locale="vi-VN")
        page = await ctx.new_page()

        def seen(response) -> None:
            if "/static/" in response.url and response.url.endswith(".js"):
                length = int(response.headers.get("content-length") or GZIP_MIN_LENGTH)
                if length >= GZIP_MIN_LENGTH:  # nginx leaves smaller ones as they are (gzip_min_length)
                    self.scripts[response.url] = response.headers.get("content-encoding")

        page.on("response", seen)
        try:
            title, path = FIRST_PAGES[i % len(FIRST_PAGES)]
            url = f"{self.args.proxy}/{path}?{QUERY}"
            await self.shown(page, title, who, lambda: page.goto(url, timeout=self.page_ms))
            self.first_pages.set()  # the first page is up: the import may land while the others load
            await asyncio.wait_for(self.imported.wait(), self.seconds)
            link = page.locator('[data-testid="stSidebarNavLink"]').filter(
                has=page.get_by_text(OVERVIEW, exact=True)
            )
            if await self.shown(page, OVERVIEW, who, lambda: link.click(timeout=self.page_ms)):
                value = await headline(page, expected.result(), 60_000)
                if value == expected.result():
                    self.after_shown.append(value)
                else:
                    cards = await page.evaluate(
                        "() => [...document.querySelectorAll('[data-testid=\\'stMetricLabel\\']')].map(e => e.innerText.trim()).join('/')"
                    )
                    self.problem(f"{who}: cards on the page: {cards or 'none'}")
                if value != expected.result():
                    self.problem(
                        f"{who}: Tổng quan shows {value} after the import, expected {expected.result()}"
                    )
                if not self.photographed:  # the first session to get here
                    self.photographed = True
                    with contextlib.suppress(Exception):  # a picture, not a check
                        await page.wait_for_function(DRAWN, timeout=30_000, polling=500)
                    await page.wait_for_timeout(500)
                    await page.screenshot(path=str(self.args.dir / "cluster-overview.png"))
        finally:
            await ctx.close()

    async def importer(self, csv: Path, expected: asyncio.Future) -> None:
        with contextlib.suppress(TimeoutError):  # land it anyway after a while
            await asyncio.wait_for(self.first_pages.wait(), self.seconds / 3)
        proc = await asyncio.create_subprocess_exec(
            str(Path(sys.executable).parent / "dvk"),
            "--db",
            str(self.args.db),
            "import",
            str(csv),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        out, _ = await asyncio.wait_for(proc.communicate(), 120)
        self.import_landed_at = time.monotonic() - self.started
        if proc.returncode != 0:
            self.problem(f"dvk import failed: {out.decode(errors='replace')[-300:]}")
        total = registrations_total(self.args.db)
        if total != self.before + NEW_REGISTRATIONS:
            self.problem(
                f"the database holds {total} registrations, expected {self.before + NEW_REGISTRATIONS}"
            )
        self.expected = formatting.fmt_int(total, "vi")
        csv.unlink()
        expected.set_result(self.expected)
        self.imported.set()

    async def replicas(self, browser, expected: asyncio.Future) -> None:
        """Once the import has landed, Tổng quan opened on each replica directly (not through nginx):
        the new total on every one."""
        await asyncio.wait_for(self.imported.wait(), self.seconds)

        async def one(port: int) -> str | None:
            ctx = await browser.new_context(viewport={"width": 1400, "height": 900}, locale="vi-VN")
            try:
                page = await ctx.new_page()
                url = f"http://127.0.0.1:{port}/?{QUERY}"
                if not await self.shown(
                    page, OVERVIEW, f"replica {port}", lambda: page.goto(url, timeout=self.page_ms)
                ):
                    return None
                value = await headline(page, expected.result(), 60_000)
                if value != expected.result():
                    self.problem(f"replica {port} shows {value}, expected {expected.result()}")
                return value
            finally:
                await ctx.close()

        values = await asyncio.gather(*(one(port) for port in self.args.replicas))
        self.replica_values = [v for v in values if v == expected.result()]

    async def main(self) -> None:
        from playwright.async_api import async_playwright

        self.before = registrations_total(self.args.db)
        csv = write_import(self.args.dir, self.args.db)
        loop = asyncio.get_running_loop()
        expected: asyncio.Future = loop.create_future()
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                await asyncio.gather(
                    self.importer(csv, expected),
                    *(self.session(browser, i, expected) for i in range(SESSIONS)),
                    self.replicas(browser, expected),
                )
            finally:
                await browser.close()


def fetch(url: str) -> tuple[dict[str, str], bytes, bytes]:
    """Headers, the body as sent (gzip accepted) and the body itself."""
    req = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        headers = {k.lower(): v for k, v in resp.headers.items()}
        sent = resp.read()
    return headers, sent, gzip.decompress(sent) if headers.get("content-encoding") == "gzip" else sent


def compression(run: Run) -> str:
    """The app bundle and the largest script the browsers fetched, through nginx: gzip and cached."""
    html = fetch(f"{run.args.proxy}/")[2]
    match = re.search(rb'src="\.?/?(static/js/index\.[^"]+\.js)"', html)
    if not match:
        run.problem("no static/js/index.*.js in the page")
        return "no app bundle"
    sizes = []
    urls = [f"{run.args.proxy}/{match.group(1).decode()}"]
    proxied = [u for u in run.scripts if u.startswith(run.args.proxy)]
    largest = None
    for url in proxied:
        raw = fetch(url)[2]
        if largest is None or len(raw) > largest[1]:
            largest = (url, len(raw))
    if largest and largest[0] not in urls:
        urls.append(largest[0])
    for url in urls:
        headers, body, raw = fetch(url)
        if headers.get("content-encoding") != "gzip":
            run.problem(f"{url} arrived without gzip ({headers.get('content-encoding')})")
            continue
        if "immutable" not in headers.get("cache-control", ""):
            run.problem(f"{url} is not cached for long: {headers.get('cache-control')}")
        sizes.append(f"{url.rsplit('/', 1)[1]} {len(raw) / 1e6:.2f}→{len(body) / 1e6:.2f} MB")
    plain = [u for u, enc in run.scripts.items() if u.startswith(run.args.proxy) and enc != "gzip"]
    if plain:
        run.problem(f"{len(plain)} of {len(proxied)} scripts reached a browser uncompressed, e.g. {plain[0]}")
    if not proxied:
        run.problem("the browsers fetched no /static/ script through nginx")
    return f"gzip on {len(proxied) - len(plain)}/{len(proxied)} scripts ({', '.join(sizes)})"


def stickiness(run: Run, log: Path, offset: int) -> str:
    """From nginx's access log since the run began: replicas used by websockets; one replica per browser."""
    routes: dict[str, set[str]] = defaultdict(set)
    sockets: set[str] = set()
    browsers: set[str] = set()  # routes that opened a websocket: the Chromium sessions
    text = log.read_bytes()[offset:].decode(errors="replace")
    for line in text.splitlines():
        m = re.search(r'"(\w+) (\S+)[^"]*" (\d+) .*upstream=(\S+) route=(\S+)', line)
        if not m or m.group(4) == "-":
            continue
        path, upstream, route = m.group(2), m.group(4), m.group(5)
        routes[route].add(upstream)
        if path.startswith("/_stcore/stream"):
            sockets.add(upstream)
            browsers.add(route)
    moved = [r for r, ups in routes.items() if len(ups) > 1]
    if moved:
        run.problem(f"{len(moved)} browser(s) reached more than one replica: {sorted(routes[moved[0]])}")
    if len(sockets) < 2:
        run.problem(f"all sessions' websockets went to {sorted(sockets)}: not spread over the replicas")
    return f"{len(sockets)} replicas used by {len(browsers)} browsers, each browser kept to one"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proxy", required=True, help="nginx address, e.g. http://127.0.0.1:8548")
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--dir", type=Path, required=True, help="the cluster's folder (nginx's access.log)")
    parser.add_argument("--replicas", nargs="+", type=int, required=True, help="the replicas' ports")
    parser.add_argument(
        "--seconds",
        type=float,
        default=TOTAL_SECONDS,
        help=f"time allowed for the browsing (default {TOTAL_SECONDS})",
    )
    args = parser.parse_args(argv)
    log = args.dir / "access.log"
    offset = log.stat().st_size if log.exists() else 0
    run = Run(args)
    try:
        asyncio.run(asyncio.wait_for(run.main(), args.seconds))
    except Exception as exc:  # noqa: BLE001 (reported as the result line)
        run.problem(f"{type(exc).__name__}: {exc}"[:300])
    try:
        gz = compression(run)
    except OSError as exc:
        run.problem(f"fetching scripts through nginx: {exc}")
        gz = "scripts not fetched"
    spread = stickiness(run, log, offset) if log.exists() else "no access log"
    seconds = time.monotonic() - run.started
    pages = sorted(run.page_seconds)
    timing = (
        f"page settled p50 {statistics.median(pages):.1f} s, max {pages[-1]:.1f} s over {len(pages)} loads"
        if pages
        else "no page settled"
    )
    landed = f"{run.import_landed_at:.0f} s" if run.import_landed_at is not None else "never"
    shown = getattr(run, "expected", "?")
    verdict = "OK" if not run.problems else "FAILED"
    print(
        f"cluster check {verdict} in {seconds:.0f} s: {SESSIONS} Chromium sessions through nginx, "
        f"{spread}; import of {NEW_REGISTRATIONS} registrations landed at {landed}, "
        f"registrations {formatting.fmt_int(getattr(run, 'before', 0), 'vi')} → {shown} on "
        f"{len(run.after_shown)}/{SESSIONS} sessions and {len(run.replica_values)}/"
        f"{len(args.replicas)} replicas; {timing}; {gz}; "
        + (f"{len(run.problems)} problem(s): " + " | ".join(run.problems[:5]) if run.problems else "0 errors")
    )
    return 0 if not run.problems else 1


if __name__ == "__main__":
    sys.exit(main())

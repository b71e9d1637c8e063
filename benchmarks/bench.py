"""The performance benchmark (issue 5): import speed and memory, page data work, a pandas baseline, browser.

    python benchmarks/bench.py                      # 100k, 1M and 10M, everything
    python benchmarks/bench.py --sizes 100k --combos 10 --no-browser --no-baseline   # the smoke run
    python benchmarks/bench.py --sizes 100k --first-visits 5   # only the first visits against the floor

One run measures everything on this machine and compares ratios measured in that same run (the
machine is shared and noisy, so absolute figures move from run to run; ratios much less).
Generated CSV files are cached under benchmarks/cache/ between runs. Results: one table on stdout and
a JSON file under benchmarks/results/ (plus latest.json) with the machine's description.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import polars as pl  # noqa: E402

from benchmarks import baseline, pages, summary  # noqa: E402
from queries import demo, figures, store, vocab  # noqa: E402
from queries.figures.source import SourceName  # noqa: E402

CACHE = ROOT / "benchmarks" / "cache"
RESULTS = ROOT / "benchmarks" / "results"
SIZES = {"100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}
TARGETS = {
    "import_rows_per_s_1m": 500_000,
    "import_peak_mb_10m": 2048,
    "p95_ms_1m": 100,
    "p95_ms_10m": 500,
    "baseline_ratio_1m": 10,
    "browser_open_s_1m": 2.0,
    "browser_change_s_1m": 1.0,
}


def log(msg: str) -> None:
    """Progress on stderr, so stdout holds only the result table."""
    print(f"[{datetime.now():%H:%M:%S}] {msg}", file=sys.stderr, flush=True)


# --- data sets ------------------------------------------------------------------------------------


MOVED_EVERY = 10  # one grassroots unit in this many moves to a new committee (reorganise)
MOVED_ON = date(2024, 2, 1)  # the move; the generated data's last year is 2024


def reorganise(units_csv: Path) -> int:
    """A small reorganisation in the generated units (DOMAIN.md 4a), so that both structure
    readings differ: each bloc gets a new committee (Đảng bộ cấp trên cơ sở, a root, from
    MOVED_ON), and every MOVED_EVERY-th of its grassroots units still active moves under it keeping
    its code (its row under the bloc ends the day before, a second row names the new committee;
    its chi bộ follow it). The generator's 2% of units merged into another in 2024 (successors)
    stay. The generated data ends in 2024, so the move is dated in 2024 rather than 2025, where
    it would change no year with records. Returns how many units moved."""
    header = {c.alias: c.header for c in vocab.UNITS.columns}
    rows = pl.read_csv(units_csv, infer_schema=False)
    col = {alias: header[alias] for alias in header}
    blocs = rows.filter(pl.col(col["cap"]) == vocab.LEVEL_BLOC)
    grassroots = rows.filter(
        pl.col(col["cap"]).is_in(vocab.GRASSROOTS_LEVELS)
        & pl.col(col["hieu_luc_den"]).is_null()
        & pl.col(col["ma_cap_tren"]).is_in(blocs[col["ma_don_vi"]].implode())
    ).with_row_index("_i")
    moved = grassroots.filter(pl.col("_i") % MOVED_EVERY == 0).drop("_i")
    day_before = (MOVED_ON - timedelta(days=1)).strftime("%d/%m/%Y")
    committees = blocs.with_columns(
        (pl.col(col["ma_don_vi"]) + ".M").alias(col["ma_don_vi"]),
        ("Đảng bộ (mới) " + pl.col(col["ten_don_vi"])).alias(col["ten_don_vi"]),
        pl.lit(None, pl.String).alias(col["ma_cap_tren"]),
        pl.lit(vocab.LEVEL_UPPER_COMMITTEE).alias(col["cap"]),
        pl.lit(MOVED_ON.strftime("%d/%m/%Y")).alias(col["hieu_luc_tu"]),
    )
    codes = moved[col["ma_don_vi"]].implode()
    # the generator lets a unit merge into one that ends the same day (2% of units end on 30/06/2024,
    # each merged into the next unit of its bloc), which the importer rejects (a successor must be
    # active the day after): such a unit names the end of the chain instead
    successor = dict(rows.select(col["ma_don_vi"], col["ma_ke_thua"]).drop_nulls().iter_rows())

    def chain_end(code: str) -> str:
        seen = {code}
        while code in successor and successor[code] not in seen:
            code = successor[code]
            seen.add(code)
        return code

    rows = rows.with_columns(
        pl.col(col["ma_ke_thua"]).replace_strict({c: chain_end(c) for c in successor.values()}, default=None)
    )
    out = pl.concat(
        [
            rows.with_columns(
                pl.when(pl.col(col["ma_don_vi"]).is_in(codes))
                .then(pl.lit(day_before))
                .otherwise(pl.col(col["hieu_luc_den"]))
                .alias(col["hieu_luc_den"])
            ),
            committees,
            moved.with_columns(
                (pl.col(col["ma_cap_tren"]) + ".M").alias(col["ma_cap_tren"]),
                pl.lit(MOVED_ON.strftime("%d/%m/%Y")).alias(col["hieu_luc_tu"]),
            ),
        ]
    )
    out.write_csv(units_csv)
    return moved.height


def dataset(size: int, cache: Path = CACHE) -> Path:
    """CSV files for `size` registrations with a small reorganisation (reorganise), generated
    once and cached."""
    folder = cache / f"csv_{size}_reorg2"
    marker = folder / "done.json"
    if marker.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    log(f"generating {size:,} registrations → {folder}")
    start = time.perf_counter()
    paths = demo.write_scale_csvs(folder, size)
    log(f"{reorganise(paths['don_vi']):,} grassroots units moved to new committees on {MOVED_ON:%d/%m/%Y}")
    marker.write_text(json.dumps({"registrations": size, "files": sorted(p.name for p in paths.values())}))
    log(f"generated in {time.perf_counter() - start:.1f} s")
    return folder


def csv_files(folder: Path) -> list[Path]:
    """The table files of a generated data set."""
    return sorted(folder.glob("*.csv"))


# --- import ---------------------------------------------------------------------------------------

IMPORT_WORKER = """
import json, resource, sys, time
from queries.importer import import_files
db, files = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
report = import_files(db, files)
seconds = time.perf_counter() - start
rows = sum(report.rows_read.values()) if getattr(report, "rows_read", None) else None
print(json.dumps({"ok": report.ok, "seconds": seconds, "rows": rows,
                  "problems": len(report.problems),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _child(args: list[str], what: str) -> dict:
    """Run a measurement in a child process (its own peak memory); the JSON line it prints last."""
    out = subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=ROOT, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"{what} failed:\n{out.stderr[-4000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure_import(folder: Path, db: Path) -> dict:
    """Import a data set into a fresh database in a child process: seconds, rows/s, peak memory."""
    for leftover in (db, Path(str(db) + ".wal")):
        leftover.unlink(missing_ok=True)
    result = _child(["-c", IMPORT_WORKER, str(db), *map(str, csv_files(folder))], "the import")
    if not result["ok"]:
        raise RuntimeError(f"import rejected the generated data: {result['problems']} problems")
    rows = result["rows"] or _count_rows(db)
    result["rows"] = rows
    result["rows_per_s"] = rows / result["seconds"]
    return result


def measure_floor(folder: Path, db: Path, product_db: Path, bare: bool = False) -> dict:
    """DuckDB alone loading the same files into the same schema (benchmarks/floor.py; with `bare`,
    into plain tables), in a child process; checked to hold exactly the rows the importer stored,
    so the loads compare."""
    args = ["-m", "benchmarks.floor", str(db), str(folder), *(["--bare"] if bare else [])]
    result = _child(args, "the DuckDB-only load")
    differences = different_rows(db, product_db)
    if differences:
        raise AssertionError(f"DuckDB alone and the importer stored different rows: {differences}")
    db.unlink(missing_ok=True)
    return result


def different_rows(a: Path, b: Path) -> dict[str, tuple[int, int]]:
    """Per table where the two databases differ: (rows only in a, rows only in b)."""
    import duckdb

    con = duckdb.connect()
    try:
        con.execute("set enable_progress_bar = false")
        for name, path in (("a", a), ("b", b)):
            literal = str(path).replace("'", "''")  # paths the benchmark made
            con.execute(f"attach '{literal}' as {name} (read_only)")
        differences = {}
        for t in vocab.TABLES:
            only = "(select count(*) from (select * from {} except all select * from {}))"
            query = f"select {only.format(f'a.{t.name}', f'b.{t.name}')}, {only.format(f'b.{t.name}', f'a.{t.name}')}"
            found = con.execute(query).fetchall()[0]
            if found != (0, 0):
                differences[t.name] = found
        return differences
    finally:
        con.close()


def _count_rows(db: Path) -> int:
    con = store.connect_read_only(db)
    cur = store.cursor_on(con)
    return sum(cur.execute(f"select count(*) from {t.name}").fetchone()[0] for t in vocab.TABLES)


# --- page data work -------------------------------------------------------------------------------


def filter_combinations(cur, n: int, seed: int = 7) -> list[figures.Filters]:
    """`n` random filter sets: scopes at every level of the tree, one-year and multi-year periods."""
    rng = random.Random(seed)
    years = [r[0] for r in cur.execute("select distinct nam from dang_ky order by 1").fetchall()]
    levels = {}
    for code, level in cur.execute("select ma_don_vi, cap from don_vi order by ma_don_vi").fetchall():
        levels.setdefault(level, []).append(code)
    scopes: list[str | None] = [None]
    combos = []
    for i in range(n):
        level = [None, *vocab.UNIT_LEVELS][i % (len(vocab.UNIT_LEVELS) + 1)]
        unit = rng.choice(levels[level]) if level in levels else rng.choice(scopes)
        if rng.random() < 0.4:
            year_from = year_to = rng.choice(years)
        else:
            year_from = rng.choice(years[:-1])
            year_to = rng.choice([y for y in years if y > year_from])
        combos.append(
            figures.Filters(
                year_from,
                year_to,
                unit=unit,
                field=rng.choice([None, None, *vocab.FIELDS[:4]]),
                subject=rng.choice([None, None, *vocab.SUBJECTS]),
            )
        )
    return combos


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def measure_pages(db: Path, combos: list[figures.Filters], source: SourceName = "auto") -> dict:
    """p50/p95 milliseconds per page, cold (fresh connection) and warm (same call again); `source`:
    figures.use_source ('base': as the engine answered a unit history before both readings had
    their aggregate tables)."""
    with figures.use_source(source):
        return _measure_pages(db, combos)


def _measure_pages(db: Path, combos: list[figures.Filters]) -> dict:
    timings: dict[str, dict[str, list[float]]] = {p: {"cold": [], "warm": []} for p in pages.PAGES}
    for f in combos:
        for page, load in pages.PAGES.items():
            con = store.connect_read_only(db)
            for phase in ("cold", "warm"):
                start = time.perf_counter()
                load(con, f)
                timings[page][phase].append((time.perf_counter() - start) * 1000)
            con.close()
    return {
        page: {
            phase: {"p50_ms": percentile(v, 50), "p95_ms": percentile(v, 95), "n": len(v)}
            for phase, v in phases.items()
        }
        for page, phases in timings.items()
    }


# --- the pandas baseline --------------------------------------------------------------------------


def measure_baseline(folder: Path, db: Path, combos: list[figures.Filters]) -> dict:
    """The same summary figures with pandas from the CSV files; checked equal; time ratio.

    The pandas code reads one tree of units (a unit is under every superior any of its rows
    names), which is the product's as it was only before the reorganisation (reorganise): each
    combination is compared over its years before MOVED_ON's, on a bloc rather than a new
    committee."""
    start = time.perf_counter()
    frames = baseline.load(folder)
    load_s = time.perf_counter() - start
    con = store.connect_read_only(db)
    pandas_ms, product_ms, checked = [], [], 0
    for f in combos:
        last = MOVED_ON.year - 1
        f = replace(
            f,
            field=None,
            subject=None,
            movement=None,
            kind=None,
            unit=f.unit.removesuffix(".M") if f.unit is not None else None,
            year_from=min(f.year_from, last),
            year_to=min(f.year_to, last),
        )
        start = time.perf_counter()
        expected = baseline.summary(frames, f)
        pandas_ms.append((time.perf_counter() - start) * 1000)
        cur = store.cursor_on(con)
        figures.summary(cur, f)  # warm, as the dashboard is
        start = time.perf_counter()
        got = figures.summary(store.cursor_on(con), f)
        product_ms.append((time.perf_counter() - start) * 1000)
        mismatch = baseline.compare(expected, got)
        if mismatch:
            raise AssertionError(f"pandas and the product disagree for {f}: {mismatch}")
        checked += 1
    con.close()
    p50_pandas, p50_product = statistics.median(pandas_ms), statistics.median(product_ms)
    return {
        "combinations_checked": checked,
        "pandas_load_s": load_s,
        "pandas_p50_ms": p50_pandas,
        "product_p50_ms": p50_product,
        "ratio": p50_pandas / p50_product if p50_product else None,
        "ratio_with_load": (load_s * 1000 + p50_pandas) / p50_product if p50_product else None,
    }


# --- the browser ----------------------------------------------------------------------------------


def measure_browser(db: Path) -> dict:
    """Tổng quan fully drawn after opening, and redrawn after a period change, in headless Chromium."""
    from benchmarks import browser

    return browser.measure(db)


# --- report ---------------------------------------------------------------------------------------


def machine() -> dict:
    """What this machine is, for the results file."""
    import duckdb
    import polars as pl

    try:
        mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    except (ValueError, OSError):
        mem_gb = None
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "platform": platform.platform(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(mem_gb, 1) if mem_gb else None,
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "polars": pl.__version__,
    }


def verdicts(results: dict) -> list[tuple[str, str, str, str]]:
    """(target, measured, goal, ok) rows for the targets of the issue."""
    rows = []
    sizes = results["sizes"]

    def add(name, value, goal, ok, unit=""):
        shown = "—" if value is None else (f"{value:,.0f}{unit}" if value >= 100 else f"{value:.2f}{unit}")
        rows.append((name, shown, goal, "n/a" if ok is None else ("OK" if ok else "MISSED")))

    if "1m" in sizes:
        r = sizes["1m"]["import"]["rows_per_s"]
        add("import rows/s at 1M", r, "≥ 500,000", r >= TARGETS["import_rows_per_s_1m"])
        floor = sizes["1m"].get("floor")
        if floor:
            f = floor["rows_per_s"]
            add("  … DuckDB alone, same files", f, "≥ 500,000", f >= TARGETS["import_rows_per_s_1m"])
        bare = sizes["1m"].get("floor_bare")
        if bare:
            b = bare["rows_per_s"]
            add("  … DuckDB alone, plain tables", b, "≥ 500,000", b >= TARGETS["import_rows_per_s_1m"])
        p95 = _worst_p95(sizes["1m"])
        add("page data p95 at 1M, warm", p95, "≤ 100 ms", p95 <= TARGETS["p95_ms_1m"], " ms")
        base = sizes["1m"].get("baseline")
        if base:
            add(
                "pandas / product at 1M",
                base["ratio"],
                "≥ 10x",
                base["ratio"] >= TARGETS["baseline_ratio_1m"],
                "x",
            )
        br = sizes["1m"].get("browser")
        if br:
            add(
                "browser: Tổng quan drawn at 1M",
                br["open_s"],
                "≤ 2 s",
                br["open_s"] <= TARGETS["browser_open_s_1m"],
                " s",
            )
            add(
                "  … opened again (browser cache)", br["open_warm_s"], "≤ 2 s", br["open_warm_s"] <= 2.0, " s"
            )
            fl = br.get("floor")
            if fl:
                for key, label in (
                    ("dashboard", "  … median of first visits"),
                    ("streamlit_chart", "  … bare Streamlit page + 1 chart"),
                    ("streamlit_heading", "  … bare Streamlit page, heading"),
                ):
                    value = fl[f"{key}_median_s"]
                    add(label, value, "≤ 2 s", value <= TARGETS["browser_open_s_1m"], " s")
            add("browser: period change at 1M, median", br["change_s"], "≤ 1 s", br["change_s"] <= 1.0, " s")
            if "change_max_s" in br:
                slowest = br["change_max_s"]
                add(f"  … slowest of {len(br['changes_s'])}", slowest, "≤ 1 s", slowest <= 1.0, " s")
    if "10m" in sizes:
        peak = sizes["10m"]["import"]["peak_mb"]
        add("import peak memory at 10M", peak, "< 2,048 MB", peak < TARGETS["import_peak_mb_10m"], " MB")
        p95 = _worst_p95(sizes["10m"])
        add("page data p95 at 10M, warm", p95, "≤ 500 ms", p95 <= TARGETS["p95_ms_10m"], " ms")
    return rows


# results["sizes"][size] keys of page timings -> the reading (and source) they were measured in
PAGE_READINGS = {
    "pages": "as-was",
    "pages_current": "current",
    "pages_base": "as-was/B",
    "pages_current_base": "current/B",
}


def _worst_p95(pages_of_size: dict) -> float:
    """The worst warm page p95 of a size over both readings (from the aggregate tables)."""
    return max(
        p["warm"]["p95_ms"]
        for key in ("pages", "pages_current")
        for p in (pages_of_size.get(key) or {}).values()
    )


def print_table(results: dict) -> None:
    """The results as plain-text tables on stdout."""
    print("\nImport (CSV, validation included)")
    print(f"{'size':>6} {'rows':>12} {'seconds':>9} {'rows/s':>12} {'peak MB':>9}")
    for name, r in results["sizes"].items():
        i = r["import"]
        print(
            f"{name:>6} {i['rows']:>12,} {i['seconds']:>9.2f} {i['rows_per_s']:>12,.0f} {i['peak_mb']:>9,.0f}"
        )
    for name, r in results["sizes"].items():
        if r.get("floor"):
            f = r["floor"]
            print(
                f"{name:>6} DuckDB alone, same files and schema, no checks (same rows stored): "
                f"{f['rows_per_s']:,.0f} rows/s in {f['seconds']:.2f} s (load {f['load_s']:.2f} s, "
                f"aggregates {f['aggregates_s']:.2f} s, commit {f['commit_s']:.2f} s); "
                f"the importer reaches {r['import']['rows_per_s'] / f['rows_per_s']:.0%} of it"
            )
        if r.get("floor_bare"):
            b = r["floor_bare"]
            print(
                f"{name:>6} DuckDB alone into plain tables (no keys, constraints or aggregates): "
                f"{b['rows_per_s']:,.0f} rows/s in {b['seconds']:.2f} s (load {b['load_s']:.2f} s, "
                f"commit {b['commit_s']:.2f} s)"
            )
    print("\nPage data work (ms): p50 / p95, cold and warm, as it was and on today's structure")
    print(
        f"{'size':>6} {'reading':<9} {'page':<14} {'cold p50':>9} {'cold p95':>9} {'warm p50':>9} {'warm p95':>9}"
    )
    for name, r in results["sizes"].items():
        for key, reading in PAGE_READINGS.items():
            for page, ph in (r.get(key) or {}).items():
                c, w = ph["cold"], ph["warm"]
                print(
                    f"{name:>6} {reading:<9} {page:<14} {c['p50_ms']:>9.1f} {c['p95_ms']:>9.1f}"
                    f" {w['p50_ms']:>9.1f} {w['p95_ms']:>9.1f}"
                )
    for name, r in results["sizes"].items():
        if r.get("baseline"):
            b = r["baseline"]
            print(
                f"\npandas baseline at {name}: pandas p50 {b['pandas_p50_ms']:.1f} ms, product p50 "
                f"{b['product_p50_ms']:.1f} ms → {b['ratio']:.1f}x (with CSV load {b['ratio_with_load']:.0f}x); "
                f"{b['combinations_checked']} combinations checked equal"
            )
        if r.get("browser"):
            br = r["browser"]
            print(
                f"\nbrowser at {name}: Tổng quan drawn {br['open_s']:.2f} s in a new browser profile"
                f" ({br['open_warm_s']:.2f} s when opened again), period change {br['change_s']:.2f} s"
                f" (median; each: {', '.join(f'{c:.2f}' for c in br.get('changes_s', []))} s)"
            )
            if br.get("pages_s"):
                shown = ", ".join(f"{name} {sec:.2f} s" for name, sec in br["pages_s"].items())
                print(f"  other pages opened from the sidebar: {shown}")
            fl = br.get("floor")
            if fl:
                runs = len(fl["dashboard_s"])

                def each(key: str, fl: dict = fl) -> str:
                    return ", ".join(f"{v:.2f}" for v in fl[f"{key}_s"])

                print(
                    f"  first visits, {runs} each taking turns (median; each): dashboard Tổng quan"
                    f" {fl['dashboard_median_s']:.2f} s ({each('dashboard')}); a bare Streamlit page with one"
                    f" Plotly chart {fl['streamlit_chart_median_s']:.2f} s ({each('streamlit_chart')}); with"
                    f" a heading only {fl['streamlit_heading_median_s']:.2f} s ({each('streamlit_heading')});"
                    f" the dashboard takes {fl['dashboard_median_s'] / fl['streamlit_chart_median_s']:.1f}x"
                    " the bare chart page"
                )
            ph = br.get("first_open") or {}
            at = {k: "—" if v is None else f"{v:.2f} s" for k, v in ph.items()}
            if ph:
                print(
                    f"  first open: page ready {at['dom_ready']}, headline {at['headline']}, Plotly bundle"
                    f" ({(ph['plotly_bytes'] or 0) / 1e6:.1f} MB) requested {at['plotly_requested']} and"
                    f" fetched {at['plotly_fetched']}, first chart {at['first_chart']}"
                )
    print("\nTargets")
    for row in verdicts(results):
        print(f"  {row[0]:<34} {row[1]:>12}  (goal {row[2]})  {row[3]}")
    print(f"\nSummary: {summary.line(summary.compute(results))}")


def first_visits(db: Path, rounds: int, chromium=None) -> dict:
    """First visits of Tổng quan on `db` and of the bare Streamlit pages, `rounds` turns each
    (benchmarks/browser.first_opens), with the load average before and after; in `chromium` (a
    Playwright browser) or in one launched here."""
    from benchmarks import browser

    load_before = os.getloadavg()[0]
    with browser.serve(db) as base, contextlib.ExitStack() as stack:
        if chromium is None:
            from playwright.sync_api import sync_playwright

            p = stack.enter_context(sync_playwright())
            chromium = p.chromium.launch(executable_path=browser.CHROMIUM, args=browser.FLAGS)
            stack.callback(chromium.close)
        floor = browser.first_opens(chromium, f"{base}/?from=2021&to=2023", rounds)
    return floor | {
        "first_visit_vs_floor": floor["dashboard_median_s"] / floor["streamlit_chart_median_s"],
        "load_average": (load_before, os.getloadavg()[0]),
    }


def first_visit_line(name: str, fl: dict) -> str:
    """One printed line of `first_visits`' figures."""
    each = {k: ", ".join(f"{v:.2f}" for v in fl[f"{k}_s"]) for k in ("dashboard", "streamlit_chart")}
    return (
        f"{name}: Tổng quan {fl['dashboard_median_s']:.2f} s ({each['dashboard']}), bare Plotly page"
        f" {fl['streamlit_chart_median_s']:.2f} s ({each['streamlit_chart']}), heading only"
        f" {fl['streamlit_heading_median_s']:.2f} s: first_visit_vs_floor {fl['first_visit_vs_floor']:.2f}"
        f" (load average {fl['load_average'][0]:.2f} before, {fl['load_average'][1]:.2f} after)"
    )


def first_visits_only(names: list[str], rounds: int, cache: Path) -> int:
    """The first-visit part alone, at each size (its database imported if it is not there yet),
    printed one line a size."""
    for name in names:
        size = SIZES[name]
        db = cache / f"db_{size}.duckdb"
        if not db.exists():
            log(f"{name}: importing")
            measure_import(dataset(size, cache), db)
        log(f"{name}: first visits, {rounds} turns")
        print(first_visit_line(name, first_visits(db, rounds)))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; returns 0, or 1 when a check fails (not when a target is missed)."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="100k,1m,10m", help="comma-separated: 100k, 1m, 10m (default all)")
    parser.add_argument(
        "--combos", type=int, default=50, help="random filter combinations per size (default 50)"
    )
    parser.add_argument(
        "--base-combos",
        type=int,
        default=0,
        help="also time this many combinations per reading from the base tables (default 0: not)",
    )
    parser.add_argument("--no-baseline", action="store_true", help="skip the pandas baseline")
    parser.add_argument("--no-browser", action="store_true", help="skip the browser measurement")
    parser.add_argument(
        "--first-visits",
        type=int,
        default=0,
        metavar="ROUNDS",
        help="measure only the first visits (Tổng quan against the bare Streamlit pages, ROUNDS turns"
        " each) at each size, after its import; writes nothing under --out",
    )
    parser.add_argument(
        "--out", type=Path, default=RESULTS, help="results folder (default benchmarks/results)"
    )
    parser.add_argument("--cache", type=Path, default=CACHE, help="generated data (default benchmarks/cache)")
    args = parser.parse_args(argv)

    names = [s.strip().lower() for s in args.sizes.split(",") if s.strip()]
    unknown = [n for n in names if n not in SIZES]
    if unknown:
        parser.error(f"unknown size(s): {', '.join(unknown)} (choose from {', '.join(SIZES)})")

    if args.first_visits:
        return first_visits_only(names, args.first_visits, args.cache)

    results = {"started": datetime.now().isoformat(timespec="seconds"), "machine": machine(), "sizes": {}}
    for name in names:
        size = SIZES[name]
        folder = dataset(size, args.cache)
        db = args.cache / f"db_{size}.duckdb"
        log(f"{name}: importing")
        entry = {"import": measure_import(folder, db)}
        log(f"{name}: {entry['import']['rows_per_s']:,.0f} rows/s, peak {entry['import']['peak_mb']:,.0f} MB")
        if size <= 1_000_000:
            log(f"{name}: DuckDB alone loading the same files (the floor)")
            entry["floor"] = measure_floor(folder, args.cache / f"floor_{size}.duckdb", db)
            entry["floor_bare"] = measure_floor(folder, args.cache / f"floor_{size}.duckdb", db, bare=True)
            share = entry["import"]["rows_per_s"] / entry["floor"]["rows_per_s"]
            log(f"{name}: floor {entry['floor']['rows_per_s']:,.0f} rows/s; the importer reaches {share:.0%}")
        con = store.connect_read_only(db)
        combos = filter_combinations(store.cursor_on(con), args.combos)
        con.close()
        log(f"{name}: page data work over {len(combos)} filter combinations")
        entry["pages"] = measure_pages(db, combos)
        # the same filters on today's structure (DOMAIN.md 4a): the other reading of every figure
        current = [replace(f, structure="current") for f in combos]
        log(f"{name}: page data work on today's structure")
        entry["pages_current"] = measure_pages(db, current)
        if args.base_combos:
            log(f"{name}: page data from the base tables, {args.base_combos} combinations per reading")
            entry["pages_base"] = measure_pages(db, combos[: args.base_combos], "base")
            entry["pages_current_base"] = measure_pages(db, current[: args.base_combos], "base")
        if not args.no_baseline and size <= 1_000_000:
            log(f"{name}: pandas baseline")
            entry["baseline"] = measure_baseline(folder, db, combos)
        if not args.no_browser and size == 1_000_000:
            log(f"{name}: browser")
            entry["browser"] = measure_browser(db)
        results["sizes"][name] = entry

    results["targets"] = [
        dict(zip(("target", "measured", "goal", "verdict"), r, strict=True)) for r in verdicts(results)
    ]
    # the three figures issue 18 sets targets on, near the top of the file
    results = (
        {"started": results["started"], "machine": results["machine"]}
        | {"summary": summary.compute(results)}
        | {k: v for k, v in results.items() if k not in ("started", "machine")}
    )
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    text = json.dumps(results, ensure_ascii=False, indent=2)
    (args.out / f"bench-{stamp}.json").write_text(text, encoding="utf-8")
    (args.out / "latest.json").write_text(text, encoding="utf-8")
    print_table(results)
    print(f"\nresults: {args.out / f'bench-{stamp}.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

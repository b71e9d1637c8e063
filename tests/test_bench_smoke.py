"""The benchmark at 100k registrations, as a smoke test: it runs end to end, the pandas baseline
agrees with the product on every combination, and the results file holds every section.

Timings are printed by the benchmark, never asserted here (shared, noisy machines)."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import bench  # noqa: E402

pytestmark = pytest.mark.slow


def test_the_benchmark_runs_at_100k_and_the_baseline_agrees(tmp_path, capsys):
    code = bench.main(
        [
            "--sizes",
            "100k",
            "--combos",
            "6",
            "--no-browser",
            "--out",
            str(tmp_path / "results"),
            "--cache",
            str(tmp_path / "cache"),
        ]
    )
    assert code == 0
    results = json.loads((tmp_path / "results" / "latest.json").read_text(encoding="utf-8"))
    entry = results["sizes"]["100k"]
    assert entry["import"]["ok"] is True
    assert entry["import"]["rows"] > 100_000  # registrations plus units, sizes, awards, conferences
    assert set(entry["pages"]) == set(bench.pages.PAGES)
    for phases in entry["pages"].values():
        assert phases["warm"]["n"] == 6 and phases["cold"]["n"] == 6
    # measure_baseline raises on any disagreement, so reaching here means all 6 matched
    assert entry["baseline"]["combinations_checked"] == 6
    # DuckDB alone loaded the same files; measure_floor raises unless it stored the very same rows
    assert entry["floor"]["rows"] == entry["import"]["rows"]
    assert entry["floor_bare"]["rows"] == entry["import"]["rows"]
    assert entry["floor"]["seconds"] == pytest.approx(
        entry["floor"]["load_s"] + entry["floor"]["aggregates_s"] + entry["floor"]["commit_s"], rel=0.05
    )
    assert results["machine"]["cores"] >= 1
    # the summary's figures are measured at 1M and 10M only
    assert results["summary"] == {
        "import_vs_floor": None,
        "first_visit_vs_floor": None,
        "page_p95_ms_10m": None,
    }
    out = capsys.readouterr().out
    assert "Page data work" in out and "pandas baseline at 100k" in out
    assert "Summary: import / bare floor at 1M —" in out
    assert "DuckDB alone, same files and schema" in out and "DuckDB alone into plain tables" in out

    # the floor's check would see one changed value
    db = tmp_path / "cache" / "db_100000.duckdb"
    changed = tmp_path / "changed.duckdb"
    shutil.copy(db, changed)
    con = duckdb.connect(str(changed))
    con.execute("update dang_ky set diem = 1 where ma_dang_ky = (select min(ma_dang_ky) from dang_ky)")
    con.close()
    assert bench.different_rows(changed, db) == {"dang_ky": (1, 1)}
    assert bench.different_rows(db, db) == {}

"""The results file's "summary" object (benchmarks/summary.py): worked out by hand on a small results
dict, and on a recorded run of the benchmark (benchmarks/results/bench-20261121-205932.json)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import summary  # noqa: E402


def _pages(*p95s: float) -> dict:
    return {f"page {i}": {"warm": {"p95_ms": v}, "cold": {"p95_ms": v * 2}} for i, v in enumerate(p95s)}


def test_the_summary_of_a_small_results_dict_worked_by_hand():
    results = {
        "sizes": {
            "1m": {
                "import": {"rows_per_s": 300_000.0},
                "floor": {"rows_per_s": 400_000.0},  # the schema floor is not the one divided by
                "floor_bare": {"rows_per_s": 500_000.0},
                "pages": _pages(80.0, 90.0),
                "browser": {"floor": {"dashboard_median_s": 3.0, "streamlit_chart_median_s": 2.5}},
            },
            "10m": {"import": {"rows_per_s": 1.0}, "pages": _pages(150.0, 210.5, 99.0)},
        }
    }
    assert summary.compute(results) == {
        "import_vs_floor": pytest.approx(0.6),  # 300 000 / 500 000
        "first_visit_vs_floor": pytest.approx(1.2),  # 3,0 s / 2,5 s
        "page_p95_ms_10m": 210.5,  # the worst page, warm (its cold p95 is 421)
    }
    assert summary.line(summary.compute(results)) == (
        "import / bare floor at 1M 0.60, first visit / bare Plotly page 1.20, worst page p95 at 10M 210 ms"
    )


def test_what_was_not_measured_is_none():
    only_100k = {"sizes": {"100k": {"import": {"rows_per_s": 5.0}, "pages": _pages(10.0)}}}
    assert summary.compute(only_100k) == {
        "import_vs_floor": None,
        "first_visit_vs_floor": None,
        "page_p95_ms_10m": None,
    }
    no_browser = {"sizes": {"1m": {"import": {"rows_per_s": 2.0}, "floor_bare": {"rows_per_s": 4.0}}}}
    assert summary.compute(no_browser)["import_vs_floor"] == 0.5
    assert summary.compute(no_browser)["first_visit_vs_floor"] is None
    assert "—" in summary.line(summary.compute(no_browser))


def test_the_summary_of_a_recorded_run_says_what_the_issue_quotes():
    # Issue 18 quotes this run: 134.238 against 349.572 rows/s (0,38), 4,5 s against 2,8 s (1,6x), 294 ms.
    recorded = json.loads(
        (ROOT / "benchmarks/results/bench-20261121-205932.json").read_text(encoding="utf-8")
    )
    got = summary.compute(recorded)
    assert round(got["import_vs_floor"], 2) == 0.38
    assert round(got["first_visit_vs_floor"], 1) == 1.6
    assert round(got["page_p95_ms_10m"]) == 294

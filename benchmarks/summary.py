"""The results file's top-level "summary": the three ratios and figures issue 18 sets targets on.

- `import_vs_floor`: the importer's rows/s at 1M divided by DuckDB alone loading the same files
  into plain tables (the bare floor) in the same run;
- `first_visit_vs_floor`: the median first visit of Tổng quan divided by the median first visit of
  a bare Streamlit page with one Plotly chart, measured taking turns in the same run;
- `page_p95_ms_10m`: the worst page's warm data p95 at 10M registrations, in milliseconds, over
  both structure readings (as it was and on today's structure).

A figure whose measurement is not in the results (a size or the browser not run) is None.
"""

from __future__ import annotations

from typing import Any


def _get(tree: dict, *keys: str) -> Any:
    for key in keys:
        if not isinstance(tree, dict) or key not in tree:
            return None
        tree = tree[key]
    return tree


def _ratio(a: float | None, b: float | None) -> float | None:
    if a is None or not b:
        return None
    return a / b


def compute(results: dict) -> dict[str, float | None]:
    """The summary object of a results dict (as bench.main builds it)."""
    sizes = results.get("sizes", {})
    one_m = sizes.get("1m", {})
    floor = _get(one_m, "browser", "floor") or {}
    # both structure readings (DOMAIN.md 4a): the worst page of either
    pages_10m = [
        *(_get(sizes, "10m", "pages") or {}).values(),
        *(_get(sizes, "10m", "pages_current") or {}).values(),
    ]
    p95s = [p["warm"]["p95_ms"] for p in pages_10m]
    return {
        "import_vs_floor": _ratio(
            _get(one_m, "import", "rows_per_s"), _get(one_m, "floor_bare", "rows_per_s")
        ),
        "first_visit_vs_floor": _ratio(
            floor.get("dashboard_median_s"), floor.get("streamlit_chart_median_s")
        ),
        "page_p95_ms_10m": max(p95s) if p95s else None,
    }


def line(summary: dict[str, float | None]) -> str:
    """The summary as one printed line."""

    def shown(value: float | None, fmt: str) -> str:
        return "—" if value is None else format(value, fmt)

    return (
        f"import / bare floor at 1M {shown(summary['import_vs_floor'], '.2f')}, "
        f"first visit / bare Plotly page {shown(summary['first_visit_vs_floor'], '.2f')}, "
        f"worst page p95 at 10M {shown(summary['page_p95_ms_10m'], '.0f')} ms"
    )

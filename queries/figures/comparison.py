"""Comparing two periods (or scopes): every figure of A "so với" B, with its change."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from queries import labels, periods
from queries.figures.catalogue import FIGURES, FIGURES_BY_KEY, RATE
from queries.figures.filters import Filters
from queries.figures.period import build_summary
from queries.figures.scalars import period_figures
from queries.figures.source import Source, open_source
from queries.named_sql import Cursor

_COMPARE_GROUPS = ("by_field", "by_movement", "by_kind", "by_subject", "by_result")  # of registrations


def _compare_rows(ctx: Source, lang: str) -> list[tuple[str, str, float | None]]:
    """(figure, label, value) for every comparable figure of one period."""
    figures = period_figures(ctx)
    s = build_summary(ctx, figures)
    rows: list[tuple[str, float | None]] = [(fig.key, figures[fig.key]) for fig in FIGURES]
    registrations: Mapping[str, Any] = s["registrations"]
    for group in _COMPARE_GROUPS:
        rows += [(f"registrations.{group}.{value}", n) for value, n in registrations[group].items()]
    for status_key, by_level in (
        ("awards", s["awards"]["by_level"]),
        ("nominations", s["nominations"]["by_level"]),
    ):
        rows += [
            (f"{status_key}.by_level.{level}", v["collective"] + v["individual"])
            for level, v in by_level.items()
        ]
    rows += [(f"awards.by_form.{form}", n) for form, n in s["awards"]["by_form"].items()]
    # the names come from the label catalogue, the one home of every label
    return [(key, labels.compare_row_name(key, lang), value) for key, value in rows]


def compare(cur: Cursor, a: Filters, b: Filters, lang: str = "vi") -> pl.DataFrame:
    """Every figure of period A "so với" period B (DOMAIN.md section 4): figure, label, a, b,
    change (= a - b), change_pct (= change / b; none for a rate, which changes in percentage
    points: its change is the difference of the two fractions). No change at all when A or B has no reported year (periods.change)."""
    with open_source(cur, a) as source_a:
        source_b = source_a.sibling(b)  # the aggregate tables answer B from the same memory
        if source_b is not None:
            rows_b = _compare_rows(source_b, lang)
        rows_a = _compare_rows(source_a, lang)
        reported = source_a.reported
    if source_b is None:
        with open_source(cur, b) as opened_b:
            rows_b = _compare_rows(opened_b, lang)
    has_data = bool(periods.reported_in(a.years, reported)) and bool(periods.reported_in(b.years, reported))
    figure, label, va, vb, change, pct = [], [], [], [], [], []
    for (key, lab, x), (_, _, y) in zip(rows_a, rows_b, strict=True):
        figure.append(key)
        label.append(lab)
        va.append(None if x is None else float(x))
        vb.append(None if y is None else float(y))
        delta, relative = periods.change(x, y, has_data=has_data)
        change.append(delta)
        rate = key in FIGURES_BY_KEY and FIGURES_BY_KEY[key].kind == RATE
        pct.append(None if rate else relative)  # a rate changes in points, not in % of itself
    return pl.DataFrame(
        {"figure": figure, "label": label, "a": va, "b": vb, "change": change, "change_pct": pct},
        schema={
            "figure": pl.String,
            "label": pl.String,
            "a": pl.Float64,
            "b": pl.Float64,
            "change": pl.Float64,
            "change_pct": pl.Float64,
        },
    )

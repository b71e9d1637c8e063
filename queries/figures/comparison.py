"""Comparing two periods (or scopes): every figure of A "so với" B, with its change."""

from __future__ import annotations

import polars as pl

from queries import periods
from queries.figures.catalogue import FIGURES, FIGURES_BY_KEY, RATE
from queries.figures.filters import Filters
from queries.figures.period import build_summary
from queries.figures.scalars import period_figures
from queries.figures.source import Source, open_source
from queries.named_sql import Cursor

_COMPARE_GROUPS = {  # a Registrations key -> its title in Vietnamese and English
    "by_field": ("lĩnh vực", "field"),
    "by_movement": ("phong trào", "movement"),
    "by_kind": ("loại", "kind"),
    "by_subject": ("đối tượng", "subject"),
    "by_result": ("kết quả", "result"),
}


def _compare_rows(ctx: Source, lang: str) -> list[tuple[str, str, float | None]]:
    """(figure, label, value) for every comparable figure of one period."""
    figures = period_figures(ctx)
    s = build_summary(ctx, figures)
    en = lang == "en"
    rows = [(fig.key, fig.label(lang), figures[fig.key]) for fig in FIGURES]
    word = "Registrations" if en else "Đăng ký"
    registrations = s["registrations"]
    counts = {
        "by_field": registrations["by_field"],
        "by_movement": registrations["by_movement"],
        "by_kind": registrations["by_kind"],
        "by_subject": registrations["by_subject"],
        "by_result": registrations["by_result"],
    }
    for group, (title_vi, title_en) in _COMPARE_GROUPS.items():
        for label, value in counts[group].items():
            rows.append(
                (f"registrations.{group}.{label}", f"{word} - {title_en if en else title_vi} {label}", value)
            )
    for status_key, title, by_level in (
        ("awards", "Awards" if en else "Khen thưởng", s["awards"]["by_level"]),
        ("nominations", "Nominations" if en else "Đề nghị", s["nominations"]["by_level"]),
    ):
        for level, split in by_level.items():
            rows.append(
                (
                    f"{status_key}.by_level.{level}",
                    f"{title} - {level}",
                    split["collective"] + split["individual"],
                )
            )
    form_title = "Awards - form" if en else "Khen thưởng - hình thức"
    for form, n in s["awards"]["by_form"].items():
        rows.append((f"awards.by_form.{form}", f"{form_title} {form}", n))
    return rows


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

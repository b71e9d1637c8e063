"""Tổng quan: headline cards against a comparison period, the narrative, registrations per year and by category."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import charts, filters, fmt, shared, theme, ui
from dashboard.escape import md
from dashboard.i18n import t, tv
from queries import narrative, page_tables, periods, shown, vocab

f = filters.current()
lang = ui.lang()
ui.header(t("overview.title"), f)

# --- the comparison period (kept in the URL as cmp=2018-2020 or cmp=none) -------------------------
period = (f.year_from, f.year_to)
base_period = ui.baseline_period(f, key="ov_compare", label=t("overview.compare_to"))

s = shared.summary(f)
base = None
if base_period is not None and base_period[0] >= vocab.YEAR_MIN:
    base = shared.summary(filters.with_period(f, base_period))

# --- cards ---------------------------------------------------------------------------------------

CARDS = (
    # (label key, value getter, kind)
    ("fig.registrations", lambda d: d["registrations"]["total"], ui.INT),
    (f"value.{vocab.SUBJECT_COLLECTIVE}", lambda d: d["registrations"]["collective"], ui.INT),
    (f"value.{vocab.SUBJECT_INDIVIDUAL}", lambda d: d["registrations"]["individual"], ui.INT),
    ("fig.coverage_rate", lambda d: d["coverage_rate"], ui.PCT),
    ("fig.conference_rate", lambda d: d["conference_rate"], ui.PCT),
    ("fig.target_compliance_rate", lambda d: d["target_compliance_rate"], ui.PCT),
    ("fig.recognition_rate", lambda d: d["recognition_rate"], ui.PCT),
    ("fig.awards", lambda d: d["awards"]["total"], ui.INT),
)
# What a rate counts, shown in its card's help.
RATE_PARTS = {
    "fig.coverage_rate": ("overview.coverage", "units_with_registration"),
    "fig.conference_rate": ("overview.conference", "units_with_conference"),
}


def _value(kind: str, value: float | None) -> str:
    return shown.text(kind, value, lang)


# No change against a baseline without any reported year (DOMAIN.md section 4): no "+100%".
base_has_data = base is not None and bool(base["reported_years"]) and bool(s["reported_years"])
if base is not None and base_period is not None and not base_has_data:
    st.caption(t("overview.compare.no_data", b=filters.period_label(base_period)))
elif base is not None and base_period is not None and len(base["reported_years"]) != len(s["reported_years"]):
    st.caption(
        t(
            "overview.compare.uneven",
            a=ui.period_text(period),
            na=len(s["reported_years"]),
            b=ui.period_text(base_period),
            nb=len(base["reported_years"]),
        )
    )


def _delta(kind: str, now: float | None, before: float | None) -> str | int | None:
    if base is None:
        return None
    change, relative = periods.change(now, before, has_data=base_has_data)
    if change is None:
        return None
    if abs(change) < 1e-9:
        return 0  # a number, so Streamlit shows a grey "no change" rather than an up arrow
    text = shown.change_text(kind, change, lang)
    if relative is not None and kind != ui.PCT:  # a rate changes in points, not in % of itself
        text += f" ({shown.relative_text(relative, lang)})"
    return text


card_rows = []
relatives: list[float | None] = []
for row in (CARDS[:4], CARDS[4:]):
    for col, (key, get, kind) in zip(st.columns(len(row)), row, strict=True):
        now = get(s)
        before = get(base) if base is not None else None
        notes = []
        if key in RATE_PARTS:
            text_key, count = RATE_PARTS[key]
            notes.append(
                t(text_key, a=fmt.integer(s[count], lang), b=fmt.integer(s["grassroots_units"], lang))
            )
        if base is not None:
            assert base_period is not None  # base is the summary of base_period
            notes.append(t("overview.cards.delta_help", period=ui.period_text(base_period)))
        col.metric(
            t(key),
            _value(kind, now),
            delta=_delta(kind, now, before),
            help=". ".join(notes) or None,
            border=True,
        )
        # the file holds what the card shows: both periods and the change (a rate's in points)
        change, relative = periods.change(now, before, has_data=base_has_data)
        card_rows.append((t(key), [now, before, change] if base is not None else [now], kind))
        relatives.append(None if kind == ui.PCT else relative)

period_columns = [filters.dump_period(period)]
if base is not None:
    assert base_period is not None  # base is the summary of base_period
    period_columns += [filters.dump_period(base_period), t("compare.col.change")]
cards_frame = ui.figures_frame(t("compare.col.figure"), card_rows, period_columns)
if base is not None:  # the % change, a percentage (none for a rate, which changes in points)
    cards_frame = cards_frame.with_columns(
        pl.Series(t("compare.col.change_pct"), [shown.number(ui.PCT, r) for r in relatives], pl.Float64)
    )
ui.downloads(
    "tong_quan", f, {t("overview.title"): cards_frame}, key="cards", change_columns=[t("compare.col.change")]
)

ui.pending_caption(s)

# --- narrative -----------------------------------------------------------------------------------

with st.container(border=True):
    st.markdown(f"**{t('overview.narrative')}**")
    st.markdown(md(narrative.narrative(s, lang)))  # it quotes unit names: text, not markdown

# --- charts --------------------------------------------------------------------------------------

by_year = pl.DataFrame(s["by_year"]).select("year", "collective", "individual") if s["by_year"] else None
left, right = st.columns([3, 2], gap="large")
with left:
    # no bar to draw (no registration in the period): a note, as the charts beside it say
    if by_year is not None and s["registrations"]["total"]:
        subject_series = [
            ("collective", tv(vocab.SUBJECT_COLLECTIVE), theme.RED),
            ("individual", tv(vocab.SUBJECT_INDIVIDUAL), theme.GOLD),
        ]
        fig = charts.stacked_bars_by_year(
            by_year,
            year="year",
            series=subject_series,
            title=t("overview.by_year.title"),
            x_title=t("common.year"),
            y_title=t("fig.registrations"),
            lang=lang,
        )
        # the download holds the bars drawn, one column a series
        columns = [
            ("year", t("common.year"), ui.TEXT),
            *[(c, label, ui.INT) for c, label, _ in subject_series],
        ]
        ui.chart(fig, key="ov_by_year")
        ui.downloads(
            "dang_ky_theo_nam",
            f,
            {t("overview.by_year.title"): ui.display_frame(by_year, columns)},
            key="by_year",
        )
    else:
        ui.empty_note()


def _category_chart(counts, title_key, label_key, colors, kind, keep_zero, chart_key):
    frame = page_tables.category_counts(counts, keep_zero)
    if frame.is_empty():
        ui.empty_note()
        return
    fig = charts.category_bars(
        frame,
        category="category",
        value="registrations",
        title=t(title_key),
        category_title=t(label_key),
        value_title=t("fig.registrations"),
        lang=lang,
        colors=colors,
    )
    columns = [("category", t(label_key), ui.VALUE), ("registrations", t("fig.registrations"), ui.INT)]
    ui.chart_with_downloads(fig, frame, columns, file=kind, f=f, title=t(title_key), key=chart_key)


with right:
    _category_chart(
        s["registrations"]["by_field"],
        "overview.by_field.title",
        "filters.field",
        theme.FIELD_COLORS,
        "dang_ky_theo_linh_vuc",
        vocab.FIELDS[:4],
        "ov_field",
    )

left, right = st.columns(2, gap="large")
with left:
    _category_chart(
        s["registrations"]["by_movement"],
        "overview.by_movement.title",
        "filters.movement",
        theme.MOVEMENT_COLORS,
        "dang_ky_theo_phong_trao",
        vocab.MOVEMENTS,
        "ov_movement",
    )
with right:
    _category_chart(
        s["registrations"]["by_kind"],
        "overview.by_kind.title",
        "filters.kind",
        theme.KIND_COLORS,
        "dang_ky_theo_loai",
        vocab.KINDS,
        "ov_kind",
    )

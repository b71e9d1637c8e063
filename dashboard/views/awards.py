"""Khen thưởng: awards by level, form and subject, per year; nominations; awards per registration."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import charts, filters, shared, theme, ui
from dashboard.i18n import t, tv
from queries import vocab

f = filters.current()
lang = ui.lang()
ui.header(t("awards.title"), f)
ui.unused_filters_note(f, applies=("subject",))  # awards have a subject, not a field, movement or kind

s = shared.summary(f)
# Awards take the period, the unit and the subject only; so do the registrations the engine sets
# them against (per 100 registrations), whatever field, movement or kind is chosen.
per_year = shared.awards_by_year(f)
per_100 = shared.awards_per_100_period(f)

# --- cards ---------------------------------------------------------------------------------------
cards = [
    (t("fig.awards"), s["awards"]["total"], ui.INT),
    (t("fig.awards_collective"), s["awards"]["collective"], ui.INT),
    (t("fig.awards_individual"), s["awards"]["individual"], ui.INT),
    (t("fig.nominations"), s["nominations"]["total"], ui.INT),
]
ui.figure_cards(cards)
cards.append((t("fig.awards_per_registration"), per_100, ui.NUM))  # drawn below, per year
ui.downloads("khen_thuong_tong_hop", f, {t("awards.title"): ui.period_figures(f, cards)}, key="aw_cards")


SUBJECT_SERIES = [
    ("collective", tv(vocab.SUBJECT_COLLECTIVE), theme.RED),
    ("individual", tv(vocab.SUBJECT_INDIVIDUAL), theme.GOLD),
]


def _split_chart(
    frame: pl.DataFrame, column: str, title_key: str, label_key: str, kind: str, key: str
) -> None:
    if frame.is_empty():
        st.markdown(f"**{t(title_key)}**")
        ui.empty_note()
        return
    fig = charts.stacked_category_bars(
        frame,
        category=column,
        series=SUBJECT_SERIES,
        title=t(title_key),
        category_title=t(label_key),
        value_title=t("common.count"),
        lang=lang,
    )
    columns = [
        (column, t(label_key), ui.VALUE),
        ("collective", tv(vocab.SUBJECT_COLLECTIVE), ui.INT),
        ("individual", tv(vocab.SUBJECT_INDIVIDUAL), ui.INT),
        ("total", t("common.count"), ui.INT),
    ]
    ui.chart_with_downloads(fig, frame, columns, file=kind, f=f, title=t(title_key), key=key)


for slot, (field, title_key, label_key, kind, chart_key) in zip(
    st.columns(2, gap="large"),
    (
        ("cap_khen_thuong", "awards.by_level", "awards.level", "khen_thuong_theo_cap", "aw_level"),
        ("hinh_thuc", "awards.by_form", "awards.form", "khen_thuong_theo_hinh_thuc", "aw_form"),
    ),
    strict=True,
):
    with slot:
        _split_chart(
            shared.awards_by(f, field, vocab.STATUS_AWARDED), field, title_key, label_key, kind, chart_key
        )

# --- per year ------------------------------------------------------------------------------------
left, right = st.columns([3, 2], gap="large")
with left:
    fig = charts.stacked_bars_by_year(
        per_year,
        year="year",
        series=[
            *SUBJECT_SERIES,
            ("nominations", tv(vocab.STATUS_NOMINATED), theme.SLATE),
        ],
        title=t("awards.by_year"),
        x_title=t("common.year"),
        y_title=t("common.count"),
        lang=lang,
        stacked=False,
    )
    columns = [
        ("year", t("common.year"), ui.TEXT),
        ("collective", t("fig.awards_collective"), ui.INT),
        ("individual", t("fig.awards_individual"), ui.INT),
        ("nominations", t("fig.nominations"), ui.INT),
    ]
    ui.chart_with_downloads(
        fig, per_year, columns, file="khen_thuong_theo_nam", f=f, title=t("awards.by_year"), key="aw_year"
    )
with right:
    # Oldest year on top, the whole period as the last bar at the bottom.
    frame = shared.awards_per_100(f)
    colors = {
        y: theme.SLATE if whole else theme.RED for y, whole in frame.select("year", "is_period").iter_rows()
    }
    if frame.height:
        fig = charts.category_bars(
            frame,
            category="year",
            value="per_100",
            title=t("awards.per_registration"),
            category_title=t("common.year"),
            value_title=t("fig.awards_per_registration"),
            lang=lang,
            colors=colors,
            number_format=",.1f",
            translate=False,
            sort=False,
        )
        columns = [("year", t("common.year"), ui.TEXT), ("per_100", t("fig.awards_per_registration"), ui.NUM)]
        ui.chart_with_downloads(
            fig,
            frame.reverse(),
            columns,
            file="khen_thuong_tren_dang_ky",
            f=f,
            title=t("awards.per_registration"),
            key="aw_per_reg",
        )

# --- nominations ---------------------------------------------------------------------------------
_split_chart(
    shared.awards_by(f, "cap_khen_thuong", vocab.STATUS_NOMINATED),
    "cap_khen_thuong",
    "awards.nominations",
    "awards.level",
    "de_nghi_khen_thuong",
    "aw_nominations",
)

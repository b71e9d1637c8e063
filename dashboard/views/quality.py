"""Chỉ tiêu và chất lượng: target compliance per unit and year, scores against the threshold, recognition trend."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import charts, filters, fmt, shared, theme, ui
from dashboard.i18n import t
from queries import periods, vocab

f = filters.current()
lang = ui.lang()
ui.header(t("quality.title"), f)
st.caption(t("quality.target_note"))

s = shared.summary(f)
cards = [
    (t("fig.target_compliance_rate"), fmt.percent(s["target_compliance_rate"], lang)),
    (t("fig.recognition_rate"), fmt.percent(s["recognition_rate"], lang)),
    (t("fig.recognised"), fmt.integer(s["recognised"], lang)),
    (t("fig.mean_score"), fmt.number(s["mean_score"], lang)),
]
for col, (label, value) in zip(st.columns(len(cards)), cards, strict=True):
    col.metric(label, value, border=True)
pending = periods.pending_note(s, lang)
if pending:  # a year whose registrations mostly await scoring: its rates are not final
    st.caption(pending[0].upper() + pending[1:] + ".")
raw = [s["target_compliance_rate"], s["recognition_rate"], s["recognised"], s["mean_score"]]
ui.downloads(
    "chat_luong_tong_hop",
    f,
    {
        t("quality.title"): ui.figures_frame(
            t("compare.col.figure"),
            [
                (label, [value], kind)
                for (label, _), value, kind in zip(cards, raw, (ui.PCT, ui.PCT, ui.INT, ui.NUM), strict=True)
            ],
            [filters.dump_period((f.year_from, f.year_to))],
        )
    },
    key="q_cards",
)

# --- scores and recognition ----------------------------------------------------------------------
left, right = st.columns(2, gap="large")
with left:
    scores = shared.score_distribution(f)
    if scores["n_registrations"].sum() == 0:
        st.markdown(f"**{t('quality.scores')}**")
        ui.empty_note(t("quality.no_scores"))
    else:
        first = scores.filter(pl.col("n_registrations") > 0)["bin_from"].min()
        assert isinstance(first, float)  # bin_from is Float64, and some bin has registrations
        shown_bins = scores.filter(pl.col("bin_from") >= min(first, vocab.RECOGNITION_THRESHOLD - 25))
        fig = charts.score_histogram(
            shown_bins,
            start="bin_from",
            end="bin_to",
            count="n_registrations",
            threshold=vocab.RECOGNITION_THRESHOLD,
            threshold_label=t("quality.threshold", x=fmt.integer(vocab.RECOGNITION_THRESHOLD, lang)),
            title=t("quality.scores"),
            x_title=t("quality.score"),
            y_title=t("fig.registrations"),
            lang=lang,
        )
        ui.chart(fig, key="q_scores")
        ui.downloads(
            "phan_bo_diem",
            f,
            {
                t("quality.scores"): ui.display_frame(
                    shown_bins,  # the bins the chart shows, not the empty ones below it
                    [
                        ("label", t("quality.score"), ui.TEXT),
                        ("n_registrations", t("fig.registrations"), ui.INT),
                        ("n_recognised", t("fig.recognised"), ui.INT),
                        ("share", t("common.share"), ui.PCT),
                    ],
                )
            },
            key="q_scores",
        )
with right:
    trend = shared.trend(f).select(
        pl.col("nam").alias("year"), "recognition_rate", "target_compliance_rate", "coverage_rate"
    )
    fig = charts.rate_line(
        trend,
        x="year",
        series=[
            ("recognition_rate", t("fig.recognition_rate"), theme.RED),
            ("target_compliance_rate", t("fig.target_compliance_rate"), theme.BLUE),
            ("coverage_rate", t("fig.coverage_rate"), theme.TEAL),
        ],
        title=t("quality.recognition_trend"),
        x_title=t("common.year"),
        y_title=t("common.share"),
        lang=lang,
    )
    ui.chart(fig, key="q_trend")
    ui.downloads(
        "ti_le_theo_nam",
        f,
        {
            t("quality.recognition_trend"): ui.display_frame(
                trend,
                [
                    ("year", t("common.year"), ui.TEXT),
                    ("recognition_rate", t("fig.recognition_rate"), ui.PCT),
                    ("target_compliance_rate", t("fig.target_compliance_rate"), ui.PCT),
                    ("coverage_rate", t("fig.coverage_rate"), ui.PCT),
                ],
            )
        },
        key="q_trend",
    )

# --- compliance heatmap --------------------------------------------------------------------------
filters.page_param("q_per", "per", "child", lambda v: v if v in ("child", "branch") else None, str)
per = st.segmented_control(
    t("quality.matrix.per"),
    ["child", "branch"],
    key="q_per",
    format_func=lambda k: t(f"quality.matrix.per.{k}", lang),
    required=True,
)
matrix = shared.compliance_matrix(f, per=per or "child")
if per == "branch":
    cells = matrix.filter(pl.col("is_active")).select(
        "ma_don_vi",
        "ten_don_vi",
        pl.col("nam").alias("year"),
        pl.col("meets_target").cast(pl.Float64).alias("rate"),
    )
else:
    cells = matrix.select(
        "ma_don_vi", "ten_don_vi", pl.col("nam").alias("year"), pl.col("target_compliance_rate").alias("rate")
    ).filter(pl.col("rate").is_not_null())

if cells.is_empty():
    ui.empty_note()
else:
    # Units with the same name stay apart: the label carries the code when a name repeats.
    names = cells.select("ma_don_vi", "ten_don_vi").unique()
    repeated = set(names.filter(pl.col("ten_don_vi").is_duplicated())["ma_don_vi"].to_list())
    cells = cells.with_columns(
        pl.when(pl.col("ma_don_vi").is_in(list(repeated)))
        .then(pl.col("ten_don_vi") + " (" + pl.col("ma_don_vi") + ")")
        .otherwise(pl.col("ten_don_vi"))
        .alias("unit")
    )
    # Units furthest from the target first: they are the ones to act on.
    order = cells.group_by("ma_don_vi").agg(pl.col("rate").mean().alias("mean_rate"))
    cells = cells.join(order, on="ma_don_vi").sort(["mean_rate", "unit", "year"], maintain_order=True)
    fig = charts.heatmap(
        cells,
        row="unit",
        column="year",
        value="rate",
        title=t("quality.matrix"),
        row_title=t("common.unit"),
        column_title=t("common.year"),
        colorbar_title=t("quality.matrix.colorbar"),
        lang=lang,
    )
    ui.chart(fig, key="q_matrix")
    ui.downloads(
        "chi_tieu_theo_don_vi",
        f,
        {
            t("quality.matrix"): ui.display_frame(
                cells,
                [
                    ("ma_don_vi", t("common.code"), ui.TEXT),
                    ("ten_don_vi", t("common.unit"), ui.TEXT),
                    ("year", t("common.year"), ui.TEXT),
                    ("rate", t("fig.target_compliance_rate"), ui.PCT),
                ],
            )
        },
        key="q_matrix",
    )

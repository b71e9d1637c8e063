"""Chỉ tiêu và chất lượng: target compliance per unit and year, scores against the threshold, recognition trend."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, filters, fmt, shared, theme, ui
from dashboard.i18n import t
from queries import vocab

f = filters.current()
lang = ui.lang()
ui.header(t("quality.title"), f)
st.caption(t("quality.target_note"))

s = shared.summary(f)
cards = [
    (t("fig.target_compliance_rate"), s["target_compliance_rate"], ui.PCT),
    (t("fig.recognition_rate"), s["recognition_rate"], ui.PCT),
    (t("fig.recognised"), s["recognised"], ui.INT),
    (t("fig.mean_score"), s["mean_score"], ui.NUM),
]
ui.figure_cards(cards)
ui.pending_caption(s)
ui.downloads("chat_luong_tong_hop", f, {t("quality.title"): ui.period_figures(f, cards)}, key="q_cards")

# --- scores and recognition ----------------------------------------------------------------------
left, right = st.columns(2, gap="large")
with left:
    shown_bins = shared.score_bins(f)  # the bins worth drawing, not the empty ones far below
    if shown_bins.is_empty():
        st.markdown(f"**{t('quality.scores')}**")
        ui.empty_note(t("quality.no_scores"))
    else:
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
        columns = [
            ("label", t("quality.score"), ui.TEXT),
            ("n_registrations", t("fig.registrations"), ui.INT),
            ("n_recognised", t("fig.recognised"), ui.INT),
            ("share", t("common.share"), ui.PCT),
        ]
        ui.chart_with_downloads(
            fig, shown_bins, columns, file="phan_bo_diem", f=f, title=t("quality.scores"), key="q_scores"
        )
with right:
    trend = shared.trend(f)
    rate_series = [
        ("recognition_rate", t("fig.recognition_rate"), theme.RED),
        ("target_compliance_rate", t("fig.target_compliance_rate"), theme.BLUE),
        ("coverage_rate", t("fig.coverage_rate"), theme.TEAL),
    ]
    fig = charts.rate_line(
        trend,
        x="year",
        series=rate_series,
        title=t("quality.recognition_trend"),
        x_title=t("common.year"),
        y_title=t("common.share"),
        lang=lang,
    )
    # the download holds the lines drawn, one column a line
    columns = [("year", t("common.year"), ui.TEXT), *[(c, label, ui.PCT) for c, label, _ in rate_series]]
    ui.chart_with_downloads(
        fig, trend, columns, file="ti_le_theo_nam", f=f, title=t("quality.recognition_trend"), key="q_trend"
    )

# --- compliance heatmap --------------------------------------------------------------------------
per = ui.url_choice("q_per", "per", ("child", "branch"), t("quality.matrix.per"), "quality.matrix.per")
cells = shared.compliance_cells(f, per=per)  # units furthest from the target first

if cells.is_empty():
    ui.empty_note()
else:
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
    columns = [
        ("ma_don_vi", t("common.code"), ui.TEXT),
        ("ten_don_vi", t("common.unit"), ui.TEXT),
        ("year", t("common.year"), ui.TEXT),
        ("rate", t("fig.target_compliance_rate"), ui.PCT),
    ]
    ui.chart_with_downloads(
        fig, cells, columns, file="chi_tieu_theo_don_vi", f=f, title=t("quality.matrix"), key="q_matrix"
    )

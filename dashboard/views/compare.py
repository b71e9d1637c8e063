"""So sánh giai đoạn: two periods side by side on every figure, by field, subject and unit; risers and fallers."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import charts, filters, fmt, shared, ui
from dashboard.escape import md
from dashboard.i18n import t
from queries import figures, labels

f = filters.current()
lang = ui.lang()
st.title(t("compare.title"), anchor=False)

# --- the two periods: A is the sidebar's reporting period, B is chosen here (URL: b=2018-2020) -------
presets = filters.presets(filters.year_options())
period_a = (f.year_from, f.year_to)
previous = filters.previous_period(period_a)
PREVIOUS = ""  # B's default: the period of equal length just before A (follows A when A changes)
options = [PREVIOUS, *(p for p in presets if presets[p] != period_a)]
filters.page_param("cmp_b", "b", PREVIOUS, lambda raw: raw if raw in presets else None, str)
if st.session_state.get("cmp_b") not in options:
    st.session_state["cmp_b"] = PREVIOUS


def _b_label(option: str) -> str:
    if option == PREVIOUS:
        return t("compare.b.previous", lang, period=filters.dump_period(previous))
    return filters.period_label(presets[option], lang)


left, right = st.columns([1, 1], vertical_alignment="bottom")
left.markdown(t("compare.a_is_sidebar", period=filters.period_label(period_a)))
chosen_b = right.selectbox(t("compare.b"), options, key="cmp_b", format_func=_b_label)
period_b = previous if chosen_b == PREVIOUS else presets[chosen_b]
fa, fb = f, filters.with_period(f, period_b)
label_a, label_b = filters.dump_period(period_a), filters.dump_period(period_b)
text_a, text_b = ui.period_text(period_a), ui.period_text(period_b)
st.caption(md(ui.scope_line(f, with_period=False)))

if period_a == period_b:
    st.warning(t("compare.same"), icon=":material/warning:")

# --- every figure --------------------------------------------------------------------------------
# A so với B (DOMAIN.md section 4): change = A - B, % of B; none against a period without data.
table = shared.compare(fa, fb, lang)


def _kind(key: str) -> str:
    fig = figures.FIGURES_BY_KEY.get(key)
    return fig.kind if fig else figures.COUNT


def _cell(kind: str, value: float | None) -> str:
    if value is None:
        return "–"
    if kind == figures.RATE:
        return fmt.percent(value, lang)
    if kind == figures.NUMBER:
        return fmt.number(value, lang)
    return fmt.integer(round(value), lang)


def _change(kind: str, value: float | None) -> str:
    if value is None:
        return "–"
    if kind == figures.RATE:
        return fmt.signed_points(value, lang)
    if kind == figures.NUMBER:
        return fmt.signed_number(value, lang)
    return fmt.signed_integer(round(value), lang)


rows = (
    table.filter(pl.col("a").is_not_null() | pl.col("b").is_not_null())
    .filter(
        ~(
            (pl.col("a").fill_null(0) == 0)
            & (pl.col("b").fill_null(0) == 0)
            & pl.col("figure").str.contains(r"\.")
        )
    )
    .with_columns(
        pl.col("figure").map_elements(lambda k: labels.compare_row_name(k, lang), pl.String).alias("label")
    )
)
col_figure, col_change, col_pct = (
    t("compare.col.figure"),
    t("compare.col.change"),
    t("compare.col.change_pct"),
)
shown = pl.DataFrame(
    {
        col_figure: rows["label"].to_list(),
        label_a: [_cell(_kind(k), v) for k, v in zip(rows["figure"], rows["a"], strict=True)],
        label_b: [_cell(_kind(k), v) for k, v in zip(rows["figure"], rows["b"], strict=True)],
        col_change: [_change(_kind(k), v) for k, v in zip(rows["figure"], rows["change"], strict=True)],
        col_pct: [fmt.signed_percent(v, lang) for v in rows["change_pct"]],
    }
    if label_a != label_b
    else {
        col_figure: rows["label"].to_list(),
        label_a: [_cell(_kind(k), v) for k, v in zip(rows["figure"], rows["a"], strict=True)],
    }
)
st.subheader(
    t("compare.table", a=filters.period_label(period_a), b=filters.period_label(period_b)), anchor=False
)


def _tone(value: str) -> str:
    if value.startswith("+"):
        return "color: #2E9D5B; font-weight: 600"
    if value.startswith("-"):
        return "color: #C62828; font-weight: 600"
    return ""


styler = shown.to_pandas().style.hide(axis="index")
if label_a != label_b:
    styler = styler.map(_tone, subset=[col_change, col_pct])
st.dataframe(
    styler,
    hide_index=True,
    width="stretch",
    height=min(38 + 35 * shown.height, 520),
    column_config={col_figure: st.column_config.Column(width="large")},
)
_UI_KINDS = {figures.RATE: ui.PCT, figures.NUMBER: ui.NUM, figures.COUNT: ui.INT}
raw = ui.comparison_frame(
    rows,
    [_UI_KINDS[_kind(k)] for k in rows["figure"]],
    (col_figure, label_a, label_b, col_change, col_pct),
)
if label_a == label_b:
    raw = raw.select(col_figure, label_a)
ui.downloads(
    f"so_sanh_{label_b}",
    fa,
    {t("compare.title"): raw},
    key="cmp_table",
    extra_filters={
        t("compare.a"): text_a,
        t("compare.b"): text_b,
    },
)

# --- grouped bars --------------------------------------------------------------------------------


def _side_by_side(by: str) -> pl.DataFrame:
    a = shared.breakdown(fa, by).select(pl.col(by).alias("category"), pl.col("registrations").alias("a"))
    b = shared.breakdown(fb, by).select(pl.col(by).alias("category"), pl.col("registrations").alias("b"))
    out = a.join(b, on="category", how="full", coalesce=True).with_columns(pl.col("a", "b").fill_null(0))
    return out.filter((pl.col("a") > 0) | (pl.col("b") > 0))


def _grouped(
    frame: pl.DataFrame,
    title_key: str,
    category_key: str,
    kind: str,
    key: str,
    translate: bool = True,
    horizontal: bool = True,
):
    if frame.is_empty():
        ui.empty_note()
        return
    fig = charts.grouped_bars(
        frame,
        category="category",
        a="a",
        b="b",
        a_label=label_a,
        b_label=label_b,
        title=t(title_key),
        category_title=t(category_key),
        value_title=t("fig.registrations"),
        lang=lang,
        translate=translate,
        horizontal=horizontal,
    )
    ui.chart(fig, key=key)
    shown = ui.display_frame(
        frame,
        [
            ("category", t(category_key), ui.VALUE if translate else ui.TEXT),
            ("a", label_a, ui.INT),
            ("b", label_b, ui.INT),
        ],
    )
    ui.downloads(f"{kind}_{label_b}", fa, {t(title_key): shown}, key=key)


left, right = st.columns(2, gap="large")
with left:
    _grouped(_side_by_side("linh_vuc"), "compare.by_field", "filters.field", "so_sanh_linh_vuc", "cmp_field")
with right:
    _grouped(
        _side_by_side("doi_tuong"),
        "compare.by_subject",
        "filters.subject",
        "so_sanh_doi_tuong",
        "cmp_subject",
        horizontal=False,
    )

units_a = shared.by_unit(fa).select("ma_don_vi", pl.col("registrations").alias("a"))
units_b = shared.by_unit(fb).select("ma_don_vi", pl.col("registrations").alias("b"))
names = shared.unit_names()
units = (
    units_a.join(units_b, on="ma_don_vi", how="full", coalesce=True)
    .with_columns(pl.col("a", "b").fill_null(0))
    .with_columns(
        pl.col("ma_don_vi").replace_strict(names, default=pl.col("ma_don_vi")).alias("ten_don_vi"),
        (pl.col("a") - pl.col("b")).alias("change"),
    )
    .filter((pl.col("a") > 0) | (pl.col("b") > 0))
)
by_unit = (
    units.sort(pl.max_horizontal("a", "b"), descending=True)
    .head(15)
    .select(pl.col("ten_don_vi").alias("category"), "a", "b")
)
_grouped(by_unit, "compare.by_unit", "common.unit", "so_sanh_don_vi", "cmp_unit", translate=False)

# --- risers and fallers --------------------------------------------------------------------------
if label_a != label_b and units.height:
    risers = units.filter(pl.col("change") > 0).sort("change", descending=True).head(5)
    fallers = units.filter(pl.col("change") < 0).sort("change").head(5)
    movers = pl.concat([risers, fallers]).select(pl.col("ten_don_vi").alias("unit"), "change")
    if movers.height:
        fig = charts.movers(
            movers,
            label="unit",
            change="change",
            title=t("compare.movers.title"),
            label_title=t("common.unit"),
            value_title=f"{t('compare.col.change')} ({label_a} – {label_b})",
            lang=lang,
        )
        ui.chart(fig, key="cmp_movers")
        ui.downloads(
            f"tang_giam_{label_b}",
            fa,
            {
                t("compare.movers.title"): ui.display_frame(
                    movers, [("unit", t("common.unit"), ui.TEXT), ("change", t("compare.col.change"), ui.INT)]
                )
            },
            key="cmp_movers",
        )

"""So sánh giai đoạn: two periods side by side on every figure, by field, subject and unit; risers and fallers."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import charts, filters, fmt, shared, ui
from dashboard.escape import md
from dashboard.i18n import t
from queries import page_tables, periods, shown, structure

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

# No change against a period without any reported year (DOMAIN.md section 4), as the cards say.
_reported = frozenset(shared.reported_years())
no_data = [p for p in (period_b, period_a) if not periods.reported_in(range(p[0], p[1] + 1), _reported)]
if no_data and period_a != period_b:
    st.caption(t("overview.compare.no_data", b=filters.period_label(no_data[0])))

# --- a reorganisation between A and B within the scope: say so, offer the other reading ------------
REORG_KINDS = (("moved", structure.MOVED), ("merged", structure.MERGED))  # text key, kind of change
changes = shared.reorganised_between(fa, fb)
if period_a != period_b and changes.height:
    reading = f.structure
    other = structure.CURRENT if reading == structure.AS_WAS else structure.AS_WAS
    # Only the kinds of change that happened, and one day said once ("ngày 01/02/2025").
    counted = page_tables.change_counts(changes)
    parts = [
        t(f"compare.reorg.{key}", n=fmt.integer(counted[kind], lang))
        for key, kind in REORG_KINDS
        if counted[kind]
    ]
    first, last = (fmt.day(changes["ngay"][i], lang) for i in (0, -1))  # by date
    when = (
        t("compare.reorg.on", day=first)
        if first == last
        else t("compare.reorg.between", first=first, last=last)
    )
    st.info(
        t("compare.reorg", changes=", ".join(parts), when=when, reading=t(f"filters.structure.{reading}")),
        icon=":material/account_tree:",
    )

    def _read(choice: str) -> None:
        st.session_state[filters.K_STRUCTURE] = choice

    st.button(
        t("compare.reorg.switch", reading=t(f"filters.structure.{other}").lower()),
        on_click=_read,
        args=(other,),
        key="cmp_reorg_switch",
        icon=":material/swap_horiz:",
    )

# --- every figure --------------------------------------------------------------------------------
# A so với B (DOMAIN.md section 4): change = A - B, % of B; none against a period without data.
rows = shared.compare(fa, fb, lang)  # the rows to list, named by the label catalogue
kinds = [shown.kind(key) for key in rows["figure"]]
col_figure, col_change, col_pct = (
    t("compare.col.figure"),
    t("compare.col.change"),
    t("compare.col.change_pct"),
)
table = pl.DataFrame(
    {
        col_figure: rows["label"].to_list(),
        label_a: [shown.text(k, v, lang) for k, v in zip(kinds, rows["a"], strict=True)],
        label_b: [shown.text(k, v, lang) for k, v in zip(kinds, rows["b"], strict=True)],
        col_change: [shown.change_text(k, v, lang) for k, v in zip(kinds, rows["change"], strict=True)],
        col_pct: [shown.relative_text(v, lang) for v in rows["change_pct"]],
    }
    if label_a != label_b
    else {
        col_figure: rows["label"].to_list(),
        label_a: [shown.text(k, v, lang) for k, v in zip(kinds, rows["a"], strict=True)],
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


styler = table.to_pandas().style.hide(axis="index")
if label_a != label_b:
    styler = styler.map(_tone, subset=[col_change, col_pct])
st.dataframe(
    styler,
    hide_index=True,
    width="stretch",
    height=min(38 + 35 * table.height, 520),
    column_config={col_figure: st.column_config.Column(width="large")},
)
raw = shown.comparison(rows, (col_figure, label_a, label_b, col_change, col_pct))
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
    change_columns=[col_change],  # a rate's change: "điểm %"
)

# --- grouped bars --------------------------------------------------------------------------------


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
    columns = [
        ("category", t(category_key), ui.VALUE if translate else ui.TEXT),
        ("a", label_a, ui.INT),
        ("b", label_b, ui.INT),
    ]
    ui.chart_with_downloads(fig, frame, columns, file=f"{kind}_{label_b}", f=fa, title=t(title_key), key=key)


left, right = st.columns(2, gap="large")
with left:
    _grouped(
        shared.side_by_side(fa, fb, "linh_vuc"),
        "compare.by_field",
        "filters.field",
        "so_sanh_linh_vuc",
        "cmp_field",
    )
with right:
    _grouped(
        shared.side_by_side(fa, fb, "doi_tuong"),
        "compare.by_subject",
        "filters.subject",
        "so_sanh_doi_tuong",
        "cmp_subject",
        horizontal=False,
    )

units = shared.unit_changes(fa, fb)  # the largest first
by_unit = page_tables.largest_units(units)
_grouped(by_unit, "compare.by_unit", "common.unit", "so_sanh_don_vi", "cmp_unit", translate=False)

# --- risers and fallers --------------------------------------------------------------------------
if label_a != label_b and no_data:  # no risers or fallers against a period without data
    st.markdown(f"**{t('compare.movers.title')}**")
    st.caption(t("overview.compare.no_data", b=filters.period_label(no_data[0])))
elif label_a != label_b and units.height:
    movers = page_tables.movers(units)
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
        columns = [("unit", t("common.unit"), ui.TEXT), ("change", t("compare.col.change"), ui.INT)]
        ui.chart_with_downloads(
            fig,
            movers,
            columns,
            file=f"tang_giam_{label_b}",
            f=fa,
            title=t("compare.movers.title"),
            key="cmp_movers",
        )

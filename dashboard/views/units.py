"""Đơn vị: the child units of the scope ranked on every figure, the hierarchy, drilling down and up."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import charts, filters, fmt, shared, ui
from dashboard.escape import md
from dashboard.i18n import t

f = filters.current()
lang = ui.lang()
ui.header(t("units.title"), f)

scope_name = filters.unit_label(f.unit)
if f.unit is not None:
    parent = filters.unit_parent(f.unit)
    st.button(
        t("units.up", unit=md(filters.unit_label(parent))),
        on_click=filters.set_unit,
        args=(parent,),
        icon=":material/arrow_upward:",
        type="tertiary",
    )

units = shared.by_unit(f)

# --- ranking -------------------------------------------------------------------------------------

COLUMNS = [
    ("ten_don_vi", t("common.unit"), ui.TEXT),
    ("cap", t("common.level"), ui.VALUE),
    # next to the name, so the units below target (this cell tinted) stand out without scrolling
    ("target_compliance_rate", t("fig.target_compliance_rate"), ui.PCT),
    ("registrations", t("fig.registrations"), ui.INT),
    ("collective", t("fig.collective"), ui.INT),
    ("individual", t("fig.individual"), ui.INT),
    ("coverage_rate", t("fig.coverage_rate"), ui.PCT),
    ("conference_rate", t("fig.conference_rate"), ui.PCT),
    ("recognition_rate", t("fig.recognition_rate"), ui.PCT),
    ("mean_score", t("fig.mean_score"), ui.NUM),
    ("awards", t("fig.awards"), ui.INT),
    ("nominations", t("fig.nominations"), ui.INT),
]

st.subheader(t("units.ranking", unit=md(scope_name)), anchor=False)
if units.is_empty():
    ui.empty_note(t("units.leaf", unit=md(scope_name)))
else:
    ranked = units.sort("registrations", descending=True, maintain_order=True)
    below = ranked["below_target"].fill_null(False).to_list()
    st.caption(
        f"{t('units.ranking.help')} {t('units.below_target_note')} "
        f"**{t('units.n_below', n=sum(below), total=ranked.height)}**."
    )
    event = ui.table(
        ranked,
        COLUMNS,
        highlight=below,
        highlight_column=t("fig.target_compliance_rate"),
        key=f"units_ranking_{f.unit}",  # a new scope starts with no row selected
        on_select="rerun",
        height=min(38 + 35 * ranked.height, 460),
        column_config={t("common.unit"): st.column_config.Column(width="large")},
    )
    shown = ui.display_frame(
        ranked.with_columns(pl.col("below_target").fill_null(False)),
        [
            ("ma_don_vi", t("common.code"), ui.TEXT),
            *COLUMNS,
            ("below_target", t("fig.below_target"), ui.TEXT),
        ],
    )
    ui.downloads("xep_hang_don_vi", f, {t("units.title"): shown}, key="ranking")

    # drill into a child: the row selected in the table, or one picked from the list
    selected_rows = event.selection.rows if event is not None and hasattr(event, "selection") else []
    codes = ranked["ma_don_vi"].to_list()
    names = filters.unit_choice_labels()
    pick_col, button_col = st.columns([3, 1], vertical_alignment="bottom")
    if selected_rows:
        target = codes[selected_rows[0]]
        pick_col.markdown(f"**{t('units.drill')}:** {md(names[target])}")
    else:
        target = pick_col.selectbox(
            t("units.drill"),
            codes,
            index=None,
            format_func=lambda c: names.get(c, c),
            placeholder=t("units.drill.pick"),
            key=f"units_drill_{f.unit}",
        )
    button_col.button(
        t("units.drill.button", unit=md(names.get(target, ""))) if target else t("units.drill"),
        on_click=filters.set_unit,
        args=(target,),
        disabled=target is None,
        icon=":material/zoom_in:",
        type="primary",
        width="stretch",
    )


# --- the hierarchy: the scope's units sized by their registrations -------------------------------

tree = shared.unit_tree(f)
if tree.height > 1 and tree["registrations"].sum() > 0:
    filters.page_param(
        "units_tree_kind", "chart", "treemap", lambda v: v if v in ("treemap", "sunburst") else None, str
    )
    kind = st.segmented_control(
        t("units.tree.kind"),
        ["treemap", "sunburst"],
        key="units_tree_kind",
        format_func=lambda k: t(f"units.tree.{k}", lang),
        required=True,
        label_visibility="collapsed",
    )
    # The scope unit itself is left out: its children are the top tiles (click one to see inside).
    # Without one (several top units), the top units are the top tiles.
    top = tree.filter(pl.col("depth") == tree["depth"].min())
    if top.height == 1:
        tree = tree.filter(pl.col("depth") > tree["depth"].min())
    ids = set(tree["ma_don_vi"].to_list())
    frame = tree.with_columns(
        pl.when(pl.col("ma_cap_tren").is_in(list(ids)))
        .then(pl.col("ma_cap_tren"))
        .otherwise(pl.lit(""))
        .alias("parent")
    )
    fig = charts.hierarchy(
        frame,
        ids="ma_don_vi",
        parents="parent",
        labels="ten_don_vi",
        values="registrations",
        title=t("units.tree.title"),
        value_title=t("fig.registrations"),
        lang=lang,
        kind=kind or "treemap",
    )
    ui.chart(fig, key="units_tree")
    if tree.height > charts.HIERARCHY_NODES:
        st.caption(t("units.tree.truncated", n=fmt.integer(tree.height, lang)))
    ui.downloads(
        "co_cau_don_vi",
        f,
        {
            t("units.tree.title"): ui.display_frame(
                tree,
                [
                    ("ma_don_vi", t("common.code"), ui.TEXT),
                    ("ten_don_vi", t("common.unit"), ui.TEXT),
                    ("ma_cap_tren", t("col.ma_cap_tren"), ui.TEXT),
                    ("cap", t("common.level"), ui.VALUE),
                    ("registrations", t("fig.registrations"), ui.INT),
                ],
            )
        },
        key="tree",
    )

"""Đơn vị: the scope unit's own figures, its child units ranked (laggards flagged against a threshold
the reader sets), a row for the records held at the unit's own level, drilling down and up."""

from __future__ import annotations

import html
import re
import urllib.parse

import polars as pl
import streamlit as st

from dashboard import charts, filters, fmt, shared, ui
from dashboard.columns import template as template_columns
from dashboard.escape import md
from dashboard.i18n import t, tv
from queries import drilldown, structure, vocab

f = filters.current()
lang = ui.lang()
ui.header(t("units.title"), f)

scope_name = filters.unit_label(f.unit)
if f.unit is not None:
    parent = filters.unit_parent(f.unit, f.year_to, f.structure)
    st.button(
        t("units.up", unit=md(filters.unit_label(parent))),
        on_click=filters.set_unit,
        args=(parent,),
        icon=":material/arrow_upward:",
        type="tertiary",
    )

# --- the unit's predecessors and successor (DOMAIN.md section 3: Mã đơn vị kế thừa) ----------------


def _unit_link(code: str, name: str) -> str:
    """A link to the unit's Đơn vị page: this view's URL with the unit changed (`?unit=CODE`)."""
    query = urllib.parse.urlencode(filters.url_params() | {"unit": code})
    return f"[{md(name)}](don-vi?{query})"


if f.unit is not None:
    visible = set(shared.unit_outline()["ma_don_vi"].to_list())  # never name a unit out of scope
    history = shared.unit_history(f.unit).filter(pl.col("ma_don_vi").is_in(sorted(visible)))
    before = history.filter(pl.col("quan_he") == structure.PREDECESSOR)
    after = history.filter(pl.col("quan_he") == structure.SUCCESSOR)
    if before.height:
        links = ", ".join(
            _unit_link(c, n) for c, n in zip(before["ma_don_vi"], before["ten_don_vi"], strict=True)
        )
        st.markdown(t("units.merged_from", units=links, day=fmt.day(before["ngay"][-1], lang)))
    if after.height:
        st.markdown(
            t(
                "units.merged_into",
                unit=_unit_link(after["ma_don_vi"][0], after["ten_don_vi"][0]),
                day=fmt.day(after["ngay"][0], lang),
            )
        )

# --- the unit's own headline figures ---------------------------------------------------------------

s = shared.summary(f)
CARDS = (
    ("fig.registrations", s["registrations"]["total"], ui.INT),
    ("fig.coverage_rate", s["coverage_rate"], ui.PCT),
    ("fig.target_compliance_rate", s["target_compliance_rate"], ui.PCT),
    ("fig.recognition_rate", s["recognition_rate"], ui.PCT),
    ("fig.awards", s["awards"]["total"], ui.INT),
)
st.subheader(t("units.cards", unit=md(scope_name)), anchor=False)
ui.figure_cards([(t(key), value, kind) for key, value, kind in CARDS])

units = shared.by_unit_with_direct(f).with_columns(
    pl.when(pl.col("ma_don_vi") == drilldown.DIRECT)
    .then(pl.lit(t("units.direct", unit=scope_name)))
    .otherwise(pl.col("ten_don_vi"))
    .alias("ten_don_vi")
)
children = units.filter(pl.col("ma_don_vi") != drilldown.DIRECT)

# --- ranking -------------------------------------------------------------------------------------

RANK, FLAG = t("units.rank"), t("fig.target_compliance_rate")
# The key columns first (visible at 1400 px without scrolling), the rest after, the level last.
COLUMNS = [
    ("ten_don_vi", t("common.unit"), ui.TEXT),
    ("rank", RANK, ui.INT),
    ("registrations", t("fig.registrations"), ui.INT),
    ("target_compliance_rate", FLAG, ui.PCT),
    ("coverage_rate", t("fig.coverage_rate"), ui.PCT),
    ("recognition_rate", t("fig.recognition_rate"), ui.PCT),
    ("awards", t("fig.awards"), ui.INT),
    ("collective", tv(vocab.SUBJECT_COLLECTIVE), ui.INT),
    ("individual", tv(vocab.SUBJECT_INDIVIDUAL), ui.INT),
    ("conference_rate", t("fig.conference_rate"), ui.PCT),
    ("mean_score", t("fig.mean_score"), ui.NUM),
    ("nominations", t("fig.nominations"), ui.INT),
    ("cap", t("common.level"), ui.VALUE),
]


def _threshold(raw: str) -> float | None:
    if not re.fullmatch(r"[0-9]{1,3}(\.[0-9])?", raw):
        return None
    value = float(raw)
    return value if value <= 100 else None


def _phone_list(frame: pl.DataFrame) -> str:
    """Each unit as a short card (name, rank, three key figures): read on a phone without scrolling
    sideways. Names are data: escaped, never rendered."""
    items = []
    for row in frame.iter_rows(named=True):
        rank = f"{row['rank']}. " if row["rank"] is not None else ""
        figures_line = " · ".join(
            f"<span>{html.escape(label)} <b>{html.escape(value)}</b></span>"
            for label, value in (
                (t("fig.registrations"), fmt.integer(row["registrations"], lang)),
                (FLAG, fmt.percent(row["target_compliance_rate"], lang) or "–"),
                (t("fig.coverage_rate"), fmt.percent(row["coverage_rate"], lang) or "–"),
            )
        )
        flag = " dvk-below" if row["below_threshold"] else ""
        items.append(
            f'<li class="dvk-unit{flag}"><div class="dvk-unit-name">{html.escape(rank + row["ten_don_vi"])}</div>'
            f'<div class="dvk-unit-figures">{figures_line}</div></li>'
        )
    return f'<ul class="dvk-units">{"".join(items)}</ul>'


if children.is_empty():
    st.subheader(t("units.leaf.records", unit=md(scope_name)), anchor=False)
    ui.empty_note(t("units.leaf", unit=md(scope_name)))
    total = shared.count_records(f, "dang_ky")
    if total:
        shown_rows = shared.records(f, "dang_ky", 200, 0)
        ui.table(
            shown_rows,
            template_columns(
                "dang_ky",
                (
                    "nam",
                    "ten_chu_the",
                    "ten_mo_hinh",
                    "doi_tuong",
                    "phong_trao",
                    "linh_vuc",
                    "ket_qua",
                    "diem",
                ),
            ),
            key="units_leaf_records",
            height=min(38 + 35 * shown_rows.height, 460),
        )
        if total > shown_rows.height:
            st.caption(
                t("units.leaf.more", shown=fmt.integer(shown_rows.height, lang), n=fmt.integer(total, lang))
            )
else:
    st.subheader(t("units.ranking", unit=md(scope_name)), anchor=False)
    scope_rate = s["target_compliance_rate"]
    default_pct = round(scope_rate * 100, 1) if scope_rate is not None else None
    filters.page_param("units_threshold", "nguong", None, _threshold, lambda v: f"{v:g}")
    filters.page_param(
        "units_rank_by", "xep", drilldown.RANK_BY[0], lambda v: v if v in drilldown.RANK_BY else None, str
    )
    left, right = st.columns([2, 3], vertical_alignment="bottom")
    chosen = left.number_input(
        t("units.threshold"),
        min_value=0.0,
        max_value=100.0,
        value=None,
        step=0.1,
        format="%.1f",
        key="units_threshold",
        placeholder=t("units.threshold.placeholder", rate=fmt.percent(scope_rate, lang) or "–"),
        help=t("units.threshold.help", unit=md(scope_name)),
    )
    by = right.segmented_control(
        t("units.rank_by"),
        drilldown.RANK_BY,
        key="units_rank_by",
        format_func=lambda k: t(f"fig.{k}", lang),
        required=True,
    )
    threshold = chosen if chosen is not None else default_pct
    ranked = drilldown.ranking(units, by or drilldown.RANK_BY[0], threshold)
    below = ranked["below_threshold"].to_list()
    n_below, with_rate = drilldown.flagged(ranked)
    if threshold is None:
        st.warning(t("units.flag.none"), icon=":material/flag:")
    else:
        rule = (
            t("units.threshold.set")
            if chosen is not None
            else t("units.threshold.scope", unit=md(scope_name))
        )
        flag_text = t(
            "units.flag",
            n=fmt.integer(n_below, lang),
            total=fmt.integer(with_rate, lang),
            rate=fmt.percent(threshold / 100, lang),
            rule=rule,
        )
        st.markdown(f":red[:material/flag:] **{flag_text}**")
    notes = [t("units.ranking.help"), t("units.flag.note")]
    if units.height > children.height:
        notes.append(t("units.direct.note", unit=md(scope_name)))
    st.caption(" ".join(notes))
    with st.container(key="units_wide"):
        event = ui.table(
            ranked,
            COLUMNS,
            highlight=below,
            highlight_column=FLAG,
            key=f"units_ranking_{f.unit}",  # a new scope starts with no row selected
            on_select="rerun",
            height=min(38 + 35 * ranked.height, 460),
            column_config={
                t("common.unit"): st.column_config.Column(width="medium"),
                RANK: st.column_config.Column(width=60),
            },
        )
    with st.container(key="units_phone"):
        st.html(_phone_list(ranked))
    yes, no = t("common.yes"), t("common.no")
    # In the file the direct row carries the scope unit's own code: its records are that unit's.
    roots = shared.unit_outline().filter(pl.col("depth") == 0)["ma_don_vi"]
    scope_code = f.unit or (roots[0] if roots.len() == 1 else "")
    ranking_file = ui.display_frame(
        ranked.with_columns(
            pl.when(pl.col("below_threshold"))
            .then(pl.lit(yes))
            .otherwise(pl.lit(no))
            .alias("below_threshold"),
            pl.col("ma_don_vi").replace(drilldown.DIRECT, scope_code),
        ),
        [
            ("ma_don_vi", t("common.code"), ui.TEXT),
            *COLUMNS,
            (
                "below_threshold",
                t("units.below_threshold", rate=fmt.percent((threshold or 0) / 100, lang)),
                ui.TEXT,
            ),
        ],
    )
    ui.downloads("xep_hang_don_vi", f, {t("units.title"): ranking_file}, key="ranking")

    # drill into a child: the row selected in the table, or one picked from the list
    selected_rows = event.selection.rows if event is not None and hasattr(event, "selection") else []
    codes = ranked["ma_don_vi"].to_list()
    names = filters.unit_choice_labels()
    pick_col, button_col = st.columns([3, 1], vertical_alignment="bottom")
    target = codes[selected_rows[0]] if selected_rows else None
    if target == drilldown.DIRECT:  # the unit's own records: nothing below to open
        target = None
    if target is not None:
        pick_col.markdown(f"**{t('units.drill')}:** {md(names[target])}")
    else:
        target = pick_col.selectbox(
            t("units.drill"),
            children["ma_don_vi"].to_list(),
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

tree, nodes, n_units = shared.unit_tree_nodes(f)
if nodes.height:
    tree_kind = ui.url_choice(
        "units_tree_kind",
        "chart",
        ("treemap", "sunburst"),
        t("units.tree.kind"),
        "units.tree",
        label_visibility="collapsed",
    )
    fig = charts.hierarchy(
        nodes,
        title=t("units.tree.title"),
        value_title=t("fig.registrations"),
        lang=lang,
        kind=tree_kind,
    )
    ui.chart(fig, key="units_tree")
    if n_units > nodes.height:
        st.caption(t("units.tree.truncated", n=fmt.integer(n_units, lang)))
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

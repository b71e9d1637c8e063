"""Pure chart builders: a Polars frame in, a Plotly figure out, each with a title and labelled axes.

Builders take the words they show (title, axis titles, series names) from the caller, and the
language only for number separators and for translating category labels, so a test can check
a figure's data against its frame without Streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
import polars as pl

from dashboard import theme
from dashboard.escape import plotly as esc
from dashboard.escape import plotly_all as esc_all
from dashboard.i18n import tv

INT = ",d"
PCT = ".1%"


LABEL_LIMIT = 44  # characters of a category label on an axis; the hover shows it whole


def _template_text(text: str) -> str:
    """Words put into a hover or text template: escaped, and no `%{...}` placeholders of their own."""
    return esc(text).replace("%{", "%\u200b{")


def _hover(name_fmt: str, value_fmt: str) -> str:
    return f"{name_fmt}<br>%{{fullData.name}}: <b>{value_fmt}</b><extra></extra>"


def _count_axis(values) -> dict:
    """Axis settings for counts: thousands separators, and whole-number ticks on a small scale."""
    top = max([abs(v) for v in values if v is not None] or [0])
    return {"tickformat": INT, "dtick": 1} if top <= 5 else {"tickformat": INT}


def axis_labels(labels: list[str], limit: int = LABEL_LIMIT) -> list[str]:
    """Long unit names cut to `limit` characters with "…", unless that would make two alike."""
    short = [text if len(text) <= limit else text[: limit - 1].rstrip() + "…" for text in labels]
    return short if len(set(short)) == len(set(labels)) else list(labels)


def _axis_text(labels: list[str]) -> list[str]:
    """Category labels as the axis shows them: shortened (`axis_labels`), then escaped."""
    return esc_all(axis_labels(labels))


def _category_labels(df: pl.DataFrame, category: str, lang: str, translate: bool) -> list[str]:
    """A frame's categories as text, translated into `lang` unless `translate` is off."""
    return [tv(c, lang) if translate else c for c in df[category].cast(pl.String).to_list()]


def _stack_totals(df: pl.DataFrame, series: Sequence[tuple[str, str, str]]) -> list[float]:
    """Each row's sum over the series' columns (a missing value counts 0): the height of a stack."""
    return [sum(v or 0 for v in row) for row in zip(*(df[c].to_list() for c, _, _ in series), strict=True)]


def _add_count_bar(
    fig: go.Figure, categories: list[str], values: list, label: str, color: str, *, horizontal: bool
) -> None:
    """One trace of counts: vertical bars over `categories` (shown as given), or horizontal bars
    whose axis shortens long labels while the hover shows them whole."""
    if horizontal:
        fig.add_bar(
            x=values,
            y=_axis_text(categories),
            customdata=esc_all(categories),
            orientation="h",
            name=esc(label),
            marker_color=color,
            hovertemplate=_hover("%{customdata}", "%{x:,d}"),
        )
    else:
        fig.add_bar(
            x=categories,
            y=values,
            name=esc(label),
            marker_color=color,
            hovertemplate=_hover("%{x}", "%{y:,d}"),
        )


def _series_bars(
    df: pl.DataFrame, categories: list[str], series: Sequence[tuple[str, str, str]], *, horizontal: bool
) -> go.Figure:
    """A figure with one trace of count bars per (column, label, colour) in `series`."""
    fig = go.Figure()
    for column, label, color in series:
        _add_count_bar(fig, categories, df[column].to_list(), label, color, horizontal=horizontal)
    return fig


def stacked_bars_by_year(
    df: pl.DataFrame,
    *,
    year: str,
    series: Sequence[tuple[str, str, str]],
    title: str,
    x_title: str,
    y_title: str,
    lang: str,
    stacked: bool = True,
) -> go.Figure:
    """Vertical bars per year, one trace per (column, label, colour) in `series`, stacked or grouped."""
    fig = _series_bars(df, [str(y) for y in df[year].to_list()], series, horizontal=False)
    totals = _stack_totals(df, series)
    return theme.style(
        fig,
        lang=lang,
        title=title,
        x_title=x_title,
        y_title=y_title,
        layout={"barmode": "stack" if stacked else "group"},
        xaxis={"type": "category"},
        yaxis={
            "rangemode": "tozero",
            **_count_axis(totals if stacked else [v for t in fig.data for v in t.y]),
        },
    )


def category_bars(
    df: pl.DataFrame,
    *,
    category: str,
    value: str,
    title: str,
    category_title: str,
    value_title: str,
    lang: str,
    colors: dict[str, str] | None = None,
    percent: bool = False,
    number_format: str | None = None,
    translate: bool = True,
    sort: bool = True,
) -> go.Figure:
    """Horizontal bars, one per category, the value printed at the bar's end.

    With `sort` the largest bar is on top; otherwise the frame's first row is at the bottom.
    `number_format` is a d3 format ("," + "d" by default, ".1%" with `percent`).
    """
    ordered = df.sort(value, descending=False, nulls_last=False) if sort else df
    raw = ordered[category].cast(pl.String).to_list()
    labels = esc_all([tv(c, lang) if translate else c for c in raw])
    mapping = colors or {}
    fmt = number_format or (PCT if percent else INT)
    fig = go.Figure(
        go.Bar(
            x=ordered[value].to_list(),
            y=labels,
            orientation="h",
            name=esc(value_title),
            marker_color=[theme.color_for(c, mapping, i) for i, c in enumerate(raw)]
            if mapping
            else theme.RED,
            text=ordered[value].to_list(),
            texttemplate=f"%{{x:{fmt}}}",
            textposition="outside",
            cliponaxis=False,
            hovertemplate=_hover("%{y}", f"%{{x:{fmt}}}"),
        )
    )
    top = max([v for v in ordered[value].to_list() if v is not None] or [0])
    # Room on the right for the printed values.
    xaxis = {"tickformat": fmt, "range": [0, top * 1.18 if top else 1]}
    if fmt == INT:
        xaxis.update(_count_axis([top]))
    height = max(220, 80 + 44 * len(labels))
    return _style_rows(
        fig, lang, title, value_title, category_title, height, xaxis, legend=False, first_on_top=False
    )


def _style_rows(
    fig: go.Figure,
    lang: str,
    title: str,
    value_title: str,
    category_title: str,
    height: int,
    xaxis: dict,
    *,
    barmode: str | None = None,
    legend: bool = True,
    first_on_top: bool = True,
) -> go.Figure:
    """The style of horizontal bars: one row per category (the frame's first row on top, unless
    `first_on_top` is False), the values along x."""
    yaxis = {"automargin": True, "type": "category"}
    if first_on_top:
        yaxis["autorange"] = "reversed"
    return theme.style(
        fig,
        lang=lang,
        title=title,
        x_title=value_title,
        y_title=category_title,
        legend=legend,
        height=height,
        layout=None if barmode is None else {"barmode": barmode},
        xaxis=xaxis,
        yaxis=yaxis,
    )


def stacked_category_bars(
    df: pl.DataFrame,
    *,
    category: str,
    series: Sequence[tuple[str, str, str]],
    title: str,
    category_title: str,
    value_title: str,
    lang: str,
    translate: bool = True,
) -> go.Figure:
    """Horizontal stacked bars: one row per category, one segment per (column, label, colour)."""
    labels = _category_labels(df, category, lang, translate)
    fig = _series_bars(df, labels, series, horizontal=True)
    count_axis = {"rangemode": "tozero", **_count_axis(_stack_totals(df, series))}
    height = max(240, 100 + 40 * len(labels))
    return _style_rows(fig, lang, title, value_title, category_title, height, count_axis, barmode="stack")


def grouped_bars(
    df: pl.DataFrame,
    *,
    category: str,
    a: str,
    b: str,
    a_label: str,
    b_label: str,
    title: str,
    category_title: str,
    value_title: str,
    lang: str,
    translate: bool = True,
    horizontal: bool = False,
) -> go.Figure:
    """Two bars per category (period A and period B) side by side; horizontal for long labels.

    Horizontal bars keep the frame's first row on top.
    """
    labels = _category_labels(df, category, lang, translate)
    periods = ((a, a_label, theme.PERIOD_COLORS[0]), (b, b_label, theme.PERIOD_COLORS[1]))
    fig = _series_bars(df, labels if horizontal else esc_all(labels), periods, horizontal=horizontal)
    count_axis = {"rangemode": "tozero", **_count_axis(df[a].to_list() + df[b].to_list())}
    if horizontal:
        height = max(280, 120 + 46 * len(labels))
        return _style_rows(fig, lang, title, value_title, category_title, height, count_axis, barmode="group")
    return theme.style(
        fig,
        lang=lang,
        title=title,
        x_title=category_title,
        y_title=value_title,
        layout={"barmode": "group"},
        xaxis={"type": "category", "automargin": True},
        yaxis=count_axis,
    )


def rate_line(
    df: pl.DataFrame,
    *,
    x: str,
    series: Sequence[tuple[str, str, str]],
    title: str,
    x_title: str,
    y_title: str,
    lang: str,
) -> go.Figure:
    """Shares (0..1) per year as lines with markers, the axis in percent."""
    fig = go.Figure()
    xs = [str(v) for v in df[x].to_list()]
    for column, label, color in series:
        fig.add_scatter(
            x=xs,
            y=df[column].to_list(),
            name=esc(label),
            mode="lines+markers",
            line={"color": color, "width": 3},
            marker={"size": 8},
            hovertemplate=_hover("%{x}", "%{y:.1%}"),
        )
    return theme.style(
        fig,
        lang=lang,
        title=title,
        x_title=x_title,
        y_title=y_title,
        legend=len(series) > 1,
        xaxis={"type": "category"},
        yaxis={"tickformat": ".0%", "range": [0, 1.05]},
    )


def heatmap(
    df: pl.DataFrame,
    *,
    row: str,
    column: str,
    value: str,
    title: str,
    row_title: str,
    column_title: str,
    colorbar_title: str,
    lang: str,
) -> go.Figure:
    """A share (0..1) per row and column (e.g. unit x year), rows in the frame's order."""
    rows = list(dict.fromkeys(df[row].cast(pl.String).to_list()))
    cols = sorted(set(df[column].to_list()))
    lookup = {
        (str(r), c): v
        for r, c, v in zip(df[row].to_list(), df[column].to_list(), df[value].to_list(), strict=True)
    }
    z = [[lookup.get((r, c)) for c in cols] for r in rows]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=esc_all([str(c) for c in cols]),
            y=esc_all(rows),
            zmin=0,
            zmax=1,
            colorscale=theme.SHARE_SCALE,
            xgap=2,
            ygap=2,
            texttemplate="%{z:.0%}",
            colorbar={
                "title": {"text": esc(colorbar_title)},
                "tickformat": ".0%",
                "len": 260,
                "lenmode": "pixels",
                "y": 1,
                "yanchor": "top",
            },
            hovertemplate="%{y}<br>%{x}: <b>%{z:.1%}</b><extra></extra>",
            hoverongaps=False,
        )
    )
    tall = len(rows) > 15
    return theme.style(
        fig,
        lang=lang,
        title=title,
        x_title=column_title,
        y_title=row_title,
        legend=False,
        height=max(300, 130 + (22 if tall else 30) * len(rows)),
        layout={"margin": {"t": 96}} if tall else None,
        # On a tall map the years go on top, where the reader starts.
        xaxis={"type": "category", "side": "top" if tall else "bottom"},
        yaxis={"type": "category", "autorange": "reversed", "automargin": True},
    )


def score_histogram(
    df: pl.DataFrame,
    *,
    start: str,
    end: str,
    count: str,
    threshold: float,
    threshold_label: str,
    title: str,
    x_title: str,
    y_title: str,
    lang: str,
) -> go.Figure:
    """Bars per score bin, coloured by side of the threshold, with the threshold as a dashed line."""
    starts = df[start].to_list()
    ends = df[end].to_list()
    mids = [(s + e) / 2 for s, e in zip(starts, ends, strict=True)]
    widths = [(e - s) * 0.92 for s, e in zip(starts, ends, strict=True)]
    colors = [theme.RED if s >= threshold else theme.SLATE for s in starts]
    fig = go.Figure(
        go.Bar(
            x=mids,
            y=df[count].to_list(),
            width=widths,
            marker_color=colors,
            name=esc(y_title),
            customdata=list(zip(starts, ends, strict=True)),
            hovertemplate="%{customdata[0]:,.0f}–%{customdata[1]:,.0f}: <b>%{y:,d}</b><extra></extra>",
        )
    )
    fig.add_vline(x=threshold, line_dash="dash", line_color=theme.THRESHOLD, line_width=2)
    fig.add_annotation(
        x=threshold,
        y=1,
        yref="paper",
        text=esc(threshold_label),
        showarrow=False,
        xanchor="right",
        yanchor="bottom",
        font={"color": theme.THRESHOLD},
    )
    return theme.style(
        fig,
        lang=lang,
        title=title,
        x_title=x_title,
        y_title=y_title,
        legend=False,
        xaxis={"range": [min(starts, default=0), max(ends, default=100)], "tickformat": ",d", "dtick": 5},
        yaxis={"rangemode": "tozero", **_count_axis(df[count].to_list())},
    )


def _volume_colors(ids: list[str], parents: list[str], totals: list[float]) -> list[str]:
    """A colour per node on the volume scale; the top level spans the scale, lower levels follow."""
    known = set(ids)
    top = max([v for node, parent, v in zip(ids, parents, totals, strict=True) if parent not in known] or [0])
    return [theme.scale_color(theme.VOLUME_SCALE, v / top if top else 0) for v in totals]


def hierarchy(
    nodes: pl.DataFrame,
    *,
    title: str,
    value_title: str,
    lang: str,
    kind: str = "treemap",
) -> go.Figure:
    """The unit hierarchy as a treemap (one level) or sunburst (two levels); click to go deeper.

    `nodes` are queries.page_tables.hierarchy_nodes (id, parent, label, own, total): a parent's area
    adds its children's. The colour follows the unit's whole subtree, pale to the movement's red.
    """
    id_list, parent_list = nodes["id"].to_list(), nodes["parent"].to_list()
    own, totals, label_list = nodes["own"].to_list(), nodes["total"].to_list(), nodes["label"].to_list()
    trace = go.Treemap if kind == "treemap" else go.Sunburst
    fig = go.Figure(
        trace(
            ids=id_list,
            parents=parent_list,
            labels=esc_all(label_list),
            values=own,
            branchvalues="remainder",
            marker={"colors": _volume_colors(id_list, parent_list, totals)},
            customdata=totals,
            hovertemplate=f"<b>%{{label}}</b><br>{_template_text(value_title)}: %{{customdata:,d}}<extra></extra>",
            texttemplate="%{label}<br>%{customdata:,d}",
            maxdepth=2 if kind == "sunburst" else 1,
            root={"color": "rgba(0,0,0,0)"},
        )
    )
    return theme.style(
        fig,
        lang=lang,
        title=title,
        legend=False,
        height=520,
        layout={"margin": {"l": 4, "r": 4, "t": 52, "b": 4}},
    )


def movers(
    df: pl.DataFrame,
    *,
    label: str,
    change: str,
    title: str,
    label_title: str,
    value_title: str,
    lang: str,
) -> go.Figure:
    """Diverging horizontal bars of a change: rises in green, falls in red, biggest at the ends."""
    ordered = df.sort(change)
    values = ordered[change].to_list()
    fig = go.Figure(
        go.Bar(
            x=values,
            y=_axis_text(ordered[label].cast(pl.String).to_list()),
            customdata=esc_all(ordered[label].cast(pl.String).to_list()),
            orientation="h",
            name=esc(value_title),
            marker_color=[theme.RISE if (v or 0) >= 0 else theme.FALL for v in values],
            text=values,
            texttemplate="%{x:+,d}",
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{customdata}: <b>%{x:+,d}</b><extra></extra>",
        )
    )
    return theme.style(
        fig,
        lang=lang,
        title=title,
        x_title=value_title,
        y_title=label_title,
        legend=False,
        height=max(260, 100 + 34 * len(values)),
        xaxis={"tickformat": ",d", "zeroline": True, "zerolinewidth": 2},  # "+,d" wrote "+0" at zero
        yaxis={"automargin": True, "type": "category"},
    )

"""One palette and one chart style for every page, readable on the light and the dark theme.

Colours are mid-tone so they hold on both backgrounds; backgrounds stay transparent and the text
colour is left to Streamlit's theme (st.plotly_chart(theme="streamlit")).
"""

from __future__ import annotations

import plotly.graph_objects as go

from dashboard.escape import plotly as esc

RED = "#C62828"  # the movement's red: collective, period A, highlights
GOLD = "#E0A100"  # individual, period B
TEAL = "#00897B"
BLUE = "#1E6FD9"
PURPLE = "#8E44AD"
ORANGE = "#E06A1B"
SLATE = "#6B7A8F"
GREEN = "#2E9D5B"

PALETTE = (RED, BLUE, GOLD, TEAL, PURPLE, ORANGE, SLATE, GREEN)

SUBJECT_COLORS = {"Tập thể": RED, "Cá nhân": GOLD}
MOVEMENT_COLORS = {"Dân vận khéo": RED, "QCDC": BLUE}
KIND_COLORS = {"Mô hình": TEAL, "Điển hình": PURPLE}
FIELD_COLORS = {
    "Kinh tế": BLUE,
    "Văn hóa - xã hội": TEAL,
    "Quốc phòng - an ninh": GREEN,
    "Xây dựng hệ thống chính trị": RED,
    "Khác": SLATE,
}
STATUS_COLORS = {"Đã khen thưởng": RED, "Đề nghị": GOLD}
PERIOD_COLORS = (RED, SLATE)  # period A (the one under review), period B (the baseline)
RISE, FALL = GREEN, RED
THRESHOLD = ORANGE
# Scale for shares that should be high (0..1): red (far from it), amber, green (met).
SHARE_SCALE = [[0.0, "#C62828"], [0.5, "#F2C14E"], [1.0, "#2E9D5B"]]
# Scale for volumes (counts): pale amber to the movement's red.
VOLUME_SCALE = [[0.0, "#F9E0B0"], [0.5, "#E8833A"], [1.0, "#A31515"]]

# Highlight of table rows that need attention; translucent so it works on light and dark.
ROW_ALERT = "background-color: rgba(198, 40, 40, 0.16)"
CELL_ALERT = "background-color: rgba(198, 40, 40, 0.22); color: #C62828; font-weight: 600"

# Streamlit's own face first. Names are quoted: unquoted, "Source Sans 3" is not valid CSS (a name
# part may not start with a digit), the browser dropped the whole list and drew axes and legends in
# Plotly's fallback face, wider than the one Plotly had measured, so legend entries were cut.
FONT = '"Source Sans", "Source Sans 3", "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'

CHART_HEIGHT = 360


def scale_color(scale: list[list], share: float) -> str:
    """The colour at `share` (0..1) of a two- or three-stop scale like VOLUME_SCALE, as #rrggbb."""
    share = min(max(share, 0.0), 1.0)
    for (lo, lo_color), (hi, hi_color) in zip(scale, scale[1:], strict=False):
        if share <= hi:
            part = (share - lo) / (hi - lo) if hi > lo else 0.0
            a = [int(lo_color[i : i + 2], 16) for i in (1, 3, 5)]
            b = [int(hi_color[i : i + 2], 16) for i in (1, 3, 5)]
            return "#" + "".join(f"{round(x + (y - x) * part):02x}" for x, y in zip(a, b, strict=True))
    return scale[-1][1]


def separators(lang: str) -> str:
    """Plotly's decimal and thousands separators: "75,3" / "1.061" in Vietnamese, "75.3" / "1,061" in English."""
    return ",." if lang == "vi" else ".,"


def color_for(value: str, mapping: dict[str, str], index: int) -> str:
    """The fixed colour of a category, or the palette's next colour for one it does not know."""
    return mapping.get(value, PALETTE[index % len(PALETTE)])


def style(
    fig: go.Figure,
    *,
    lang: str,
    title: str,
    x_title: str | None = None,
    y_title: str | None = None,
    height: int = CHART_HEIGHT,
    legend: bool = True,
    layout: dict | None = None,
    xaxis: dict | None = None,
    yaxis: dict | None = None,
) -> go.Figure:
    """The figure's traces with the house style: title and axis titles (shown as text, never as
    HTML), separators for the language, compact margins; then the chart's own `layout`, `xaxis` and `yaxis` settings (nested dicts in
    Plotly's names, merged over the house style as `update_layout` would).

    Returns a new figure, built in one step from plain dicts. Setting the same layout through
    `update_layout` and `update_xaxes` took about 20 ms a chart (Plotly checks every property on
    the way), most of the time a page spent drawing; the traces were checked when they were added,
    and tests/test_charts.py checks that Plotly accepts every chart's layout unchanged.
    """
    # Title on the first line, legend on the next one (two if it wraps), both in the top margin
    # and placed in pixels from the top, so they never overlap however narrow the column.
    title_px, legend_px = 40, 52
    house = {
        "title": {
            "text": esc(title),
            "x": 0,
            "xanchor": "left",
            "xref": "container",
            "y": 1,
            "yanchor": "top",
            "yref": "container",
            "pad": {"t": 12, "l": 4},
            "font": {"size": 16},
        },
        "separators": separators(lang),
        "height": height,
        "margin": {"l": 8, "r": 8, "t": title_px + (legend_px if legend else 12), "b": 8, "autoexpand": True},
        "font": {"family": FONT},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "showlegend": legend,
        "legend": {
            "orientation": "h",
            "yref": "container",
            "y": 1 - title_px / height,
            "yanchor": "top",
            "xref": "container",
            "x": 0,
            "xanchor": "left",
            "traceorder": "normal",
        },
        "hoverlabel": {"font": {"family": FONT}},
        "bargap": 0.25,
    }
    if x_title is not None:
        house["xaxis"] = {"title": {"text": esc(x_title)}}
    if y_title is not None:
        house["yaxis"] = {"title": {"text": esc(y_title)}}
    own = dict(layout or {})
    for name, axis in (("xaxis", xaxis), ("yaxis", yaxis)):
        if axis:
            own[name] = axis
    spec = fig.to_dict()
    merged = _merge(_merge(spec.get("layout", {}), house), own)
    return go.Figure({"data": spec.get("data", []), "layout": merged}, _validate=False)


def _merge(into: dict, extra: dict) -> dict:
    """`extra` merged into `into` (in place), nested dicts key by key, as Plotly's updates do."""
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value if not isinstance(value, dict) else _merge({}, value)
    return into

"""Names from the data are shown as text: the markdown and Plotly escapes, and every chart builder.

The markdown escape is checked by rendering it with markdown-it (CommonMark, the grammar Streamlit's
markdown follows): the rendered text is the name exactly, with no link, image or HTML. The chart
builders are checked on their figure: no data-derived string reaches Plotly with a `<` in it (the
one character that starts every tag Plotly renders), and Plotly decodes what is left back to
the name.
"""

from __future__ import annotations

import html
import json
import re

import plotly.graph_objects as go
import polars as pl
import pytest
from markdown_it import MarkdownIt

from dashboard import charts, escape, theme
from queries import page_tables

BEACON = "![b](http://127.0.0.1:9/beacon.png) [site](http://evil.example/)"
ANCHOR = '<a href="https://evil.example/">x</a>'
HOSTILE = [
    BEACON,
    ANCHOR,
    "<img src=http://127.0.0.1:9/i.png onerror=alert(1)>",
    "**đậm** _nghiêng_ `mã` ~~gạch~~ # tiêu đề",
    "1. danh sách\n- mục\n> trích\n| a | b |",
    ":red[đỏ] :material/home: $x^2$ \\(x\\)",
    "&lt;a&gt; &amp; &#60;b&#62;",
    "<b>A1</b> [x](javascript:alert(1)) <br> %{x} %{customdata}",
    "www.evil.example http://evil.example/b mail@evil.example",
    "Đảng bộ (cơ sở) A-1 [2021] {x} ~ ^ | \\ _",
]


def _render(markdown: str) -> str:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)


def _text_of(rendered: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", rendered)).strip()


@pytest.mark.parametrize("name", HOSTILE)
def test_md_renders_as_the_name_exactly_and_nothing_else(name):
    rendered = _render(escape.md(name))
    assert "<a" not in rendered and "<img" not in rendered and "<code" not in rendered
    assert "<strong" not in rendered and "<em" not in rendered and "<h1" not in rendered
    assert "<table" not in rendered and "<ol" not in rendered and "<ul" not in rendered
    assert rendered.startswith("<p>") and rendered.count("<p>") == 1
    shown = _text_of(rendered).replace(escape.WORD_JOINER, "")  # the joiners are invisible
    assert shown == " ".join(name.split("\n"))  # one line: breaks become spaces


def test_md_inside_the_apps_own_markdown_keeps_it():
    rendered = _render(f"**Đơn vị:** {escape.md(BEACON)}")
    assert "<strong>Đơn vị:</strong>" in rendered and "<img" not in rendered and "<a" not in rendered


def test_md_escapes_every_ascii_punctuation_and_leaves_letters_alone():
    assert escape.md("Đảng bộ A") == "Đảng bộ A"
    assert escape.md("a.b") == "a\\.b"
    punctuation = "".join(chr(c) for c in range(0x21, 0x7F) if not chr(c).isalnum())
    assert escape.md(punctuation) == "".join("\\" + c + ("\u2060" if c == "@" else "") for c in punctuation)


@pytest.mark.parametrize(
    "text",
    [
        "http://evil.example/b",
        "HTTPS://evil.example",
        "www.evil.example",
        "WWW.x.y",
        "mail@evil.example",
        "xmpp:a@b.c",
    ],
)
def test_md_breaks_every_literal_autolink(text):
    # remark-gfm finds these in the text after the escapes are read: a word joiner must split them
    shown = escape.md(text).replace("\\", "")
    assert not re.search(r"://|www\.|@\w", shown, re.IGNORECASE), shown
    assert shown.replace(escape.WORD_JOINER, "") == text


@pytest.mark.parametrize("name", HOSTILE)
def test_plotly_escape_leaves_no_tag_and_decodes_back(name):
    shown = escape.plotly(name)
    assert "<" not in shown and ">" not in shown
    assert html.unescape(shown) == name


# --- every chart builder ------------------------------------------------------------------------------


def _strings(fig: go.Figure) -> list[str]:
    """Every string the figure hands to Plotly (data and layout)."""
    found: list[str] = []

    def walk(value):
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list | tuple):
            for v in value:
                walk(v)

    walk(json.loads(fig.to_json()))
    return found


TEMPLATE_KEYS = ("hovertemplate", "texttemplate")


def _assert_inert(fig: go.Figure, names: list[str]) -> None:
    """No data-derived string holds a tag; each name (or its shortened axis label) is there, escaped."""
    spec = json.loads(fig.to_json())
    templates = {t.get(k) for t in spec["data"] for k in TEMPLATE_KEYS}
    for text in _strings(fig):
        if text in templates:  # the builder's own templates: their tags are the chart's own
            continue
        assert "<" not in text, text
    shown = {html.unescape(s) for s in _strings(fig)}
    for name in names:
        assert name in shown or any(s.endswith("…") and name.startswith(s[:-1]) for s in shown), name
    go.Figure(spec)  # Plotly accepts the figure as built


NAMES = [BEACON, ANCHOR, "<b>A1</b> [x](javascript:alert(1)) <br>"]


def test_category_bars():
    frame = pl.DataFrame({"category": NAMES, "value": [3, 2, 1]})
    fig = charts.category_bars(
        frame, category="category", value="value", title=ANCHOR, category_title="<b>c</b>",
        value_title="<i>v</i>", lang="vi", translate=False,
    )  # fmt: skip
    _assert_inert(fig, NAMES)
    assert fig.layout.title.text == html.escape(ANCHOR, quote=False)


def test_stacked_category_bars_and_grouped_bars():
    frame = pl.DataFrame({"category": NAMES, "a": [3, 2, 1], "b": [1, 2, 3]})
    fig = charts.stacked_category_bars(
        frame, category="category", series=[("a", "<b>A</b>", theme.RED), ("b", ANCHOR, theme.GOLD)],
        title="t", category_title="c", value_title="v", lang="vi", translate=False,
    )  # fmt: skip
    _assert_inert(fig, [*NAMES, ANCHOR])
    for horizontal in (True, False):
        fig = charts.grouped_bars(
            frame, category="category", a="a", b="b", a_label=ANCHOR, b_label="<b>B</b>", title="t",
            category_title="c", value_title="v", lang="en", translate=False, horizontal=horizontal,
        )  # fmt: skip
        _assert_inert(fig, [*NAMES, ANCHOR])


def test_a_long_name_is_shortened_before_it_is_escaped():
    long = "<a href='https://evil.example/'>" + "x" * 60 + "</a>"
    frame = pl.DataFrame({"unit": [long, "B"], "change": [3, -1]})
    fig = charts.movers(
        frame, label="unit", change="change", title="t", label_title="u", value_title="v", lang="vi"
    )
    ticks = list(fig.data[0].y)
    assert all("<" not in t for t in ticks)
    assert not any(re.search(r"&[a-z#0-9]*…", t) for t in ticks)  # no entity cut in half
    assert html.escape(long, quote=False) in fig.data[0].customdata


def test_heatmap_hierarchy_histogram_lines_and_years():
    frame = pl.DataFrame({"unit": NAMES, "year": [2021, 2021, 2022], "rate": [0.5, 0.7, 1.0]})
    fig = charts.heatmap(
        frame, row="unit", column="year", value="rate", title="t", row_title="<b>r</b>",
        column_title="c", colorbar_title=ANCHOR, lang="vi",
    )  # fmt: skip
    _assert_inert(fig, NAMES)
    assert list(fig.data[0].z) == [[0.5, None], [0.7, None], [None, 1.0]]  # the lookup still by name

    tree = pl.DataFrame(
        {"id": ["K", "A", "B"], "parent": ["", "K", "K"], "name": NAMES, "registrations": [1, 2, 3]}
    )
    nodes = page_tables.hierarchy_nodes(
        tree, ids="id", parents="parent", labels="name", values="registrations"
    )
    fig = charts.hierarchy(nodes, title="t", value_title="%{label} <b>x</b>", lang="vi")
    _assert_inert(fig, NAMES)
    value_part = fig.data[0].hovertemplate.split("<br>", 1)[1]  # after the template's own "<b>%{label}</b>"
    assert "&lt;b&gt;x" in value_part and "%{label}" not in value_part

    bins = pl.DataFrame({"start": [60.0, 70.0], "end": [70.0, 80.0], "n": [1, 2]})
    fig = charts.score_histogram(
        bins, start="start", end="end", count="n", threshold=70, threshold_label=ANCHOR, title="t",
        x_title="x", y_title="y", lang="vi",
    )  # fmt: skip
    _assert_inert(fig, [ANCHOR])

    years = pl.DataFrame({"year": [2021, 2022], "a": [1, 2], "b": [0.5, 0.6]})
    fig = charts.stacked_bars_by_year(
        years, year="year", series=[("a", ANCHOR, theme.RED)], title="t", x_title="x", y_title="y", lang="vi"
    )
    _assert_inert(fig, [ANCHOR])
    fig = charts.rate_line(
        years, x="year", series=[("b", ANCHOR, theme.RED)], title=BEACON, x_title="x", y_title="y", lang="vi"
    )
    _assert_inert(fig, [ANCHOR, BEACON])

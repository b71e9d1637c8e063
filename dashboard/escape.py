"""Anything from the data is shown as text: escaping for Streamlit's markdown and for Plotly's text.

A unit, model or person name, a file name, an imported value or an error message quoting one can
hold markdown (`![b](http://host/beacon.png)`, `[site](http://evil.example/)`) or HTML
(`<a href="...">`). Streamlit renders markdown in st.markdown, st.caption, st.info/warning/error,
subheaders, button and widget labels and help texts; Plotly renders a subset of HTML (`<a href>`,
`<b>`, `<br>`, ...) in titles, tick labels, legends, hover labels and text. Every data-derived string
passes through `md` or `plotly` on its way there; words of the app's own (i18n) stay as they are.
"""

from __future__ import annotations

import html
import re

# Every ASCII punctuation character: CommonMark lets each be backslash-escaped, which takes away its
# meaning (links, images, emphasis, code, HTML, headings, lists, tables, Streamlit's :color[...]
# directives, $math$).
_ASCII_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")
# GFM's literal autolinks ("http://…", "www.…", "a@b.c") are found in the text *after* the escapes
# are read (remark-gfm searches the text nodes), so escaping cannot stop them: a WORD JOINER (U+2060,
# invisible, no line break) inside each of the patterns they need does.
WORD_JOINER = "\u2060"
_AUTOLINK_PARTS = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)", re.IGNORECASE)


def md(value: object) -> str:
    """`value` as text that Streamlit's markdown shows exactly as written, on one line, no link."""
    text = _LINE_BREAKS.sub(" ", str(value))
    text = _AUTOLINK_PARTS.sub(WORD_JOINER, text)
    return _ASCII_PUNCTUATION.sub(r"\\\1", text)


def plotly(value: object) -> str:
    """`value` as text that Plotly shows exactly as written (its tags and entities inert).

    Plotly reads `<...>` as tags and `&...;` as entities in every text it draws, and turns the
    entities it knows back into characters after splitting the tags, so escaping `&`, `<` and `>`
    is enough; quotes are left alone (Plotly does not decode `&quot;`).
    """
    return html.escape(str(value), quote=False)


def plotly_all(values: list) -> list:
    """`plotly` over a list; None stays None (a missing label)."""
    return [None if v is None else plotly(v) for v in values]

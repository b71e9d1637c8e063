"""What a hostile name or a hostile link cannot do (AppTest): names with markdown and HTML reach every
page as text, odd URL parameters are ignored, and an unexpected error shows an id, not a traceback.

The browser half (no request leaves, no link is live, in Chromium) is tests/test_browser_hostile.py.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest
from support.apptest import APP, IMPORT_PAGE, MARKDOWN_KINDS, REPORT_PAGES, run
from support.builders import hostile_bloc, hostile_names

from dashboard import shared
from dashboard.escape import md
from dashboard.i18n import t
from queries import store

TIMEOUT = 60
BEACON = "http://127.0.0.1:9"
PAGES = {**REPORT_PAGES, "import": IMPORT_PAGE}


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> Path:
    return hostile_bloc(BEACON).build(tmp_path_factory.mktemp("hostile"))


def open_app(page: str | None, params: dict[str, str] | None = None) -> AppTest:
    """A new session on a link: `page` (None: Tổng quan) with the query `params`."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(params or {})
    run(at)
    if page is not None:  # AppTest opens on the default page: the link's page next, with its query
        at.query_params.update(params or {})
        run(at.switch_page(page))
    return at


def _rendered(markdown: str) -> str:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)


def markdown_texts(at: AppTest) -> list[str]:
    """Every text of the run that Streamlit renders as markdown (widget labels and help included)."""
    texts = [str(e.value) for kind in MARKDOWN_KINDS for e in at.get(kind)]
    texts += [b.label for b in at.button] + [b.help or "" for b in at.button]
    texts += [m.label for m in at.metric] + [m.help or "" for m in at.metric]
    return texts


def plotly_strings(at: AppTest) -> list[str]:
    found: list[str] = []

    def walk(value):
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for key, v in value.items():
                if key not in ("hovertemplate", "texttemplate"):  # the charts' own templates
                    walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    for chart in at.get("plotly_chart"):
        walk(json.loads(chart.proto.spec))
    return found


@pytest.mark.parametrize("unit", [None, "A", "A1"])
@pytest.mark.parametrize("page", list(PAGES))
def test_hostile_names_are_text_on_every_page(hostile_db, monkeypatch, page, unit):
    monkeypatch.setenv(store.ENV_DB, str(hostile_db))
    at = open_app(PAGES[page], {"unit": unit} if unit else None)
    texts = markdown_texts(at)
    for text in texts:
        html = _rendered(text)
        assert "<a " not in html and "<img" not in html, (text, html)
    strings = plotly_strings(at)
    assert not [s for s in strings if "<" in s], [s for s in strings if "<" in s]
    if page in ("overview", "units", "quality", "awards", "data"):  # the scope line under the title
        scope = hostile_names(BEACON)[unit or "K"]
        assert any(md(scope) in text for text in texts), texts


def test_the_units_page_names_parent_and_children_as_text(hostile_db, monkeypatch):
    monkeypatch.setenv(store.ENV_DB, str(hostile_db))
    at = open_app(PAGES["units"], {"unit": "A"})
    names = hostile_names(BEACON)
    up = [b.label for b in at.button if b.label.startswith(t("units.up", "vi", unit=""))]
    assert up == [t("units.up", "vi", unit=md(names["K"]))]
    assert t("units.ranking", "vi", unit=md(names["A"])) in [s.value for s in at.subheader]
    at.selectbox(key="units_drill_A").set_value("A1")
    run(at)
    assert [b.label for b in at.button if b.label.startswith("Xem ")] == [
        t("units.drill.button", "vi", unit=md(names["A1"]))
    ]


def test_the_narrative_quotes_a_unit_name_as_text(hostile_db, monkeypatch):
    monkeypatch.setenv(store.ENV_DB, str(hostile_db))
    at = open_app(None, {"unit": "A"})
    [story] = [m.value for m in at.markdown if "Giai đoạn" in m.value]
    assert md(hostile_names(BEACON)["A"]) in story
    assert "<a " not in _rendered(story) and "<img" not in _rendered(story)


# --- URL parameters ---------------------------------------------------------------------------------


@pytest.fixture
def demo_like(hostile_db, monkeypatch) -> None:
    monkeypatch.setenv(store.ENV_DB, str(hostile_db))


@pytest.mark.parametrize(
    "params",
    [
        {"page": "²"},
        {"size": "²"},
        {"page": "١٢"},
        {"size": "٥٠"},
        {"page": " 2"},
        {"page": "1_0"},
        {"page": "99999999999999999999999"},
        {"from": "²⁰²¹", "to": "٢٠٢٣"},
    ],
)
def test_odd_numbers_in_the_link_are_ignored(demo_like, params):
    at = open_app(PAGES["data"], params)
    assert at.title[0].value == t("data.title", "vi")
    assert at.session_state["data_page"] == 1 and at.session_state["data_size"] == 25
    assert not at.error


def test_ascii_digits_in_the_link_still_work(demo_like):
    at = open_app(PAGES["data"], {"size": "50", "from": "2022", "to": "2022"})
    assert at.session_state["data_size"] == 50 and at.session_state["f_years"] == (2022, 2022)


# --- unexpected errors ---------------------------------------------------------------------------------


def test_an_unexpected_error_shows_an_id_and_logs_the_traceback(demo_like, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("boom in /srv/secret/path.py")

    monkeypatch.setattr(shared, "summary", broken)
    with caplog.at_level(logging.ERROR, logger="dvk.dashboard"):
        at = open_app(None)
    [shown] = [e.value for e in at.error]
    assert "boom" not in shown and "Traceback" not in shown and "/srv/" not in shown
    prefix, rest = t("app.error", "vi", id="\0").split("\0")
    assert shown.startswith(prefix)
    error_id = shown[len(prefix) :].split("*")[0]
    assert len(error_id) == 8 and error_id.isalnum()
    [record] = [r for r in caplog.records if error_id in r.getMessage()]
    assert record.exc_info and "boom in /srv/secret/path.py" in str(record.exc_info[1])
    assert len(at.sidebar) > 0 and at.metric == []  # the app around the page is still there


def test_an_error_outside_the_page_also_gets_an_id(demo_like, monkeypatch, caplog):
    from dashboard import filters

    def broken() -> None:
        raise KeyError("sidebar")

    monkeypatch.setattr(filters, "sidebar", broken)
    with caplog.at_level(logging.ERROR, logger="dvk.dashboard"):
        at = open_app(None)
    assert len(at.error) == 1 and at.error[0].value.startswith(t("app.error", "vi", id="\0").split("\0")[0])
    assert any(r.exc_info for r in caplog.records if r.name == "dvk.dashboard")

"""The sidebar's "Cơ cấu tổ chức" (as it was / on today's structure), in the URL, on the small
reorganisation of tests/support/reorg.py (figures worked out by hand in test_figures_structure.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from support.reorg import reorganised

from queries import store

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")


@pytest.fixture(scope="module")
def reorg_db(tmp_path_factory) -> Path:
    return reorganised().build(tmp_path_factory.mktemp("app_reorg"))


@pytest.fixture
def app(reorg_db, monkeypatch) -> AppTest:
    monkeypatch.setenv(store.ENV_DB, str(reorg_db))
    return AppTest.from_file(APP, default_timeout=60)


def registrations_card(at: AppTest) -> str:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    values = [m.value for m in at.metric if m.label == "Lượt đăng ký"]
    assert values, [m.label for m in at.metric]
    return values[0]


def test_the_reading_comes_from_the_url_and_goes_back_into_it(app):
    # U, 2023-2024 on today's structure: the 8 registrations of its predecessors
    app.query_params.update({"unit": "U", "from": "2023", "to": "2024", "structure": "current"})
    assert registrations_card(app) == "8"
    assert app.session_state["f_structure"] == "current"
    # as it was, U had not started: nothing; the default reading leaves the URL
    app.segmented_control(key="f_structure").set_value("as-was")
    assert registrations_card(app) == "0"
    assert "structure" not in app.query_params
    app.segmented_control(key="f_structure").set_value("current")
    assert registrations_card(app) == "8"
    assert app.query_params["structure"] == "current"


def test_an_unknown_reading_in_the_url_is_the_default(app):
    app.query_params.update({"unit": "U", "from": "2023", "to": "2024", "structure": "today"})
    assert registrations_card(app) == "0"
    assert app.session_state["f_structure"] == "as-was"

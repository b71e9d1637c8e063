"""The sidebar's "Cơ cấu tổ chức" (as it was / on today's structure), in the URL, on the small
reorganisation of tests/support/reorg.py (figures worked out by hand in test_figures_structure.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from support.apptest import open_page
from support.reorg import reorganised

from dashboard.escape import md
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


def test_a_scope_with_no_unit_yet_draws_no_empty_chart(app):
    """U as it was in 2022-2023 (founded later): the narrative says it had no unit, and the chart
    by year is a note like the charts beside it, not empty axes."""
    app.query_params.update({"unit": "U", "from": "2022", "to": "2023"})
    assert registrations_card(app) == "0"
    assert any("chưa có tổ chức cơ sở đảng nào hoạt động" in m.value for m in app.markdown)
    assert not app.get("plotly_chart")
    # the chart by year and the three by category (field, movement, kind)
    assert [i.value for i in app.info].count("Không có số liệu nào khớp với bộ lọc đã chọn.") == 4


def test_an_unknown_reading_in_the_url_is_the_default(app):
    app.query_params.update({"unit": "U", "from": "2023", "to": "2024", "structure": "today"})
    assert registrations_card(app) == "0"
    assert app.session_state["f_structure"] == "as-was"


# --- So sánh: A and B straddle a reorganisation; Đơn vị: predecessors and successor --------------------


def test_compare_says_when_the_periods_straddle_a_reorganisation_and_offers_the_other_reading(app):
    # U, 2024-2026 against 2021-2023: within U's scope (its units and, on today's structure, their
    # predecessors) CS2 moved under U on 01/02/2025 and five units merged, A -> B on 01/01/2023 the
    # first, CB1, CB2, CB4 and B on 01/07/2025 the last (tests/test_structure_changes.py)
    open_page(app, "views/compare.py", {"unit": "U", "from": "2024", "to": "2026", "b": "2021-2023"})
    [note] = [i.value for i in app.info if "cơ cấu tổ chức" in i.value]
    assert "1 lượt đơn vị chuyển cấp trên, 5 đơn vị hợp nhất" in note
    assert "từ 01/01/2023 đến 01/07/2025" in note
    assert note.endswith("Số liệu đang đọc: Tại thời điểm.")
    # the other reading, one click away; it goes into the URL like the sidebar's control
    app.button(key="cmp_reorg_switch").click()
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.session_state["f_structure"] == "current"
    assert app.query_params["structure"] == "current"
    [note] = [i.value for i in app.info if "cơ cấu tổ chức" in i.value]
    assert note.endswith("Số liệu đang đọc: Theo cơ cấu hiện nay.")
    assert app.button(key="cmp_reorg_switch").label == "Đọc tại thời điểm"


def test_compare_names_only_the_kinds_of_change_that_happened_and_one_day_once(app):
    # CB3, 2024-2026 against 2021-2023: CB1 and CB2 merged into it on 01/07/2025, nothing moved
    # (tests/test_structure_changes.py): no "0 lượt ... chuyển cấp trên", no "từ 01/07/2025 đến 01/07/2025"
    app.query_params.update({"unit": "CB3", "from": "2024", "to": "2026", "b": "2021-2023"})
    app.run()
    app.switch_page("views/compare.py")
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    [note] = [i.value for i in app.info if "cơ cấu tổ chức" in i.value]
    assert "đã thay đổi: 2 đơn vị hợp nhất vào đơn vị khác (ngày 01/07/2025)." in note
    assert "chuyển cấp trên" not in note and " đến " not in note


def test_compare_says_nothing_without_a_reorganisation_between_the_periods(app):
    # CB5 never changed; 2021-2023 against 2024-2026 in its scope: no note, no button
    open_page(app, "views/compare.py", {"unit": "CB5", "from": "2024", "to": "2026", "b": "2021-2023"})
    assert not [i.value for i in app.info if "cơ cấu tổ chức" in i.value]
    assert not [b for b in app.button if b.key == "cmp_reorg_switch"]


def markdown_on(app: AppTest, unit: str, lang: str = "vi") -> list[str]:
    open_page(app, "views/units.py", {"unit": unit, "from": "2021", "to": "2026", "lang": lang})
    return [m.value for m in app.markdown]


def test_units_page_names_the_predecessors_with_links(app):
    # CB3 is the merger of CB1 and CB2 from 01/07/2025; each name links to its own Đơn vị page
    texts = markdown_on(app, "CB3")
    [line] = [m for m in texts if m.startswith("Hợp nhất từ")]
    assert line.startswith("Hợp nhất từ [Đơn vị CB1](don-vi?")
    assert "unit=CB1" in line and "unit=CB2" in line and "structure" not in line
    assert "from=2021&to=2026" in line  # the view's period goes with the link
    assert line.endswith("(từ 01/07/2025).")
    assert not [m for m in texts if m.startswith("Đã hợp nhất vào")]


def test_units_page_names_the_successor_in_english_too(app):
    # B: A merged into it on 01/01/2023, itself into C on 01/07/2025
    texts = markdown_on(app, "B", lang="en")
    [before] = [m for m in texts if m.startswith("Merged from")]
    assert "[Đơn vị A](don-vi?" in before and "unit=A" in before and before.endswith("(from 01/01/2023).")
    [after] = [m for m in texts if m.startswith("Merged into")]
    assert "[Đơn vị C](don-vi?" in after and "unit=C" in after and after.endswith("(from 01/07/2025).")


def test_a_unit_name_in_the_history_is_escaped(tmp_path, monkeypatch):
    # a successor named like a markdown link shows as text, never as a second link
    d = reorganised()
    name = "[bấm vào](http://evil.example/)"
    d.unit("X", "U", "Chi bộ cơ sở", dt.date(2025, 7, 1), name=name)
    d.unit("Y", "U", "Chi bộ cơ sở", dt.date(2025, 2, 1), dt.date(2025, 6, 30), successor="X")
    monkeypatch.setenv(store.ENV_DB, str(d.build(tmp_path)))
    at = AppTest.from_file(APP, default_timeout=60)
    texts = markdown_on(at, "Y")
    [line] = [m for m in texts if m.startswith("Đã hợp nhất vào")]
    assert md(name) in line and "](http://evil" not in line

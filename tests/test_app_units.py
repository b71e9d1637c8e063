"""Issue 14's pages through AppTest on the demo: the drill-down (the unit's cards, the direct row, a
leaf chi bộ), the laggards flag and the rank, So sánh's period A from the sidebar, and a unit or year
in the link that the data does not hold."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest
from support.apptest import APP, run
from support.files import engine

from dashboard.escape import md
from dashboard.i18n import t
from queries import demo, formatting, store
from queries.figures import Filters

UNITS, COMPARE = "views/units.py", "views/compare.py"
POST = "DBK.16"  # Đảng bộ Bưu điện tỉnh: 6 chi bộ, and records of its own
# the bloc: in 2021-2023 the only unit right under the demo's root (the Tỉnh ủy), its 89 grassroots
# units under it
BLOC = demo.ROOT_CODE
LEAF = "DBK.16.06"  # one of its chi bộ


@pytest.fixture
def app(demo_db, monkeypatch) -> AppTest:
    monkeypatch.setenv(store.ENV_DB, str(demo_db))
    return AppTest.from_file(APP, default_timeout=60)


def open_units(at: AppTest, **params: str) -> AppTest:
    """The Đơn vị page opened from a link (/don-vi?…). AppTest starts on the default page, whose run
    rewrites the link without the Đơn vị page's own parameters: they are put back for the switch."""
    at.query_params.update(params)
    run(at)
    at.query_params.update(params)
    return run(at.switch_page(UNITS))


def cards(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


# --- drill-down ------------------------------------------------------------------------------------


def test_a_unit_shows_its_cards_and_rows_that_add_up_to_them(app, demo_db):
    open_units(app, unit=POST)
    s = engine(demo_db, "summary", Filters(2021, 2023, unit=POST))
    shown = cards(app)
    assert shown[t("fig.registrations", "vi")] == formatting.fmt_int(s["registrations"]["total"], "vi")
    assert shown[t("fig.target_compliance_rate", "vi")] == formatting.fmt_pct(
        s["target_compliance_rate"], "vi"
    )
    assert shown[t("fig.coverage_rate", "vi")] == formatting.fmt_pct(s["coverage_rate"], "vi")
    assert shown[t("fig.recognition_rate", "vi")] == formatting.fmt_pct(s["recognition_rate"], "vi")
    assert shown[t("fig.awards", "vi")] == formatting.fmt_int(s["awards"]["total"], "vi")
    table = app.dataframe[0].value
    unit_col, reg_col = t("common.unit", "vi"), t("fig.registrations", "vi")
    direct = table[table[unit_col] == "Trực tiếp tại Đảng bộ Bưu điện tỉnh"]
    assert len(direct) == 1
    children = engine(demo_db, "by_unit", Filters(2021, 2023, unit=POST))
    # the unit's own records: what the children leave out of the unit's total (302 - 293 on the demo)
    own = s["registrations"]["total"] - children["registrations"].sum()
    assert own > 0 and direct[reg_col].iloc[0] == own
    assert direct[t("fig.awards", "vi")].iloc[0] == s["awards"]["total"] - children["awards"].sum()
    assert table[reg_col].sum() == s["registrations"]["total"]
    assert len(table) == children.height + 1
    # the direct row cannot be drilled into: the picker lists the children only
    picker = app.selectbox(key=f"units_drill_{POST}")
    assert len(picker.options) == children.height


def test_a_leaf_chi_bo_shows_its_own_figures_and_records(app, demo_db):
    open_units(app, unit=LEAF)
    f = Filters(2021, 2023, unit=LEAF)
    s = engine(demo_db, "summary", f)
    assert cards(app)[t("fig.registrations", "vi")] == formatting.fmt_int(s["registrations"]["total"], "vi")
    records = app.dataframe[0].value
    assert len(records) == min(200, engine(demo_db, "count_records", f, "dang_ky")) > 0
    assert t("col.ten_mo_hinh", "vi") in records.columns
    assert [h.value for h in app.subheader][-1] == t(
        "units.leaf.records", "vi", unit="Chi bộ Bưu điện huyện Trà Ôn"
    )


# --- the laggards flag and the rank ----------------------------------------------------------------


def _flagged_rows(element) -> set[tuple[int, int]]:
    css = element.proto.arrow_data.styler.styles
    return {(int(r), int(c)) for r, c in re.findall(r"_row(\d+)_col(\d+)", css)}


def test_the_flag_names_its_threshold_and_marks_the_units_under_it(app, demo_db):
    open_units(app, unit=BLOC)
    f = Filters(2021, 2023, unit=BLOC)
    rate = engine(demo_db, "summary", f)["target_compliance_rate"]
    units = engine(demo_db, "by_unit", f)
    threshold = round(rate * 100, 1)
    under = units.filter((units["target_compliance_rate"] * 100).round(1) < threshold)
    with_rate = units["target_compliance_rate"].is_not_null().sum()
    expected = t(
        "units.flag",
        "vi",
        n=under.height,
        total=with_rate,
        rate=formatting.fmt_pct(rate, "vi"),
        rule=t("units.threshold.scope", "vi", unit="Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh"),
    )
    assert any(expected in m.value for m in app.markdown), [m.value for m in app.markdown]
    assert 0 < under.height < with_rate
    element = app.dataframe[0]
    table = element.value
    columns = list(table.columns)
    assert columns[:5] == [
        t("common.unit", "vi"),
        t("units.rank", "vi"),
        t("fig.registrations", "vi"),
        t("fig.target_compliance_rate", "vi"),
        t("fig.coverage_rate", "vi"),
    ]
    rate_col = columns.index(t("fig.target_compliance_rate", "vi"))
    flagged = {row for row, _ in _flagged_rows(element)}
    assert {c for _, c in _flagged_rows(element)} == {rate_col}
    names = table[t("common.unit", "vi")].tolist()
    assert {names[r] for r in flagged} == set(under["ten_don_vi"].to_list())
    # ranked by compliance: rank 1 holds the best rate, ranks never fall as the table goes down
    ranks = table[t("units.rank", "vi")].dropna().tolist()
    assert ranks == sorted(ranks) and ranks[0] == 1

    # the reader sets a stricter threshold: more units under it, the rule says who set it, the link keeps it
    app.number_input(key="units_threshold").set_value(80.0)
    run(app)
    under_80 = units.filter((units["target_compliance_rate"] * 100).round(1) < 80.0).height
    assert under_80 > under.height
    expected = t(
        "units.flag",
        "vi",
        n=under_80,
        total=with_rate,
        rate=formatting.fmt_pct(0.8, "vi"),
        rule=t("units.threshold.set", "vi"),
    )
    assert any(expected in m.value for m in app.markdown)
    assert len(_flagged_rows(app.dataframe[0])) == under_80
    assert app.query_params["nguong"] == "80"


def test_a_link_with_a_threshold_and_a_rank_order(app, demo_db):
    open_units(app, unit=BLOC, nguong="50", xep="registrations")
    assert app.session_state["units_threshold"] == 50.0
    table = app.dataframe[0].value
    regs = table[t("fig.registrations", "vi")].tolist()[1:]  # after the direct row
    assert regs == sorted(regs, reverse=True)
    assert table[t("units.rank", "vi")].tolist()[1] == 1


def test_the_phone_list_holds_every_unit_as_text(app, demo_db):
    open_units(app, unit=POST)
    lists = [e.proto.body for e in app.get("html") if e.proto.body.startswith('<ul class="dvk-units"')]
    assert len(lists) == 1
    children = engine(demo_db, "by_unit", Filters(2021, 2023, unit=POST))
    body = lists[0]
    assert body.count('<li class="dvk-unit') == children.height + 1
    for name in children["ten_don_vi"]:
        assert name in body


# --- So sánh: period A is the sidebar's ------------------------------------------------------------


def test_compare_takes_period_a_from_the_sidebar(app, demo_db):
    app.query_params.update({"from": "2018", "to": "2020"})
    run(app)
    run(app.switch_page(COMPARE))
    assert [h.value for h in app.subheader][0] == t(
        "compare.table", "vi", a="Giai đoạn 2018-2020", b="Giai đoạn 2015-2017"
    )
    assert "cmp_a" not in app.session_state  # no second control for period A
    assert [s.key for s in app.selectbox if s.key and s.key.startswith("cmp")] == ["cmp_b"]
    table = app.dataframe[0].value
    assert list(table.columns)[1:3] == ["2018-2020", "2015-2017"]
    # B chosen on the page, kept in the link; A follows the sidebar
    app.selectbox(key="cmp_b").set_value("2021-2023")
    run(app)
    assert app.query_params["b"] == "2021-2023"
    assert list(app.dataframe[0].value.columns)[1:3] == ["2018-2020", "2021-2023"]
    app.selectbox(key="f_preset").set_value("2021-2023")
    run(app)
    # A is now 2021-2023 too: B falls back to the period before it rather than equal A
    assert list(app.dataframe[0].value.columns)[1:3] == ["2021-2023", "2018-2020"]


# --- a unit or a year the data does not hold --------------------------------------------------------


def test_an_unknown_unit_and_year_in_the_link_are_named(app):
    app.query_params.update({"unit": "XYZ.99", "from": "2030"})
    run(app)
    warnings = [w.value for w in app.warning]
    assert (
        # the whole data set: the demo's root, the Tỉnh ủy (Đảng bộ tỉnh) since the 2025 reorganisation
        t("url.unknown_unit", "vi", code=md("XYZ.99"), unit=md("Đảng bộ tỉnh")) in warnings
    )
    assert t("url.unknown_years", "vi", years="2030", period="Giai đoạn 2021-2023") in warnings


def test_a_unit_in_the_link_is_shown_as_text(app):
    app.query_params.update({"unit": "[x](http://evil)", "lang": "en"})
    run(app)
    shown = " ".join(w.value for w in app.warning)
    assert md("[x](http://evil)") in shown  # escaped: shown as text, never a link


def test_a_known_unit_and_period_raise_no_notice(app):
    app.query_params.update({"unit": POST, "from": "2018", "to": "2020"})
    run(app)
    assert not app.warning

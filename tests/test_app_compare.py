"""So sánh (and the overview's download) through Streamlit's AppTest on the demo: no change against a
period without data, the language switch keeps the page's link, the overview's file holds the change."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest
from support.apptest import APP, REPORT_PAGES, download, run
from support.files import engine

from dashboard import filters
from dashboard.i18n import t
from queries import store
from queries.figures import Filters

TIMEOUT = 60


@pytest.fixture
def app(demo_db, monkeypatch) -> AppTest:
    """The app on the demo database, not yet run."""
    monkeypatch.setenv(store.ENV_DB, str(demo_db))
    return AppTest.from_file(APP, default_timeout=TIMEOUT)


def _chart_titles(at: AppTest) -> list[str]:
    return [json.loads(e.proto.spec)["layout"]["title"]["text"] for e in at.get("plotly_chart")]


def test_no_risers_or_fallers_against_a_baseline_without_data(app):
    """2018-2020 against 2015-2017 (the demo has no registration before 2018): no unit "rose by
    +331"; the page says the baseline has no data, as Tổng quan's cards do."""
    app.query_params.update({"from": "2018", "to": "2020"})
    run(app)
    run(app.switch_page(REPORT_PAGES["compare"]))
    assert t("compare.movers.title", "vi") not in _chart_titles(app)
    note = t("overview.compare.no_data", "vi", b=filters.period_label((2015, 2017), "vi"))
    assert note in [c.value for c in app.caption]
    table = app.dataframe[0].value
    registrations = table[table[t("compare.col.figure", "vi")] == t("fig.registrations", "vi")].iloc[0]
    assert registrations[t("compare.col.change", "vi")] == "–"
    # against a baseline with data the chart is there (2021-2023 so với 2018-2020)
    app.query_params.update({"from": "2021", "to": "2023"})
    app.session_state["f_years"] = (2021, 2023)
    run(app)
    assert t("compare.movers.title", "vi") in _chart_titles(app)


def test_the_overview_download_holds_the_change_the_cards_show(app, demo_db, deferred):
    """Tổng quan, 2021-2023 against 2018-2020: the cards show +2.854 (+69,4%) registrations and the
    coverage rate's change in points; the Excel file holds the same change column."""
    run(app)
    a = engine(demo_db, "summary", Filters(2021, 2023))
    b = engine(demo_db, "summary", Filters(2018, 2020))
    book = openpyxl.load_workbook(io.BytesIO(download(app, deferred, "tong_quan", ".xlsx")))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header == [t("compare.col.figure", "vi"), "2021-2023", "2018-2020", t("compare.col.change", "vi"),
                      t("compare.col.change_pct", "vi")]  # fmt: skip
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=2)}
    registrations = rows[t("fig.registrations", "vi")]
    change = a["registrations"]["total"] - b["registrations"]["total"]  # 6.969 - 4.115 = 2.854
    assert (registrations[3].value, registrations[3].number_format) == (change, "#,##0")
    assert registrations[4].value == round(change / b["registrations"]["total"] * 100, 1)  # 69,4
    coverage = rows[f"{t('fig.coverage_rate', 'vi')} (%)"]
    # 97,8% against 100,0%: -2,2 points, the change of the two fractions rounded as the card shows it
    assert coverage[3].value == pytest.approx(round((a["coverage_rate"] - b["coverage_rate"]) * 100, 1))
    assert "điểm %" in coverage[3].number_format and coverage[4].value is None  # no % of a rate


def test_the_overview_download_has_no_change_against_a_baseline_without_data(app, deferred):
    app.query_params.update({"from": "2018", "to": "2020"})
    run(app)
    book = openpyxl.load_workbook(io.BytesIO(download(app, deferred, "tong_quan", ".xlsx")))
    rows = {r[0]: r for r in book.worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert rows[t("fig.registrations", "vi")][3] is None  # no "+4.115" against 2015-2017

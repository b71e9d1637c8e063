"""Years with data and the comparison convention (DOMAIN.md section 4), hand-worked, on both engines.

The data set (built through the real importer):

    K  Đảng bộ Khối
    ├── B1  chi bộ cơ sở
    └── B2  chi bộ cơ sở

    2021  B1 DVK Được công nhận, B1 QCDC Được công nhận, B2 DVK Không đạt       (3 registrations)
    2022  B1 DVK Hoàn thành, B1 DVK Đang thực hiện, B2 DVK Đang thực hiện,
          B2 QCDC Được công nhận                                                  (4 registrations)
    2023  no registration (an award to B1 only): not reported; 2019-2020 nothing at all

Reported years: 2021 and 2022. Chi bộ-years meeting 1 DVK + 1 QCDC: 2021 B1 (B2 has no QCDC),
2022 B2 (B1 has no QCDC): 2 of the 4 chi bộ-years of the reported years, whatever period around them.
2022: 3 of 4 registrations await scoring (Hoàn thành, Đang thực hiện): its results are not final.
"""

from __future__ import annotations

import pytest
from support.builders import BLOC, DVK, GRASSROOTS_BRANCH, INDIVIDUAL, QCDC, DataSet, cursor

from queries import figures, narrative, periods, vocab
from queries.figures import Filters


def _data() -> DataSet:
    d = DataSet()
    d.unit("K", cap=BLOC, name="Đảng bộ Khối K")
    d.unit("B1", "K", GRASSROOTS_BRANCH)
    d.unit("B2", "K", GRASSROOTS_BRANCH)
    d.reg(2021, "B1", movement=DVK, result=vocab.RESULT_RECOGNISED, score=80)
    d.reg(2021, "B1", movement=QCDC, result=vocab.RESULT_RECOGNISED, score=85)
    d.reg(2021, "B2", movement=DVK, result=vocab.RESULT_FAILED, score=50)
    d.reg(2022, "B1", movement=DVK, result=vocab.RESULT_DONE)
    d.reg(2022, "B1", movement=DVK, result=vocab.RESULT_IN_PROGRESS)
    d.reg(2022, "B2", movement=DVK, result=vocab.RESULT_IN_PROGRESS)
    d.reg(2022, "B2", movement=QCDC, result=vocab.RESULT_RECOGNISED, score=90)
    d.award(2023, "B1", INDIVIDUAL, "Cơ sở")
    return d


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return _data().build(tmp_path_factory.mktemp("periods"))


@pytest.fixture(params=["aggregates", "base"])
def cur(request, db, monkeypatch):
    """A cursor on the data set; the engine answers from the aggregate tables, or from the base tables."""
    with cursor(db) as c, figures.use_source(request.param):
        if request.param == "aggregates":
            assert figures.answers_from(c) == "aggregates"  # the fast path is really taken
        yield c


def test_reported_years_are_those_with_a_registration(cur):
    assert figures.reported_years(cur) == [2021, 2022]  # 2023 has an award only


@pytest.mark.parametrize(
    ("period", "label_vi", "label_en"),
    [
        ((2021, 2022), "2021-2022", "2021-2022"),
        ((2021, 2023), "2021-2023, số liệu đến 2022", "2021-2023, data up to 2022"),
        ((2019, 2022), "2019-2022, số liệu từ 2021", "2019-2022, data from 2021"),
        ((2019, 2025), "2019-2025, số liệu các năm 2021, 2022", "2019-2025, data for 2021, 2022"),
        ((2023, 2023), "2023, chưa có số liệu", "2023, no data yet"),
    ],
)
def test_the_summary_says_which_years_it_covers(cur, period, label_vi, label_en):
    s = figures.summary(cur, Filters(*period))
    assert (s["from"], s["to"]) == period  # the period asked for stays the period
    assert s["reported_years"] == [y for y in (2021, 2022) if period[0] <= y <= period[1]]
    assert (s["period_label"], s["period_label_en"]) == (label_vi, label_en)


@pytest.mark.parametrize("period", [(2021, 2022), (2021, 2023), (2019, 2022), (2015, 2030)])
def test_unreported_years_are_no_failures_of_the_target(cur, period):
    s = figures.summary(cur, Filters(*period))
    # B1 2021, B2 2022 of B1/B2 x 2021/2022: never the chi bộ-years of 2019, 2020, 2023...
    assert (s["branch_years_meeting_target"], s["branch_years"]) == (2, 4)
    assert s["target_compliance_rate"] == 0.5
    assert (s["units_with_registration"], s["grassroots_units"]) == (2, 2)
    assert s["coverage_rate"] == 1.0


def test_a_period_without_data_has_no_rates(cur):
    s = figures.summary(cur, Filters(2023, 2023))
    assert s["registrations"]["total"] == 0
    assert (s["branch_years"], s["grassroots_units"]) == (0, 0)
    assert s["target_compliance_rate"] is None and s["coverage_rate"] is None
    assert s["awards"]["total"] == 1  # records of the year are still counted


def test_the_trend_has_no_rate_in_an_unreported_year(cur):
    trend = {row["nam"]: row for row in figures.trend(cur, Filters(2021, 2023)).iter_rows(named=True)}
    assert trend[2021]["target_compliance_rate"] == 0.5  # B1 of B1, B2
    assert trend[2022]["target_compliance_rate"] == 0.5  # B2
    assert trend[2023]["target_compliance_rate"] is None and trend[2023]["branch_years"] == 0


def test_units_and_compliance_matrix_skip_unreported_years(cur):
    units = {r["ma_don_vi"]: r for r in figures.by_unit(cur, Filters(2021, 2023)).iter_rows(named=True)}
    assert (units["B1"]["branch_years"], units["B1"]["branch_years_meeting_target"]) == (2, 1)
    assert units["B2"]["target_compliance_rate"] == 0.5
    matrix = figures.compliance_matrix(cur, Filters(2021, 2023))
    cells = {(r["ma_don_vi"], r["nam"]): r["meets_target"] for r in matrix.iter_rows(named=True)}
    assert cells == {
        ("B1", 2021): True, ("B1", 2022): False, ("B1", 2023): None,
        ("B2", 2021): False, ("B2", 2022): True, ("B2", 2023): None,
    }  # fmt: skip
    child = figures.compliance_matrix(cur, Filters(2021, 2023), per="child")
    assert child.filter(child["nam"] == 2023)["branch_years"].to_list() == [0, 0]


def test_pending_results_make_a_year_not_final(cur):
    s = figures.summary(cur, Filters(2021, 2023))
    # 2022: Hoàn thành + 2 Đang thực hiện of 4; 2021: all judged
    assert s["pending"] == {"count": 3, "share": round(3 / 7, 6), "not_final_years": [2022]}
    by_year = {row["year"]: row for row in s["by_year"]}
    assert (by_year[2021]["pending"], by_year[2021]["pending_share"]) == (0, 0.0)
    assert (by_year[2022]["pending"], by_year[2022]["pending_share"]) == (3, 0.75)
    assert by_year[2023]["pending_share"] is None  # no registration
    assert (
        periods.pending_note(s, "vi") == "kết quả chưa cuối cùng: 75,0% số đăng ký năm 2022 đang chờ đánh giá"
    )
    assert periods.pending_note(s, "en") == "results not final: 75.0% of the 2022 registrations await scoring"
    assert "Kết quả chưa cuối cùng: 75,0%" in narrative.narrative(s)
    assert "(số liệu đến 2022)" in narrative.narrative(s)
    assert "0 (2023)" not in narrative.narrative(s)  # the by-year listing names the reported years
    assert periods.pending_note(figures.summary(cur, Filters(2021, 2021)), "vi") is None


def _rows(frame) -> dict[str, dict]:
    return {row["figure"]: row for row in frame.iter_rows(named=True)}


def test_compare_reads_a_against_b(cur):
    rows = _rows(figures.compare(cur, Filters(2022, 2022), Filters(2021, 2021)))
    # A = 2022 (4 registrations), B = 2021 (3): change = A - B = +1, % of B = 1/3
    assert (rows["registrations"]["a"], rows["registrations"]["b"]) == (4, 3)
    assert rows["registrations"]["change"] == 1
    assert rows["registrations"]["change_pct"] == pytest.approx(1 / 3)
    # recognition: 1/4 in 2022 against 2/3 in 2021; a rate changes in points, without a % of itself
    assert rows["recognition_rate"]["change"] == pytest.approx(1 / 4 - 2 / 3)
    assert rows["recognition_rate"]["change_pct"] is None
    # the same two periods the other way round: the opposite change, % of the other baseline
    back = _rows(figures.compare(cur, Filters(2021, 2021), Filters(2022, 2022)))
    assert back["registrations"]["change"] == -1
    assert back["registrations"]["change_pct"] == pytest.approx(-1 / 4)


@pytest.mark.parametrize(("a", "b"), [((2021, 2022), (2019, 2020)), ((2023, 2023), (2021, 2022))])
def test_no_change_against_a_period_without_data(cur, a, b):
    frame = figures.compare(cur, Filters(*a), Filters(*b))
    assert frame["change"].null_count() == frame.height  # never -100% or +100%
    assert frame["change_pct"].null_count() == frame.height


def test_change_helper():
    assert periods.change(6969, 4115) == (2854, pytest.approx(2854 / 4115))
    assert periods.change(5, 0) == (5, None)  # no percentage of nothing
    assert periods.change(5, None) == (None, None)
    assert periods.change(5, 3, has_data=False) == (None, None)

"""The drill-down's direct row (queries/drilldown.py) on the hand-worked bloc of tests/test_figures.py.

K holds records of its own in 2021-2023: registration r7 (2023, Tập thể, DVK, Khác, Đã đăng ký, no
score), nomination a4 (2023, Cá nhân, UBND tỉnh) and conference c4 (2023, commendation, 100
attendees, no party-member count). Its children A, B, E hold the rest: registrations 5 + 1 + 0.
"""

from __future__ import annotations

import pytest
from support.builders import PERIOD, bloc, cursor

from queries import drilldown, figures
from queries.figures import Filters


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return bloc().build(tmp_path_factory.mktemp("bloc_direct"))


@pytest.fixture(params=["aggregates", "base tables"])
def cur(request, db, monkeypatch):
    """A cursor; the figures answer from the aggregate tables, then from the base tables alone."""
    with figures.use_source("base" if request.param == "base tables" else "auto"), cursor(db) as c:
        yield c


def test_the_direct_row_holds_the_units_own_records(cur):
    u = drilldown.by_unit_with_direct(cur, PERIOD)
    assert u["ma_don_vi"].to_list() == [drilldown.DIRECT, "A", "B", "E"]
    own = u.row(0, named=True)
    assert (own["registrations"], own["collective"], own["individual"]) == (1, 1, 0)  # r7
    assert own["recognised"] == 0 and own["recognition_rate"] == 0.0  # r7 is only registered
    assert own["mean_score"] is None  # r7 has no score
    assert (own["awards"], own["nominations"]) == (0, 1)  # a4 is a nomination
    assert (own["conferences"], own["commendation_conferences"], own["conference_attendees"]) == (1, 1, 100)
    # figures about units do not apply to a unit's own records
    for key in ("grassroots_units", "coverage_rate", "target_compliance_rate", "staff", "below_target"):
        assert own[key] is None, key
    assert own["ten_don_vi"] is None and own["cap"] is None


def test_rows_add_up_to_the_scope_totals(cur):
    u = drilldown.by_unit_with_direct(cur, PERIOD)
    s = figures.summary(cur, PERIOD)
    assert u["registrations"].sum() == s["registrations"]["total"] == 7
    assert u["awards"].sum() == s["awards"]["total"] == 3  # a1 a2 a3
    assert u["nominations"].sum() == s["nominations"]["total"] == 1  # a4
    # the children's rows are by_unit's, unchanged
    assert u.slice(1).equals(figures.by_unit(cur, PERIOD))


def test_a_unit_whose_own_records_are_a_conference(cur):
    # A holds no registration itself (A1, A2 hold r1..r5) but held c5 (2022, Sơ kết, 50 attendees,
    # 16 party members; A has 20 members in 2022: 16 of 20 expected)
    u = drilldown.by_unit_with_direct(cur, Filters(2021, 2023, unit="A"))
    assert u["ma_don_vi"].to_list() == [drilldown.DIRECT, "A1", "A2"]
    own = u.row(0, named=True)
    assert (own["registrations"], own["awards"], own["recognition_rate"]) == (0, 0, None)
    assert (own["conferences"], own["commendation_conferences"], own["conference_attendees"]) == (1, 0, 50)
    assert own["attendance_rate"] == pytest.approx(16 / 20)
    assert u["registrations"].sum() == 5


def test_no_direct_row_without_own_records(cur):
    # 2021-2022: K has no record of its own (r7, a4, c4 are 2023)
    u = drilldown.by_unit_with_direct(cur, Filters(2021, 2022))
    assert u["ma_don_vi"].to_list() == ["A", "B", "E"]
    assert u["registrations"].sum() == figures.summary(cur, Filters(2021, 2022))["registrations"]["total"]


def test_a_leaf_has_only_its_own_row(cur):
    # A1 has no children: its own records are all of it (r1 r2 r3 in 2021-2023; award a1)
    u = drilldown.by_unit_with_direct(cur, Filters(2021, 2023, unit="A1"))
    assert u["ma_don_vi"].to_list() == [drilldown.DIRECT]
    assert (u["registrations"][0], u["awards"][0]) == (3, 1)
    assert u["recognition_rate"][0] == pytest.approx(2 / 3)  # r1 r3
    assert u["mean_score"][0] == pytest.approx((80 + 95) / 2)


def test_several_roots_have_no_direct_row(tmp_path):
    from support.builders import BLOC, DataSet

    d = DataSet().unit("R1", cap=BLOC).unit("R2", cap=BLOC)
    d.reg(2022, "R1").reg(2022, "R2").reg(2022, "R2")
    with cursor(d.build(tmp_path)) as c:
        u = drilldown.by_unit_with_direct(c, Filters(2021, 2023))
    assert u["ma_don_vi"].to_list() == ["R1", "R2"]
    assert u["registrations"].to_list() == [1, 2]


def test_ranking_and_the_laggards_flag(cur):
    # compliance 2021-2023: A 2/5 = 40,0% (A1 2021, A2 2022), B 0/2 (r6 is QCDC only), E 0/3
    u = drilldown.by_unit_with_direct(cur, PERIOD)
    rates = dict(zip(u["ma_don_vi"], u["target_compliance_rate"], strict=True))
    assert rates["A"] == pytest.approx(0.4) and rates["B"] == 0.0 and rates["E"] == 0.0
    r = drilldown.ranking(u, "target_compliance_rate", 40.0)
    # the direct row first, unranked and never flagged; B and E tie at 0%: both rank 2
    assert r["ma_don_vi"].to_list() == [drilldown.DIRECT, "A", "B", "E"]
    assert r["rank"].to_list() == [None, 1, 2, 2]
    assert r["below_threshold"].to_list() == [False, False, True, True]  # A is at 40,0%, not under
    assert drilldown.ranking(u, "target_compliance_rate", 40.1)["below_threshold"].to_list() == [
        False, True, True, True,
    ]  # fmt: skip
    assert not any(drilldown.ranking(u, "target_compliance_rate", None)["below_threshold"])
    # by registrations: A 5, B 1, E 0
    by_reg = drilldown.ranking(u, "registrations", None)
    assert by_reg["ma_don_vi"].to_list() == [drilldown.DIRECT, "A", "B", "E"]
    assert by_reg["rank"].to_list() == [None, 1, 2, 3]
    # by coverage: A 100%, B 100%, E 0%: A and B tie at 1, in their order
    assert drilldown.ranking(u, "coverage_rate", None)["rank"].to_list() == [None, 1, 1, 3]
    with pytest.raises(figures.FiguresError):
        drilldown.ranking(u, "ma_don_vi", None)

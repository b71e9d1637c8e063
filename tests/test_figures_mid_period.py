"""The figures of DOMAIN.md section 4 when a GRASSROOTS unit ends in the middle of the period.

Hand-worked, like test_figures.py, on a bloc whose grassroots unit B is dissolved on 30/06/2022 and
whose grassroots unit C starts on 01/07/2022 (and takes over B's model MB). Every figure is checked
for 2021-2023, 2021 alone, 2023 alone (after B ended), per year, per child and 2021-2022 vs 2023,
from the aggregate tables and from the base tables alike.

    K   Đảng bộ Khối                 root; holds one commendation conference of its own (c5)
    ├── A   Đảng bộ cơ sở            grassroots, whole period
    │   ├── A1  Chi bộ trực thuộc    branch
    │   └── A2  Chi bộ trực thuộc    branch
    ├── B   Chi bộ cơ sở             grassroots + chi bộ, ENDS 30/06/2022 (active 2021, 2022)
    ├── C   Chi bộ cơ sở             grassroots + chi bộ, STARTS 01/07/2022 (active 2022, 2023)
    └── D   Chi bộ cơ sở             grassroots + chi bộ, registers nothing in the period

Registrations (year, unit, subject, movement, field, result, score, model code):
    r0  2020 B  Tập thể DVK  VH-XH  Được công nhận 82  MB   (before the period)
    r1  2021 A1 Tập thể DVK  KT     Được công nhận 85  M1
    r2  2021 A1 Cá nhân QCDC XDHTCT Hoàn thành     -   M2
    r3  2021 B  Tập thể DVK  VH-XH  Được công nhận 80  MB
    r4  2021 B  Cá nhân QCDC VH-XH  Đã đăng ký     -   -
    r5  2022 B  Tập thể DVK  VH-XH  Tiêu biểu      92  MB
    r6  2022 B  Tập thể QCDC XDHTCT Được công nhận 78  MQ
    r7  2022 A2 Cá nhân DVK  KT     Không đạt      60  -
    r8  2022 C  Tập thể DVK  KT     Đang thực hiện -   MC
    r9  2022 A1 Tập thể DVK  KT     Tiêu biểu      95  M1
    r10 2023 C  Tập thể DVK  VH-XH  Được công nhận 88  MB   (B's model, carried on by C)
    r11 2023 C  Cá nhân QCDC XDHTCT Hoàn thành     -   -
    r12 2023 A2 Cá nhân DVK  KT     Đã đăng ký     -   -
    r13 2023 A2 Tập thể QCDC QP-AN  Được công nhận 76  M3

Sizes (party members / staff): A 2021 30/200, 2022 32/210, 2023 35/220; B 2021 10/40, 2022 10/40;
C 2022 12/50, 2023 15/60; D none.
Conferences (year unit type attendees/members): c1 2022 B commendation on 15/05/2022 (before B
ended) 20/9; c2 2021 A commendation 40/25; c3 2023 C Tổng kết 25/14; c4 2022 A Sơ kết 60/28;
c5 2023 K commendation 100/-; c6 2020 D commendation (before the period).
Awards: a1 2021 B Tập thể Cơ sở; a2 2022 B Cá nhân Đảng ủy Khối; a3 2022 A1 Tập thể Cơ sở;
a4 2023 C Cá nhân Đảng ủy Khối; nomination a5 2023 B Cá nhân UBND tỉnh Bằng khen (filed after B
ended, for B's member: a row of B's history, dated 2023).
"""

from __future__ import annotations

from datetime import date

import pytest
from support.builders import (
    BLOC,
    BRANCH,
    COLLECTIVE,
    COMMITTEE,
    DVK,
    ECONOMY,
    GRASSROOTS_BRANCH,
    INDIVIDUAL,
    POLITICS,
    QCDC,
    SECURITY,
    SOCIETY,
    DataSet,
    cursor,
)

from queries import figures, vocab
from queries.figures import Filters

PHASE, Y2021, Y2023 = Filters(2021, 2023), Filters(2021, 2021), Filters(2023, 2023)
OK, TOP, DONE, REG = (
    vocab.RESULT_RECOGNISED,
    vocab.RESULT_EXEMPLARY,
    vocab.RESULT_DONE,
    vocab.RESULT_REGISTERED,
)


def bloc() -> DataSet:
    d = DataSet()
    d.unit("K", cap=BLOC).unit("A", "K", COMMITTEE).unit("A1", "A", BRANCH).unit("A2", "A", BRANCH)
    d.unit("B", "K", GRASSROOTS_BRANCH, start=date(2010, 1, 1), end=date(2022, 6, 30))
    d.unit("C", "K", GRASSROOTS_BRANCH, start=date(2022, 7, 1))
    d.unit("D", "K", GRASSROOTS_BRANCH)

    d.reg(2020, "B", COLLECTIVE, SOCIETY, DVK, result=OK, score=82, model="MB")  # r0
    d.reg(2021, "A1", COLLECTIVE, ECONOMY, DVK, result=OK, score=85, model="M1")  # r1
    d.reg(2021, "A1", INDIVIDUAL, POLITICS, QCDC, result=DONE, model="M2")  # r2
    d.reg(2021, "B", COLLECTIVE, SOCIETY, DVK, result=OK, score=80, model="MB")  # r3
    d.reg(2021, "B", INDIVIDUAL, SOCIETY, QCDC)  # r4
    d.reg(2022, "B", COLLECTIVE, SOCIETY, DVK, result=TOP, score=92, model="MB")  # r5
    d.reg(2022, "B", COLLECTIVE, POLITICS, QCDC, result=OK, score=78, model="MQ")  # r6
    d.reg(2022, "A2", INDIVIDUAL, ECONOMY, DVK, result=vocab.RESULT_FAILED, score=60)  # r7
    d.reg(2022, "C", COLLECTIVE, ECONOMY, DVK, result=vocab.RESULT_IN_PROGRESS, model="MC")  # r8
    d.reg(2022, "A1", COLLECTIVE, ECONOMY, DVK, result=TOP, score=95, model="M1")  # r9
    d.reg(2023, "C", COLLECTIVE, SOCIETY, DVK, result=OK, score=88, model="MB")  # r10
    d.reg(2023, "C", INDIVIDUAL, POLITICS, QCDC, result=DONE)  # r11
    d.reg(2023, "A2", INDIVIDUAL, ECONOMY, DVK, result=REG)  # r12
    d.reg(2023, "A2", COLLECTIVE, SECURITY, QCDC, result=OK, score=76, model="M3")  # r13

    for year, members, staff in ((2021, 30, 200), (2022, 32, 210), (2023, 35, 220)):
        d.size("A", year, members, staff)
    d.size("B", 2021, 10, 40).size("B", 2022, 10, 40).size("C", 2022, 12, 50).size("C", 2023, 15, 60)

    d.conf(2022, "B", day=date(2022, 5, 15), attendees=20, members=9)  # c1
    d.conf(2021, "A", attendees=40, members=25)  # c2
    d.conf(2023, "C", "Tổng kết", attendees=25, members=14)  # c3
    d.conf(2022, "A", "Sơ kết", attendees=60, members=28)  # c4
    d.conf(2023, "K", attendees=100)  # c5
    d.conf(2020, "D", attendees=30, members=10)  # c6

    d.award(2021, "B", COLLECTIVE, "Cơ sở")  # a1
    d.award(2022, "B", INDIVIDUAL, "Đảng ủy Khối")  # a2
    d.award(2022, "A1", COLLECTIVE, "Cơ sở")  # a3
    d.award(2023, "C", INDIVIDUAL, "Đảng ủy Khối")  # a4
    d.award(2023, "B", INDIVIDUAL, "UBND tỉnh", form="Bằng khen", status=vocab.STATUS_NOMINATED)  # a5
    return d


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return bloc().build(tmp_path_factory.mktemp("mid_period"))


@pytest.fixture(scope="module", params=["aggregates", "base tables"])
def cur(request, db):
    with figures.use_source("base" if request.param == "base tables" else "aggregates"), cursor(db) as c:
        if request.param == "aggregates":
            assert figures.answers_from(c) == "aggregates"
        yield c


def unit_figures(s: dict) -> tuple:
    p = s["per_capita"]
    return (
        (s["grassroots_units"], s["units_with_registration"], s["coverage_rate"]),
        (s["units_with_conference"], s["conference_rate"]),
        (s["branch_years"], s["branch_years_meeting_target"], s["target_compliance_rate"]),
        (p["staff"], p["individual_per_100_staff"], p["collective_per_grassroots_unit"]),
        s["attendance_rate"],
    )


def test_phase_counts_the_dissolved_unit_once(cur):
    s = figures.summary(cur, PHASE, with_models=True)
    assert (s["registrations"]["total"], s["registrations"]["collective"]) == (13, 8)  # r1..r13; 5 indiv.
    assert unit_figures(s) == (
        # grassroots active at some time in 2021-2023: A, B (until 30/06/2022), C (from 01/07/2022), D
        # with a registration in their subtree: A (A1, A2), B (r3..r6), C (r8, r10, r11); not D -> 3/4
        (4, 3, 0.75),
        # commendation conference: A (c2, 2021), B (c1, 15/05/2022); c3 is Tổng kết, c5 is the root's
        (2, 0.5),
        # (chi bộ, year), active that year: A1, A2, D x3 = 9; B 2021, 2022; C 2022, 2023 -> 13.
        # >= 1 DVK and >= 1 QCDC: A1 2021 (r1 r2), B 2021 (r3 r4), B 2022 (r5 r6), C 2023 (r10 r11),
        # A2 2023 (r12 r13) -> 5/13
        (13, 5, round(5 / 13, 6)),
        # staff: A 200+210+220, B 40+40 (2022 counts: B existed in 2022), C 50+60 -> 820;
        # individuals r2 r4 r7 r11 r12 all under a unit with a staff figure -> 5/820*100;
        # collectives 8 / 4 grassroots units
        (820, round(5 / 820 * 100, 6), 2.0),
        # members at c2 25 of A's 30; c1 9 of B's 10; c4 28 of A's 32; c3 14 of C's 15 (c5 no members)
        round((25 + 9 + 28 + 14) / (30 + 10 + 32 + 15), 6),
    )
    # codes M1 M2 MB MQ MC M3; MB was registered in 2020 (r0, by B) -> carried over; the other 5 new
    assert s["models"] == {"distinct": 6, "carried_over": 1, "new": 5}
    assert s["conferences"] == {"total": 5, "commendation": 3, "attendees": 20 + 40 + 25 + 60 + 100,
                                "member_attendees": 9 + 25 + 14 + 28}  # fmt: skip
    # a1 a3 (Cơ sở, Tập thể), a2 a4 (Đảng ủy Khối, Cá nhân); a5 nominated, separately
    assert (s["awards"]["total"], s["awards"]["collective"], s["awards"]["individual"]) == (4, 2, 2)
    assert s["awards"]["by_level"]["Cơ sở"] == {"collective": 2, "individual": 0}
    assert s["awards"]["by_level"]["Đảng ủy Khối"] == {"collective": 0, "individual": 2}
    assert s["nominations"]["total"] == 1
    assert s["nominations"]["by_level"]["UBND tỉnh"] == {"collective": 0, "individual": 1}


def test_2021_alone_before_the_new_unit(cur):
    s = figures.summary(cur, Y2021, with_models=True)
    assert (s["registrations"]["total"], s["registrations"]["collective"]) == (4, 2)  # r1..r4: r1 r3
    assert unit_figures(s) == (
        (3, 2, round(2 / 3, 6)),  # A, B, D (C starts 2022); registered: A (r1 r2), B (r3 r4)
        (1, round(1 / 3, 6)),  # c2 by A
        (4, 2, 0.5),  # A1 A2 B D; met: A1 (r1 r2), B (r3 r4)
        (240, round(2 / 240 * 100, 6), round(2 / 3, 6)),  # staff A 200 + B 40; individuals r2 r4
        round(25 / 30, 6),  # c2 at A
    )
    assert s["models"] == {"distinct": 3, "carried_over": 1, "new": 2}  # M1 M2 new; MB from 2020
    assert (s["awards"]["total"], s["nominations"]["total"]) == (1, 0)  # a1


def test_2023_alone_after_the_unit_ended(cur):
    s = figures.summary(cur, Y2023, with_models=True)
    assert (s["registrations"]["total"], s["registrations"]["collective"]) == (4, 2)  # r10..r13: r10 r13
    assert unit_figures(s) == (
        (3, 2, round(2 / 3, 6)),  # A, C, D (B ended 30/06/2022); registered: A (r12 r13), C (r10 r11)
        (0, 0.0),  # c3 is a Tổng kết, c5 the root's: no grassroots unit held a commendation conference
        (4, 2, 0.5),  # A1 A2 C D; met: A2 (r12 r13), C (r10 r11)
        (280, round(2 / 280 * 100, 6), round(2 / 3, 6)),  # staff A 220 + C 60; individuals r11 r12
        round(14 / 15, 6),  # c3 at C; c5 has no member count
    )
    # MB (registered by B in 2020-2022, now by C) carried over; M3 new
    assert s["models"] == {"distinct": 2, "carried_over": 1, "new": 1}
    # a4 awarded; a5 was filed in 2023 on the ended unit B: still in scope and period
    assert (s["awards"]["total"], s["nominations"]["total"]) == (1, 1)
    assert s["nominations"]["by_level"]["UBND tỉnh"] == {"collective": 0, "individual": 1}


def test_trend_per_year(cur):
    t = figures.trend(cur, PHASE)
    assert t["nam"].to_list() == [2021, 2022, 2023]
    assert t["registrations"].to_list() == [4, 5, 4]  # r1-r4 | r5-r9 | r10-r13
    # 2021 A B D; 2022 A B C D (B until 30/06, C from 01/07); 2023 A C D
    assert t["grassroots_units"].to_list() == [3, 4, 3]
    assert t["grassroots_units_change_pct"].to_list() == pytest.approx([None, 1 / 3, -1 / 4], nan_ok=True)
    # registered: 2021 A B; 2022 A (r7 r9) B (r5 r6) C (r8); 2023 A C
    assert t["units_with_registration"].to_list() == [2, 3, 2]
    assert t["coverage_rate"].to_list() == pytest.approx([2 / 3, 3 / 4, 2 / 3])
    assert t["conference_rate"].to_list() == pytest.approx([1 / 3, 1 / 4, 0])  # A (c2); B (c1); none
    # chi bộ-years 2021 A1 A2 B D; 2022 A1 A2 B C D; 2023 A1 A2 C D.
    # met 2021 A1 B; 2022 B only (A1 r9, A2 r7, C r8 are DVK alone); 2023 A2 C
    assert t["branch_years"].to_list() == [4, 5, 4]
    assert t["branch_years_meeting_target"].to_list() == [2, 1, 2]
    assert t["target_compliance_rate"].to_list() == pytest.approx([0.5, 0.2, 0.5])
    assert t["staff"].to_list() == [240, 300, 280]  # 200+40 | 210+40+50 | 220+60
    # individuals 2021 r2 r4; 2022 r7; 2023 r11 r12
    assert t["individual_per_100_staff"].to_list() == pytest.approx(
        [2 / 240 * 100, 1 / 300 * 100, 2 / 280 * 100]
    )
    # collectives 2021 r1 r3; 2022 r5 r6 r8 r9; 2023 r10 r13
    assert t["collective_per_grassroots_unit"].to_list() == pytest.approx([2 / 3, 4 / 4, 2 / 3])
    # 2021 c2 25/30; 2022 c1 9 of B's 10 + c4 28 of A's 32; 2023 c3 14/15
    assert t["attendance_rate"].to_list() == pytest.approx([25 / 30, 37 / 42, 14 / 15])
    # 2021 M1 M2 MB (MB 2020); 2022 MB M1 (earlier) MQ MC (new); 2023 MB (earlier) M3 (new)
    assert t["models"].to_list() == [3, 4, 2]
    assert t["models_carried_over"].to_list() == [1, 2, 1]
    assert t["models_new"].to_list() == [2, 2, 1]
    assert t["awards"].to_list() == [1, 2, 1]  # a1 | a2 a3 | a4
    assert t["nominations"].to_list() == [0, 0, 1]  # a5


def test_by_unit_over_the_phase(cur):
    u = figures.by_unit(cur, PHASE)
    assert u["ma_don_vi"].to_list() == ["A", "B", "C", "D"]  # all four active at some time
    a, b, c, d = u.iter_rows(named=True)
    assert [x["registrations"] for x in (a, b, c, d)] == [6, 4, 3, 0]  # r1 r2 r7 r9 r12 r13 | r3-r6 | ...
    assert [x["grassroots_units"] for x in (a, b, c, d)] == [1, 1, 1, 1]
    assert [x["coverage_rate"] for x in (a, b, c, d)] == [1.0, 1.0, 1.0, 0.0]
    assert [x["conference_rate"] for x in (a, b, c, d)] == [1.0, 1.0, 0.0, 0.0]  # c2 | c1 | - | c6 is 2020
    # A: A1 A2 x3 = 6, met A1 2021 + A2 2023; B: 2021 2022 both met; C: 2022 2023, met 2023; D: 3, none
    assert [(x["branch_years"], x["branch_years_meeting_target"]) for x in (a, b, c, d)] == [
        (6, 2), (2, 2), (2, 1), (3, 0),
    ]  # fmt: skip
    assert [x["below_target"] for x in (a, b, c, d)] == [True, False, True, True]
    assert [x["staff"] for x in (a, b, c, d)] == [630, 80, 110, 0]
    # individuals A r2 r7 r12; B r4; C r11; D no staff figure: no rate
    assert [x["individual_per_100_staff"] for x in (a, b, c, d)] == pytest.approx(
        [3 / 630 * 100, 1 / 80 * 100, 1 / 110 * 100, None], nan_ok=True
    )
    # collectives A r1 r9 r13; B r3 r5 r6; C r8 r10; each over its 1 grassroots unit
    assert [x["collective_per_grassroots_unit"] for x in (a, b, c, d)] == [3.0, 3.0, 2.0, 0.0]
    assert [x["attendance_rate"] for x in (a, b, c, d)] == pytest.approx(
        [53 / 62, 9 / 10, 14 / 15, None], nan_ok=True
    )
    assert b["recognition_rate"] == pytest.approx(3 / 4)  # r3 r5 r6 of r3..r6
    assert [(x["awards"], x["nominations"]) for x in (a, b, c, d)] == [(1, 0), (2, 1), (1, 0), (0, 0)]


def test_by_unit_after_the_unit_ended(cur):
    u = figures.by_unit(cur, Y2023)
    # B is no longer active but its 2023 nomination (a5) must sit in some row: it is listed
    assert u["ma_don_vi"].to_list() == ["A", "B", "C", "D"]
    assert u["is_active"].to_list() == [True, False, True, True]
    a, b, c, d = u.iter_rows(named=True)
    assert (b["registrations"], b["grassroots_units"], b["branch_years"], b["nominations"]) == (0, 0, 0, 1)
    assert (b["coverage_rate"], b["conference_rate"], b["target_compliance_rate"]) == (None, None, None)
    assert b["below_target"] is None
    assert [x["registrations"] for x in (a, c, d)] == [2, 2, 0]  # r12 r13 | r10 r11
    assert [x["coverage_rate"] for x in (a, c, d)] == [1.0, 1.0, 0.0]
    assert [x["target_compliance_rate"] for x in (a, c, d)] == [0.5, 1.0, 0.0]  # A2 of A1 A2 | C | D
    assert [x["staff"] for x in (a, c, d)] == [220, 60, 0]
    assert [x["attendance_rate"] for x in (a, c, d)] == pytest.approx([None, 14 / 15, None], nan_ok=True)
    assert u["nominations"].sum() == 1 and u["awards"].sum() == 1  # a5 (B), a4 (C)


def test_compare_before_and_after_the_unit_ended(cur):
    rows = {r["figure"]: r for r in figures.compare(cur, Filters(2021, 2022), Y2023).iter_rows(named=True)}

    def ab(key):
        return rows[key]["a"], rows[key]["b"]

    assert ab("registrations") == (9, 4)  # r1..r9 | r10..r13
    assert rows["registrations"]["change_pct"] == pytest.approx(5 / 4)  # A so với B: (9 - 4) / 4
    # 2021-2022: A, B (ended 30/06/2022), C (from 01/07/2022), D = 4; 2023: A, C, D = 3
    assert ab("grassroots_units") == (4, 3)
    assert rows["grassroots_units"]["change_pct"] == pytest.approx(1 / 3)
    assert ab("units_with_registration") == (3, 2)  # A B C | A C
    assert ab("coverage_rate") == pytest.approx((3 / 4, 2 / 3))
    assert ab("units_with_conference") == (2, 0)  # A (c2), B (c1) | none
    assert ab("conference_rate") == (0.5, 0.0)
    assert rows["conference_rate"]["change"] == pytest.approx(0.5)  # in points: no % of a rate
    assert rows["conference_rate"]["change_pct"] is None
    assert ab("branch_years") == (9, 4)  # 4 + 5 | 4
    assert ab("target_compliance_rate") == pytest.approx((3 / 9, 2 / 4))  # A1'21 B'21 B'22 | A2 C
    assert ab("staff") == (540, 280)  # 240 + 300 | 280
    assert ab("individual_per_100_staff") == pytest.approx(
        (3 / 540 * 100, 2 / 280 * 100)
    )  # r2 r4 r7 | r11 r12
    assert ab("collective_per_grassroots_unit") == pytest.approx(
        (6 / 4, 2 / 3)
    )  # r1 r3 r5 r6 r8 r9 | r10 r13
    assert ab("attendance_rate") == pytest.approx(((25 + 9 + 28) / (30 + 10 + 32), 14 / 15))
    # 2021-2022: M1 M2 MB MQ MC, MB from 2020; 2023: MB (registered 2020-2022) and M3
    assert (ab("models"), ab("models_carried_over"), ab("models_new")) == ((5, 2), (1, 1), (4, 1))
    assert ab("awards") == (3, 1)  # a1 a2 a3 | a4
    assert ab("awards.by_level.Đảng ủy Khối") == (1, 1)  # a2 | a4
    assert ab("nominations") == (0, 1)  # a5
    assert rows["nominations"]["change_pct"] == pytest.approx(-1.0)  # (0 - 1) / 1

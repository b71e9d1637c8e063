"""Every figure of DOMAIN.md section 4 on a small data set whose answers are worked out by hand here.

The bloc K (period 2021-2023):

    K   Đảng bộ Khối                       root; has one registration of its own (r7)
    ├── A   Đảng bộ cơ sở                  grassroots
    │   ├── A1  Chi bộ trực thuộc          branch
    │   └── A2  Chi bộ trực thuộc          branch, ENDS 30/06/2022 (active 2021, 2022)
    ├── B   Chi bộ cơ sở                   grassroots + branch, STARTS 01/01/2022 (active 2022, 2023)
    ├── C   Chi bộ cơ sở                   ended 31/12/2019: not active in the period, a past row (r8)
    ├── D   Đảng bộ cơ sở                  starts 01/03/2024: not active in the period
    └── E   Chi bộ cơ sở                   grassroots + branch, registers nothing

Registrations (year, unit, subject, movement, field, kind, result, score, model):
    r1 2021 A1 Tập thể DVK  Kinh tế   Mô hình   Được công nhận 80   M1
    r2 2021 A1 Cá nhân QCDC XDHTCT    Mô hình   Đã đăng ký     -    M2
    r3 2022 A1 Tập thể DVK  Kinh tế   Mô hình   Tiêu biểu      95   M1
    r4 2022 A2 Cá nhân DVK  VH-XH     Mô hình   Không đạt      50   -
    r5 2022 A2 Cá nhân QCDC VH-XH     Mô hình   Hoàn thành     -    -
    r6 2023 B  Tập thể QCDC Kinh tế   Điển hình Được công nhận 76   -
    r7 2023 K  Tập thể DVK  Khác      Mô hình   Đã đăng ký     -    -
    r8 2019 C  Tập thể DVK  Kinh tế   (outside the period)            M3
    r9 2020 A1 Cá nhân DVK  Kinh tế   (outside the period)            M2
"""

from __future__ import annotations

import math

import polars as pl
import pytest
from support.builders import (
    BLOC,
    COLLECTIVE,
    DVK,
    ECONOMY,
    EXEMPLAR,
    INDIVIDUAL,
    OTHER,
    PERIOD,
    POLITICS,
    QCDC,
    SOCIETY,
    DataSet,
    bloc,
    cursor,
)

from queries import figures, store, vocab
from queries.figures import Filters


@pytest.fixture(scope="module")
def cur(tmp_path_factory):
    db = bloc().build(tmp_path_factory.mktemp("bloc"))
    with cursor(db) as c:
        yield c


@pytest.fixture(scope="module")
def s(cur):
    return figures.summary(cur, PERIOD, with_models=True)


# --- registrations and breakdowns ----------------------------------------------------------------


def test_registrations_split_by_subject(s):
    # r1..r7 are in 2021-2023 (r8, r9 are not); collective r1 r3 r6 r7, individual r2 r4 r5
    assert s["registrations"]["total"] == 7
    assert s["registrations"]["collective"] == 4
    assert s["registrations"]["individual"] == 3
    assert s["registrations"]["by_subject"] == {COLLECTIVE: 4, INDIVIDUAL: 3}


def test_breakdowns_are_zero_filled_over_every_label(s):
    r = s["registrations"]
    # Kinh tế r1 r3 r6; VH-XH r4 r5; XDHTCT r2; Khác r7; QP-AN none
    assert r["by_field"] == {ECONOMY: 3, SOCIETY: 2, vocab.FIELDS[2]: 0, POLITICS: 1, OTHER: 1}
    assert r["by_movement"] == {DVK: 4, QCDC: 3}  # DVK r1 r3 r4 r7; QCDC r2 r5 r6
    assert r["by_kind"] == {vocab.KIND_MODEL: 6, EXEMPLAR: 1}  # only r6 is an exemplar
    assert r["by_result"] == {
        vocab.RESULT_REGISTERED: 2,  # r2 r7
        vocab.RESULT_IN_PROGRESS: 0,
        vocab.RESULT_DONE: 1,  # r5
        vocab.RESULT_RECOGNISED: 2,  # r1 r6
        vocab.RESULT_EXEMPLARY: 1,  # r3
        vocab.RESULT_FAILED: 1,  # r4
    }


def test_breakdown_frames(cur):
    field = figures.breakdown(cur, PERIOD, "linh_vuc")
    assert field["linh_vuc"].to_list() == list(vocab.FIELDS)
    assert field["registrations"].to_list() == [3, 2, 0, 1, 1]
    assert field["collective"].to_list() == [3, 0, 0, 0, 1]  # r1 r3 r6 | r7
    assert field["recognised"].to_list() == [3, 0, 0, 0, 0]  # r1 r3 r6 are all Kinh tế
    assert field["share"].to_list() == pytest.approx([3 / 7, 2 / 7, 0, 1 / 7, 1 / 7])
    units = figures.breakdown(cur, PERIOD, "ma_don_vi")
    # every unit of the scope in tree order, counting its OWN rows: K r7; A1 r1 r2 r3; A2 r4 r5; B r6
    assert dict(zip(units["ma_don_vi"], units["registrations"], strict=True)) == {
        "K": 1, "A": 0, "A1": 3, "A2": 2, "B": 1, "C": 0, "D": 0, "E": 0,
    }  # fmt: skip
    with pytest.raises(figures.FiguresError):
        figures.breakdown(cur, PERIOD, "ten_mo_hinh")


def test_models_carried_over_and_new(s, cur):
    # codes in 2021-2023: M1 (r1, r3) and M2 (r2) -> 2 distinct. M2 was registered in 2020 (r9), an
    # earlier year: carried over. M1 first appears in 2021: new.
    assert s["models"] == {"distinct": 2, "carried_over": 1, "new": 1}
    t = figures.trend(cur, PERIOD)
    # 2021: M1 (new), M2 (2020 before) -> 2, 1 carried; 2022: M1 (2021 before) -> 1, 1; 2023: none
    assert t["models"].to_list() == [2, 1, 0]
    assert t["models_carried_over"].to_list() == [1, 1, 0]
    assert t["models_new"].to_list() == [1, 0, 0]


def test_models_are_left_out_of_the_fast_summary(cur):
    assert figures.summary(cur, PERIOD)["models"] == {"distinct": None, "carried_over": None, "new": None}


# --- units -----------------------------------------------------------------------------------------


def test_grassroots_units_and_coverage(s):
    # grassroots (Đảng bộ cơ sở + Chi bộ cơ sở) active at some time in 2021-2023: A, B (from 2022), E.
    # C ended 2019, D starts 2024.
    assert s["grassroots_units"] == 3
    # with a registration in their subtree: A (via A1, A2), B (r6); not E -> 2/3
    assert s["units_with_registration"] == 2
    assert s["coverage_rate"] == round(2 / 3, 6)


def test_conference_rate_counts_conferences_in_the_unit_subtree(s):
    # commendation conferences in 2021-2023: c1 by A1 (so A counts), c4 by the root K (no grassroots
    # unit). c3 (B) is 2020 and c2 is a study meeting -> 1 of 3
    assert s["units_with_conference"] == 1
    assert s["conference_rate"] == round(1 / 3, 6)


def test_target_compliance_over_branch_years(s):
    # chi bộ = chi bộ trực thuộc + chi bộ cơ sở: A1, A2, B, E (A is a đảng bộ cơ sở: not itself one).
    # (chi bộ, year) pairs with the chi bộ active that year:
    #   A1 2021 2022 2023 (3); A2 2021 2022 (ends mid-2022: 2); B 2022 2023 (2); E 3 years (3) = 10
    # meeting >= 1 DVK and >= 1 QCDC that year: A1 2021 (r1 DVK + r2 QCDC), A2 2022 (r4 + r5) = 2
    assert s["branch_years"] == 10
    assert s["branch_years_meeting_target"] == 2
    assert s["target_compliance_rate"] == 0.2


def test_recognition_rate_and_mean_score(s):
    # recognised = Được công nhận or Tiêu biểu: r1, r3, r6 -> 3/7; scores 80, 95, 50, 76 -> 75.25
    assert s["recognised"] == 3
    assert s["recognition_rate"] == round(3 / 7, 6)
    assert s["mean_score"] == 75.25


def test_per_capita(s):
    # staff per year, no unit counted twice: 2021 A1 25 (A did not report); 2022 A 100 (A1's 30 is
    # inside A's); 2023 B 50 -> 175. Individuals under a unit with a staff figure that year:
    # 2021 r2 (A1); 2022 r4, r5 (A2, under A) -> 3. 3 / 175 * 100
    assert s["per_capita"]["staff"] == 175
    assert s["per_capita"]["individual_per_100_staff"] == round(3 / 175 * 100, 6)
    # 4 collective registrations over 3 grassroots units
    assert s["per_capita"]["collective_per_grassroots_unit"] == round(4 / 3, 6)


def test_conferences_and_attendance(s):
    # in the period: c1 c2 c4 c5 c6 (c3 is 2020); commendation c1 c4
    assert s["conferences"] == {"total": 5, "commendation": 2, "attendees": 30 + 40 + 100 + 50 + 20,
                                "member_attendees": 6 + 25 + 16 + 12}  # fmt: skip
    # members expected at each conference reporting member attendance, where the holder has a headcount:
    #   c1 A1 2022: 6 of A1's 8; c5 A 2022: 16 of A's 20; c6 B 2023: 12 capped to B's 10 of 10;
    #   c2 E 2023: E has no quy_mo row -> left out
    assert s["attendance_rate"] == round((6 + 16 + 10) / (8 + 20 + 10), 6)


def test_awards_by_level_form_subject_and_nominations(s):
    # awarded in 2021-2023: a1 (Cơ sở, Tập thể), a2 (Cơ sở, Cá nhân), a3 (Đảng ủy Khối, Tập thể)
    awards = s["awards"]
    assert (awards["total"], awards["collective"], awards["individual"]) == (3, 2, 1)
    assert awards["by_level"]["Cơ sở"] == {"collective": 1, "individual": 1}
    assert awards["by_level"]["Đảng ủy Khối"] == {"collective": 1, "individual": 0}
    assert sum(v["collective"] + v["individual"] for v in awards["by_level"].values()) == 3
    assert awards["by_form"] == {"Giấy khen": 2, "Bằng khen": 1, "Biểu dương": 0, "Khác": 0}
    # nominated, separately: a4 to UBND tỉnh (a5 is 2020)
    assert s["nominations"]["total"] == 1
    assert s["nominations"]["by_level"]["UBND tỉnh"] == {"collective": 0, "individual": 1}


def test_by_year_in_the_summary(s):
    assert s["by_year"] == [
        # pending (awaiting scoring): r5 (Hoàn thành) of r3 r4 r5 in 2022
        {"year": 2021, "registrations": 2, "collective": 1, "individual": 1, "awards": 0, "nominations": 0,
         "pending": 0, "pending_share": 0.0},
        {"year": 2022, "registrations": 3, "collective": 1, "individual": 2, "awards": 2, "nominations": 0,
         "pending": 1, "pending_share": round(1 / 3, 6)},
        {"year": 2023, "registrations": 2, "collective": 2, "individual": 0, "awards": 1, "nominations": 1,
         "pending": 0, "pending_share": 0.0},
    ]  # fmt: skip
    # 1 of 3 in 2022 is above a quarter: 2022 is not final; all years are reported
    assert s["pending"] == {"count": 1, "share": round(1 / 7, 6), "not_final_years": [2022]}
    assert (s["reported_years"], s["period_label"]) == ([2021, 2022, 2023], "2021-2023")


# --- trend, units, comparison ----------------------------------------------------------------------


def test_trend_is_each_year_on_its_own_with_changes(cur):
    t = figures.trend(cur, PERIOD)
    assert t["nam"].to_list() == [2021, 2022, 2023]
    assert t["registrations"].to_list() == [2, 3, 2]
    assert t["registrations_change"].to_list() == [None, 1, -1]
    assert t["registrations_change_pct"].to_list() == pytest.approx([None, 0.5, -1 / 3], nan_ok=True)
    # grassroots active each year: 2021 A, E (B starts 2022); 2022 and 2023 A, B, E
    assert t["grassroots_units"].to_list() == [2, 3, 3]
    # with a registration that year: 2021 A; 2022 A; 2023 B
    assert t["coverage_rate"].to_list() == pytest.approx([1 / 2, 1 / 3, 1 / 3])
    # commendation conference in the subtree: 2022 A (c1) only
    assert t["conference_rate"].to_list() == pytest.approx([0, 1 / 3, 0])
    # branch-years: 2021 A1 A2 E; 2022 A1 A2 B E; 2023 A1 B E. Met: 2021 A1; 2022 A2
    assert t["branch_years"].to_list() == [3, 4, 3]
    assert t["target_compliance_rate"].to_list() == pytest.approx([1 / 3, 1 / 4, 0])
    assert t["staff"].to_list() == [25, 100, 50]
    assert t["awards"].to_list() == [0, 2, 1]
    assert t["nominations"].to_list() == [0, 0, 1]
    # no staff figure reported anywhere would give null, not an error: 2021 has one (A1)
    assert t["individual_per_100_staff"].to_list() == pytest.approx([1 / 25 * 100, 2 / 100 * 100, 0])
    # rates change in fraction points; a change from 0 has no percentage
    assert t["conference_rate_change_pct"][2] == pytest.approx(-1.0)
    assert t["awards_change_pct"][1] is None


def test_by_unit_aggregates_each_child_subtree(cur):
    u = figures.by_unit(cur, PERIOD)
    # children of K active in the period or with data in it: A, B, E (C ended 2019, D starts 2024)
    assert u["ma_don_vi"].to_list() == ["A", "B", "E"]
    a, b, e = u.iter_rows(named=True)
    assert (a["registrations"], a["collective"], a["individual"]) == (5, 2, 3)  # r1..r5
    assert (b["registrations"], e["registrations"]) == (1, 0)
    assert (a["coverage_rate"], b["coverage_rate"], e["coverage_rate"]) == (1.0, 1.0, 0.0)
    assert (a["conference_rate"], b["conference_rate"]) == (1.0, 0.0)  # c3 (B) is 2020
    # A: A1 3 years + A2 2 years, met A1 2021 and A2 2022
    assert (a["branch_years"], a["branch_years_meeting_target"]) == (5, 2)
    assert a["target_compliance_rate"] == pytest.approx(0.4)
    assert (b["branch_years"], e["branch_years"]) == (2, 3)
    assert [a["below_target"], b["below_target"], e["below_target"]] == [True, True, True]
    assert a["recognition_rate"] == pytest.approx(2 / 5)  # r1 r3
    assert e["recognition_rate"] is None  # no registration: no rate, no error
    # A's staff: 2021 A1 25 + 2022 A 100; individuals covered r2 r4 r5
    assert a["staff"] == 125
    assert a["individual_per_100_staff"] == pytest.approx(3 / 125 * 100)
    assert e["individual_per_100_staff"] is None  # E has no staff figure
    assert (a["awards"], b["awards"], e["awards"]) == (2, 1, 0)
    # the root's own row (r7) is in no child: 5 + 1 + 0 + 1 = 7
    assert u["registrations"].sum() + 1 == 7


def test_compare_two_periods(cur):
    # A (judged) = 2022-2023 so với B (baseline) = 2021: change = A - B, % of B
    c = figures.compare(cur, Filters(2022, 2023), Filters(2021, 2021))
    rows = {r["figure"]: r for r in c.iter_rows(named=True)}
    # registrations: 2022-2023 -> 5 (r3..r7); 2021 -> 2 (r1 r2); change +3 = +150% of 2
    assert (rows["registrations"]["a"], rows["registrations"]["b"]) == (5, 2)
    assert rows["registrations"]["change"] == 3
    assert rows["registrations"]["change_pct"] == pytest.approx(1.5)
    # awards 3 against 0: no percentage of zero
    assert (rows["awards"]["change"], rows["awards"]["change_pct"]) == (3, None)
    assert rows["registrations.by_field.Kinh tế"]["a"] == 2  # r3 r6
    assert rows["registrations.by_field.Kinh tế"]["b"] == 1  # r1
    # recognition 2/5 (r3 r6) against 1/2 (r1): -10 points, and no "% of a rate"
    assert rows["recognition_rate"]["change"] == pytest.approx(2 / 5 - 1 / 2)
    assert rows["recognition_rate"]["change_pct"] is None
    # the other way round: the opposite change, in % of the other baseline
    back = figures.compare(cur, Filters(2021, 2021), Filters(2022, 2023))
    back_rows = {r["figure"]: r for r in back.iter_rows(named=True)}
    assert back_rows["registrations"]["change"] == -3
    assert back_rows["registrations"]["change_pct"] == pytest.approx(-3 / 5)
    assert c.columns == ["figure", "label", "a", "b", "change", "change_pct"]
    assert rows["coverage_rate"]["label"] == "Tỉ lệ TCCSĐ có đăng ký"
    english = figures.compare(cur, Filters(2021, 2021), Filters(2022, 2023), lang="en")
    assert english.filter(pl.col("figure") == "coverage_rate")["label"][0] == "Coverage rate"


def test_compare_covers_results_and_award_forms(cur):
    rows = {
        r["figure"]: r
        for r in figures.compare(cur, Filters(2022, 2023), Filters(2021, 2021)).iter_rows(named=True)
    }
    # Được công nhận: 2022-2023 r6 | 2021 r1; Tiêu biểu: r3 | none; Đã đăng ký: r7 | r2
    assert (
        rows["registrations.by_result.Được công nhận"]["a"],
        rows["registrations.by_result.Được công nhận"]["b"],
    ) == (1, 1)
    assert (
        rows["registrations.by_result.Tiêu biểu"]["a"],
        rows["registrations.by_result.Tiêu biểu"]["b"],
    ) == (1, 0)
    assert rows["registrations.by_result.Đã đăng ký"]["change"] == 0
    # awards 2022-2023: a1 a2 Giấy khen, a3 Bằng khen (a4 only nominated); 2021: none (a5 is 2020)
    assert (rows["awards.by_form.Giấy khen"]["a"], rows["awards.by_form.Bằng khen"]["a"]) == (2, 1)
    assert rows["awards.by_form.Giấy khen"]["change_pct"] is None  # of zero


def test_awards_per_year_and_per_100_registrations(cur):
    t = figures.awards_by_year(cur, PERIOD)
    assert t.columns == ["year", "collective", "individual", "nominations", "registrations", "per_100"]
    rows = [tuple(r) for r in t.select(pl.exclude("per_100")).iter_rows()]
    # 2021: no award, r1 r2; 2022: a1 (collective) a2 (individual), r3 r4 r5; 2023: a3 (collective),
    # a4 nominated, r6 r7. a5 is 2020.
    assert rows == [(2021, 0, 0, 0, 2), (2022, 1, 1, 0, 3), (2023, 1, 0, 1, 2)]
    assert t["per_100"].to_list() == pytest.approx([0.0, 2 / 3 * 100, 50.0])
    # awards take no field: neither do the registrations they are set against
    assert figures.awards_by_year(cur, Filters(2021, 2023, field="Kinh tế")).equals(t)
    # they do take the subject: individuals r2 | r4 r5 | none; awards a2 | nomination a4
    ind = figures.awards_by_year(cur, Filters(2021, 2023, subject="Cá nhân"))
    assert ind["individual"].to_list() == [0, 1, 0] and ind["collective"].to_list() == [0, 0, 0]
    assert ind["registrations"].to_list() == [1, 2, 0]
    assert ind["per_100"].to_list() == [0.0, 50.0, None]  # no registration in 2023: null


def test_a_breakdown_per_year_with_changes(cur):
    t = figures.breakdown_by_year(cur, PERIOD, "linh_vuc")
    assert t.columns == [
        "nam", "linh_vuc", "registrations", "collective", "individual", "recognised", "change", "change_pct",
    ]  # fmt: skip
    assert t.height == 3 * len(vocab.FIELDS)  # every year and every field, zero-filled
    rows = {(r["nam"], r["linh_vuc"]): r for r in t.iter_rows(named=True)}
    economy, society, politics, other = "Kinh tế", "Văn hóa - xã hội", "Xây dựng hệ thống chính trị", "Khác"
    # 2021: r1 Kinh tế (collective, recognised), r2 XDHTCT (individual)
    assert [rows[(2021, x)]["registrations"] for x in vocab.FIELDS] == [1, 0, 0, 1, 0]
    assert (rows[(2021, economy)]["collective"], rows[(2021, economy)]["recognised"]) == (1, 1)
    assert rows[(2021, politics)]["individual"] == 1
    # 2022: r3 Kinh tế (Tiêu biểu), r4 r5 VH-XH (individuals, not recognised)
    assert [rows[(2022, x)]["registrations"] for x in vocab.FIELDS] == [1, 2, 0, 0, 0]
    assert (rows[(2022, society)]["individual"], rows[(2022, society)]["recognised"]) == (2, 0)
    # 2023: r6 Kinh tế (B), r7 Khác (K's own)
    assert [rows[(2023, x)]["registrations"] for x in vocab.FIELDS] == [1, 0, 0, 0, 1]
    # changes from the year before; the first year has none; no % from zero
    assert all(rows[(2021, x)]["change"] is None for x in vocab.FIELDS)
    assert (rows[(2022, economy)]["change"], rows[(2022, economy)]["change_pct"]) == (0, 0.0)
    assert (rows[(2022, society)]["change"], rows[(2022, society)]["change_pct"]) == (2, None)
    assert (rows[(2023, society)]["change"], rows[(2023, society)]["change_pct"]) == (-2, -1.0)
    assert (rows[(2022, politics)]["change"], rows[(2022, politics)]["change_pct"]) == (-1, -1.0)
    assert (rows[(2023, other)]["change"], rows[(2023, other)]["change_pct"]) == (1, None)
    with pytest.raises(figures.FiguresError):
        figures.breakdown_by_year(cur, PERIOD, "ma_don_vi")


def test_a_breakdown_per_child_counts_each_childs_subtree(cur):
    b = figures.breakdown_by_child(cur, PERIOD, "phong_trao")
    # children listed as by_unit lists them: A, B, E (C ended 2019 with no row in the period; D
    # starts 2024); each has a row per movement
    assert b["ma_don_vi"].unique(maintain_order=True).to_list() == ["A", "B", "E"]
    got = {
        (r["ma_don_vi"], r["phong_trao"]): (r["registrations"], r["share"] and round(r["share"], 9))
        for r in b.iter_rows(named=True)
    }
    # A's subtree: r1 r3 r4 DVK, r2 r5 QCDC; B: r6 QCDC; E: nothing (share null, not a division error)
    assert got == {
        ("A", vocab.MOVEMENT_DVK): (3, 0.6), ("A", vocab.MOVEMENT_QCDC): (2, 0.4),
        ("B", vocab.MOVEMENT_DVK): (0, 0.0), ("B", vocab.MOVEMENT_QCDC): (1, 1.0),
        ("E", vocab.MOVEMENT_DVK): (0, None), ("E", vocab.MOVEMENT_QCDC): (0, None),
    }  # fmt: skip
    # K's own r7 is in no child: the children's sum is the total less the scope's own rows
    assert b["registrations"].sum() + 1 == figures.summary(cur, PERIOD)["registrations"]["total"]
    inside = figures.breakdown_by_child(cur, Filters(2021, 2023, unit="A"), "ket_qua")
    assert inside["ma_don_vi"].unique(maintain_order=True).to_list() == ["A1", "A2"]
    a2 = {r["ket_qua"]: r["registrations"] for r in inside.iter_rows(named=True) if r["ma_don_vi"] == "A2"}
    assert (a2[vocab.RESULT_FAILED], a2[vocab.RESULT_DONE], sum(a2.values())) == (1, 1, 2)  # r4 r5


# --- scopes, filters, empty periods ------------------------------------------------------------------


def test_unit_scope_is_the_unit_and_its_subtree(cur):
    s = figures.summary(cur, Filters(2021, 2023, unit="A"))
    assert s["unit"] == "A" and s["unit_name"] == "Đảng bộ A"
    assert s["registrations"]["total"] == 5  # r1..r5
    assert (s["grassroots_units"], s["coverage_rate"], s["conference_rate"]) == (1, 1.0, 1.0)
    assert (s["branch_years"], s["branch_years_meeting_target"]) == (5, 2)
    assert s["awards"]["total"] == 2 and s["nominations"]["total"] == 0
    by_unit = figures.by_unit(cur, Filters(2021, 2023, unit="A"))
    assert by_unit["ma_don_vi"].to_list() == ["A1", "A2"]
    assert by_unit["registrations"].to_list() == [3, 2]


def test_scope_without_grassroots_units_has_null_rates(cur):
    # A1 is a chi bộ trực thuộc: no grassroots unit in its scope
    s = figures.summary(cur, Filters(2021, 2023, unit="A1"))
    assert s["grassroots_units"] == 0
    assert s["coverage_rate"] is None
    assert s["conference_rate"] is None
    assert s["per_capita"]["collective_per_grassroots_unit"] is None
    assert s["branch_years"] == 3  # A1 itself
    assert s["target_compliance_rate"] == pytest.approx(1 / 3)


def test_dissolved_units_keep_their_past_rows(cur):
    s = figures.summary(cur, Filters(2019, 2019))
    assert s["registrations"]["total"] == 1  # r8 by C, which was active in 2019
    assert s["grassroots_units"] == 3  # A, C, E (B starts 2022, D 2024)
    s = figures.summary(cur, Filters(2019, 2019, unit="C"))
    assert s["registrations"]["total"] == 1


def test_empty_period_gives_zero_counts_and_null_rates(cur):
    s = figures.summary(cur, Filters(2030, 2030), with_models=True)
    assert s["registrations"]["total"] == 0
    assert set(s["registrations"]["by_field"].values()) == {0}
    assert s["recognition_rate"] is None  # 0 registrations
    assert s["mean_score"] is None
    assert s["per_capita"]["individual_per_100_staff"] is None  # no staff figure
    assert s["attendance_rate"] is None
    assert s["models"] == {"distinct": 0, "carried_over": 0, "new": 0}
    # 2030 holds no registration: not a reported year (DOMAIN.md section 4), so its figures count no
    # grassroots unit and no chi bộ-year: no coverage and no compliance, rather than 0%
    assert s["reported_years"] == [] and s["period_label"] == "2030, chưa có số liệu"
    assert (s["grassroots_units"], s["coverage_rate"]) == (0, None)
    assert (s["branch_years"], s["target_compliance_rate"]) == (0, None)
    t = figures.trend(cur, Filters(2030, 2031))
    assert t["registrations"].to_list() == [0, 0]
    assert t["recognition_rate"].to_list() == [None, None]
    assert figures.by_unit(cur, Filters(2030, 2030))["registrations"].sum() == 0


def test_filters_narrow_the_registrations(cur):
    economy = figures.summary(cur, Filters(2021, 2023, field=ECONOMY))
    assert economy["registrations"]["total"] == 3  # r1 r3 r6
    assert economy["units_with_registration"] == 2  # A (r1 r3), B (r6)
    # the field filter applies to compliance too: A1 2021 has DVK r1 in Kinh tế but QCDC r2 is XDHTCT
    assert economy["branch_years_meeting_target"] == 0
    qcdc = figures.summary(cur, Filters(2021, 2023, movement=QCDC))
    assert qcdc["registrations"]["total"] == 3  # r2 r5 r6
    # compliance is defined across both movements: the movement filter does not change it
    assert qcdc["target_compliance_rate"] == 0.2
    individuals = figures.summary(cur, Filters(2021, 2023, subject=INDIVIDUAL))
    assert individuals["registrations"]["total"] == 3  # r2 r4 r5
    assert individuals["awards"]["total"] == 1  # a2: awards follow the subject filter
    assert individuals["nominations"]["total"] == 1  # a4
    exemplars = figures.summary(cur, Filters(2021, 2023, kind=EXEMPLAR))
    assert exemplars["registrations"]["total"] == 1  # r6


def test_filters_accept_any_spelling_and_reject_nonsense():
    assert Filters(2021, 2023, field="kinh te", subject="CA NHAN").field == ECONOMY
    assert Filters(2021, 2023, field="kinh te", subject="CA NHAN").subject == INDIVIDUAL
    assert Filters(2021, 2023, unit=" ", movement="").unit is None
    with pytest.raises(figures.FiguresError):
        Filters(2023, 2021)
    with pytest.raises(figures.FiguresError):
        Filters(2021, 2023, field="Thể thao")
    with pytest.raises(ValueError):
        Filters(1800, 2023)


def test_unknown_unit_is_an_error(cur):
    with pytest.raises(figures.UnknownUnitError):
        figures.summary(cur, Filters(2021, 2023, unit="NOPE"))


def test_several_roots_without_a_unit_cover_every_root(tmp_path):
    d = DataSet().unit("K1", cap=BLOC).unit("K2", cap=BLOC).unit("G1", "K1").unit("G2", "K2")
    d.reg(2022, "G1").reg(2022, "G2").reg(2022, "G2", subject=INDIVIDUAL)
    with cursor(d.build(tmp_path)) as cur:
        s = figures.summary(cur, Filters(2022, 2022))
        assert (s["registrations"]["total"], s["grassroots_units"], s["units_with_registration"]) == (3, 2, 2)
        u = figures.by_unit(cur, Filters(2022, 2022))
        # with several roots the "children" of the scope are the roots themselves
        assert dict(zip(u["ma_don_vi"], u["registrations"], strict=True)) == {"K1": 1, "K2": 2}


# --- the other frames ------------------------------------------------------------------------------


def test_awards_breakdown_grid(cur):
    a = figures.awards_breakdown(cur, PERIOD)
    # 3 years x 6 levels x 4 forms x 2 subjects x 2 statuses, zero-filled
    assert a.height == 3 * 6 * 4 * 2 * 2
    assert a["n_awards"].sum() == 4  # a1 a2 a3 awarded + a4 nominated
    row = a.filter(
        (pl.col("nam") == 2023) & (pl.col("cap_khen_thuong") == "Đảng ủy Khối") & (pl.col("hinh_thuc") == "Bằng khen")
        & (pl.col("doi_tuong") == COLLECTIVE) & (pl.col("trang_thai") == vocab.STATUS_AWARDED)
    )  # fmt: skip
    assert row["n_awards"].to_list() == [1]  # a3


def test_compliance_matrix_per_branch_and_per_child(cur):
    m = figures.compliance_matrix(cur, PERIOD)
    assert m.height == 4 * 3  # A1 A2 B E x 3 years
    flags = {(r["ma_don_vi"], r["nam"]): r["meets_target"] for r in m.iter_rows(named=True)}
    assert flags[("A1", 2021)] is True and flags[("A1", 2022)] is False
    assert flags[("A2", 2022)] is True and flags[("A2", 2023)] is None  # A2 ended mid-2022
    assert flags[("B", 2021)] is None and flags[("B", 2023)] is False  # r6 is QCDC only
    per_child = figures.compliance_matrix(cur, PERIOD, per="child")
    a = per_child.filter(pl.col("ma_don_vi") == "A")
    assert a["branch_years"].to_list() == [2, 2, 1]
    assert a["branch_years_meeting_target"].to_list() == [1, 1, 0]
    b_2021 = per_child.filter((pl.col("ma_don_vi") == "B") & (pl.col("nam") == 2021))
    assert b_2021["target_compliance_rate"].to_list() == [None]  # B did not exist yet


def test_score_distribution(cur):
    h = figures.score_distribution(cur, PERIOD, bin_width=10)
    assert h.height == 10
    counts = dict(zip(h["label"], h["n_registrations"], strict=True))
    # 50 -> 50–60, 76 -> 70–80, 80 -> 80–90, 95 -> 90–100
    assert {k: v for k, v in counts.items() if v} == {"50–60": 1, "70–80": 1, "80–90": 1, "90–100": 1}
    assert h["n_recognised"].sum() == 3  # 76 (r6), 80 (r1), 95 (r3)
    assert h["share"].sum() == pytest.approx(1.0)
    assert figures.score_distribution(cur, Filters(2030, 2030))["share"].to_list() == [None] * 20


def test_top_score_falls_in_the_last_bin(tmp_path):
    d = DataSet().unit("K", cap=BLOC).reg(2022, "K", score=100).reg(2022, "K", score=0)
    with cursor(d.build(tmp_path)) as cur:
        h = figures.score_distribution(cur, Filters(2022, 2022), bin_width=25)
    assert h["n_registrations"].to_list() == [1, 0, 0, 1]


def test_unit_tree(cur):
    t = figures.unit_tree(cur, PERIOD)
    assert t["ma_don_vi"].to_list() == ["K", "A", "A1", "A2", "B", "C", "D", "E"]
    assert t["depth"].to_list() == [0, 1, 2, 2, 1, 1, 1, 1]
    assert dict(zip(t["ma_don_vi"], t["is_active"], strict=True)) == {
        "K": True, "A": True, "A1": True, "A2": True, "B": True, "C": False, "D": False, "E": True,
    }  # fmt: skip
    assert t["registrations"].sum() == 7
    assert figures.unit_tree(cur, Filters(2021, 2023, unit="A"))["ma_don_vi"].to_list() == ["A", "A1", "A2"]


def test_records_are_filtered_paged_and_use_template_columns(cur):
    assert figures.count_records(cur, PERIOD, "dang_ky") == 7
    rows = figures.records(cur, PERIOD, "dang_ky")
    assert rows.columns == vocab.REGISTRATIONS.aliases
    assert rows["nam"].to_list() == sorted(rows["nam"].to_list())
    page = figures.records(cur, PERIOD, "dang_ky", limit=3, offset=3)
    assert page.height == 3
    assert page["ma_dang_ky"].to_list() == rows["ma_dang_ky"].to_list()[3:6]
    assert figures.records(cur, PERIOD, "dang_ky", limit=10, offset=6).height == 1
    assert figures.count_records(cur, Filters(2021, 2023, unit="A", field=ECONOMY), "dang_ky") == 2  # r1 r3
    assert figures.count_records(cur, Filters(2021, 2023, subject=INDIVIDUAL), "khen_thuong") == 2  # a2 a4
    assert figures.records(cur, PERIOD, "khen_thuong").columns == vocab.AWARDS.aliases
    assert figures.count_records(cur, PERIOD, "hoi_nghi") == 5
    assert figures.records(cur, PERIOD, "hoi_nghi").columns == vocab.CONFERENCES.aliases
    with pytest.raises(figures.FiguresError):
        figures.records(cur, PERIOD, "don_vi")


def test_figures_table_has_a_column_per_year_and_the_period(cur):
    table = figures.figures_table(cur, PERIOD)
    assert table.columns == ["figure", "label", "2021", "2022", "2023", "2021-2023"]
    reg = table.filter(pl.col("figure") == "registrations").row(0, named=True)
    assert (reg["2021"], reg["2022"], reg["2023"], reg["2021-2023"]) == (2, 3, 2, 7)
    coverage = table.filter(pl.col("figure") == "coverage_rate").row(0, named=True)
    assert math.isclose(coverage["2021-2023"], 2 / 3)


def test_the_cursor_is_left_clean(cur):
    # the scope is registered on the cursor only for the duration of a call
    figures.summary(cur, PERIOD)
    names = {r[0] for r in cur.execute("select view_name from duckdb_views()").fetchall()}
    assert figures.SCOPE_VIEW not in names
    assert cur.execute("select count(*) from dang_ky").fetchall()[0][0] == 9


def test_an_empty_database_gives_zeros_not_errors(tmp_path):
    # a database with the schema and no rows at all (as `dvk import` leaves it before the first import)
    db = tmp_path / "empty.duckdb"
    store.ensure_database(db)
    with cursor(db) as cur:
        s = figures.summary(cur, PERIOD, with_models=True)
        assert s["registrations"]["total"] == 0 and s["grassroots_units"] == 0
        assert s["coverage_rate"] is None and s["recognition_rate"] is None
        assert figures.trend(cur, PERIOD)["registrations"].to_list() == [0, 0, 0]
        assert figures.by_unit(cur, PERIOD).is_empty()
        assert figures.unit_tree(cur, PERIOD).is_empty()
        assert figures.count_records(cur, PERIOD, "dang_ky") == 0

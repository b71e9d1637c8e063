"""The two readings of DOMAIN.md section 4a on the small reorganisation of tests/support/reorg.py
(its units and registrations are listed there), every figure worked out by hand (issue 15).

As it was, a unit's records of a year sit under the superior of its row in force at the year's end
(structure.py): in 2023 and 2024 everything but CB3 and C (not yet started) is under K; in 2025 and
2026 CS2 is under U while CB1, CB2, CB4, B (ended mid-2025) are still under K.
On today's structure: CB1, CB2 → CB3; CB4 → CS2; A, B → C; CB5 stays under K; K under T.
"""

from __future__ import annotations

import polars as pl
import pytest
from support.builders import BLOC, QCDC, DataSet, cursor
from support.reorg import reorganised

from queries import figures, structure
from queries.figures import Filters
from queries.status import submission_status


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return reorganised().build(tmp_path_factory.mktemp("reorg"))


@pytest.fixture(autouse=True, params=["aggregates", "base"])
def source(request):
    """Every figure of this module from the aggregate tables (both readings have theirs,
    queries/aggregates.py) and from the base tables alike."""
    with figures.use_source(request.param):
        yield request.param


def figures_of(db, unit, year_from, year_to, reading) -> dict:
    with cursor(db) as cur:
        s = figures.summary(cur, Filters(year_from, year_to, unit=unit, structure=reading))
    return {
        "registrations": s["registrations"]["total"],
        "grassroots_units": s["grassroots_units"],
        "units_with_registration": s["units_with_registration"],
        "coverage_rate": s["coverage_rate"],
        "branch_years": s["branch_years"],
        "branch_years_meeting_target": s["branch_years_meeting_target"],
        "target_compliance_rate": s["target_compliance_rate"],
    }


def test_two_chi_bo_merged_meet_the_target_together(db):
    # current, U, 2023-2024: U's units today are CB3 (← CB1, CB2), CS2 (← CB4) and C (← A, B), all
    # active then through their predecessors: 3 grassroots units.
    # registrations: 2023 B→C 1, CB1→CB3 2, CS2 1 (CB5 stays under K) = 4; 2024 CB1, CB2 → CB3 2,
    # CB4 → CS2 1, CS2 1 = 4; 8 in all. Covered: CB3, CS2, C: 3 / 3.
    # chi bộ-years (CS2 is a đảng bộ, not a chi bộ): CB3 2023 (CB1 DVK + QCDC) met; CB3 2024 (CB1
    # DVK + CB2 QCDC: neither alone, together) met; C 2023 (B DVK only) not; C 2024 (nothing) not.
    assert figures_of(db, "U", 2023, 2024, "current") == {
        "registrations": 8,
        "grassroots_units": 3,
        "units_with_registration": 3,
        "coverage_rate": 1.0,
        "branch_years": 4,
        "branch_years_meeting_target": 2,
        "target_compliance_rate": 0.5,
    }
    # the staff of 2024: CB1's 10 and CB2's 20 are CB3's 30 (one row per unit and year, the
    # registrations not counted once per size row)
    with cursor(db) as cur:
        staff = figures.summary(cur, Filters(2023, 2024, unit="U", structure="current"))["per_capita"][
            "staff"
        ]
    assert staff == 30
    # as it was, K, 2024 alone: CB1 (DVK only), CB2 (QCDC only), CB4 (DVK only), CB5 and B
    # (nothing): 5 chi bộ-years, none met
    k_2024 = figures_of(db, "K", 2024, 2024, "as-was")
    assert (k_2024["branch_years"], k_2024["branch_years_meeting_target"]) == (5, 0)


def test_a_scope_that_did_not_exist_yet(db):
    # as it was, U in 2023-2024: U, CB3 and C had not started (their first rows begin in 2025):
    # no active unit, no record, no rate
    assert figures_of(db, "U", 2023, 2024, "as-was") == {
        "registrations": 0,
        "grassroots_units": 0,
        "units_with_registration": 0,
        "coverage_rate": None,
        "branch_years": 0,
        "branch_years_meeting_target": 0,
        "target_compliance_rate": None,
    }


def test_the_old_bloc_as_it_was(db):
    # as it was, K, 2023-2024: CB1, CB2, CB4, CS2, CB5, B active (A ended 2022): 6 grassroots units,
    # all with a registration (B 2023, CB1, CB2 2024, CB4 2024, CS2, CB5 2023): 6 / 6.
    # registrations 2023: B, CB1 ×2, CS2, CB5 = 5; 2024: CB1, CB2, CB4, CS2 = 4; 9.
    # chi bộ-years: 2023 CB1 met, CB2, CB4, CB5 (QCDC only), B (DVK only) not; 2024 none of CB1,
    # CB2, CB4, CB5, B: 10, 1 met.
    assert figures_of(db, "K", 2023, 2024, "as-was") == {
        "registrations": 9,
        "grassroots_units": 6,
        "units_with_registration": 6,
        "coverage_rate": 1.0,
        "branch_years": 10,
        "branch_years_meeting_target": 1,
        "target_compliance_rate": 0.1,
    }


def test_a_committee_that_moved_keeping_its_code(db):
    # as it was, T, 2023-2026: CS2 sits under K in 2023-2024 and under U in 2025-2026, and is one
    # unit: the grassroots units active then are CB1, CB2, CB3, CB4, CS2, CB5, B, C (A ended 2022): 8.
    # registrations: 5 + 4 + 4 (2025: CB3, CS2 ×2, C) + 3 (2026: CB3 ×2, CS2) = 16
    as_was = figures_of(db, "T", 2023, 2026, "as-was")
    assert (as_was["registrations"], as_was["grassroots_units"]) == (16, 8)
    # its records follow its superior of each year: K holds its 2023-2024 ones, U its 2025-2026 ones
    with cursor(db) as cur:
        rows = figures.by_unit(cur, Filters(2023, 2026, unit="T"))
    by_child = dict(zip(rows["ma_don_vi"], rows["registrations"], strict=True))
    # K: 9 of 2023-2024, none of 2025-2026 (CB1, CB2, CB4, B registered nothing then); U: 4 + 3 = 7
    assert (by_child["K"], by_child["U"]) == (9, 7)
    # on today's structure the same 16 records, all of today's units: CB3, CS2, C and CB5 (ended
    # without a successor, under its last superior K): 4 grassroots units, each covered
    current = figures_of(db, "T", 2023, 2026, "current")
    assert (current["registrations"], current["grassroots_units"], current["coverage_rate"]) == (16, 4, 1.0)


def test_a_chi_bo_merged_into_a_dang_bo(db):
    # CS2 as it was, 2023-2026: its own records 1 + 1 + 2 + 1 = 5; on today's structure CB4's 2024
    # registration counts for it too: 6. Either way one grassroots unit, CS2 itself.
    assert figures_of(db, "CS2", 2023, 2026, "as-was")["registrations"] == 5
    current = figures_of(db, "CS2", 2023, 2026, "current")
    assert (current["registrations"], current["grassroots_units"]) == (6, 1)


def test_a_unit_dissolved_without_successor(db):
    # today, K keeps only CB5 (dissolved 31/12/2024, no successor): its 2023 QCDC is K's only
    # registration of 2023-2024; 1 grassroots unit, covered; CB5 2023 (QCDC only) and 2024
    # (nothing): 2 chi bộ-years, none met
    assert figures_of(db, "K", 2023, 2024, "current") == {
        "registrations": 1,
        "grassroots_units": 1,
        "units_with_registration": 1,
        "coverage_rate": 1.0,
        "branch_years": 2,
        "branch_years_meeting_target": 0,
        "target_compliance_rate": 0.0,
    }


def test_a_chain_of_successions(db):
    # C in 2022: as it was, C did not exist (from 01/07/2025): nothing. On today's structure A's
    # records (A → B → C) are C's: 2 registrations, C active through A, its 2022 (DVK + QCDC) met.
    assert figures_of(db, "C", 2022, 2022, "as-was")["grassroots_units"] == 0
    assert figures_of(db, "C", 2022, 2022, "current") == {
        "registrations": 2,
        "grassroots_units": 1,
        "units_with_registration": 1,
        "coverage_rate": 1.0,
        "branch_years": 1,
        "branch_years_meeting_target": 1,
        "target_compliance_rate": 1.0,
    }


def test_without_history_both_readings_agree(db, tmp_path):
    plain = DataSet().unit("K", cap=BLOC).unit("CS", "K").reg(2023, "CS").reg(2024, "CS", movement=QCDC)
    path = plain.build(tmp_path)
    assert figures_of(path, None, 2023, 2024, "as-was") == figures_of(path, None, 2023, 2024, "current")
    assert figures_of(path, None, 2023, 2024, "as-was")["registrations"] == 2


def test_an_unknown_reading_is_refused():
    with pytest.raises(figures.FiguresError):
        Filters(2023, 2024, structure="today")  # type: ignore[arg-type]


def test_the_submission_status_takes_the_tree_of_its_year(db):
    # 2025 as it was: U holds CS2 (moved 01/02/2025), CB3 and C (from 01/07/2025); K still holds
    # CB1, CB2, CB4 and B (ended 30/06/2025): each unit once, under its superior of 2025
    with cursor(db) as cur:
        under_u = submission_status(cur, 2025, "U")
        under_k = submission_status(cur, 2025, "K")
    assert sorted(under_u["ma_don_vi"].to_list()) == ["C", "CB3", "CS2"]
    assert sorted(under_k["ma_don_vi"].to_list()) == ["B", "CB1", "CB2", "CB4"]


def test_what_a_user_scoped_to_the_old_bloc_sees(db):
    # Documents the present behaviour (queries/access.py, not changed): a user's subtree is every
    # unit with a row under their unit at any time, in either reading. A user of K (the old bloc)
    # may open K, CB1, CB2, CB4, CB5, A, B and CS2 (its row of 2018-2025 names K), not U, CB3, C.
    from queries import access
    from queries.auth import User

    bloc_user = User("k", "viewer", "K", "Người dùng Khối")

    def seen(unit, year_from, year_to, reading):
        with cursor(db) as cur:
            f = access.enforce(cur, bloc_user, Filters(year_from, year_to, unit=unit, structure=reading))
            s = figures.summary(cur, f)
        return f.unit, s["unit_name"], s["registrations"]["total"]

    with cursor(db) as cur:
        assert access.allowed_units(cur, bloc_user) == {"K", "CB1", "CB2", "CB4", "CB5", "A", "B", "CS2"}
    # CS2 moved under U on 01/02/2025: the bloc's user still opens it, and sees its records after
    # the move, as it was (2025: DVK, QCDC; 2026: DVK) and on today's structure alike (+ CB4's of
    # 2024 merged into it, outside this period)
    assert seen("CS2", 2025, 2026, "as-was") == ("CS2", "Đơn vị CS2", 3)
    assert seen("CS2", 2025, 2026, "current") == ("CS2", "Đơn vị CS2", 3)
    # on today's structure CB1 is CB3 (under U): the bloc's user asking for CB1 sees CB3, with
    # CB2's records and CB3's own after the merger (2024: CB1 DVK, CB2 QCDC; 2025: DVK; 2026: 2)
    assert seen("CB1", 2024, 2026, "current") == ("CB1", "Đơn vị CB3", 5)
    # ... as it was, CB1 alone (2024: DVK; it ended 30/06/2025 with no record after)
    assert seen("CB1", 2024, 2026, "as-was") == ("CB1", "Đơn vị CB1", 1)
    # CB3 itself is outside the bloc's subtree: the user's own unit K is shown instead; on today's
    # structure K (ended, no successor) keeps only CB5 (2023: QCDC)
    assert seen("CB3", 2022, 2026, "current") == ("K", "Đơn vị K", 1)


def test_the_tree_of_many_years_places_each_unit_as_each_year_does(db):
    # the aggregate tables take the as-was tree of every year at once (aggregates.stage_tree),
    # worked out per unit and year on numbers (structure._as_was): each unit's place in a year
    # is the one that year's own tree gives it, and CS2, which moved from K to U on 01/02/2025
    # keeping its code, is a node under each
    with cursor(db) as cur:
        nodes, links = structure.scope_units(cur, None, 2020, 2028, structure.AS_WAS)
        for year in range(2020, 2029):
            _, alone = structure.scope_units(cur, None, year, year, structure.AS_WAS)
            wide = links.filter((pl.col("nam_from") <= year) & (pl.col("nam_to") >= year))
            assert (
                wide.select("ma_don_vi", "path")
                .sort("ma_don_vi")
                .equals(alone.select("ma_don_vi", "path").sort("ma_don_vi"))
            ), year
    assert nodes.get_column("path").is_unique().all()
    sep = structure.PATH_SEPARATOR
    cs2 = links.filter(pl.col("ma_don_vi") == "CS2").select("nam_from", "nam_to", "path").rows()
    assert cs2 == [(2020, 2024, f"T{sep}K{sep}CS2"), (2025, 2028, f"T{sep}U{sep}CS2")]
    moved = nodes.filter(pl.col("ma_don_vi") == "CS2").select("ma_cap_tren", "first_year", "last_year").rows()
    assert moved == [("K", 2018, 2024), ("U", 2025, None)]

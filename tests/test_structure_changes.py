"""The reorganisations between two periods (So sánh) and a unit's predecessors and successor (Đơn vị):
queries/structure.py's reorganised_between and unit_history, on the small reorganisation of
tests/support/reorg.py (issue 15).

Its changes, by hand from the unit rows:
    A  -> B    merged, B responsible from 01/01/2023
    CS2 K -> U moved keeping its code, from 01/02/2025
    CB1, CB2 -> CB3, CB4 -> CS2, B -> C    merged, from 01/07/2025
    (CB5 ended 31/12/2024 and K on 31/01/2025 with no successor: no change to follow)
"""

from __future__ import annotations

import datetime as dt

import pytest
from support.builders import cursor
from support.reorg import reorganised

from queries import structure

MOVED, MERGED = structure.MOVED, structure.MERGED
JAN_2023, FEB_2025, JUL_2025 = dt.date(2023, 1, 1), dt.date(2025, 2, 1), dt.date(2025, 7, 1)


@pytest.fixture(scope="module")
def cur(tmp_path_factory):
    with cursor(reorganised().build(tmp_path_factory.mktemp("changes"))) as c:
        yield c


def changes(cur, a, b, unit=None) -> list[tuple]:
    frame = structure.reorganised_between(cur, a, b, unit=unit)
    return [(r["ma_don_vi"], r["ngay"], r["thay_doi"], r["ma_moi"]) for r in frame.iter_rows(named=True)]


ALL = [
    ("A", JAN_2023, MERGED, "B"),
    ("CS2", FEB_2025, MOVED, "U"),
    ("B", JUL_2025, MERGED, "C"),
    ("CB1", JUL_2025, MERGED, "CB3"),
    ("CB2", JUL_2025, MERGED, "CB3"),
    ("CB4", JUL_2025, MERGED, "CS2"),
]


def test_2024_2026_against_2021_2023_straddles_every_change(cur):
    assert changes(cur, (2024, 2026), (2021, 2023)) == ALL
    # the order of A and B does not matter
    assert changes(cur, (2021, 2023), (2024, 2026)) == ALL
    # the new committee U: its units and, on today's structure, their predecessors (A, B, CB1, CB2,
    # CB4 were under K): the same six
    assert changes(cur, (2024, 2026), (2021, 2023), unit="U") == ALL


def test_only_the_changes_within_the_scope(cur):
    # CB3's predecessors merged into it; nothing else concerns it
    assert changes(cur, (2024, 2026), (2021, 2023), unit="CB3") == ALL[3:5]
    # CB5 never changed (it ended with no successor)
    assert changes(cur, (2024, 2026), (2021, 2023), unit="CB5") == []


def test_only_the_changes_between_the_periods(cur):
    # 2021 against 2022: the first change is on 01/01/2023, after both
    assert changes(cur, (2022, 2022), (2021, 2021)) == []
    # 2023 against 2022: A -> B falls between them
    assert changes(cur, (2023, 2023), (2022, 2022)) == ALL[:1]
    # 2023 against itself: A -> B on 01/01/2023, its first day, leaves the whole year on one structure
    assert changes(cur, (2023, 2023), (2023, 2023)) == []


def test_a_unit_history_names_its_predecessors_and_successor(cur):
    def history(code):
        frame = structure.unit_history(cur, code)
        return [(r["quan_he"], r["ma_don_vi"], r["ngay"]) for r in frame.iter_rows(named=True)]

    pred, succ = structure.PREDECESSOR, structure.SUCCESSOR
    assert history("CB3") == [(pred, "CB1", JUL_2025), (pred, "CB2", JUL_2025)]
    assert history("CB1") == [(succ, "CB3", JUL_2025)]
    # a link of a chain: its predecessor and its successor (only the direct ones)
    assert history("B") == [(pred, "A", JAN_2023), (succ, "C", JUL_2025)]
    # the unit that moved keeping its code received CB4
    assert history("CS2") == [(pred, "CB4", JUL_2025)]
    assert history("CB5") == []
    assert history(None) == []
    assert structure.unit_history(cur, "CB3")["ten_don_vi"].to_list() == ["Đơn vị CB1", "Đơn vị CB2"]


# --- a unit's superior as a period shows it (Đơn vị's "Lên cấp trên") ------------------------------
# CS2: under K until 31/01/2025, under U from 01/02/2025 (two rows, same code). CB1: one row under K,
# ended 30/06/2025. T is the root. As it was, a period ending in 2023 or 2024 shows K above CS2, one
# ending in 2025 or 2026 shows U (the row in force on 31 December); today's structure always shows U.
@pytest.mark.parametrize(
    ("unit", "year_to", "reading", "expected"),
    [
        ("CS2", 2023, structure.AS_WAS, "K"),
        ("CS2", 2024, structure.AS_WAS, "K"),
        ("CS2", 2025, structure.AS_WAS, "U"),
        ("CS2", 2023, structure.CURRENT, "U"),
        ("CB1", 2026, structure.AS_WAS, "K"),  # its last row, though it ended in 2025
        ("K", 2023, structure.AS_WAS, "T"),
        ("T", 2023, structure.AS_WAS, None),  # the root
        ("NOPE", 2023, structure.AS_WAS, None),  # an unknown code
    ],
)
def test_the_superior_a_period_shows(cur, unit, year_to, reading, expected):
    assert structure.superior(cur, unit, year_to, reading) == expected

"""What the pages draw (queries/page_tables.py), hand-worked on a small bloc built through the importer.

K  Đảng bộ Khối K
├── B1  chi bộ cơ sở
└── B2  chi bộ cơ sở

2021  B1 DVK, B1 QCDC, B2 DVK                  (3 registrations: B1 meets 1 DVK + 1 QCDC, B2 not)
2022  B1 DVK, B2 DVK, B2 QCDC, B2 DVK          (4 registrations: B2 meets the target, B1 not)
awards: 2021 B1 collective Cơ sở; 2022 B1 individual Cơ sở, B2 collective Đảng ủy Khối,
        B2 individual nominated to UBND tỉnh
"""

from __future__ import annotations

import polars as pl
import pytest
from support.builders import BLOC, COLLECTIVE, DVK, GRASSROOTS_BRANCH, INDIVIDUAL, QCDC, DataSet, cursor
from support.reorg import reorganised

from queries import page_tables, structure, vocab
from queries.figures import Filters


@pytest.fixture(scope="module")
def cur(tmp_path_factory):
    d = DataSet()
    d.unit("K", cap=BLOC, name="Đảng bộ Khối K")
    d.unit("B1", "K", GRASSROOTS_BRANCH, name="Chi bộ 1")
    d.unit("B2", "K", GRASSROOTS_BRANCH, name="Chi bộ 2")
    d.reg(2021, "B1", movement=DVK).reg(2021, "B1", movement=QCDC).reg(2021, "B2", movement=DVK)
    d.reg(2022, "B1", movement=DVK).reg(2022, "B2", movement=DVK).reg(2022, "B2", movement=QCDC)
    d.reg(2022, "B2", movement=DVK)
    d.award(2021, "B1", COLLECTIVE, "Cơ sở")
    d.award(2022, "B1", INDIVIDUAL, "Cơ sở")
    d.award(2022, "B2", COLLECTIVE, "Đảng ủy Khối")
    d.award(2022, "B2", INDIVIDUAL, "UBND tỉnh", status=vocab.STATUS_NOMINATED)
    with cursor(d.build(tmp_path_factory.mktemp("page_tables"))) as c:
        yield c


def test_trend_names_the_year_year(cur):
    frame = page_tables.trend(cur, Filters(2021, 2022))
    assert "nam" not in frame.columns
    assert frame.select("year", "registrations").rows() == [(2021, 3), (2022, 4)]


def test_awards_per_100_gives_the_period_first_then_the_years_newest_first(cur):
    frame = page_tables.awards_per_100(cur, Filters(2021, 2022))
    # period: 3 awards / 7 registrations * 100 = 42,857...; 2022: 2 / 4 * 100 = 50; 2021: 1 / 3 * 100 = 33,3...
    assert frame["year"].to_list() == ["2021-2022", "2022", "2021"]
    assert frame["is_period"].to_list() == [True, False, False]
    assert frame["per_100"].to_list() == pytest.approx([300 / 7, 50.0, 100 / 3])
    assert page_tables.awards_per_100_period(cur, Filters(2021, 2022)) == pytest.approx(300 / 7)
    assert page_tables.awards_per_100(cur, Filters(2022, 2022))["year"].to_list() == ["2022"]  # no period row


def test_awards_by_level_in_vocabulary_order_split_by_subject(cur):
    levels = page_tables.awards_by(cur, Filters(2021, 2022), "cap_khen_thuong")
    # Cơ sở: 1 collective (2021) + 1 individual (2022); Đảng ủy Khối: 1 collective; UBND tỉnh: nominated only
    assert levels.rows() == [("Cơ sở", 1, 1, 2), ("Đảng ủy Khối", 1, 0, 1)]
    nominated = page_tables.awards_by(cur, Filters(2021, 2022), "cap_khen_thuong", vocab.STATUS_NOMINATED)
    assert nominated.rows() == [("UBND tỉnh", 0, 1, 1)]


def test_compliance_cells_put_the_units_furthest_from_the_target_first(cur):
    cells = page_tables.compliance_cells(cur, Filters(2021, 2022), per="branch")
    # B1: met 2021 (DVK + QCDC), missed 2022 -> mean 0,5; B2: missed 2021, met 2022 -> mean 0,5: a tie,
    # ordered by name
    assert cells.select("unit", "year", "rate").rows() == [
        ("Chi bộ 1", 2021, 1.0),
        ("Chi bộ 1", 2022, 0.0),
        ("Chi bộ 2", 2021, 0.0),
        ("Chi bộ 2", 2022, 1.0),
    ]


def test_unit_changes_and_movers(cur):
    units = page_tables.unit_changes(cur, Filters(2022, 2022), Filters(2021, 2021))
    # B2: 3 in 2022 against 1 in 2021 (+2); B1: 1 against 2 (-1); the largest first
    assert units.select("ten_don_vi", "a", "b", "change").rows() == [
        ("Chi bộ 2", 3, 1, 2),
        ("Chi bộ 1", 1, 2, -1),
    ]
    assert page_tables.movers(units).rows() == [("Chi bộ 2", 2), ("Chi bộ 1", -1)]
    assert page_tables.largest_units(units, 1).rows() == [("Chi bộ 2", 3, 1)]


def test_no_risers_or_fallers_against_a_baseline_without_data(cur):
    """DOMAIN.md section 4: 2019-2020 holds no registration, so no unit "rose" by all it has
    (the So sánh page listed +331 against an empty 2015-2017)."""
    units = page_tables.unit_changes(cur, Filters(2021, 2022), Filters(2019, 2020))
    # B2: 1 (2021) + 3 (2022) = 4; B1: 2 + 1 = 3; nothing in 2019-2020, and no change
    assert units.select("ten_don_vi", "a", "b", "change").rows() == [
        ("Chi bộ 2", 4, 0, None),
        ("Chi bộ 1", 3, 0, None),
    ]
    assert page_tables.movers(units).is_empty()
    # the same both ways: A without data is no fall of everything either
    assert page_tables.movers(
        page_tables.unit_changes(cur, Filters(2019, 2020), Filters(2021, 2022))
    ).is_empty()


def test_comparison_rows_are_named_by_the_catalogue(cur):
    rows = page_tables.comparison(cur, Filters(2022, 2022), Filters(2021, 2021), "en")
    named = dict(zip(rows["figure"], rows["label"], strict=True))
    assert named["coverage_rate"] == "Coverage rate"
    assert named["registrations.by_field.Kinh tế"] == "Registrations - field Economy"
    assert "registrations.by_field.Khác" not in named  # no registration in either period
    assert rows.filter(pl.col("figure") == "registrations")["change"].to_list() == [1.0]  # 4 - 3


def test_category_counts_keep_the_main_values_and_nothing_when_all_are_zero():
    counts = {"Kinh tế": 3, "Khác": 0, "QCDC": 0}
    assert page_tables.category_counts(counts, ("QCDC",)).rows() == [("Kinh tế", 3), ("QCDC", 0)]
    assert page_tables.category_counts({"Kinh tế": 0}, ("Kinh tế",)).is_empty()


def test_change_counts_split_the_reorganisation_into_moves_and_merges(tmp_path):
    # the small reorganisation of tests/support/reorg.py, 2024-2026 against 2021-2023: CS2 moved
    # under U (1); A -> B, B -> C, CB1 and CB2 -> CB3, CB4 -> CS2 merged (5)
    with cursor(reorganised().build(tmp_path)) as c:
        changes = structure.reorganised_between(c, (2024, 2026), (2021, 2023))
    assert page_tables.change_counts(changes) == {structure.MOVED: 1, structure.MERGED: 5}
    assert page_tables.change_counts(changes.head(0)) == {structure.MOVED: 0, structure.MERGED: 0}

"""A unit's history in the don_vi sheet (DOMAIN.md section 3, issue 15): several rows per code with
non-overlapping validity, successions checked, the levels Tỉnh ủy and Đảng bộ cấp trên cơ sở."""

from __future__ import annotations

from datetime import date

import pytest
from support.files import query
from support.sheets import UNIT_HISTORY_HEADER as HEADER

from queries.importer import import_files

# A province, the old bloc (ended 31/01/2025), the new committee (from 01/02/2025); CS1 moves from
# the bloc to the committee keeping its code; CB1 and CB2 merge into CB3 on 01/07/2025.
REORGANISED = [
    HEADER,
    ["T", "Tỉnh ủy", None, "Tỉnh ủy", date(2018, 1, 1), None, None],
    ["K", "Đảng bộ Khối", "T", "Đảng bộ Khối", date(2018, 1, 1), date(2025, 1, 31), None],
    ["U", "Đảng bộ UBND tỉnh", "T", "Đảng bộ cấp trên cơ sở", date(2025, 2, 1), None, None],
    ["CS1", "Đảng bộ Sở A", "K", "Đảng bộ cơ sở", date(2018, 1, 1), date(2025, 1, 31), None],
    ["CS1", "Đảng bộ Sở A", "U", "Đảng bộ cơ sở", date(2025, 2, 1), None, None],
    ["CB1", "Chi bộ Sở B", "K", "Chi bộ cơ sở", date(2018, 1, 1), date(2025, 6, 30), "CB3"],
    ["CB2", "Chi bộ Sở C", "K", "Chi bộ cơ sở", date(2018, 1, 1), date(2025, 6, 30), "CB3"],
    ["CB3", "Chi bộ Sở B-C", "U", "Chi bộ cơ sở", date(2025, 7, 1), None, None],
]


def problems(report) -> list[tuple]:
    return [(p.code, p.sheet, p.row, p.column, p.value) for p in report.problems]


def test_a_reorganisation_imports_with_a_row_per_period(db_path, make_xlsx):
    report = import_files(db_path, [make_xlsx("don_vi.xlsx", {"Đơn vị": REORGANISED})])
    assert report.ok, [p.message("en") for p in report.problems]
    # 8 rows, 7 codes: CS1 has its two periods, each naming the superior of its time
    assert query(db_path, "select count(*), count(distinct ma_don_vi) from don_vi") == [(8, 7)]
    assert query(
        db_path,
        "select ma_cap_tren, hieu_luc_tu, hieu_luc_den from don_vi where ma_don_vi = 'CS1' order by 2",
    ) == [("K", date(2018, 1, 1), date(2025, 1, 31)), ("U", date(2025, 2, 1), None)]
    assert query(db_path, "select cap from don_vi where ma_don_vi in ('T', 'U') order by ma_don_vi") == [
        ("Tỉnh ủy",),
        ("Đảng bộ cấp trên cơ sở",),
    ]


def test_the_same_rows_again_change_nothing(db_path, make_xlsx):
    path = make_xlsx("don_vi.xlsx", {"Đơn vị": REORGANISED})
    assert import_files(db_path, [path]).ok
    again = import_files(db_path, [path])
    assert again.ok
    # every one of the 8 rows found by its code and start: updated in place, none added
    assert (again.counts["don_vi"].added, again.counts["don_vi"].updated) == (0, 8)
    assert query(db_path, "select count(*) from don_vi") == [(8,)]


def test_a_later_period_added_by_a_second_import(db_path, make_xlsx):
    first = [
        HEADER,
        *REORGANISED[1:3],
        ["CS1", "Đảng bộ Sở A", "K", "Đảng bộ cơ sở", date(2018, 1, 1), None, None],
    ]
    assert import_files(db_path, [make_xlsx("a.xlsx", {"Đơn vị": first})]).ok
    # the move without ending the stored period first: rejected, naming the stored period
    move = [HEADER, REORGANISED[3], REORGANISED[5]]
    report = import_files(db_path, [make_xlsx("b.xlsx", {"Đơn vị": move})])
    assert problems(report) == [("validity_overlap_stored", "Đơn vị", 3, "Hiệu lực từ", "01/02/2025")]
    assert "01/01/2018 – …" in report.problems[0].message() and "CS1" in report.problems[0].message("en")
    # with the stored period ended in the same import: accepted, two periods
    report = import_files(db_path, [make_xlsx("c.xlsx", {"Đơn vị": [HEADER, *REORGANISED[3:6]]})])
    assert report.ok, [p.message("en") for p in report.problems]
    assert query(db_path, "select count(*) from don_vi where ma_don_vi = 'CS1'") == [(2,)]


def test_overlapping_periods_in_one_sheet(db_path, make_xlsx):
    rows = [
        *REORGANISED[:4],
        # CS1 under K until 31/01/2025 and under U from 01/01/2025: a month in both
        ["CS1", "Đảng bộ Sở A", "K", "Đảng bộ cơ sở", date(2018, 1, 1), date(2025, 1, 31), None],
        ["CS1", "Đảng bộ Sở A", "U", "Đảng bộ cơ sở", date(2025, 1, 1), None, None],
    ]
    report = import_files(db_path, [make_xlsx("don_vi.xlsx", {"Đơn vị": rows})])
    assert problems(report) == [("validity_overlap", "Đơn vị", 6, "Hiệu lực từ", "01/01/2025")]
    vi, en = report.problems[0].message(), report.problems[0].message("en")
    assert vi.startswith("Tệp don_vi.xlsx, trang «Đơn vị», dòng 6, cột «Hiệu lực từ»:") and "dòng 5" in vi
    assert en.startswith("File don_vi.xlsx, sheet «Đơn vị», row 6, column «Hiệu lực từ»:") and "row 5" in en
    assert not db_path.exists()  # nothing written


def test_a_successor_must_be_active_the_day_after(db_path, make_xlsx):
    rows = [
        *REORGANISED[:4],
        # CB1 ends 30/06/2025, its successor CB3 starts 02/07/2025: a day with nobody responsible
        ["CB1", "Chi bộ Sở B", "K", "Chi bộ cơ sở", date(2018, 1, 1), date(2025, 6, 30), "CB3"],
        ["CB3", "Chi bộ Sở B-C", "U", "Chi bộ cơ sở", date(2025, 7, 2), None, None],
        # a successor without the end of the unit it carries on
        ["CB4", "Chi bộ Sở D", "K", "Chi bộ cơ sở", date(2018, 1, 1), None, "CB3"],
    ]
    report = import_files(db_path, [make_xlsx("don_vi.xlsx", {"Đơn vị": rows})])
    assert problems(report) == [
        ("successor_inactive", "Đơn vị", 5, "Mã đơn vị kế thừa", "CB3"),
        ("successor_without_end", "Đơn vị", 7, "Mã đơn vị kế thừa", "CB3"),
    ]
    assert "01/07/2025" in report.problems[0].message() and "01/07/2025" in report.problems[0].message("en")


def test_chains_are_allowed_cycles_are_not(db_path, make_xlsx):
    chain = [
        *REORGANISED[:3],
        ["A", "Chi bộ A", "K", "Chi bộ cơ sở", date(2018, 1, 1), date(2022, 12, 31), "B"],
        ["B", "Chi bộ B", "K", "Chi bộ cơ sở", date(2023, 1, 1), date(2024, 12, 31), "C"],
        ["C", "Chi bộ C", "K", "Chi bộ cơ sở", date(2025, 1, 1), None, None],
    ]
    assert import_files(db_path, [make_xlsx("chain.xlsx", {"Đơn vị": chain})]).ok
    loop = [
        *REORGANISED[:3],
        ["A", "Chi bộ A", "K", "Chi bộ cơ sở", date(2018, 1, 1), date(2022, 12, 31), "B"],
        ["B", "Chi bộ B", "K", "Chi bộ cơ sở", date(2023, 1, 1), date(2024, 12, 31), "A"],
    ]
    report = import_files(db_path, [make_xlsx("loop.xlsx", {"Đơn vị": loop})])
    found = problems(report)
    # B → A: A is not active on 01/01/2025 (it ended 31/12/2022); and the loop, on both rows
    assert ("successor_inactive", "Đơn vị", 5, "Mã đơn vị kế thừa", "A") in found
    assert ("succession_cycle", "Đơn vị", 4, "Mã đơn vị kế thừa", "B") in found
    assert ("succession_cycle", "Đơn vị", 5, "Mã đơn vị kế thừa", "A") in found
    cycle = next(p for p in report.problems if p.code == "succession_cycle" and p.row == 4)
    assert "A → B → A" in cycle.message("en") and "A → B → A" in cycle.message()


def test_a_file_without_history_imports_as_before(db_path, make_csv):
    units = [["Mã đơn vị", "Tên đơn vị", "Mã đơn vị cấp trên", "Cấp"], ["K", "Khối", None, "Đảng bộ Khối"]]
    assert import_files(db_path, [make_csv("don_vi.csv", units)]).ok
    renamed = [units[0], ["K", "Khối mới", None, "Đảng bộ Khối"]]
    report = import_files(db_path, [make_csv("don_vi2.csv", renamed)])
    assert (report.counts["don_vi"].added, report.counts["don_vi"].updated) == (0, 1)
    assert query(db_path, "select ma_don_vi, ten_don_vi from don_vi") == [("K", "Khối mới")]


@pytest.mark.slow
def test_a_corrected_start_date_updates_the_row(db_path, make_xlsx):
    # one row per unit stored and re-sent with another start, under the same superior: the row
    # corrected in place, as when the code alone was the key; its key follows the new start
    first = [
        HEADER,
        *REORGANISED[1:3],
        ["CS1", "Đảng bộ Sở A", "K", "Đảng bộ cơ sở", date(2018, 1, 1), None, None],
    ]
    assert import_files(db_path, [make_xlsx("a.xlsx", {"Đơn vị": first})]).ok
    fixed = [HEADER, ["CS1", "Đảng bộ Sở A", "K", "Đảng bộ cơ sở", date(2018, 3, 1), None, None]]
    preview = import_files(db_path, [make_xlsx("b.xlsx", {"Đơn vị": fixed})], dry_run=True)
    report = import_files(db_path, [make_xlsx("b.xlsx", {"Đơn vị": fixed})])
    assert report.ok, [p.message("en") for p in report.problems]
    for counted in (preview, report):
        assert (counted.counts["don_vi"].added, counted.counts["don_vi"].updated) == (0, 1)
    assert query(db_path, "select ma_hieu_luc, hieu_luc_tu from don_vi where ma_don_vi = 'CS1'") == [
        ("CS1|2018-03-01", date(2018, 3, 1))
    ]
    # the same file again finds the row by its new key
    again = import_files(db_path, [make_xlsx("c.xlsx", {"Đơn vị": fixed})])
    assert (again.counts["don_vi"].added, again.counts["don_vi"].updated) == (0, 1)

"""Every kind of rejection: its code, the row number as Excel shows it, the column as written,
the value, a full sentence in Vietnamese and English; all problems are collected at once."""

from __future__ import annotations

import zipfile

import pytest
from support import sheets
from support.files import query

from queries import messages
from queries.importer import Notice, Problem, import_files

UNITS = sheets.UNITS[:3]  # the bloc and CS1: a repeated unit is row 4
REG_HEADER = [*sheets.REG_HEADER, "Ngày đăng ký", "Điểm"]
GOOD = [2022, "CS1", "Tập thể", "Chi bộ 1", "Mô hình A", "Kinh tế", "01/03/2022", "80"]


def located(report) -> list[tuple]:
    return [(p.code, p.sheet, p.row, p.column, p.value) for p in report.problems]


def with_value(index: int, value, name: str = "Chi bộ X") -> list:
    row = list(GOOD)
    row[3] = name
    row[index] = value
    return row


@pytest.mark.parametrize(
    ("index", "value", "code", "column"),
    [
        (0, "20222", "year_range", "Năm"),
        (0, "1989", "year_range", "Năm"),
        (0, "2022,5", "bad_integer", "Năm"),
        (0, "năm nay", "bad_integer", "Năm"),
        (0, None, "required", "Năm"),
        (1, "CS9", "unknown_unit", "Mã đơn vị"),
        (2, "Tổ chức", "bad_choice", "Đối tượng"),
        (3, "  ", "required", "Tên tập thể, cá nhân"),
        (5, "Nông nghiệp", "bad_choice", "Lĩnh vực"),
        (6, "31/02/2023", "bad_date", "Ngày đăng ký"),
        (6, "hôm qua", "bad_date", "Ngày đăng ký"),
        (7, "101", "score_range", "Điểm"),
        (7, "-1", "score_range", "Điểm"),
        (7, "tám mươi", "bad_number", "Điểm"),
    ],
)
def test_each_bad_value_is_located(units_db, make_csv, index, value, code, column):
    rows = [REG_HEADER, GOOD, with_value(index, value)]
    report = import_files(units_db, [make_csv("dang_ky.csv", rows)])
    expected_value = None if value is None or not str(value).strip() else value
    assert located(report) == [(code, None, 3, column, expected_value)]
    assert not report.ok
    assert query(units_db, "select count(*) from dang_ky") == [(0,)]


def test_vietnamese_message_matches_the_contract(units_db, make_csv):
    rows = [["Danh sách đăng ký"], [], [], [], REG_HEADER, GOOD, with_value(0, "20222")]
    report = import_files(units_db, [make_csv("dang_ky.csv", rows)])
    (problem,) = report.problems
    assert problem.message() == (
        "Tệp dang_ky.csv, dòng 7, cột «Năm»: giá trị «20222» không hợp lệ — năm phải từ 1990 đến 2100."
    )
    assert problem.message("en") == (
        "File dang_ky.csv, row 7, column «Năm»: value «20222» is not valid — the year must be between 1990 and 2100."
    )


def test_xlsx_message_names_the_sheet_and_header_as_written(units_db, make_xlsx):
    header = ["STT", "NAM", *REG_HEADER[1:]]
    rows = [header, [1, *GOOD], [2, *with_value(0, 20222)]]
    report = import_files(units_db, [make_xlsx("bao_cao.xlsx", {"Đăng ký": rows})])
    (problem,) = report.problems
    assert (problem.sheet, problem.row, problem.column, problem.value) == ("Đăng ký", 3, "NAM", "20222")
    assert problem.message().startswith(
        "Tệp bao_cao.xlsx, trang «Đăng ký», dòng 3, cột «NAM»: giá trị «20222»"
    )
    assert problem.message("en").startswith(
        "File bao_cao.xlsx, sheet «Đăng ký», row 3, column «NAM»: value «20222»"
    )


def test_three_bad_rows_give_three_problems_at_once(units_db, make_csv):
    rows = [
        REG_HEADER,
        GOOD,
        with_value(0, "20222", "A"),
        GOOD[:3] + ["B"] + GOOD[4:],
        with_value(7, "150", "C"),
    ]
    rows.append(with_value(5, "Nông nghiệp", "D"))
    rows[3] = with_value(6, "31/02/2023", "B")
    report = import_files(units_db, [make_csv("dang_ky.csv", rows)])
    assert located(report) == [
        ("year_range", None, 3, "Năm", "20222"),
        ("bad_date", None, 4, "Ngày đăng ký", "31/02/2023"),
        ("score_range", None, 5, "Điểm", "150"),
        ("bad_choice", None, 6, "Lĩnh vực", "Nông nghiệp"),
    ]


def test_one_row_with_several_problems_reports_each(units_db, make_csv):
    rows = [REG_HEADER, [20222, "CS9", "ai đó", "", "M", "Kinh tế", "32/01/2022", "-5"]]
    report = import_files(units_db, [make_csv("dang_ky.csv", rows)])
    assert sorted(p.code for p in report.problems) == sorted(
        ["year_range", "unknown_unit", "bad_choice", "required", "bad_date", "score_range"]
    )
    assert {p.row for p in report.problems} == {2}


def test_negative_counts(db_path, make_xlsx):
    sizes = [sheets.SIZE_HEADER, ["K", 2022, -3, "10"]]
    conferences = [["Mã đơn vị", "Năm", "Loại hội nghị", "Số người dự"], ["K", 2022, "Sơ kết", "-1"]]
    path = make_xlsx("x.xlsx", {"Đơn vị": UNITS, "Quy mô": sizes, "Hội nghị": conferences})
    report = import_files(db_path, [path])
    assert located(report) == [
        ("negative", "Quy mô", 2, "Số đảng viên", "-3"),
        ("negative", "Hội nghị", 2, "Số người dự", "-1"),
    ]
    assert "không được âm" in report.problems[0].message()
    assert not db_path.exists()


def test_missing_required_column_is_one_problem(units_db, make_csv):
    header = [h for h in REG_HEADER if h != "Lĩnh vực"]
    rows = [header] + [
        [v for h, v in zip(REG_HEADER, with_value(3, f"Chi bộ {i}"), strict=True) if h != "Lĩnh vực"]
        for i in range(3)
    ]
    report = import_files(units_db, [make_csv("dang_ky.csv", rows)])
    assert located(report) == [("missing_column", None, None, "Lĩnh vực", None)]
    assert (
        report.problems[0].message()
        == "Tệp dang_ky.csv, cột «Lĩnh vực»: thiếu cột bắt buộc «Lĩnh vực» của bảng «Đăng ký»."
    )


def test_duplicate_keys_within_a_file_and_across_files(units_db, make_csv, make_xlsx):
    header = ["Mã đăng ký", *REG_HEADER]
    first = make_csv("dang_ky_a.csv", [header, ["DK1", *GOOD], ["DK2", *GOOD], ["DK1", *GOOD]])
    second = make_xlsx("b.xlsx", {"Đăng ký": [header, ["DK3", *GOOD], ["DK2", *GOOD]]})
    report = import_files(units_db, [first, second])
    assert located(report) == [
        ("duplicate_key", None, 4, "Mã đăng ký", "DK1"),
        ("duplicate_key", "Đăng ký", 3, "Mã đăng ký", "DK2"),
    ]
    assert "dang_ky_a.csv, dòng 2" in report.problems[0].message()
    assert "dang_ky_a.csv, row 3" in report.problems[1].message("en")


def test_duplicate_rows_without_registration_code(units_db, make_csv):
    # No "Mã đăng ký": the derived key makes an identical second row a duplicate, however spelled.
    rows = [REG_HEADER, GOOD, GOOD[:3] + ["CHI BỘ 1", "mô hình a"] + GOOD[5:]]
    report = import_files(units_db, [make_csv("dang_ky.csv", rows)])
    assert located(report) == [("duplicate_key", None, 3, "Tên mô hình", "CHI BỘ 1 | mô hình a | 2022")]


def test_duplicate_keys_of_the_other_tables(db_path, make_xlsx):
    awards = [
        sheets.AWARD_HEADER,
        ["12-QĐ/ĐUK", 2022, "CS1", "Cá nhân", "Nguyễn Văn A", "Giấy khen", "Đảng ủy Khối"],
        ["12-QĐ/ĐUK", 2022, "CS1", "Cá nhân", "Nguyễn Văn A", "Bằng khen", "Đảng ủy Khối"],
        ["12-QĐ/ĐUK", 2022, "CS1", "Tập thể", "Nguyễn Văn A", "Giấy khen", "Đảng ủy Khối"],
    ]
    conferences = [
        ["Mã đơn vị", "Năm", "Loại hội nghị", "Ngày"],
        ["CS1", 2022, "Sơ kết", None],
        ["CS1", 2022, "so ket", None],
        ["CS1", 2022, "Sơ kết", "01/07/2022"],
    ]
    sizes = [["Mã đơn vị", "Năm", "Số đảng viên"], ["CS1", 2022, 10], ["CS1", 2022, 12]]
    units = UNITS + [["CS1", "Trùng", "K", "Đảng bộ cơ sở"]]
    path = make_xlsx(
        "x.xlsx", {"Đơn vị": units, "Quy mô": sizes, "Khen thưởng": awards, "Hội nghị": conferences}
    )
    report = import_files(db_path, [path])
    assert [(p.code, p.sheet, p.row, p.column) for p in report.problems] == [
        ("duplicate_key", "Đơn vị", 4, "Mã đơn vị"),
        ("duplicate_key", "Quy mô", 3, "Mã đơn vị"),
        ("duplicate_key", "Khen thưởng", 3, "Số quyết định"),
        ("duplicate_key", "Hội nghị", 3, "Mã đơn vị"),
    ]


def test_unit_tree_cycle_missing_parent_successor_and_dates(db_path, make_csv):
    rows = [
        sheets.UNIT_HISTORY_HEADER,
        ["K", "Khối", None, "Đảng bộ Khối", None, None, None],
        ["A", "A", "B", "Đảng bộ cơ sở", None, None, None],
        ["B", "B", "C", "Đảng bộ cơ sở", None, None, None],
        ["C", "C", "A", "Đảng bộ cơ sở", None, None, None],
        ["D", "D", "X", "Chi bộ cơ sở", None, None, None],
        ["E", "E", "E", "Chi bộ cơ sở", None, None, None],
        ["F", "F", "K", "Chi bộ cơ sở", "01/07/2025", "30/06/2025", "Y"],
        ["G", "G", "A", "Chi bộ trực thuộc", None, None, None],
    ]
    report = import_files(db_path, [make_csv("don_vi.csv", rows)])
    assert located(report) == [
        ("cycle", None, 3, "Mã đơn vị cấp trên", "B"),
        ("cycle", None, 4, "Mã đơn vị cấp trên", "C"),
        ("cycle", None, 5, "Mã đơn vị cấp trên", "A"),
        ("missing_parent", None, 6, "Mã đơn vị cấp trên", "X"),
        ("cycle", None, 7, "Mã đơn vị cấp trên", "E"),
        ("date_order", None, 8, "Hiệu lực đến", "30/06/2025"),
        ("unknown_successor", None, 8, "Mã đơn vị kế thừa", "Y"),
    ]
    assert "A → B → C → A" in report.problems[0].message()
    assert "01/07/2025" in report.problems[5].message()


def test_a_chi_bo_truc_thuoc_needs_its_parent(db_path, make_csv):
    """Only a root leaves "Mã đơn vị cấp trên" empty, and a branch (trực thuộc) is never a root."""
    rows = [
        ["Mã đơn vị", "Tên đơn vị", "Mã đơn vị cấp trên", "Cấp"],
        ["K", "Khối", None, "Đảng bộ Khối"],
        ["X", "Chi bộ X", None, "Chi bộ trực thuộc"],
        ["A", "Đảng bộ A", "K", "Đảng bộ cơ sở"],
        ["A1", "Chi bộ A1", "A", "chi bo truc thuoc"],
        ["Y", "Chi bộ Y", "  ", "Chi bộ trực thuộc"],
    ]
    report = import_files(db_path, [make_csv("don_vi.csv", rows)])
    assert located(report) == [
        ("branch_without_parent", None, 3, "Mã đơn vị cấp trên", ""),
        ("branch_without_parent", None, 6, "Mã đơn vị cấp trên", ""),
    ]
    assert "chi bộ trực thuộc phải có đơn vị cấp trên" in report.problems[0].message()
    assert "only a root leaves this cell empty" in report.problems[0].message("en")
    assert not db_path.exists()


def test_cycle_through_a_stored_unit(units_db, make_csv):
    # K is stored as the root; re-importing K under CS1 would close a loop K -> CS1 -> K.
    rows = [UNITS[0], ["K", "Đảng bộ Khối", "CS1", "Đảng bộ Khối"]]
    report = import_files(units_db, [make_csv("don_vi.csv", rows)])
    assert located(report) == [("cycle", None, 2, "Mã đơn vị cấp trên", "CS1")]


def test_unknown_unit_in_every_table(db_path, make_xlsx):
    path = make_xlsx(
        "x.xlsx",
        {
            "Quy mô": [["Mã đơn vị", "Năm"], ["Z1", 2022]],
            "Đăng ký": [REG_HEADER, with_value(1, "Z2")],
            "Khen thưởng": [
                sheets.AWARD_HEADER,
                ["1-QĐ", 2022, "Z3", "Cá nhân", "A", "Giấy khen", "Cơ sở"],
            ],
            "Hội nghị": [["Mã đơn vị", "Năm", "Loại hội nghị"], ["Z4", 2022, "Tổng kết"]],
        },
    )
    report = import_files(db_path, [path])
    assert [(p.code, p.value) for p in report.problems] == [
        ("unknown_unit", "Z1"),
        ("unknown_unit", "Z2"),
        ("unknown_unit", "Z3"),
        ("unknown_unit", "Z4"),
    ]


# --- file-level problems ------------------------------------------------------------------------------


def test_unreadable_files_never_raise(units_db, tmp_path):
    fake = tmp_path / "not_really.xlsx"
    fake.write_text("Năm,Mã đơn vị\n2022,CS1\n", encoding="utf-8")
    truncated = tmp_path / "truncated.xlsx"
    with zipfile.ZipFile(truncated, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
    truncated.write_bytes(truncated.read_bytes()[:40])
    encrypted = tmp_path / "mat_khau.xlsx"  # password-protected workbooks are OLE containers
    encrypted.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + b"EncryptedPackage" * 32)
    report = import_files(units_db, [fake, truncated, encrypted])
    assert [(p.code, p.file, p.row) for p in report.problems] == [
        ("unreadable", "not_really.xlsx", None),
        ("unreadable", "truncated.xlsx", None),
        ("unreadable", "mat_khau.xlsx", None),
    ]
    assert report.problems[0].message().startswith("Tệp not_really.xlsx: không đọc được tệp")
    assert report.problems[0].message("en").startswith("File not_really.xlsx: the file cannot be read")


def test_missing_empty_duplicate_and_unrecognised_files(units_db, make_csv, tmp_path):
    good = make_csv("dang_ky.csv", [REG_HEADER, GOOD])
    copy = make_csv("dang_ky_copy.csv", good.read_bytes())
    empty = make_csv("empty.csv", b"")
    other = make_csv("bang_luong.csv", [["Họ tên", "Lương"], ["A", "1.000"]])
    report = import_files(units_db, [good, tmp_path / "nope.csv", copy, empty, other])
    assert [(p.code, p.file) for p in report.problems] == [
        ("not_found", "nope.csv"),
        ("duplicate_file", "dang_ky_copy.csv"),
        ("empty_file", "empty.csv"),
        ("no_table", "bang_luong.csv"),
    ]
    assert report.problems[0].message() == "Tệp nope.csv: không tìm thấy tệp."
    assert "dang_ky.csv" in report.problems[1].message()


def test_named_sheet_without_a_header_row(units_db, make_xlsx):
    path = make_xlsx("x.xlsx", {"Đăng ký": [["chỉ có ghi chú"], ["không có tiêu đề cột"]]})
    report = import_files(units_db, [path])
    assert [(p.code, p.sheet) for p in report.problems] == [("no_header", "Đăng ký")]


def test_problems_frame_and_summary(units_db, make_csv):
    rows = [REG_HEADER, with_value(0, "20222"), with_value(7, "101", "Y")]
    report = import_files(units_db, [make_csv("dang_ky.csv", rows)])
    frame = report.problems_frame()
    assert frame.columns == ["file", "sheet", "row", "column", "value", "reason"]
    assert frame.rows() == [
        ("dang_ky.csv", None, 2, "Năm", "20222", "giá trị «20222» không hợp lệ — năm phải từ 1990 đến 2100"),
        ("dang_ky.csv", None, 3, "Điểm", "101", "giá trị «101» không hợp lệ — điểm phải từ 0 đến 100"),
    ]
    assert (
        report.problems_frame("en")["reason"][1]
        == "value «101» is not valid — the score must be between 0 and 100"
    )
    assert report.summary() == "Không nhập: phát hiện 2 lỗi, cơ sở dữ liệu không thay đổi."
    assert report.summary("en") == "Nothing imported: 2 problems found, the database is unchanged."


ALL_PARAMS = {
    "choices": ("A", "B"),
    "path": "A → A",
    "other": {"file": "b.csv", "sheet": None, "row": 2},
    "min": "0",
    "max": "100",
    "table": "dang_ky",
    "rows": 20,
    "count": 1500,
    "cells": 17_179_869_184,
    "header_row": 3,
    "detail": "bad zip",
    "start": "01/01/2020",
    "encoding": "cp1258",
    "separator": ";",
    "limit": 2000,
    "seconds": 600,
    "day": "01/02/2025",
    "code": "CB1",
    "period": "01/01/2020 – …",
}


@pytest.mark.parametrize("code", sorted(messages.PROBLEMS))
def test_every_problem_message_is_a_full_sentence_in_both_languages(code):
    problem = Problem("a.xlsx", "Đăng ký", 5, "Năm", "x", code, ALL_PARAMS)
    vi, en = problem.message(), problem.message("en")
    assert vi.startswith("Tệp a.xlsx, trang «Đăng ký», dòng 5, cột «Năm»: ") and vi.endswith(".")
    assert en.startswith("File a.xlsx, sheet «Đăng ký», row 5, column «Năm»: ") and en.endswith(".")
    assert vi != en and "{" not in vi + en


@pytest.mark.parametrize("code", sorted(messages.NOTICES))
def test_every_notice_message_is_a_full_sentence_in_both_languages(code):
    notice = Notice("a.csv", None, None, None, None, code, ALL_PARAMS)
    vi, en = notice.message(), notice.message("en")
    assert vi.startswith("Tệp a.csv: ") and en.startswith("File a.csv: ")
    assert vi != en and "{" not in vi + en


def test_file_level_problem_without_a_file():
    problem = Problem(None, None, None, None, None, "write_failed", {"detail": "disk full"})
    assert problem.message() == "Không ghi được vào cơ sở dữ liệu (disk full); cơ sở dữ liệu không thay đổi."


def test_repeated_column_is_a_problem(units_db, make_csv):
    rows = [[*REG_HEADER, "Nam"], [*GOOD, "2023"]]
    report = import_files(units_db, [make_csv("dang_ky.csv", rows)])
    assert located(report) == [("duplicate_column", None, 1, "Nam", None)]


def test_counts_beyond_32_bits(db_path, make_csv):
    sizes = [["Mã đơn vị", "Năm", "Số đảng viên"], ["K", 2022, "3.000.000.000"]]
    report = import_files(db_path, [make_csv("don_vi.csv", UNITS), make_csv("quy_mo.csv", sizes)])
    assert located(report) == [("out_of_range", None, 2, "Số đảng viên", "3.000.000.000")]


def test_a_database_that_cannot_be_opened_is_a_problem(tmp_path, make_csv):
    not_a_db = tmp_path / "dvk.duckdb"
    not_a_db.write_text("this is not a database")
    before = not_a_db.read_bytes()
    for dry_run in (False, True):
        report = import_files(not_a_db, [make_csv("don_vi.csv", UNITS)], dry_run=dry_run)
        assert [p.code for p in report.problems] == ["bad_database"]
        assert str(not_a_db) in report.problems[0].message()
    assert not_a_db.read_bytes() == before


def test_a_failed_write_is_a_problem_not_a_traceback(tmp_path, make_csv):
    target = tmp_path / "no_such_dir_file"
    target.write_text("x")
    db = target / "dvk.duckdb"  # its parent is a file: nothing can be created there
    report = import_files(db, [make_csv("don_vi.csv", UNITS)])
    assert [p.code for p in report.problems] == ["write_failed"]
    assert not report.written and report.counts == {}
    assert report.problems[0].message().startswith("Không ghi được vào cơ sở dữ liệu")

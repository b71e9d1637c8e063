"""Holes an audit found: `--help` of every command, re-importing sizes and awards, year and score
boundaries, every enum column, required/typed values outside registrations, the blank-rows notice,
the recorded schema version and `dvk import`'s progress lines."""

from __future__ import annotations

import itertools
import re
import types

import pytest
from support.files import query

from queries import cli, store, vocab
from queries.commands import COMMANDS
from queries.commands import import_ as import_command
from queries.importer import import_files

UNITS = [
    ["Mã đơn vị", "Tên đơn vị", "Mã đơn vị cấp trên", "Cấp"],
    ["K", "Đảng bộ Khối", None, "Đảng bộ Khối"],
    ["CS1", "Đảng bộ Công ty Điện lực", "K", "Đảng bộ cơ sở"],
]
# One valid row of each table, every column of the template filled (by alias).
GOOD = {
    "don_vi": {
        "ma_don_vi": "CS2",
        "ten_don_vi": "Chi bộ Văn phòng",
        "ma_cap_tren": "K",
        "cap": "Chi bộ cơ sở",
        "loai_hinh": "Cơ quan",
        "hieu_luc_tu": "01/01/2020",
        "hieu_luc_den": None,
        "ma_ke_thua": None,
    },
    "quy_mo": {"ma_don_vi": "CS1", "nam": 2022, "so_dang_vien": "120", "so_nguoi_lao_dong": "1.061"},
    "dang_ky": {
        "ma_dang_ky": "DK-1",
        "ma_mo_hinh": "MH-1",
        "nam": 2022,
        "ma_don_vi": "CS1",
        "doi_tuong": "Tập thể",
        "ten_chu_the": "Chi bộ 1",
        "ten_mo_hinh": "Mô hình A",
        "loai": "Mô hình",
        "phong_trao": "QCDC",
        "linh_vuc": "Kinh tế",
        "ngay_dang_ky": "01/03/2022",
        "ket_qua": "Hoàn thành",
        "diem": "80",
        "cap_cong_nhan": "Cơ sở",
    },
    "khen_thuong": {
        "so_quyet_dinh": "12-QĐ/ĐUK",
        "ngay_quyet_dinh": "15/10/2022",
        "nam": 2022,
        "ma_don_vi": "CS1",
        "doi_tuong": "Cá nhân",
        "ten_chu_the": "Nguyễn Văn A",
        "hinh_thuc": "Giấy khen",
        "cap_khen_thuong": "Đảng ủy Khối",
        "trang_thai": "Đã khen thưởng",
        "ma_dang_ky": None,
    },
    "hoi_nghi": {
        "ma_don_vi": "CS1",
        "nam": 2022,
        "loai_hoi_nghi": "Tuyên dương, khen thưởng",
        "ngay": "15/10/2022",
        "so_nguoi_du": "120",
        "so_dang_vien_du": "80",
    },
}
# A column of each table's re-import key that can tell its rows apart (in a file without parents).
ROW_KEY = {"don_vi": "ma_don_vi", "dang_ky": "ma_dang_ky", "khen_thuong": "ten_chu_the"}
ENUM_COLUMNS = [(t.name, c.alias, c.header) for t in vocab.TABLES for c in t.columns if c.choices]


def rows_of(table: str, *records: dict) -> list[list]:
    """The header row of every template column, then one row per record."""
    columns = vocab.TABLES_BY_NAME[table].columns
    return [[c.header for c in columns]] + [[r[c.alias] for c in columns] for r in records]


def good(table: str, **changes) -> dict:
    return {**GOOD[table], **changes}


def located(report) -> list[tuple]:
    return [(p.code, p.row, p.column, p.value) for p in report.problems]


@pytest.fixture
def units_db(db_path, make_csv):
    """A database holding units K and CS1."""
    report = import_files(db_path, [make_csv("don_vi.csv", UNITS)])
    assert report.ok, [p.message("en") for p in report.problems]
    return db_path


# --- dvk --help ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args", [[], *([c] for c in COMMANDS), ["user", "add"], ["user", "list"], ["user", "remove"]]
)
def test_help_of_every_command_exits_0_with_usage(args, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main([*args, "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(" ".join(["usage: dvk", *args]) + " ")
    assert "-h, --help" in out
    if len(args) == 1:  # a command: its own description and the options every command shares
        help_text = " ".join(cli._module(args[0]).HELP.split())
        assert help_text in " ".join(out.split())
        assert "--db PATH" in out and "--lang {vi,en}" in out
    elif not args:
        assert all(re.search(rf"^\s+{c}\s", out, re.M) for c in COMMANDS), out


# --- re-import of sizes and awards ------------------------------------------------------------------


def test_reimport_of_sizes_and_awards_adds_nothing_and_updates_everything(db_path, make_csv):
    files = [
        make_csv("don_vi.csv", UNITS),
        make_csv("quy_mo.csv", rows_of("quy_mo", good("quy_mo"), good("quy_mo", nam=2023))),
        make_csv(
            "khen_thuong.csv",
            rows_of(
                "khen_thuong",
                good("khen_thuong"),
                good("khen_thuong", doi_tuong="Tập thể", ten_chu_the="Chi bộ 1"),
                good("khen_thuong", so_quyet_dinh="13-QĐ/ĐUK", trang_thai="Đề nghị"),
            ),
        ),
    ]
    first = import_files(db_path, files)
    assert first.ok, [p.message("en") for p in first.problems]
    assert {t: (c.added, c.updated) for t, c in first.counts.items()} == {
        "don_vi": (2, 0),
        "quy_mo": (2, 0),
        "khen_thuong": (3, 0),
    }
    before = [query(db_path, f"select count(*) from {t}")[0][0] for t in ("don_vi", "quy_mo", "khen_thuong")]
    second = import_files(db_path, files)
    assert {t: (c.added, c.updated) for t, c in second.counts.items()} == {
        "don_vi": (0, 2),
        "quy_mo": (0, 2),
        "khen_thuong": (0, 3),
    }
    after = [query(db_path, f"select count(*) from {t}")[0][0] for t in ("don_vi", "quy_mo", "khen_thuong")]
    assert before == after == [2, 2, 3]
    assert second.summary("en") == (
        "Imported: Units: 0 added, 0 changed, 2 unchanged; Unit sizes: 0 added, 0 changed, 2 unchanged;"
        " Awards: 0 added, 0 changed, 3 unchanged."
    )


# --- year and score boundaries ----------------------------------------------------------------------


def test_year_and_score_boundaries_are_accepted(units_db, make_csv):
    records = [
        good("dang_ky", ma_dang_ky="DK-1", nam=1990, diem="0"),
        good("dang_ky", ma_dang_ky="DK-2", nam=2100, diem="100"),
        good("dang_ky", ma_dang_ky="DK-3", nam="2022", diem="0,0"),
    ]
    report = import_files(units_db, [make_csv("dang_ky.csv", rows_of("dang_ky", *records))])
    assert report.ok, [p.message("en") for p in report.problems]
    assert query(units_db, "select ma_dang_ky, nam, diem from dang_ky order by 1") == [
        ("DK-1", 1990, 0.0),
        ("DK-2", 2100, 100.0),
        ("DK-3", 2022, 0.0),
    ]


@pytest.mark.parametrize(
    ("alias", "value", "code", "column"),
    [
        ("nam", "1989", "year_range", "Năm"),
        ("nam", "2101", "year_range", "Năm"),
        ("diem", "-0,5", "score_range", "Điểm"),
        ("diem", "100,5", "score_range", "Điểm"),
    ],
)
def test_year_and_score_just_outside_are_rejected(units_db, make_csv, alias, value, code, column):
    rows = rows_of("dang_ky", good("dang_ky"), good("dang_ky", ma_dang_ky="DK-2", **{alias: value}))
    report = import_files(units_db, [make_csv("dang_ky.csv", rows)])
    assert located(report) == [(code, 3, column, value)]
    assert query(units_db, "select count(*) from dang_ky") == [(0,)]


def test_year_and_score_boundaries_as_excel_numbers(units_db, make_xlsx):
    def workbook(name, *pairs):
        records = [good("dang_ky", ma_dang_ky=f"DK-{i}", nam=y, diem=d) for i, (y, d) in enumerate(pairs)]
        return make_xlsx(name, {"Đăng ký": rows_of("dang_ky", *records)})

    inside = import_files(units_db, [workbook("in.xlsx", (1990, 0), (2100, 100), (2022, 99.5))])
    assert inside.ok, [p.message("en") for p in inside.problems]
    outside = import_files(
        units_db, [workbook("out.xlsx", (1989, 50), (2101, 50), (2022, -0.5), (2022, 100.5))]
    )
    assert sorted(located(outside)) == [
        ("score_range", 4, "Điểm", "-0.5"),
        ("score_range", 5, "Điểm", "100.5"),
        ("year_range", 2, "Năm", "1989"),
        ("year_range", 3, "Năm", "2101"),
    ]
    assert query(units_db, "select nam, diem from dang_ky order by nam") == [
        (1990, 0.0),
        (2022, 99.5),
        (2100, 100.0),
    ]


@pytest.mark.parametrize(("table", "value"), [("quy_mo", 1989), ("khen_thuong", 2101), ("hoi_nghi", 2101)])
def test_year_range_holds_in_every_table(units_db, make_csv, table, value):
    report = import_files(units_db, [make_csv(f"{table}.csv", rows_of(table, good(table, nam=value)))])
    assert located(report) == [("year_range", 2, "Năm", str(value))]


# --- enum columns -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("table", "alias", "header"), ENUM_COLUMNS)
def test_unknown_value_in_each_enum_column_is_rejected(units_db, make_csv, table, alias, header):
    rows = rows_of(table, good(table, **{alias: "Không có trong danh sách"}))
    report = import_files(units_db, [make_csv(f"{table}.csv", rows)])
    assert located(report) == [("bad_choice", 2, header, "Không có trong danh sách")]
    message = report.problems[0].message("en")
    assert f"row 2, column «{header}»: value «Không có trong danh sách» is not one of" in message
    assert not report.written


def test_one_bad_value_in_every_enum_column_gives_one_problem_each(units_db, make_csv):
    """Every table in one import, one row per enum column: all problems are collected."""
    files, expected = [], set()
    for table in vocab.TABLES:
        enums = [c for c in table.columns if c.choices]
        records = []
        for i, col in enumerate(enums):
            key = {ROW_KEY[table.name]: f"X{i}"} if table.name in ROW_KEY else {}  # no duplicate rows
            records.append(good(table.name, **key, **{col.alias: f"Sai {col.alias}"}))
            expected.add((f"{table.name}.csv", "bad_choice", 2 + i, col.header, f"Sai {col.alias}"))
        if records:
            files.append(make_csv(f"{table.name}.csv", rows_of(table.name, *records)))
    report = import_files(units_db, files)
    got = [(p.file, p.code, p.row, p.column, p.value) for p in report.problems]
    assert len(got) == len(ENUM_COLUMNS) == 13
    assert set(got) == expected


# --- required and typed values outside registrations ------------------------------------------------


@pytest.mark.parametrize(
    ("table", "alias", "value", "code", "column"),
    [
        ("don_vi", "ten_don_vi", None, "required", "Tên đơn vị"),
        ("don_vi", "cap", " ", "required", "Cấp"),
        ("don_vi", "hieu_luc_tu", "32/01/2020", "bad_date", "Hiệu lực từ"),
        ("quy_mo", "nam", None, "required", "Năm"),
        ("quy_mo", "so_dang_vien", "nhiều", "bad_integer", "Số đảng viên"),
        ("quy_mo", "so_nguoi_lao_dong", "12,5", "bad_integer", "Số người lao động"),
        ("khen_thuong", "so_quyet_dinh", None, "required", "Số quyết định"),
        ("khen_thuong", "hinh_thuc", None, "required", "Hình thức"),
        ("khen_thuong", "nam", "năm ngoái", "bad_integer", "Năm"),
        ("khen_thuong", "ngay_quyet_dinh", "hôm qua", "bad_date", "Ngày quyết định"),
        ("hoi_nghi", "loai_hoi_nghi", None, "required", "Loại hội nghị"),
        ("hoi_nghi", "ma_don_vi", None, "required", "Mã đơn vị"),
        ("hoi_nghi", "ngay", "31/02/2022", "bad_date", "Ngày"),
        ("hoi_nghi", "so_dang_vien_du", "tám mươi", "bad_integer", "Số đảng viên dự"),
    ],
)
def test_missing_and_wrong_typed_values_in_other_tables(
    units_db, make_csv, table, alias, value, code, column
):
    first = good(table, **({ROW_KEY[table]: "X"} if table in ROW_KEY else {"nam": 2021}))
    second = good(table, **{alias: value})
    before = query(units_db, f"select count(*) from {table}")
    report = import_files(units_db, [make_csv(f"{table}.csv", rows_of(table, first, second))])
    expected_value = None if value is None or not value.strip() else value
    assert located(report) == [(code, 3, column, expected_value)]
    assert f"row 3, column «{column}»" in report.problems[0].message("en")
    assert query(units_db, f"select count(*) from {table}") == before


# --- blank rows ---------------------------------------------------------------------------------------


def test_blank_rows_between_records_are_skipped_with_a_notice(units_db, make_csv):
    rows = rows_of("hoi_nghi", good("hoi_nghi"))
    rows += [[], [None] * 6, rows_of("hoi_nghi", good("hoi_nghi", nam=2023))[1], [""] * 6]
    rows += [rows_of("hoi_nghi", good("hoi_nghi", nam=2024, so_nguoi_du="x"))[1]]  # row 7, bad
    report = import_files(units_db, [make_csv("hoi_nghi.csv", rows)])
    assert located(report) == [("bad_integer", 7, "Số người dự", "x")]
    (blank,) = [n for n in report.notices if n.code == "blank_rows"]
    assert blank.params == {"count": 3}
    assert blank.message("en") == "File hoi_nghi.csv: 3 blank row(s), skipped."
    assert blank.message() == "Tệp hoi_nghi.csv: 3 dòng trống, đã bỏ qua."
    (table,) = [n for n in report.notices if n.code == "table"]
    assert table.params == {"table": "hoi_nghi", "rows": 3}

    rows[-1] = rows_of("hoi_nghi", good("hoi_nghi", nam=2024))[1]
    report = import_files(units_db, [make_csv("hoi_nghi.csv", rows)])
    assert report.ok and report.counts["hoi_nghi"].added == 3
    assert [n.params["count"] for n in report.notices if n.code == "blank_rows"] == [3]


def test_file_without_blank_rows_has_no_blank_rows_notice(units_db, make_csv):
    report = import_files(units_db, [make_csv("hoi_nghi.csv", rows_of("hoi_nghi", good("hoi_nghi")))])
    assert report.ok and not [n for n in report.notices if n.code == "blank_rows"]


# --- schema version -----------------------------------------------------------------------------------


def test_import_records_the_newest_schema_version(db_path, make_csv):
    assert import_files(db_path, [make_csv("don_vi.csv", UNITS)]).ok
    newest = max(int(p.name.split("_", 1)[0]) for p in store.SCHEMA_DIR.glob("*.sql"))
    assert store.LATEST_VERSION == newest >= 2
    assert query(db_path, "select max(version) from schema_version") == [(newest,)]
    versions = [v for (v,) in query(db_path, "select version from schema_version order by version")]
    assert versions == list(range(1, newest + 1))
    assert import_files(db_path, [make_csv("don_vi.csv", UNITS)]).ok
    assert query(db_path, "select count(*), max(version) from schema_version") == [(newest, newest)]


# --- progress of `dvk import` -------------------------------------------------------------------------

PROGRESS_LINE = re.compile(r"^(Đọc tệp|Kiểm tra bảng|Ghi bảng): (\d+)/(\d+)$")


def test_dvk_import_shows_progress_on_stderr_for_a_long_import(db_path, make_csv, monkeypatch, capsys):
    """The progress is quiet for the first second: a fake clock makes the import 'long'."""
    clock = itertools.chain([0.0], itertools.count(5.0))  # started at 0, every later look 5s+ on
    monkeypatch.setattr(import_command, "time", types.SimpleNamespace(monotonic=lambda: next(clock)))
    records = [good("dang_ky", ma_dang_ky=f"DK-{i}", ten_chu_the=f"Chi bộ {i}") for i in range(500)]
    files = [make_csv("don_vi.csv", UNITS), make_csv("dang_ky.csv", rows_of("dang_ky", *records))]
    assert cli.main(["import", "--db", str(db_path), *map(str, files)]) == 0
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert lines and all(PROGRESS_LINE.match(line) for line in lines), lines
    stages = [PROGRESS_LINE.match(line).group(1) for line in lines]
    assert stages.index("Đọc tệp") < stages.index("Kiểm tra bảng") < stages.index("Ghi bảng")
    assert all(int(m[2]) <= int(m[3]) for m in map(PROGRESS_LINE.match, lines))
    assert lines[-1] == "Ghi bảng: 2/2"
    assert "Đã nhập" in captured.out and "Đọc tệp" not in captured.out


def test_dvk_import_of_a_small_file_prints_no_progress(db_path, make_csv, capsys):
    assert cli.main(["import", "--db", str(db_path), str(make_csv("don_vi.csv", UNITS))]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert "Đã nhập: Đơn vị: 2 dòng mới" in captured.out

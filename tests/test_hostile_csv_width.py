"""CSV files whose first lines are longer than the 64 KB the separator detection looks at: the
width comes from whole lines (nothing past the cut is dropped), and a file wider than Excel's
16,384 columns is rejected at once with its own message instead of taking minutes."""

from __future__ import annotations

from support.files import csv_bytes, query

from queries.importer import import_files

UNITS = [
    ["Mã đơn vị", "Tên đơn vị", "Mã đơn vị cấp trên", "Cấp"],
    ["K", "Đảng bộ Khối", None, "Đảng bộ Khối"],
    ["CS1", "Đảng bộ Công ty Điện lực", "K", "Đảng bộ cơ sở"],
]
REG_HEADER = ["Năm", "Mã đơn vị", "Đối tượng", "Tên tập thể, cá nhân", "Tên mô hình", "Lĩnh vực", "Điểm"]


def test_a_title_row_longer_than_64_kb_keeps_every_column(db_path, make_csv):
    # The cut at 64 KB falls inside the header row, before «Điểm»: the score used to vanish silently.
    title = "x" * 65_474
    rows = [[title], REG_HEADER, [2022, "CS1", "Tập thể", "Chi bộ 1", "Mô hình A", "Kinh tế", "88"]]
    report = import_files(db_path, [make_csv("don_vi.csv", UNITS), make_csv("dang_ky.csv", rows)])
    assert report.ok, [p.message("en") for p in report.problems]
    assert query(db_path, "select ten_chu_the, diem from dang_ky") == [("Chi bộ 1", 88.0)]


def test_a_header_line_of_16384_columns_is_read_whole(db_path, make_csv):
    extra = [f"Cột {i}" for i in range(16_384 - len(REG_HEADER) - 1)]
    header = [*REG_HEADER[:-1], *extra, "Điểm"]  # the score is the last of Excel's 16,384 columns
    row = [2022, "CS1", "Tập thể", "Chi bộ 1", "Mô hình A", "Kinh tế", *[None] * len(extra), "75,5"]
    report = import_files(db_path, [make_csv("don_vi.csv", UNITS), make_csv("dang_ky.csv", [header, row])])
    assert report.ok, [p.message("en") for p in report.problems[:3]]
    assert query(db_path, "select diem from dang_ky") == [(75.5,)]


def test_more_columns_than_excel_allows_is_one_clear_problem(db_path, make_csv, tmp_path):
    import_files(db_path, [make_csv("don_vi.csv", UNITS)])
    before = db_path.read_bytes()
    wide = tmp_path / "dang_ky.csv"
    wide.write_bytes(csv_bytes([[*REG_HEADER, *[f"c{i}" for i in range(100_000)]]]))
    report = import_files(db_path, [wide])
    assert [(p.code, p.file) for p in report.problems] == [("too_many_columns", "dang_ky.csv")]
    assert report.problems[0].message() == (
        "Tệp dang_ky.csv: tệp có 100.007 cột, nhiều hơn giới hạn 16.384 cột của Excel."
    )
    assert report.problems[0].message("en") == (
        "File dang_ky.csv: the file has 100,007 columns, more than Excel's limit of 16,384."
    )
    assert db_path.read_bytes() == before


def test_a_title_cell_of_1_mb_does_not_hide_the_header(db_path, make_csv):
    # Python's csv module refused fields over 128 KB: the file was read one column wide.
    rows = [["B" * (1 << 20)], REG_HEADER, [2022, "CS1", "Tập thể", "Chi bộ 1", "Mô hình A", "Kinh tế", "9"]]
    report = import_files(db_path, [make_csv("don_vi.csv", UNITS), make_csv("dang_ky.csv", rows)])
    assert report.ok, [p.message("en") for p in report.problems]
    assert query(db_path, "select ten_chu_the, diem from dang_ky") == [("Chi bộ 1", 9.0)]

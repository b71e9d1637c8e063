"""Excel cells as people leave them.

Cells whose formula failed (#DIV/0!, #N/A, #REF!, ...) are reported where they are, in the user's
language, never read as empty cells or as text: the import is refused and writes nothing.
Cells merged down a column hold their value on every row they cover; merges across columns do not
spread a value into the next column.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date

import openpyxl
import pytest
from support.files import FailedFormula, query

from queries import parse, readers, xlsx_guard
from queries.importer import import_files

UNITS = [
    ["Mã đơn vị", "Tên đơn vị", "Mã đơn vị cấp trên", "Cấp"],
    ["K", "Đảng bộ Khối", None, "Đảng bộ Khối"],
    ["CS1", "Đảng bộ Công ty Điện lực", "K", "Đảng bộ cơ sở"],
]
HEADER = ["STT", "Năm", "Mã đơn vị", "Đối tượng", "Tên tập thể, cá nhân", "Tên mô hình", "Lĩnh vực", "Điểm"]


def row(n: int, **changes) -> list:
    values = {
        "Năm": 2022,
        "Mã đơn vị": "CS1",
        "Đối tượng": "Tập thể",
        "Tên tập thể, cá nhân": f"Chi bộ {n}",
        "Tên mô hình": "Dân vận khéo trong chuyển đổi số",
        "Lĩnh vực": "Kinh tế",
        "Điểm": 80,
    }
    values.update(changes)
    return [n, *(values[h] for h in HEADER[1:])]


def located(report) -> list[tuple]:
    return [(p.code, p.sheet, p.row, p.column, p.value) for p in report.problems]


def test_a_workbook_read_shows_what_excel_shows_in_error_cells(make_xlsx):
    path = make_xlsx(
        "errors.xlsx",
        {"S": [["a", "b"], ["x", FailedFormula("=1/0", "#DIV/0!")], [FailedFormula("=NA()", "#N/A"), 5]]},
    )
    (grid,) = readers.read_excel(path, "errors.xlsx")
    assert grid.cells.rows() == [("a", "b"), ("x", "#DIV/0!"), ("#N/A", "5")]


def test_error_cells_are_each_reported_once_and_nothing_is_written(db_path, make_xlsx):
    rows = [
        ["Danh sách đăng ký"],
        HEADER,
        row(1),
        row(2, **{"Điểm": FailedFormula("=1/0", "#DIV/0!")}),  # optional number
        row(3, **{"Tên mô hình": FailedFormula("=NA()", "#N/A")}),  # free text
        row(4, **{"Lĩnh vực": FailedFormula("=#REF!", "#REF!")}),  # choice
        row(5, **{"Năm": FailedFormula('="a"+1', "#VALUE!")}),  # required integer
        row(6, **{"Mã đơn vị": FailedFormula("=VLOOKUP(1,A1:A2,2,0)", "#N/A")}),  # unit code
    ]
    path = make_xlsx("dang_ky.xlsx", {"Đơn vị": UNITS, "Đăng ký": rows})
    report = import_files(db_path, [path])
    assert not report.ok
    assert located(report) == [
        ("excel_error", "Đăng ký", 4, "Điểm", "#DIV/0!"),
        ("excel_error", "Đăng ký", 5, "Tên mô hình", "#N/A"),
        ("excel_error", "Đăng ký", 6, "Lĩnh vực", "#REF!"),
        ("excel_error", "Đăng ký", 7, "Năm", "#VALUE!"),
        ("excel_error", "Đăng ký", 8, "Mã đơn vị", "#N/A"),
    ]
    assert report.problems[0].message("vi") == (
        "Tệp dang_ky.xlsx, trang «Đăng ký», dòng 4, cột «Điểm»: ô có lỗi công thức Excel «#DIV/0!»"
        " — sửa công thức hoặc nhập giá trị."
    )
    assert "Excel formula error «#N/A»" in report.problems[1].message("en")
    assert not db_path.exists() or query(db_path, "select count(*) from dang_ky") == [(0,)]


def test_the_same_workbook_without_the_errors_imports(db_path, make_xlsx):
    rows = [HEADER, row(1), row(2, **{"Điểm": 75.5})]
    report = import_files(db_path, [make_xlsx("dang_ky.xlsx", {"Đơn vị": UNITS, "Đăng ký": rows})])
    assert report.ok, [p.message("en") for p in report.problems]
    assert query(db_path, "select diem from dang_ky order by diem") == [(75.5,), (80.0,)]


@pytest.mark.parametrize("error", parse.EXCEL_ERRORS)
def test_a_csv_saved_from_excel_holds_the_errors_as_text(db_path, make_csv, error):
    import_files(db_path, [make_csv("don_vi.csv", UNITS)])
    report = import_files(db_path, [make_csv("dang_ky.csv", [HEADER, row(1), row(2, **{"Điểm": error})])])
    assert located(report) == [("excel_error", None, 3, "Điểm", error)]


def test_an_error_among_many_repeated_values_is_found(db_path, make_csv):
    """Columns whose values repeat are checked once per distinct value (the importer's fast way)."""
    import_files(db_path, [make_csv("don_vi.csv", UNITS)])
    n = 3 * parse.DISTINCT_SAMPLE
    rows = [HEADER, *(row(i) for i in range(1, n + 1))]
    rows[n - 7] = row(n - 7, **{"Lĩnh vực": "#N/A", "Điểm": "#NUM!"})
    report = import_files(db_path, [make_csv("dang_ky.csv", rows)])
    assert located(report) == [
        ("excel_error", None, n - 6, "Lĩnh vực", "#N/A"),
        ("excel_error", None, n - 6, "Điểm", "#NUM!"),
    ]
    assert query(db_path, "select count(*) from dang_ky") == [(0,)]


# --- merged cells ---------------------------------------------------------------------------------


def _book(path, sheets: dict[str, tuple[list[list], list[str]]]):
    """An openpyxl workbook: sheet name -> (rows, merged ranges)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, (rows, merges) in sheets.items():
        sheet = book.create_sheet(name)
        for r in rows:
            sheet.append(r)
        for ref in merges:
            sheet.merge_cells(ref)
    book.save(path)
    return path


def test_cells_merged_down_a_column_hold_their_value_on_every_row(db_path, tmp_path):
    day = date(2022, 3, 1)
    header = [*HEADER, "Ngày đăng ký"]
    rows = [
        header,
        [*row(1), day],
        [*row(2, **{"Mã đơn vị": None, "Đối tượng": None}), None],
        [*row(3, **{"Mã đơn vị": None, "Đối tượng": None}), None],
    ]
    merges = ["C2:C4", "D2:D4", "I2:I4"]  # unit code, subject and a real date cell, over three rows
    path = _book(tmp_path / "gop.xlsx", {"Đơn vị": (UNITS, []), "Đăng ký": (rows, merges)})
    report = import_files(db_path, [path])
    assert report.ok, [p.message("en") for p in report.problems]
    assert query(
        db_path, "select ten_chu_the, ma_don_vi, doi_tuong, ngay_dang_ky from dang_ky order by 1"
    ) == [(f"Chi bộ {n}", "CS1", "Tập thể", day) for n in (1, 2, 3)]


def test_a_merge_across_columns_does_not_fill_the_next_column(db_path, tmp_path):
    rows = [HEADER, row(1), row(2, **{"Lĩnh vực": None})]
    path = _book(tmp_path / "gop.xlsx", {"Đơn vị": (UNITS, []), "Đăng ký": (rows, ["F3:G3"])})
    report = import_files(db_path, [path])
    assert located(report) == [("required", "Đăng ký", 3, "Lĩnh vực", None)]


def test_a_merge_reaching_past_the_last_row_is_harmless(db_path, tmp_path):
    rows = [HEADER, row(1), row(2, **{"Mã đơn vị": None})]
    path = _book(tmp_path / "gop.xlsx", {"Đơn vị": (UNITS, []), "Đăng ký": (rows, ["C2:C40"])})
    report = import_files(db_path, [path])
    assert report.ok, [p.message("en") for p in report.problems]
    assert query(db_path, "select count(*) from dang_ky where ma_don_vi = 'CS1'") == [(2,)]


def _swap_sheet_files(path):
    """The same workbook with its two worksheet files swapped (the relations follow): the files'
    numbers no longer follow the sheets' order, as after Excel users move sheets around."""
    swap = {
        "xl/worksheets/sheet1.xml": "xl/worksheets/sheet2.xml",
        "xl/worksheets/sheet2.xml": "xl/worksheets/sheet1.xml",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/_rels/workbook.xml.rels":
                data = (
                    data.replace(b"worksheets/sheet1.xml", b"@1")
                    .replace(b"worksheets/sheet2.xml", b"worksheets/sheet1.xml")
                    .replace(b"@1", b"worksheets/sheet2.xml")
                )
            dst.writestr(swap.get(item.filename, item.filename), data)
    path.write_bytes(out.getvalue())
    return path


def test_merges_are_read_from_the_sheet_they_belong_to(tmp_path):
    rows = [HEADER, row(1), row(2, **{"Mã đơn vị": None})]
    path = _book(tmp_path / "gop.xlsx", {"Đăng ký": (rows, ["C2:C3"]), "Khác": ([["x"], [None]], ["A1:B1"])})
    _swap_sheet_files(path)
    assert xlsx_guard.check_workbook(path) == {"Đăng ký": [(1, 2, 2, 2)], "Khác": [(0, 0, 0, 1)]}
    grids = {g.sheet: g for g in readers.read_excel(path, "gop.xlsx")}
    assert grids["Đăng ký"].cells.get_column("c2").to_list() == ["Mã đơn vị", "CS1", "CS1"]

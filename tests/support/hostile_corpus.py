"""The hostile corpus: broken, odd and malicious import files, built by the tests (never committed).

Each Case builds its files into a folder of its own and says what the importer must do with them:
reject them with these problem codes, the first problem located at `where` (file, sheet, row,
column), every problem a full sentence in Vietnamese and English, the database file and every
table unchanged; or accept them (the case name says so), `check` asserting the sensible outcome.
tests/test_hostile_corpus.py runs every case through the Python API and `dvk import`;
tests/test_importer_paths.py imports the CSV cases whole and in pieces.
"""

from __future__ import annotations

import io
import os
import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from queries import export, store
from support import bombs, sheets
from support.files import csv_bytes, query, write_xlsx
from support.sheets import UNITS

REG = sheets.REG_KEYED
REG_DATE = [*REG, "Ngày đăng ký", "Điểm"]
SIZES = sheets.SIZE_HEADER
AWARDS = sheets.AWARD_HEADER
CONFERENCES = ["Mã đơn vị", "Năm", "Loại hội nghị", "Ngày", "Số người dự", "Số đảng viên dự"]
SQL = "'); drop table dang_ky; --"
MB = 1 << 20


def reg(code: str, name: str = "Chi bộ 1", year: object = 2022, unit: str = "CS1") -> list:
    return [code, year, unit, "Tập thể", name, "Mô hình A", "Kinh tế"]


BASE_REGS = [REG, reg("DK1"), reg("DK2", "Nguyễn Văn A"), reg("DK3", "Chi bộ 2", 2023, "CS2")]


def base_files(folder: Path) -> list[Path]:
    """The first import every case starts from: a row or more in every table."""
    folder.mkdir(parents=True, exist_ok=True)
    book = write_xlsx(
        folder / "nen.xlsx",
        {
            "Đơn vị": UNITS,
            "Quy mô": [SIZES, ["CS1", 2022, 40, 300], ["CS2", 2022, 12, 50]],
            "Đăng ký": BASE_REGS,
            "Khen thưởng": [
                AWARDS,
                ["12-QĐ/ĐUK", 2022, "CS1", "Tập thể", "Chi bộ 1", "Giấy khen", "Đảng ủy Khối"],
            ],
            "Hội nghị": [CONFERENCES, ["CS1", 2022, "Sơ kết", "15/06/2022", 80, 30]],
        },
    )
    return [book]


@dataclass
class Case:
    name: str
    build: Callable[[Path], list[Path]]
    codes: set[str] | None = None  # None: the files are acceptable
    where: tuple | None = None  # (file, sheet, row, column) of the first problem
    check: Callable[..., None] | None = None  # (report, db) for an accepted case
    exact: bool = True  # False: the codes must be among those reported (garbled text gives many)
    needs: str | None = None  # an optional module the builder uses

    @property
    def accepted(self) -> bool:
        return self.codes is None


# --- builders -------------------------------------------------------------------------------------


def _csv(name: str, rows: list[list] | bytes, **kw) -> Callable[[Path], list[Path]]:
    def build(folder: Path) -> list[Path]:
        path = folder / name
        path.write_bytes(rows if isinstance(rows, bytes) else csv_bytes(rows, **kw))
        return [path]

    return build


def _raw(name: str, data: bytes | Callable[[], bytes]) -> Callable[[Path], list[Path]]:
    def build(folder: Path) -> list[Path]:
        path = folder / name
        path.write_bytes(data() if callable(data) else data)
        return [path]

    return build


def _xlsx(name: str, sheets: dict[str, list[list]]) -> Callable[[Path], list[Path]]:
    def build(folder: Path) -> list[Path]:
        return [write_xlsx(folder / name, sheets)]

    return build


def _many(*builders: Callable[[Path], list[Path]]) -> Callable[[Path], list[Path]]:
    def build(folder: Path) -> list[Path]:
        return [p for b in builders for p in b(folder)]

    return build


def _workbook_bytes(sheets: dict[str, list[list]]) -> bytes:
    buffer = io.BytesIO()
    import xlsxwriter

    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, int | float) and not isinstance(value, bool):
                    sheet.write_number(r, c, value)
                elif value is not None:
                    sheet.write_string(r, c, str(value))
    book.close()
    return buffer.getvalue()


def _rezip(source: bytes, change: Callable[[str, bytes], bytes | None]) -> bytes:
    """The workbook with each part passed through change(name, data) (None drops the part)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = change(info.filename, src.read(info))
            if data is not None:
                dst.writestr(info.filename, data)
    return out.getvalue()


GOOD_BOOK = {"Đăng ký": [REG, reg("DK9", "Chi bộ 9")]}


def _encrypted_xlsx(folder: Path) -> list[Path]:
    """A workbook really protected by a password (ECMA-376 agile encryption, as Excel does it)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    path = folder / "mat_khau.xlsx"
    with path.open("wb") as out:
        OOXMLFile(io.BytesIO(_workbook_bytes(GOOD_BOOK))).encrypt("matkhau123", out)
    return [path]


def _formulas_cached(folder: Path) -> list[Path]:
    """Formulas as Excel saves them: the formula and its last computed value."""
    import xlsxwriter

    path = folder / "cong_thuc.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Đăng ký")
    sheet.write_row(0, 0, REG)
    sheet.write_row(1, 0, ["DKF1"])
    sheet.write_formula(1, 1, "=2020+2", None, 2022)
    sheet.write_row(1, 2, ["CS1", "Tập thể"])
    sheet.write_formula(1, 4, '="Chi bộ "&"công thức"', None, "Chi bộ công thức")
    sheet.write_row(1, 5, ["Mô hình A", "Kinh tế"])
    book.close()
    return [path]


def _formulas_uncached(folder: Path) -> list[Path]:
    """Formulas written by a program that does not compute them (openpyxl): no value to read."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Đăng ký"
    sheet.append(REG)
    sheet.append(["DKF2", "=2020+2", "CS1", "Tập thể", '="Chi bộ "&"X"', "Mô hình A", "Kinh tế"])
    path = folder / "cong_thuc_chua_tinh.xlsx"
    book.save(path)
    return [path]


def _formula_error(folder: Path) -> list[Path]:
    import xlsxwriter

    path = folder / "loi_cong_thuc.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Đăng ký")
    sheet.write_row(0, 0, REG)
    sheet.write_row(1, 0, ["DKF3"])
    sheet.write_formula(1, 1, "=1/0", None, "#DIV/0!")
    sheet.write_row(1, 2, ["CS1", "Tập thể", "Chi bộ 1", "Mô hình A", "Kinh tế"])
    book.close()
    return [path]


def _merged_cells(folder: Path) -> list[Path]:
    """The unit code merged over two rows, as people do for rows of the same unit."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Đăng ký"
    sheet.append(REG)
    sheet.append(reg("DKM1", "Chi bộ 1"))
    sheet.append(["DKM2", 2022, None, "Tập thể", "Chi bộ 2", "Mô hình A", "Kinh tế"])
    sheet.merge_cells("C2:C3")
    path = folder / "gop_o.xlsx"
    book.save(path)
    return [path]


def _merged_title(folder: Path) -> list[Path]:
    """A title merged across the columns above the header row (every report form has one)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Đăng ký"
    sheet.append(["DANH SÁCH ĐĂNG KÝ MÔ HÌNH DÂN VẬN KHÉO NĂM 2022"])
    sheet.merge_cells("A1:G1")
    sheet.append(REG)
    sheet.append(reg("DKT1", "Chi bộ tiêu đề gộp"))
    path = folder / "tieu_de_gop.xlsx"
    book.save(path)
    return [path]


def _huge_inline_cell(folder: Path) -> list[Path]:
    """A 1 MB cell inside a workbook (beyond Excel's 32,767 characters: written by hand)."""
    marker = "CELL-MARKER"
    data = _workbook_bytes({"Đăng ký": [REG, reg("DKB1", marker)]})
    big = ("Ấ" * (MB // 3)).encode("utf-8")

    def change(name: str, part: bytes) -> bytes:
        return part.replace(marker.encode(), big)

    path = folder / "o_1mb.xlsx"
    path.write_bytes(_rezip(data, change))
    return [path]


def _sheet_part_missing(folder: Path) -> list[Path]:
    data = _rezip(_workbook_bytes(GOOD_BOOK), lambda n, d: None if n.startswith("xl/worksheets/") else d)
    path = folder / "thieu_trang.xlsx"
    path.write_bytes(data)
    return [path]


def _broken_sheet_xml(folder: Path) -> list[Path]:
    bad = b"<worksheet><sheetData><row r='1'><c r='A1' t='s'><v>99999</v></c></row><row"
    data = _rezip(_workbook_bytes(GOOD_BOOK), lambda n, d: bad if n.startswith("xl/worksheets/") else d)
    path = folder / "xml_hong.xlsx"
    path.write_bytes(data)
    return [path]


def _zip_without_workbook(folder: Path) -> list[Path]:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("readme.txt", "không phải sổ tính")
    path = folder / "zip_thuong.xlsx"
    path.write_bytes(buffer.getvalue())
    return [path]


def _hundred_thousand_columns(folder: Path) -> list[Path]:
    header = ",".join([*REG, *(f"Cột {i}" for i in range(100_000 - len(REG)))])
    row = ",".join(["DKW", "2022", "CS1", "Tập thể", "Chi bộ", "Mô hình", "Kinh tế"]) + "," * (
        100_000 - len(REG)
    )
    path = folder / "dang_ky_rong.csv"
    path.write_bytes(f"{header}\r\n{row}\r\n".encode())
    return [path]


def _a_directory(folder: Path) -> list[Path]:
    path = folder / "dang_ky.csv"
    path.mkdir()
    return [path]


def _same_file_twice(folder: Path) -> list[Path]:
    one = folder / "dang_ky.csv"
    one.write_bytes(csv_bytes([REG, reg("DKS1", "Chi bộ S")]))
    two = folder / "dang_ky_ban_sao.csv"
    two.write_bytes(one.read_bytes())
    return [one, two]


def _missing_file(folder: Path) -> list[Path]:
    return [folder / "khong_co.csv"]


def _unreadable_permissions(folder: Path) -> list[Path]:
    path = folder / "dang_ky.csv"
    path.write_bytes(csv_bytes([REG, reg("DKP1")]))
    path.chmod(0)
    return [path]


def _far_corner(variant: str) -> Callable[[Path], list[Path]]:
    def build(folder: Path) -> list[Path]:
        return [bombs.far_corner(folder / f"goc_xa_{variant}.xlsx", variant)]

    return build


def _whitespace_bomb(folder: Path) -> list[Path]:
    path = bombs.whitespace_bomb(folder / "bom_khoang_trang.xlsx")
    assert path.stat().st_size < 2 * MB  # 1.5 GiB inflated
    return [path]


def _lying_header(folder: Path) -> list[Path]:
    return [bombs.lying_header(folder / "dau_muc_gia.xlsx")]


def _lone_surrogate_utf16(folder: Path) -> list[Path]:
    """A UTF-16 CSV (Excel's "Unicode text") whose name holds half of a surrogate pair."""
    text = csv_bytes([REG, reg("DKU9", "Chi bộ HALF lẻ")]).decode("utf-8").replace("HALF", "\ud83d")
    path = folder / "dang_ky_utf16.csv"
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le", "surrogatepass"))
    return [path]


def _check_lossy(report, db: Path, before: dict) -> None:
    assert query(db, "select ten_chu_the from dang_ky where ma_dang_ky = 'DKU9'") == [("Chi bộ \ufffd lẻ",)]
    (notice,) = [n for n in report.notices if n.code == "lossy_encoding"]
    assert notice.file == "dang_ky_utf16.csv" and "«\ufffd»" in notice.message("vi") + notice.message("en")
    assert_tables_intact(db, before)


FULLWIDTH = ["＝4+4", "＋84 912", "－1", "＠SUM(A1)"]


def _check_fullwidth_exported_as_text(report, db: Path, before: dict) -> None:
    import polars as pl

    names = [
        r[0] for r in query(db, "select ten_chu_the from dang_ky where ma_dang_ky like 'DKW%' order by 1")
    ]
    assert sorted(names) == sorted(FULLWIDTH)  # stored verbatim
    exported = export.to_csv_bytes(pl.DataFrame({"ten_chu_the": names})).decode("utf-8-sig").splitlines()[1:]
    assert sorted(exported) == sorted("'" + n for n in FULLWIDTH)  # Excel shows them, never runs them
    assert_tables_intact(db, before)


def _check_nothing_added(table: str) -> Callable[..., None]:
    def check(report, db: Path, before: dict) -> None:
        assert {t: (c.added, c.updated) for t, c in report.counts.items()} == {table: (0, 0)}
        assert_data_unchanged(db, before)

    return check


def _check_stored(sql: str, expected: list[tuple]) -> Callable[..., None]:
    def check(report, db: Path, before: dict) -> None:
        assert query(db, sql) == expected
        assert_tables_intact(db, before)

    return check


DATA_TABLES = ("don_vi", "quy_mo", "dang_ky", "khen_thuong", "hoi_nghi")


def fingerprint(db: Path) -> dict[str, tuple]:
    """Every table of the database: its row count and its rows (sorted), by name."""
    con = store.connect_read_only(db)
    try:
        cur = store.cursor_on(con)
        tables = [r[0] for r in cur.execute("select table_name from information_schema.tables").fetchall()]
        out = {}
        for table in sorted(tables):
            rows = sorted(cur.execute(f'select * from "{table}"').fetchall(), key=repr)
            out[table] = (len(rows), tuple(rows))
        return out
    finally:
        con.close()


def assert_data_unchanged(db: Path, before: dict) -> None:
    after = fingerprint(db)
    for table in DATA_TABLES:
        assert after[table] == before[table], table


def assert_tables_intact(db: Path, before: dict) -> None:
    """Every table still there, and no row of before lost."""
    after = fingerprint(db)
    assert set(after) == set(before)
    for table in DATA_TABLES:
        assert set(before[table][1]) <= set(after[table][1]), table


def _check_huge_name(report, db: Path, before: dict) -> None:
    ((length,),) = query(db, "select length(ten_chu_the) from dang_ky where ma_dang_ky = 'DKB1'")
    assert length == MB // 3
    assert_tables_intact(db, before)


def _check_sql_text(report, db: Path, before: dict) -> None:
    assert query(db, "select ten_don_vi from don_vi where ma_don_vi = 'X1'") == [(SQL,)]
    assert query(db, "select ma_don_vi, ten_don_vi from don_vi where ma_don_vi like 'X2%'") == [
        ("X2; DROP TABLE don_vi", "Robert'); DROP TABLE Students;--")
    ]
    assert query(db, "select so_quyet_dinh from khen_thuong where ten_chu_the = $n", {"n": SQL}) == [
        ("1'; delete from khen_thuong; --",)
    ]
    assert_tables_intact(db, before)
    assert fingerprint(db)["don_vi"][0] == before["don_vi"][0] + 2


def _check_log_names_file(name: str) -> Callable[..., None]:
    def check(report, db: Path, before: dict) -> None:
        assert query(
            db, "select distinct file_name from nhat_ky_nhap where import_id = $i", {"i": report.import_id}
        ) == [(name,)]
        assert_tables_intact(db, before)

    return check


# --- the corpus -----------------------------------------------------------------------------------

BAD_DATES = [
    REG_DATE,
    [*reg("DKD1", "A"), "31/02/2023", None],
    [*reg("DKD2", "B"), "29/02/2023", None],
    [*reg("DKD3", "C"), "00/01/2023", None],
    [*reg("DKD4", "D"), "-45000", None],
    [*reg("DKD5", "E"), "31/12/9999", None],
]

CASES: list[Case] = [
    # empty and not-a-table files
    Case("empty_csv", _raw("dang_ky.csv", b""), {"empty_file"}, ("dang_ky.csv", None, None, None)),
    Case("empty_xlsx", _raw("dang_ky.xlsx", b""), {"empty_file"}, ("dang_ky.xlsx", None, None, None)),
    Case("bom_only_csv", _raw("dang_ky.csv", b"\xef\xbb\xbf"), {"no_table"}),
    Case("blank_lines_only_csv", _raw("dang_ky.csv", b"\r\n\r\n  \r\n\t\r\n"), {"no_table"}),
    Case("whitespace_only_txt", _raw("ghi_chu.txt", b"   \t  \n "), {"no_table"}),
    Case("unrelated_table_csv", _csv("bang_luong.csv", [["Họ tên", "Lương"], ["A", "1.000"]]), {"no_table"}),
    Case(
        "instructions_sheet_only_xlsx",
        _xlsx("huong_dan.xlsx", {"Hướng dẫn": [["Điền dữ liệu vào các trang theo mẫu"]]}),
        {"no_table"},
    ),
    Case("all_sheets_empty_xlsx", _xlsx("trong.xlsx", {"Đăng ký": [], "Sheet2": []}), {"no_table"}),
    # not what the name says
    Case("binary_renamed_xlsx", _raw("dang_ky.xlsx", random.Random(7).randbytes(4096)), {"unreadable"}),
    Case("binary_renamed_csv", _raw("dang_ky.csv", bytes(range(256)) * 16), {"unreadable"}, exact=False),
    Case("png_renamed_xlsx", _raw("anh.xlsx", b"\x89PNG\r\n\x1a\n" + b"\0" * 200), {"unreadable"}),
    Case("csv_text_renamed_xlsx", _raw("dang_ky.xlsx", csv_bytes([REG, reg("DKR1")])), {"unreadable"}),
    Case("csv_text_renamed_ods", _raw("dang_ky.ods", csv_bytes([REG, reg("DKR2")])), {"unreadable"}),
    Case("workbook_renamed_csv", _raw("dang_ky.csv", lambda: _workbook_bytes(GOOD_BOOK)), {"unreadable"}),
    Case(
        "ole_junk_renamed_xls",
        _raw("dang_ky.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8),
        {"unreadable"},
    ),
    Case(
        "password_protected_xlsx",
        _encrypted_xlsx,
        {"password_protected"},
        ("mat_khau.xlsx", None, None, None),
        needs="msoffcrypto",
    ),
    Case(
        "fake_encrypted_ole_container",
        _raw(
            "mat_khau_gia.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + b"EncryptedPackage" * 32
        ),
        {"unreadable"},
    ),
    Case("truncated_xlsx", _raw("cat_ngang.xlsx", lambda: _workbook_bytes(GOOD_BOOK)[:1500]), {"unreadable"}),
    Case("zip_without_workbook", _zip_without_workbook, {"unreadable"}),
    Case("xlsx_missing_sheet_part", _sheet_part_missing, {"unreadable"}),
    Case("xlsx_broken_sheet_xml", _broken_sheet_xml, {"damaged"}),
    # hostile workbooks that aborted the reader (issue 17): a cell in XFD1048576 the old byte
    # patterns missed, 1.5 GiB of whitespace in 1.5 MB, a zip header that understates a part
    *(
        Case(
            f"far_corner_{variant}",
            _far_corner(variant),
            {"sheet_too_large"},
            (f"goc_xa_{variant}.xlsx", "Đơn vị", None, None),
        )
        for variant in bombs.FAR_CORNER
    ),
    Case(
        "whitespace_zip_bomb",
        _whitespace_bomb,
        {"decompressed_too_large"},
        ("bom_khoang_trang.xlsx", None, None, None),
    ),
    Case(
        "zip_header_understates_a_part",
        _lying_header,
        {"decompressed_too_large"},
        ("dau_muc_gia.xlsx", None, None, None),
    ),
    Case("a_directory_named_csv", _a_directory, {"unreadable"}),
    Case("missing_file", _missing_file, {"not_found"}, ("khong_co.csv", None, None, None)),
    Case("same_file_twice", _same_file_twice, {"duplicate_file"}, ("dang_ky_ban_sao.csv", None, None, None)),
    # structure
    Case(
        "named_sheet_without_header_row",
        _xlsx("x.xlsx", {"Đăng ký": [["chỉ có ghi chú"], ["không có tiêu đề cột"]]}),
        {"no_header"},
        ("x.xlsx", "Đăng ký", None, None),
    ),
    Case(
        "header_below_row_20",
        _csv("dang_ky.csv", [[f"Dòng tiêu đề {i}"] for i in range(21)] + [REG, reg("DKH1")]),
        {"no_header"},
    ),
    Case(
        "header_row_only_xlsx_is_a_valid_empty_import",
        _xlsx("chi_tieu_de.xlsx", {"Đăng ký": [REG]}),
        check=_check_nothing_added("dang_ky"),
    ),
    Case(
        "header_row_only_csv_is_a_valid_empty_import",
        _csv("dang_ky.csv", [REG]),
        check=_check_nothing_added("dang_ky"),
    ),
    Case(
        "only_a_total_row_is_a_valid_empty_import",
        _csv("dang_ky.csv", [REG, ["Tổng cộng", None, None, None, None, None, None]]),
        check=_check_nothing_added("dang_ky"),
    ),
    Case(
        "missing_required_column",
        _csv("dang_ky.csv", [REG[:-1], reg("DKC1")[:-1]]),
        {"missing_column"},
        ("dang_ky.csv", None, None, "Lĩnh vực"),
    ),
    Case(
        "repeated_column",
        _csv("dang_ky.csv", [[*REG, "Năm"], [*reg("DKC2"), 2023]]),
        {"duplicate_column"},
        ("dang_ky.csv", None, 1, "Năm"),
    ),
    Case(
        "missing_units_sheet_workbook_refers_to_unknown_units",
        _xlsx("thieu_don_vi.xlsx", {"Đăng ký": [REG, reg("DKU1", unit="CS7")]}),
        {"unknown_unit"},
        ("thieu_don_vi.xlsx", "Đăng ký", 2, "Mã đơn vị"),
    ),
    Case(
        "hundred_thousand_columns",
        _hundred_thousand_columns,
        {"too_many_columns"},
        ("dang_ky_rong.csv", None, None, None),
    ),
    # huge cells
    Case(
        "one_mb_name_in_csv_is_stored_whole",
        _csv("dang_ky.csv", [REG, reg("DKB1", "Ấ" * (MB // 3))]),
        check=_check_huge_name,
    ),
    Case("one_mb_cell_in_xlsx_is_stored_whole", _huge_inline_cell, check=_check_huge_name),
    Case(
        "one_mb_title_row_is_skipped",
        _csv("dang_ky.csv", [["B" * MB], REG, reg("DKB2", "Chi bộ dưới tiêu đề dài")]),
        check=_check_stored(
            "select ten_chu_the from dang_ky where ma_dang_ky = 'DKB2'", [("Chi bộ dưới tiêu đề dài",)]
        ),
    ),
    Case(
        "one_mb_header_cell_is_an_ignored_column",
        _csv("dang_ky.csv", [[*REG, "H" * MB], [*reg("DKB3", "Chi bộ cột dài"), "x"]]),
        check=_check_stored("select count(*) from dang_ky where ma_dang_ky = 'DKB3'", [(1,)]),
    ),
    Case(
        "one_mb_year",
        _csv("dang_ky.csv", [REG, reg("DKB4", year="2" * MB)]),
        {"bad_integer"},
        ("dang_ky.csv", None, 2, "Năm"),
    ),
    # formulas and merged cells
    Case(
        "formulas_with_cached_values_import_the_values",
        _formulas_cached,
        check=_check_stored(
            "select nam, ten_chu_the from dang_ky where ma_dang_ky = 'DKF1'", [(2022, "Chi bộ công thức")]
        ),
    ),
    Case(
        "formulas_never_computed_are_missing_values",
        _formulas_uncached,
        {"required"},
        ("cong_thuc_chua_tinh.xlsx", "Đăng ký", 2, "Năm"),
    ),
    Case(
        "formula_error_value_is_reported_as_such",
        _formula_error,
        {"excel_error"},
        ("loi_cong_thuc.xlsx", "Đăng ký", 2, "Năm"),
    ),
    Case(
        "formula_text_in_csv_year",
        _csv("dang_ky.csv", [REG, reg("DKF4", year="=2020+2")]),
        {"bad_integer"},
        ("dang_ky.csv", None, 2, "Năm"),
    ),
    Case(
        "merged_unit_cells_belong_to_every_row_they_cover",
        _merged_cells,
        check=_check_stored(
            "select ma_dang_ky, ma_don_vi from dang_ky where ma_dang_ky like 'DKM%' order by 1",
            [("DKM1", "CS1"), ("DKM2", "CS1")],
        ),
    ),
    Case(
        "merged_title_above_the_header_is_skipped",
        _merged_title,
        check=_check_stored(
            "select ten_chu_the from dang_ky where ma_dang_ky = 'DKT1'", [("Chi bộ tiêu đề gộp",)]
        ),
    ),
    # duplicate keys
    Case(
        "duplicate_keys_within_a_file",
        _csv("dang_ky.csv", [REG, reg("DKX1", "A"), reg("DKX1", "B")]),
        {"duplicate_key"},
        ("dang_ky.csv", None, 3, "Mã đăng ký"),
    ),
    Case(
        "duplicate_keys_across_files",
        _many(_csv("dang_ky_1.csv", [REG, reg("DKX2", "A")]), _csv("dang_ky_2.csv", [REG, reg("DKX2", "B")])),
        {"duplicate_key"},
        ("dang_ky_2.csv", None, 2, "Mã đăng ký"),
    ),
    Case(
        "duplicate_keys_across_sheets",
        _xlsx("hai_trang.xlsx", {"Đăng ký": [REG, reg("DKX3", "A")], "Đăng ký 2": [REG, reg("DKX3", "B")]}),
        {"duplicate_key"},
        ("hai_trang.xlsx", "Đăng ký 2", 2, "Mã đăng ký"),
    ),
    Case(
        "duplicate_unit_codes",
        _csv(
            "don_vi.csv", [UNITS[0], ["U1", "Một", "K", "Chi bộ cơ sở"], [" U1 ", "Hai", "K", "Chi bộ cơ sở"]]
        ),
        {"duplicate_key"},
        ("don_vi.csv", None, 3, "Mã đơn vị"),
    ),
    Case(
        "duplicate_award_decisions",
        _csv(
            "khen_thuong.csv",
            [
                AWARDS,
                ["1-QĐ", 2022, "CS1", "Cá nhân", "Nguyễn Văn A", "Giấy khen", "Cơ sở"],
                # the same decision of the same year (numbers restart each year: 2023's 1-QĐ is another)
                ["1-QĐ", 2022, "CS2", "cá nhân", "Nguyễn  Văn A", "Bằng khen", "UBND tỉnh"],
            ],
        ),
        {"duplicate_key"},
        ("khen_thuong.csv", None, 3, "Số quyết định"),
    ),
    # the unit tree
    Case(
        "unit_is_its_own_parent",
        _csv("don_vi.csv", [UNITS[0], ["A", "Đơn vị A", "A", "Chi bộ cơ sở"]]),
        {"cycle"},
        ("don_vi.csv", None, 2, "Mã đơn vị cấp trên"),
    ),
    Case(
        "unit_cycle_of_three",
        _csv(
            "don_vi.csv",
            [
                UNITS[0],
                ["A", "a", "B", "Chi bộ cơ sở"],
                ["B", "b", "C", "Chi bộ cơ sở"],
                ["C", "c", "A", "Chi bộ cơ sở"],
            ],
        ),
        {"cycle"},
        ("don_vi.csv", None, 2, "Mã đơn vị cấp trên"),
    ),
    Case(
        "unit_cycle_through_stored_units",
        _csv("don_vi.csv", [UNITS[0], ["K", "Đảng bộ Khối", "CS1", "Đảng bộ Khối"]]),
        {"cycle"},
        ("don_vi.csv", None, 2, "Mã đơn vị cấp trên"),
    ),
    Case(
        "unknown_parent_and_successor",
        _csv(
            "don_vi.csv",
            # ended, so that naming a successor is allowed (DOMAIN.md 3): both codes are unknown
            [
                [*UNITS[0], "Hiệu lực đến", "Mã đơn vị kế thừa"],
                ["A", "a", "ZZ", "Chi bộ cơ sở", "31/01/2025", "YY"],
            ],
        ),
        {"missing_parent", "unknown_successor"},
        ("don_vi.csv", None, 2, "Mã đơn vị cấp trên"),
    ),
    # encodings and separators
    Case("utf32_text", _csv("dang_ky.csv", [REG, reg("DKE1")], encoding="utf-32"), {"required"}, exact=False),
    Case("shift_jis_text", _raw("dang_ky.csv", "年,単位\n2022,CS1\n".encode("shift_jis")), {"no_header"}),
    Case(
        "utf8_read_twice_mojibake",
        _raw(
            "dang_ky.csv",
            csv_bytes([REG, reg("DKE2")]).decode("utf-8").encode("utf-8").decode("latin-1").encode("utf-8"),
        ),
        {"missing_column"},
        ("dang_ky.csv", None, None, "Mã đơn vị"),
    ),
    Case(
        "utf8_with_one_invalid_byte",
        _raw("dang_ky.csv", csv_bytes([REG, reg("DKE3", "Chi bộ \xff")]).replace(b"\xc3\xbf", b"\xff")),
        {"missing_column"},
        ("dang_ky.csv", None, None, "Mã đơn vị"),
    ),
    Case(
        "mixed_separators",
        _raw(
            "dang_ky.csv",
            (";".join(REG) + "\r\nDKS2,2022,CS1,Tập thể,A,Mô hình A,Kinh tế\r\n").encode("utf-8"),
        ),
        {"required"},
        ("dang_ky.csv", None, 2, "Năm"),
    ),
    Case(
        "old_mac_line_endings",
        _raw("dang_ky.csv", csv_bytes([REG, reg("DKE4")]).replace(b"\r\n", b"\r")),
        {"unreadable"},
    ),
    Case(
        "unterminated_quote",
        _raw(
            "dang_ky.csv",
            (
                ",".join(REG[:4])
                + ',"Tên tập thể, cá nhân",Tên mô hình,Lĩnh vực\r\nDKQ,2022,CS1,Tập thể,"A,B,C\r\n'
            ).encode(),
        ),
        {"unreadable"},
        exact=False,
    ),
    # values
    Case(
        "impossible_dates",
        _csv("dang_ky.csv", BAD_DATES),
        {"bad_date"},
        ("dang_ky.csv", None, 2, "Ngày đăng ký"),
    ),
    Case(
        "negative_and_fractional_counts",
        _csv(
            "quy_mo.csv",
            [SIZES, ["CS1", 2024, "-3", "10"], ["CS2", 2024, "2,5", "1.5"], ["K", 2024, "NaN", "inf"]],
        ),
        {"negative", "bad_integer"},
        ("quy_mo.csv", None, 2, "Số đảng viên"),
    ),
    Case(
        "negative_and_fractional_attendance",
        _csv("hoi_nghi.csv", [CONFERENCES, ["CS1", 2023, "Tổng kết", "01/12/2023", "-1", "2,5"]]),
        {"negative", "bad_integer"},
        ("hoi_nghi.csv", None, 2, "Số người dự"),
    ),
    Case(
        "odd_cells_in_xlsx",
        _xlsx(
            "o_la.xlsx",
            {
                "Đăng ký": [
                    REG_DATE,
                    [*reg("DKO1", "A", year=True), None, None],
                    [*reg("DKO2", "B", year=2022.5), None, None],
                    [*reg("DKO3", "C"), -1, 1e308],
                ]
            },
        ),
        {"bad_integer", "bad_date", "score_range"},
        ("o_la.xlsx", "Đăng ký", 2, "Năm"),
    ),
    Case(
        "years_and_scores_out_of_range",
        _csv("dang_ky.csv", [REG_DATE, [*reg("DKR3", "A", year=1066), None, "101"]]),
        {"year_range", "score_range"},
        ("dang_ky.csv", None, 2, "Năm"),
    ),
    Case(
        "sql_text_in_enum_values",
        _csv("dang_ky.csv", [REG, ["DKQ2", 2022, "CS1", "Tập thể'; drop table dang_ky; --", "A", "B", SQL]]),
        {"bad_choice"},
        ("dang_ky.csv", None, 2, "Đối tượng"),
    ),
    # malicious but valid text: stored verbatim
    Case(
        "sql_text_in_names_is_stored_verbatim",
        _many(
            _csv(
                "don_vi.csv",
                [
                    UNITS[0],
                    ["X1", SQL, "K", "Chi bộ cơ sở"],
                    ["X2; DROP TABLE don_vi", "Robert'); DROP TABLE Students;--", "K", "Chi bộ cơ sở"],
                ],
            ),
            _csv(
                "khen_thuong.csv",
                [
                    AWARDS,
                    ["1'; delete from khen_thuong; --", 2022, "X1", "Tập thể", SQL, "Giấy khen", "Cơ sở"],
                ],
            ),
        ),
        check=_check_sql_text,
    ),
    Case(
        "sql_text_in_the_file_name_is_logged_verbatim",
        _csv("dang_ky'); drop table don_vi; --.csv", [REG, reg("DKQ3", "Chi bộ tên tệp")]),
        check=_check_log_names_file("dang_ky'); drop table don_vi; --.csv"),
    ),
    Case(
        "spreadsheet_formula_text_in_a_name_is_stored_verbatim",
        _csv("dang_ky.csv", [REG, reg("DKQ4", "=cmd|' /C calc'!A0")]),
        check=_check_stored(
            "select ten_chu_the from dang_ky where ma_dang_ky = 'DKQ4'", [("=cmd|' /C calc'!A0",)]
        ),
    ),
    Case("lone_surrogate_is_replaced_with_a_notice", _lone_surrogate_utf16, check=_check_lossy),
    Case(
        "fullwidth_formula_text_is_stored_verbatim_and_exported_as_text",
        _csv("dang_ky.csv", [REG, *(reg(f"DKW{i}", name) for i, name in enumerate(FULLWIDTH))]),
        check=_check_fullwidth_exported_as_text,
    ),
    Case(
        "emoji_and_bidi_text_is_stored_and_zero_width_spaces_collapse",
        _csv("dang_ky.csv", [REG, reg("DKQ5", "Chi\u200bbộ 😀 \u202eABC")]),
        check=_check_stored(
            "select ten_chu_the from dang_ky where ma_dang_ky = 'DKQ5'", [("Chi bộ 😀 \u202eABC",)]
        ),
    ),
]

if os.geteuid() != 0:  # root reads a file whatever its mode
    CASES.append(Case("unreadable_permissions", _unreadable_permissions, {"unreadable"}))

"""The importer reads what Excel users produce: sheet/file recognition, messy headers, title rows,
blank and total rows, encodings and separators, Vietnamese numbers, dates and enum spellings."""

from __future__ import annotations

import codecs
import unicodedata
from datetime import date

import pytest
from support.files import csv_bytes, query
from support.sheets import AWARD_HEADER, REG_HEADER, SIZE_HEADER, UNIT_HEADER, UNITS

from queries import readers, vocab
from queries.importer import import_files


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def codes(report) -> list[str]:
    return [p.code for p in report.problems]


# --- sheets and files -----------------------------------------------------------------------------


@pytest.mark.parametrize("sheet_name", ["Đăng ký", "dang_ky", "DANG KY", nfd("Đăng ký"), "Dang Ky 2022"])
def test_sheet_recognised_by_name_any_spelling(units_db, make_xlsx, sheet_name):
    path = make_xlsx(
        "x.xlsx", {sheet_name: [REG_HEADER, [2022, "CS1", "Tập thể", "Chi bộ 1", "Mô hình A", "Kinh tế"]]}
    )
    report = import_files(units_db, [path])
    assert report.ok, [p.message("en") for p in report.problems]
    assert report.counts["dang_ky"].added == 1


def test_sheet_recognised_by_headers_and_instructions_sheet_ignored(units_db, make_xlsx):
    path = make_xlsx(
        "x.xlsx",
        {
            "Hướng dẫn": [["HƯỚNG DẪN NHẬP LIỆU"], ["Mỗi trang là một bảng; Năm ghi 4 chữ số."]],
            "Ghi chú": [["GHI CHÚ CỦA ĐƠN VỊ"], ["Số liệu đến 15/10."]],
            "Sheet1": [REG_HEADER, [2022, "CS1", "Tập thể", "Chi bộ 1", "Mô hình A", "Kinh tế"]],
            "Trống": [],
        },
    )
    report = import_files(units_db, [path])
    assert report.ok
    assert report.rows_read == {"dang_ky": 1}
    # the template's own instructions sheet is skipped silently (issue 19), any other is announced
    ignored = [n for n in report.notices if n.code == "ignored_sheet"]
    assert [n.sheet for n in ignored] == ["Ghi chú"]
    assert "Ghi chú" in ignored[0].message() and "bỏ qua" in ignored[0].message()
    assert "ignored" in ignored[0].message("en")


@pytest.mark.parametrize(
    "file_name", ["dang_ky_2021.csv", "Đăng ký.csv", nfd("Đăng ký 2022.csv"), "DANG-KY.csv"]
)
def test_csv_recognised_by_file_name_prefix(units_db, make_csv, file_name):
    rows = [["nam", "ma_don_vi", "doi_tuong", "ten_chu_the", "ten_mo_hinh", "linh_vuc"]]
    rows.append([2022, "CS1", "Tập thể", "Chi bộ 1", "Mô hình A", "Kinh tế"])
    report = import_files(units_db, [make_csv(file_name, rows)])
    assert report.ok, [p.message("en") for p in report.problems]
    assert report.rows_read == {"dang_ky": 1}


def test_csv_recognised_by_headers(units_db, make_csv):
    rows = [REG_HEADER, [2022, "CS1", "Tập thể", "Chi bộ 1", "Mô hình A", "Kinh tế"]]
    report = import_files(units_db, [make_csv("export (3).csv", rows)])
    assert report.ok
    assert report.rows_read == {"dang_ky": 1}


def test_workbook_holding_several_tables(db_path, make_xlsx):
    path = make_xlsx(
        "all.xlsx",
        {
            "Đơn vị": UNITS,
            "Quy mô": [
                SIZE_HEADER,
                ["CS1", 2022, "1.061", 5908],
            ],
            "Đăng ký": [REG_HEADER, [2022, "CS1", "Tập thể", "Chi bộ 1", "Mô hình A", "Kinh tế"]],
            "Khen thưởng": [
                AWARD_HEADER,
                ["123-QĐ/ĐUK", 2022, "CS1", "Cá nhân", "Nguyễn Văn A", "Giấy khen", "Đảng ủy Khối"],
            ],
            "Hội nghị": [
                ["Mã đơn vị", "Năm", "Loại hội nghị", "Ngày"],
                ["CS1", 2022, "Tuyên dương, khen thưởng", "15/10/2022"],
            ],
        },
    )
    report = import_files(db_path, [path])
    assert report.ok, [p.message("en") for p in report.problems]
    assert report.rows_read == {"don_vi": 3, "quy_mo": 1, "dang_ky": 1, "khen_thuong": 1, "hoi_nghi": 1}
    assert query(db_path, "select so_dang_vien, so_nguoi_lao_dong from quy_mo") == [(1061, 5908)]
    assert query(db_path, "select trang_thai from khen_thuong") == [(vocab.STATUS_AWARDED,)]
    assert query(db_path, "select ma_hoi_nghi, ngay from hoi_nghi") == [
        ("CS1|2022|Tuyên dương, khen thưởng|2022-10-15", date(2022, 10, 15))
    ]


# --- headers, title rows, blank and total rows ----------------------------------------------------


def test_messy_headers_title_rows_blank_rows_total_row_and_stt(units_db, make_xlsx):
    header = [
        "STT",
        "  NĂM  ",  # case and stray spaces
        nfd("Mã đơn vị"),  # NFD
        "Doi tuong",  # no diacritics
        "ten_chu_the",  # ASCII alias
        "Tên   mô hình",  # inner spaces
        "Lĩnh vực (*)",  # required mark
        "Ghi chú",
    ]
    rows = [
        ["DANH SÁCH ĐĂNG KÝ MÔ HÌNH DÂN VẬN KHÉO NĂM 2022"],
        ["(Kèm theo Công văn số 12-CV/ĐUK)"],
        [],
        header,
        [1, 2022, "CS1", "Tập thể", "Chi bộ 1", "Mô hình A", "Kinh tế", None],
        [],
        [2, 2022, "CS2", "Cá nhân", "Nguyễn Văn A", "Mô hình B", "Kinh tế", "đã duyệt"],
        [None, None, None, None, None, None, None, None],
        ["Tổng cộng", None, None, None, "2", None, None, None],
    ]
    path = make_xlsx("dk.xlsx", {"Đăng ký": rows})
    report = import_files(units_db, [path])
    assert report.ok, [p.message("en") for p in report.problems]
    assert report.counts["dang_ky"].added == 2
    by_code = {}
    for n in report.notices:
        by_code.setdefault(n.code, []).append(n)
    assert sorted(n.column for n in by_code["ignored_column"]) == ["Ghi chú", "STT"]
    assert all(n.row == 4 for n in by_code["ignored_column"])
    assert [n.row for n in by_code["total_row"]] == [9]
    assert by_code["title_rows"][0].params == {"count": 2, "header_row": 4}
    assert "Tệp dk.xlsx, trang «Đăng ký», dòng 4, cột «STT»" in by_code["ignored_column"][0].message()
    assert query(units_db, "select count(*) from dang_ky") == [(2,)]


def test_row_numbers_count_title_and_blank_rows(units_db, make_xlsx):
    rows = [
        ["DANH SÁCH ĐĂNG KÝ"],
        [],
        REG_HEADER,  # row 3
        [2022, "CS1", "Tập thể", "Chi bộ 1", "Mô hình A", "Kinh tế"],  # row 4
        [],  # row 5
        [2022, "CS1", "Tập thể", "Chi bộ 2", "Mô hình A", "Nông nghiệp"],  # row 6: bad field
    ]
    report = import_files(units_db, [make_xlsx("dk.xlsx", {"Đăng ký": rows})])
    assert [(p.code, p.row, p.column, p.value) for p in report.problems] == [
        ("bad_choice", 6, "Lĩnh vực", "Nông nghiệp")
    ]


def test_total_row_variants_are_skipped(units_db, make_csv):
    for label in ("Tổng", "Cộng", "TONG CONG"):
        rows = [
            ["STT", *REG_HEADER],
            [1, 2022, "CS1", "Tập thể", "Chi bộ 1", "Mô hình A", "Kinh tế"],
            [label, "", "", "", "1", "", ""],
        ]
        report = import_files(units_db, [make_csv("dang_ky.csv", rows)], dry_run=True)
        assert report.ok, (label, [p.message("en") for p in report.problems])
        assert report.rows_read == {"dang_ky": 1}
        assert [n.row for n in report.notices if n.code == "total_row"] == [3]


# --- encodings and separators -----------------------------------------------------------------------

REG_ROWS = [
    ["STT", *REG_HEADER, "Điểm"],
    [
        1,
        "2022",
        "CS1",
        "Tập thể",
        "Chi bộ Phòng Kỹ thuật",
        'Mô hình "Dân vận khéo" số hoá',
        "Văn hoá - Xã hội",
        "75,5",
    ],
    [2, "2022", "CS2", "Cá nhân", "Nguyễn Thị Hường", "Mô hình; tiết kiệm, điện", "Kinh tế", "80"],
]


@pytest.mark.parametrize(
    ("encoding", "separator", "bom"),
    [
        ("utf-8", ",", b""),
        ("utf-8", ";", codecs.BOM_UTF8),
        ("utf-8", "\t", b""),
        ("utf-16-le", "\t", codecs.BOM_UTF16_LE),  # Excel "Unicode Text"
        ("utf-16-le", ",", codecs.BOM_UTF16_LE),
        ("utf-16-be", ";", codecs.BOM_UTF16_BE),
    ],
)
def test_csv_encodings_and_separators(units_db, make_csv, encoding, separator, bom):
    data = bom + csv_bytes(REG_ROWS, separator=separator, encoding=encoding)
    report = import_files(units_db, [make_csv("dang_ky.csv", data)])
    assert report.ok, [p.message("en") for p in report.problems]
    notice = next(n for n in report.notices if n.code == "encoding")
    assert notice.params["separator"] == separator
    assert notice.params["encoding"] == {"utf-8": "utf-8-sig" if bom else "utf-8"}.get(encoding, "utf-16")
    stored = query(
        units_db, "select ten_chu_the, ten_mo_hinh, linh_vuc, diem from dang_ky order by ten_chu_the"
    )
    assert stored == [
        ("Chi bộ Phòng Kỹ thuật", 'Mô hình "Dân vận khéo" số hoá', "Văn hóa - xã hội", 75.5),
        ("Nguyễn Thị Hường", "Mô hình; tiết kiệm, điện", "Kinh tế", 80.0),
    ]


def test_cp1258_with_combining_tone_marks_is_stored_nfc(units_db, make_csv):
    # Windows-1258 has no precomposed "ờ", "ệ"...: Excel writes base letter + combining mark.
    text = "\r\n".join(
        [
            "Năm,Mã đơn vị,Đối tượng,Tên tập thể, cá nhân,Tên mô hình,Lĩnh vực".replace(
                "Tên tập thể, cá nhân", '"Tên tập thể, cá nhân"'
            ),
            '2022,CS1,Cá nhân,Nguyễn Thị Hường,"Mô hình ""Nhà văn hoá""",Văn hóa - xã hội',
        ]
    )
    decomposed = unicodedata.normalize("NFD", text)
    # cp1258 keeps the precomposed letters it has (ă, ơ, ư, đ, â, ê, ô) and the combining tones
    data = unicodedata.normalize("NFC", decomposed)
    encoded = "".join(_to_cp1258_form(ch) for ch in data).encode("cp1258")
    assert (
        b"\xcc" in encoded
        or b"\xd2" in encoded
        or b"\xde" in encoded
        or b"\xec" in encoded
        or b"\xf2" in encoded
    )
    report = import_files(units_db, [make_csv("dang_ky.csv", encoded)])
    assert report.ok, [p.message("en") for p in report.problems]
    assert next(n for n in report.notices if n.code == "encoding").params["encoding"] == "cp1258"
    (name, model) = query(units_db, "select ten_chu_the, ten_mo_hinh from dang_ky")[0]
    assert name == "Nguyễn Thị Hường" and unicodedata.is_normalized("NFC", name)
    assert model == 'Mô hình "Nhà văn hoá"'


@pytest.mark.parametrize("separator", [";", "\t"])
def test_cp1258_with_semicolons_and_tabs(units_db, make_csv, separator):
    rows = [
        ["Năm", "Mã đơn vị", "Đối tượng", "Tên tập thể, cá nhân", "Tên mô hình", "Lĩnh vực"],
        ["2022", "CS1", "Cá nhân", "Nguyễn Thị Hường", "Mô hình số hoá; tiết kiệm", "Kinh tế"],
    ]
    text = "\r\n".join(separator.join(f'"{v}"' for v in row) for row in rows)
    encoded = "".join(_to_cp1258_form(ch) for ch in text).encode("cp1258")
    report = import_files(units_db, [make_csv("dang_ky.csv", encoded)])
    assert report.ok, [p.message("en") for p in report.problems]
    notice = next(n for n in report.notices if n.code == "encoding")
    assert (notice.params["encoding"], notice.params["separator"]) == ("cp1258", separator)
    assert query(units_db, "select ten_chu_the, ten_mo_hinh from dang_ky") == [
        ("Nguyễn Thị Hường", "Mô hình số hoá; tiết kiệm")
    ]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_and_only_ascii_text(db_path, make_csv, encoding):
    """UTF-16 of ASCII text is valid UTF-8 (every other byte a NUL): it must still read as UTF-16."""
    text = "ma_don_vi,ten_don_vi,ma_cap_tren,cap\r\nK,Khoi,,dang bo khoi\r\nCS1,Cong ty,K,dang bo co so\r\n"
    report = import_files(db_path, [make_csv("don_vi.csv", text.encode(encoding))])
    assert report.ok, [p.message("en") for p in report.problems]
    assert next(n for n in report.notices if n.code == "encoding").params["encoding"] == "utf-16"
    assert query(db_path, "select ma_don_vi, ten_don_vi, cap from don_vi order by ma_don_vi") == [
        ("CS1", "Cong ty", "Đảng bộ cơ sở"),
        ("K", "Khoi", "Đảng bộ Khối"),
    ]


TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def _to_cp1258_form(ch: str) -> str:
    """A character as Windows-1258 spells it: the letter precomposed (ă, â, ơ...), the tone combining."""
    try:
        ch.encode("cp1258")
        return ch
    except UnicodeEncodeError:
        decomposed = unicodedata.normalize("NFD", ch)
        letter = [m for m in decomposed[1:] if m not in TONE_MARKS]
        tones = [m for m in decomposed[1:] if m in TONE_MARKS]
        return unicodedata.normalize("NFC", decomposed[0] + "".join(letter)) + "".join(tones)


def test_nfd_text_and_stray_spaces_are_stored_nfc_trimmed(units_db, make_xlsx):
    rows = [
        REG_HEADER,
        [2022, " CS1 ", nfd("Tập thể"), nfd("  Chi bộ   Phòng  Kỹ thuật "), nfd("Mô hình\u00a0A"), "kinh te"],
    ]
    report = import_files(units_db, [make_xlsx("x.xlsx", {"Đăng ký": rows})])
    assert report.ok, [p.message("en") for p in report.problems]
    name, model, unit = query(units_db, "select ten_chu_the, ten_mo_hinh, ma_don_vi from dang_ky")[0]
    assert (name, model, unit) == ("Chi bộ Phòng Kỹ thuật", "Mô hình A", "CS1")
    assert unicodedata.is_normalized("NFC", name)


# --- values ---------------------------------------------------------------------------------------


def test_dates_as_date_cells_serials_and_text(units_db, make_xlsx):
    header = [*REG_HEADER, "Mã đăng ký", "Ngày đăng ký"]
    base = [2022, "CS1", "Tập thể", "Chi bộ 1", "Mô hình", "Kinh tế"]
    rows = [
        header,
        [*base, "D1", date(2022, 3, 1)],  # real date cell
        [*base, "D2", 44621],  # serial number cell (01/03/2022)
        [*base, "D3", "44621"],  # serial as text
        [*base, "D4", "01/03/2022"],
        [*base, "D5", "1/3/2022"],
        [*base, "D6", "01-03-2022"],
        [*base, "D7", "2022-03-01"],
        [*base, "D8", "01.03.2022"],
        [*base, "D9", None],
    ]
    report = import_files(units_db, [make_xlsx("x.xlsx", {"Đăng ký": rows})])
    assert report.ok, [p.message("en") for p in report.problems]
    stored = dict(query(units_db, "select ma_dang_ky, ngay_dang_ky from dang_ky"))
    assert {k: v for k, v in stored.items() if k != "D9"} == {f"D{i}": date(2022, 3, 1) for i in range(1, 9)}
    assert stored["D9"] is None


def test_dates_in_csv(units_db, make_csv):
    rows = [[*REG_HEADER, "Mã đăng ký", "Ngày đăng ký"]]
    for i, text in enumerate(["15/10/2023", "5/1/2023", "2023-10-15", "45214", "29/02/2024"]):
        rows.append([2023, "CS1", "Tập thể", f"Chi bộ {i}", "Mô hình", "Kinh tế", f"D{i}", text])
    report = import_files(units_db, [make_csv("dang_ky.csv", rows)])
    assert report.ok, [p.message("en") for p in report.problems]
    stored = dict(query(units_db, "select ma_dang_ky, ngay_dang_ky from dang_ky"))
    assert stored == {
        "D0": date(2023, 10, 15),
        "D1": date(2023, 1, 5),
        "D2": date(2023, 10, 15),
        "D3": date(2023, 10, 15),
        "D4": date(2024, 2, 29),
    }


def test_vietnamese_numbers(db_path, make_xlsx):
    rows = [
        SIZE_HEADER,
        ["K", 2021, "1.061", "5.908"],
        ["K", 2022, 1061, "12 345"],
        ["K", "2023", "1061", None],
    ]
    units = [UNIT_HEADER, ["K", "Khối", None, "Đảng bộ Khối"]]
    report = import_files(db_path, [make_xlsx("x.xlsx", {"Đơn vị": units, "Quy mô": rows})])
    assert report.ok, [p.message("en") for p in report.problems]
    assert query(db_path, "select nam, so_dang_vien, so_nguoi_lao_dong from quy_mo order by nam") == [
        (2021, 1061, 5908),
        (2022, 1061, 12345),
        (2023, 1061, None),
    ]


def test_scores_with_comma_decimals_and_numeric_cells(units_db, make_xlsx):
    header = [*REG_HEADER, "Mã đăng ký", "Điểm"]
    base = [2022, "CS1", "Tập thể", "Chi bộ 1", "Mô hình", "Kinh tế"]
    rows = [
        header,
        [*base, "A", "75,5"],
        [*base, "B", 75.5],
        [*base, "C", "100"],
        [*base, "D", 1.061],
        [*base, "E", "0"],
    ]
    report = import_files(units_db, [make_xlsx("x.xlsx", {"Đăng ký": rows})])
    assert report.ok, [p.message("en") for p in report.problems]
    assert dict(query(units_db, "select ma_dang_ky, diem from dang_ky")) == {
        "A": 75.5,
        "B": 75.5,
        "C": 100.0,
        "D": 1.061,  # a number cell is a number, not Vietnamese thousands
        "E": 0.0,
    }


def test_enum_spellings_and_defaults(units_db, make_csv):
    header = [*REG_HEADER, "Mã đăng ký", "Loại", "Phong trào", "Kết quả", "Cấp công nhận"]
    rows = [
        header,
        [2022, "CS1", "tap the", "A", "M", "Văn hoá - Xã hội", "1", "", "", "", ""],
        [
            2022,
            "CS1",
            "CÁ NHÂN",
            "B",
            "M",
            "van hoa xa hoi",
            "2",
            "dien hinh",
            "qcdc",
            "duoc cong nhan",
            "dang uy khoi",
        ],
        [
            2022,
            "CS1",
            nfd("Tập thể"),
            "C",
            "M",
            "Quốc phòng – An ninh",
            "3",
            "Mô Hình",
            "DÂN VẬN KHÉO",
            "Tiêu Biểu",
            "Đảng uỷ Khối",
        ],
        [
            2022,
            "CS1",
            "Tập Thể",
            "D",
            "M",
            "xây dựng hệ thống chính trị",
            "4",
            None,
            None,
            "hoàn thành",
            "trung uong",
        ],
    ]
    report = import_files(units_db, [make_csv("dang_ky.csv", rows)])
    assert report.ok, [p.message("en") for p in report.problems]
    stored = query(
        units_db,
        "select doi_tuong, linh_vuc, loai, phong_trao, ket_qua, cap_cong_nhan from dang_ky order by ma_dang_ky",
    )
    assert stored == [
        ("Tập thể", "Văn hóa - xã hội", "Mô hình", "Dân vận khéo", "Đã đăng ký", None),
        ("Cá nhân", "Văn hóa - xã hội", "Điển hình", "QCDC", "Được công nhận", "Đảng ủy Khối"),
        ("Tập thể", "Quốc phòng - an ninh", "Mô hình", "Dân vận khéo", "Tiêu biểu", "Đảng ủy Khối"),
        ("Tập thể", "Xây dựng hệ thống chính trị", "Mô hình", "Dân vận khéo", "Hoàn thành", "Trung ương"),
    ]


def test_progress_callback_and_display_names(units_db, make_csv):
    seen = []
    rows = [REG_HEADER, [2022, "CS1", "Tập thể", "Chi bộ 1", "Mô hình A", "Kinh tế"]]
    path = make_csv("upload-3f2a.csv", rows)
    report = import_files(
        units_db,
        [path],
        progress=lambda stage, done, total: seen.append((stage, done, total)),
        display_names=["Đăng ký 2022.csv"],
    )
    assert report.ok
    assert {s for s, _, _ in seen} == {"read", "check", "write"}
    assert all(0 <= d <= t for _, d, t in seen)
    assert ("write", 1, 1) in seen
    assert query(units_db, "select file_name from nhat_ky_nhap where table_name = 'dang_ky'") == [
        ("Đăng ký 2022.csv",)
    ]


def test_excel_sep_hint_line(units_db, make_csv):
    data = b"sep=;\r\n" + csv_bytes(
        [REG_HEADER, [2022, "CS1", "Tập thể", "Chi bộ 1", "Mô hình A", "Kinh tế"]], separator=";"
    )
    report = import_files(units_db, [make_csv("dang_ky.csv", data)])
    assert report.ok, [p.message("en") for p in report.problems]
    assert report.rows_read == {"dang_ky": 1}


def test_total_row_with_a_count_in_its_label(units_db, make_csv):
    rows = [
        REG_HEADER,
        [2022, "CS1", "Tập thể", "Chi bộ 1", "Mô hình A", "Kinh tế"],
        ["Tổng cộng (1 mô hình)"],
    ]
    report = import_files(units_db, [make_csv("dang_ky.csv", rows)], dry_run=True)
    assert report.ok and [n.row for n in report.notices if n.code == "total_row"] == [3]


def test_a_name_like_tong_is_not_a_total_row(units_db, make_csv):
    rows = [["Tên tập thể, cá nhân", *[h for h in REG_HEADER if h != "Tên tập thể, cá nhân"]]]
    rows.append(["Tống Văn Cộng", 2022, "CS1", "Cá nhân", "Mô hình A", "Kinh tế"])
    report = import_files(units_db, [make_csv("dang_ky.csv", rows)], dry_run=True)
    assert report.ok and report.rows_read == {"dang_ky": 1}


def test_units_named_tong_cong_ty_are_imported_not_taken_for_totals(db_path, make_csv):
    """ "Tổng công ty …" folds like "Tổng cộng …": the last rows of a unit list are such units."""
    rows = [
        UNIT_HEADER,
        ["K", "Đảng bộ Khối", None, "Đảng bộ Khối"],
        ["CS1", "Đảng bộ Công ty Cấp nước", "K", "Đảng bộ cơ sở"],
        ["T1", "Tổng công ty Sông Đà", "K", "Đảng bộ cơ sở"],
        ["T2", "TỔNG CÔNG TY ĐIỆN LỰC", "K", "Đảng bộ cơ sở"],
        ["T3", unicodedata.normalize("NFD", "Tổng Công ty Bưu điện"), "K", "Đảng bộ cơ sở"],
    ]
    report = import_files(db_path, [make_csv("don_vi.csv", rows)])
    assert report.ok, [p.message("en") for p in report.problems]
    assert not [n for n in report.notices if n.code == "total_row"]
    assert report.rows_read == {"don_vi": 5}
    assert {r[0] for r in query(db_path, "select ma_don_vi from don_vi")} == {"K", "CS1", "T1", "T2", "T3"}


@pytest.mark.parametrize(
    "label",
    [
        "Tổng cộng",
        "TỔNG CỘNG",
        "Tổng",
        "Cộng",
        "TONG CONG",
        "tongcong",
        "Total",
        "Tổng số: 12",
        "Tổng cộng (1 mô hình)",
        "Tổng cộng toàn Khối",
        "Cộng 5",
        unicodedata.normalize("NFD", "Tổng cộng"),
    ],
)
def test_total_labels(label):
    assert readers.is_total_label(label)


@pytest.mark.parametrize(
    "name",
    [
        "Tổng công ty Sông Đà",
        "Tổng Công ty",
        "TONG CONG TY",
        "Tống Văn Cộng",
        "Tong Van Cong",
        "Tổng hợp",
        "Cộng đồng",
        "Công ty A",
        "Totally",
    ],
)
def test_names_that_are_not_total_labels(name):
    assert not readers.is_total_label(name)


def test_column_numbering_row_under_the_header_is_skipped(units_db, make_xlsx):
    rows = [
        ["STT", *REG_HEADER],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"],
        [1, 2022, "CS1", "Tập thể", "Chi bộ 1", "Mô hình A", "Kinh tế"],
    ]
    report = import_files(units_db, [make_xlsx("x.xlsx", {"Đăng ký": rows})], dry_run=True)
    assert report.ok, [p.message("en") for p in report.problems]
    assert report.rows_read == {"dang_ky": 1}
    assert [n.row for n in report.notices if n.code == "numbering_row"] == [2]
    numbers = [
        ["STT", *REG_HEADER],
        [1, 2, 3, 4, 5, 6, 7],
        [1, 2022, "CS1", "Tập thể", "Chi bộ 1", "Mô hình A", "Kinh tế"],
    ]
    report = import_files(units_db, [make_xlsx("y.xlsx", {"Đăng ký": numbers})], dry_run=True)
    assert report.ok and report.rows_read == {"dang_ky": 1}

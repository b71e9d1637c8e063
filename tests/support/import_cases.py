"""The import cases read whole and in pieces (tests/test_importer_paths.py, test_importer_fastpaths.py):
messy and hostile CSV files, and what an import tells and stores, comparable between two runs."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

from support import sheets
from support.files import csv_bytes, query

WHOLE = 1 << 30
PIECES = (61, 997)  # bytes: records cut everywhere, and a few records per piece
TABLES = ("don_vi", "quy_mo", "dang_ky", "khen_thuong", "hoi_nghi")

UNITS = [
    ["Mã đơn vị", "Tên đơn vị", "Mã đơn vị cấp trên", "Cấp", "Hiệu lực từ", "Hiệu lực đến"],
    ["K", "Đảng bộ Khối", None, "Đảng bộ Khối", "01/10/2008", None],
    ["CS1", "Đảng bộ Công ty Điện lực", "K", "Đảng bộ cơ sở", None, None],
    ["CS2", "Chi bộ Văn phòng", "K", "Chi bộ cơ sở", "2010-01-01", None],
]
REG = ["STT", *sheets.REG_KEYED, "Ngày đăng ký", "Điểm", "Ghi chú"]
NAMES = [
    "Nguyễn Thị Hường",
    unicodedata.normalize("NFD", "Trần Văn Đức"),  # NFD: stored NFC
    "Lê  Văn\u00a0An ",  # double space, NBSP, trailing space
    "Chi bộ\u200b Phòng Kỹ thuật",  # zero-width space
    'Tổ "Dân vận khéo"; số 1, 2',  # quotes, separators
    "Phạm Văn\r\nBình",  # a line break inside a quoted cell
]
FIELDS = ["Kinh tế", "van hoa xa hoi", "Quốc phòng – An ninh", "XÂY DỰNG HỆ THỐNG CHÍNH TRỊ", "khac"]
DATES = ["01/03/2022", "1/3/2022", "2022-03-01", "44621", "01.03.2022", "", "01-03-2022"]
SCORES = ["75,5", "80", "1.5", "100", "", "0", " 90 "]


def registrations(n: int, *, bad: bool = False, code_every: int = 3) -> list[list]:
    """`n` rows under title, blank and numbering rows, with blank rows between and a total row."""
    rows: list[list] = [["DANH SÁCH ĐĂNG KÝ MÔ HÌNH DÂN VẬN KHÉO"], ["(Kèm theo Công văn số 12)"], [], REG]
    rows.append([f"({i})" for i in range(1, len(REG) + 1)])
    for i in range(n):
        code = f"DK{i:05d}" if i % code_every else None  # the others get derived keys
        rows.append(
            [
                i + 1,
                code,
                str(2020 + i % 5),
                ["CS1", " CS2", "K"][i % 3],
                ["Tập thể", "ca nhan", unicodedata.normalize("NFD", "Cá nhân")][i % 3],
                f"{NAMES[i % len(NAMES)]} {i}",
                f"Mô hình {i % 7}",
                FIELDS[i % len(FIELDS)],
                DATES[i % len(DATES)],
                SCORES[i % len(SCORES)],
                "x" * (i % 50),
            ]
        )
        if i % 17 == 5:
            rows.append([])
    if bad:
        rows[10][2] = "20222"  # year out of range
        rows[20][8] = "31/02/2023"  # impossible date
        rows[30][3] = "CS9"  # unknown unit
        rows[40][7] = "Nông nghiệp"  # not a field
        rows[-3][1] = rows[12][1] or "DK00011"  # a code met again far below
        rows[-4][1:9] = rows[14][1:9]  # a whole row repeated far below (derived or given key)
        rows[50][5] = "  "  # required name missing
    rows.append(["Tổng cộng", None, None, None, None, str(n)])
    return rows


def _encode(rows: list[list], encoding: str, separator: str = ",", bom: bytes = b"") -> bytes:
    return bom + csv_bytes(rows, separator=separator, encoding=encoding)


def _cp1258(rows: list[list]) -> bytes:
    """Windows-1258 as Excel writes it: precomposed where the code page has it, tones combining."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in csv_bytes(rows).decode("utf-8"):
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", parts[0] + "".join(m for m in parts[1:] if m not in tones))
            out.append((base + "".join(m for m in parts[1:] if m in tones)).encode("cp1258", "replace"))
    return b"".join(out)


def _invalid_late(rows: list[list]) -> bytes:
    """UTF-8 but for one byte near the end: the whole file is read as the fallback encoding."""
    data = csv_bytes(rows)
    cut = data.rfind(b"\r\n", 0, len(data) - 40)
    return data[:cut] + b" \xff" + data[cut:]


def _stray_quote(data: bytes) -> bytes:
    """A quote inside an unquoted cell near the end (Polars refuses the file)."""
    at = data.rfind(b"M\xc3\xb4 h\xc3\xacnh")
    return data[:at] + b'M"' + data[at + 1 :]


CASES = {
    "utf8_messy_valid": lambda: {"dang_ky.csv": _encode(registrations(120), "utf-8")},
    "utf8_bom_semicolon_with_problems": lambda: {
        "dang_ky.csv": _encode(registrations(120, bad=True), "utf-8", ";", codecs.BOM_UTF8)
    },
    "sep_hint_tab": lambda: {"dang_ky.csv": b"sep=\t\r\n" + _encode(registrations(60), "utf-8", "\t")},
    "utf16_tab": lambda: {"dang_ky.csv": _encode(registrations(80), "utf-16-le", "\t", codecs.BOM_UTF16_LE)},
    "utf16_without_bom_with_problems": lambda: {
        "dang_ky.csv": _encode(registrations(80, bad=True), "utf-16-le", "\t")
    },
    "cp1258": lambda: {"dang_ky.csv": _cp1258(registrations(90))},
    "nfd_everywhere": lambda: {
        "dang_ky.csv": unicodedata.normalize("NFD", csv_bytes(registrations(90)).decode()).encode()
    },
    "utf8_invalid_byte_late": lambda: {"dang_ky.csv": _invalid_late(registrations(90))},
    "bom_utf8_invalid_byte_late": lambda: {"dang_ky.csv": codecs.BOM_UTF8 + _invalid_late(registrations(90))},
    "repeated_keys_only": lambda: {
        "dang_ky.csv": _encode(
            registrations(150, code_every=2)[:-1]
            + [["", "DK00001", "2022", "CS1", "Tập thể", "Lặp lại", "M", "Kinh tế"]],
            "utf-8",
        )
    },
    "stray_quote_late": lambda: {"dang_ky.csv": _stray_quote(csv_bytes(registrations(60)))},
    "units_tree_and_sizes": lambda: {
        "don_vi.csv": _encode(
            UNITS
            + [
                [f"CB{i}", f"Chi bộ {i}", ["CS1", "CB0", "CB9", "ZZ"][i % 4], "Chi bộ trực thuộc", None, None]
                for i in range(40)
            ]
            + [
                ["LOOP1", "a", "LOOP2", "Chi bộ cơ sở", "01/01/2020", "01/01/2019"],
                ["LOOP2", "b", "LOOP1", "Chi bộ cơ sở", None, None],
            ],
            "utf-8",
        ),
        "quy_mo.csv": _encode(
            [sheets.SIZE_HEADER]
            + [["CS1", str(2000 + i), "1.061", f"{i} 000"] for i in range(30)]
            + [["CS1", "2005", "-3", "3.000.000.000"], ["CS2", "2020", "2,5", ""]],
            "utf-8",
        ),
    },
    "every_table_valid": lambda: {
        "don_vi.csv": _encode(UNITS, "utf-8"),
        "dang_ky.csv": _encode(registrations(100), "utf-8"),
        "khen_thuong.csv": _encode(
            [[*sheets.AWARD_HEADER, "Mã đăng ký"]]
            + [
                [
                    f"{i}-QĐ/ĐUK",
                    "2022",
                    "CS1",
                    "Cá nhân",
                    f"Người {i}",
                    "Giấy khen",
                    "dang uy khoi",
                    "DK00001",
                ]
                for i in range(50)
            ],
            "utf-8",
        ),
        "hoi_nghi.csv": _encode(
            [["Mã đơn vị", "Năm", "Loại hội nghị", "Ngày", "Số người dự"]]
            + [
                ["CS1", str(2000 + i), "so ket", f"15/06/{2000 + i}" if i % 2 else "", str(i)]
                for i in range(40)
            ],
            "utf-8",
        ),
    },
}


def _build(folder: Path, files: dict[str, bytes]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in files.items():
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def _outcome(report, db: Path) -> dict:
    """Everything an import tells and stores, comparable between two runs."""
    out = {
        "problems": [
            (p.code, p.file, p.sheet, p.row, p.column, p.value, p.message("en")) for p in report.problems
        ],
        "notices": [n.message() for n in report.notices],
        "rows_read": report.rows_read,
        "counts": {t: (c.added, c.updated) for t, c in report.counts.items()},
        "written": report.written,
        "summary": report.summary(),
    }
    if db.exists():
        for table in TABLES:
            out[table] = sorted(query(db, f"select * from {table}"), key=repr)
        out["log"] = sorted(
            query(db, "select file_name, file_sha256, table_name, rows_added, rows_updated from nhat_ky_nhap")
        )
    return out

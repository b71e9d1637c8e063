"""A CSV read whole and the same CSV read in small pieces give the same import: problems, notices,
counts and stored rows, on messy and hostile files (the importer reads large files in pieces of
about CHUNK_BYTES; `chunk_bytes` lowers that here). Plus the pieces' own machinery: the NFC test
on raw bytes, the faster cleaning and parsing paths, the problem cap, restarts and spill files."""

from __future__ import annotations

import codecs
import shutil
import unicodedata
from pathlib import Path

import polars as pl
import pytest
from conftest import csv_bytes, query, write_xlsx

from queries import importer, parse, readers
from queries.importer import import_files

WHOLE = 1 << 30
PIECES = (61, 997)  # bytes: records cut everywhere, and a few records per piece
TABLES = ("don_vi", "quy_mo", "dang_ky", "khen_thuong", "hoi_nghi")

UNITS = [
    ["Mã đơn vị", "Tên đơn vị", "Mã đơn vị cấp trên", "Cấp", "Hiệu lực từ", "Hiệu lực đến"],
    ["K", "Đảng bộ Khối", None, "Đảng bộ Khối", "01/10/2008", None],
    ["CS1", "Đảng bộ Công ty Điện lực", "K", "Đảng bộ cơ sở", None, None],
    ["CS2", "Chi bộ Văn phòng", "K", "Chi bộ cơ sở", "2010-01-01", None],
]
REG = [
    "STT",
    "Mã đăng ký",
    "Năm",
    "Mã đơn vị",
    "Đối tượng",
    "Tên tập thể, cá nhân",
    "Tên mô hình",
    "Lĩnh vực",
    "Ngày đăng ký",
    "Điểm",
    "Ghi chú",
]
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
            [["Mã đơn vị", "Năm", "Số đảng viên", "Số người lao động"]]
            + [["CS1", str(2000 + i), "1.061", f"{i} 000"] for i in range(30)]
            + [["CS1", "2005", "-3", "3.000.000.000"], ["CS2", "2020", "2,5", ""]],
            "utf-8",
        ),
    },
    "every_table_valid": lambda: {
        "don_vi.csv": _encode(UNITS, "utf-8"),
        "dang_ky.csv": _encode(registrations(100), "utf-8"),
        "khen_thuong.csv": _encode(
            [
                [
                    "Số quyết định",
                    "Năm",
                    "Mã đơn vị",
                    "Đối tượng",
                    "Tên tập thể, cá nhân",
                    "Hình thức",
                    "Cấp khen thưởng",
                    "Mã đăng ký",
                ]
            ]
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


def _import_both(tmp_path: Path, files: list[Path], base: Path | None = None, **kw) -> list[dict]:
    outcomes = []
    for chunk in (WHOLE, *PIECES):
        db = tmp_path / f"db_{chunk}" / "dvk.duckdb"
        db.parent.mkdir(parents=True, exist_ok=True)
        if base is not None:
            shutil.copy2(base, db)
        report = import_files(db, files, chunk_bytes=chunk, **kw)
        outcomes.append(_outcome(report, db))
    return outcomes


@pytest.fixture(scope="module")
def units_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("units") / "dvk.duckdb"
    folder = db.parent / "files"
    folder.mkdir()
    (folder / "don_vi.csv").write_bytes(csv_bytes(UNITS))
    report = import_files(db, [folder / "don_vi.csv"])
    assert report.ok, [p.message("en") for p in report.problems]
    return db


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("dry_run", [False, True])
def test_whole_and_pieces_give_the_same_import(case, dry_run, tmp_path, units_db):
    files = _build(tmp_path / "files", CASES[case]())
    whole, *pieces = _import_both(tmp_path, files, base=units_db, dry_run=dry_run)
    for outcome in pieces:
        assert outcome == whole
    assert whole["rows_read"] or whole["problems"]


def test_the_messy_valid_file_is_read_as_meant(tmp_path, units_db):
    files = _build(tmp_path / "files", CASES["utf8_messy_valid"]())
    whole, *_ = _import_both(tmp_path, files, base=units_db)
    assert not whole["problems"], whole["problems"][:3]
    assert whole["rows_read"] == {"dang_ky": 120}
    names = [r[5] for r in whole["dang_ky"]]
    assert "Lê Văn An 2" in names and "Trần Văn Đức 1" in names and "Chi bộ Phòng Kỹ thuật 3" in names
    assert all(unicodedata.is_normalized("NFC", n) for n in names)
    codes = {n.split(":")[-1].strip() for n in whole["notices"]}
    assert any("dòng tổng cộng" in c for c in codes) and any("đánh số cột" in c for c in codes)


def test_problems_found_in_pieces_are_located_like_whole(tmp_path, units_db):
    files = _build(tmp_path / "files", CASES["utf8_bom_semicolon_with_problems"]())
    whole, *_ = _import_both(tmp_path, files, base=units_db)
    codes = [p[0] for p in whole["problems"]]
    assert {"year_range", "bad_date", "unknown_unit", "bad_choice", "duplicate_key", "required"} <= set(codes)
    assert not whole["written"]


def test_hostile_corpus_whole_and_in_pieces(tmp_path):
    corpus = pytest.importorskip("test_hostile_corpus")
    base_dir = tmp_path / "base"
    base = base_dir / "dvk.duckdb"
    assert import_files(base, corpus.base_files(base_dir / "files")).ok
    checked = 0
    for case in corpus.CASES:
        if case.needs and not _has(case.needs):
            continue
        folder = tmp_path / "cases" / case.name
        folder.mkdir(parents=True)
        try:
            files = case.build(folder)
        except OSError:  # a builder that needs a privilege this run lacks
            continue
        if not any(p.suffix.lower() in (".csv", ".txt") for p in files):
            continue
        whole, *pieces = _import_both(tmp_path / "runs" / case.name, files, base=base)
        for outcome in pieces:
            assert outcome == whole, case.name
        checked += 1
    assert checked >= 10


def _has(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def test_a_workbook_and_a_csv_of_one_table_together(tmp_path, units_db):
    regs = registrations(40)
    folder = tmp_path / "files"
    folder.mkdir()
    book = write_xlsx(folder / "dk.xlsx", {"Đăng ký": [REG, *regs[5:15]]})
    (folder / "dang_ky.csv").write_bytes(csv_bytes(regs))
    whole, *pieces = _import_both(tmp_path, [book, folder / "dang_ky.csv"], base=units_db)
    assert all(p == whole for p in pieces)
    assert {p[0] for p in whole["problems"]} == {"duplicate_key"}  # the sheet's rows again in the CSV


# --- the pieces' machinery ----------------------------------------------------------------------------


def test_nfc_unsafe_characters_lie_where_the_table_looks():
    every = (cp for cp in range(0x110000) if not 0xD800 <= cp <= 0xDFFF)
    assert readers._nfc_unsafe() == readers.unsafe_among(every)


def test_text_without_unsafe_characters_is_nfc():
    unsafe = readers._nfc_unsafe()
    candidates = [chr(c) for c in range(0x20, 0x3000) if c not in unsafe and not 0xD800 <= c <= 0xDFFF]
    text = "".join(candidates)
    assert unicodedata.is_normalized("NFC", text)
    for ch in candidates:
        assert unicodedata.is_normalized("NFC", "a" + ch + "b" + ch + ch), hex(ord(ch))


def test_every_unsafe_character_is_noticed_in_a_block():
    padding = ("Nguyễn Thị Hường – “Dân vận khéo” € 5\r\n" * 200).encode("utf-8")
    assert not readers._maybe_not_nfc(padding)
    for cp in readers._nfc_unsafe():
        block = padding + f"x{chr(cp)}y\r\n".encode() + padding
        assert readers._maybe_not_nfc(block), hex(cp)


@pytest.mark.parametrize(
    "data",
    [
        "Nguyễn Văn A\n".encode(),
        unicodedata.normalize("NFD", "Nguyễn Văn A\n").encode(),
        "\u037e\n".encode(),  # Greek question mark: NFC makes it a semicolon
        "Ω K Å ά\n".encode(),  # singletons
    ],
)
def test_blocks_come_out_nfc(data):
    tf = readers.TextFile(data, "x.csv", len(data), "utf-8", None, 0)
    out = readers._as_nfc_utf8(tf, data)
    assert out.decode() == unicodedata.normalize("NFC", data.decode())


def test_invalid_utf8_in_a_piece_asks_for_a_reread():
    tf = readers.TextFile(b"", "x.csv", 0, "utf-8", None, 0)
    with pytest.raises(readers.Reread):
        readers._as_nfc_utf8(tf, b"ab\xff\n")
    tf.encoding = "utf-8-sig"  # Excel's UTF-8: invalid bytes are replaced, as when read whole
    assert readers._as_nfc_utf8(tf, b"ab\xff\n") == "ab\ufffd\n".encode()


@pytest.mark.parametrize("chunk", [16, 50, 4096])
def test_record_cuts_never_split_a_quoted_cell(chunk):
    rows = [["a", 'b "c"\nd', "e"], ["f\n\ng", "h", ""], ["i", "j", '"']] * 20
    data = csv_bytes(rows)
    tf, _, _ = readers.open_text(data, "x.csv", None)
    whole = pl.concat([c for _, c in readers.grid_pieces(tf, 1 << 20)])
    pieces = pl.concat([c for _, c in readers.grid_pieces(tf, chunk)])
    assert whole.equals(pieces)
    assert whole.height == len(rows)


def test_clean_text_series_equals_clean_text():
    pool = [" ", "a", "ễ", "\t", "\r", "\n", "\u00a0", "\u200b", "\ufeff", "\u3000", "\u2028", "\u2060", "  "]
    import random

    rng = random.Random(5)
    values = ["".join(rng.choice(pool) for _ in range(rng.randint(0, 7))) for _ in range(20000)]
    values += [None, "", " x ", "x  y", "\u200b x"]
    series = pl.Series(values, dtype=pl.String)
    expected = pl.select(parse.clean_text(pl.lit(series))).to_series()
    assert parse.clean_text_series(series).eq_missing(expected).all()


def test_per_distinct_equals_per_row():
    text = pl.Series(["1.061", "75,5", "x", None, "12", "1.061", "2022"] * 50)
    assert (
        parse.per_distinct(text, None, parse.parse_number_series, pl.Float64)
        .eq_missing(parse.parse_number_series(text))
        .all()
    )
    dates = pl.Series(["01/03/2022", "2022-03-01", "44621", "31/02/2023", None] * 50)
    assert (
        parse.per_distinct(dates, None, parse.parse_date_series, pl.Date)
        .eq_missing(parse.parse_date_series(dates))
        .all()
    )


def test_problems_beyond_the_cap_are_counted(tmp_path, units_db, monkeypatch):
    monkeypatch.setattr(importer, "MAX_LISTED", 4)
    rows = [REG[1:9]] + [[f"D{i}", "20222", "CS1", "Tập thể", f"A{i}", "M", "Kinh tế", ""] for i in range(10)]
    path = tmp_path / "dang_ky.csv"
    path.write_bytes(csv_bytes(rows))
    db = tmp_path / "dvk.duckdb"
    shutil.copy2(units_db, db)
    report = import_files(db, [path], chunk_bytes=64)
    listed = [p for p in report.problems if p.code == "year_range"]
    assert [p.row for p in listed] == [2, 3, 4, 5]
    (more,) = [p for p in report.problems if p.code == "more_problems"]
    assert report.problems[-1] is more and more.params["count"] == 6
    assert (
        more.message()
        == "Cột «Năm»: còn 6 lỗi cùng loại nữa ở cột này của bảng «Đăng ký», không liệt kê ra đây."
    )
    assert report.problem_count == 10
    assert report.summary() == "Không nhập: phát hiện 10 lỗi, cơ sở dữ liệu không thay đổi."


def test_no_spill_or_copy_is_left_behind(tmp_path, units_db):
    folder = tmp_path / "db"
    folder.mkdir()
    db = folder / "dvk.duckdb"
    shutil.copy2(units_db, db)
    before = db.read_bytes()
    files = _build(tmp_path / "files", CASES["utf8_bom_semicolon_with_problems"]())
    assert not import_files(db, files, chunk_bytes=500).ok
    assert import_files(db, _build(tmp_path / "ok", CASES["utf8_messy_valid"]()), dry_run=True).ok
    assert db.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["dvk.duckdb"]
    assert import_files(db, _build(tmp_path / "ok2", CASES["utf8_messy_valid"]()), chunk_bytes=500).written
    assert sorted(p.name for p in folder.iterdir()) == ["dvk.duckdb"]


def test_progress_in_pieces(tmp_path, units_db):
    seen = []
    files = _build(tmp_path / "files", CASES["utf8_messy_valid"]())
    db = tmp_path / "dvk.duckdb"
    shutil.copy2(units_db, db)
    report = import_files(db, files, chunk_bytes=2000, progress=lambda *a: seen.append(a))
    assert report.ok
    reads = [(d, t) for s, d, t in seen if s == "read"]
    assert len(reads) > 5 and all(0 <= d <= t for d, t in reads) and reads[-1][0] == reads[-1][1]
    assert [d for d, _ in reads] == sorted(d for d, _ in reads)
    assert seen[-1] == ("write", 1, 1)


def test_prefetch_hands_on_errors_and_stops():
    def items():
        yield 1
        yield 2
        raise ValueError("boom")

    got = readers.prefetch(items())
    assert next(got) == 1
    assert next(got) == 2
    with pytest.raises(ValueError, match="boom"):
        next(got)
    endless = readers.prefetch(iter(range(10**9)))
    assert next(endless) == 0
    endless.close()  # the thread stops

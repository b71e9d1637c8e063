"""A CSV read whole and the same CSV read in small pieces give the same import: problems, notices,
counts and stored rows, on messy and hostile files (the importer reads large files in pieces of
about CHUNK_BYTES; `chunk_bytes` lowers that here). Plus the pieces' own machinery: the NFC test
on raw bytes, the faster cleaning and parsing paths, the problem cap, restarts and spill files."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import polars as pl
import pytest
from support import hostile_corpus as corpus
from support.files import csv_bytes, write_xlsx
from support.import_cases import CASES, PIECES, REG, UNITS, WHOLE, _build, _outcome, registrations

from queries import parse, readers
from queries.importer import import_files, limits, rows
from queries.readers import nfc
from queries.readers import text as text_reader

# pieces of a few records each: check them in several batches, not one (limits.CHECK_ROWS)
pytestmark = pytest.mark.usefixtures("checked_in_small_batches")


def _import_both(
    tmp_path: Path, files: list[Path], base: Path | None = None, pieces: tuple[int, ...] = PIECES, **kw
) -> list[dict]:
    outcomes = []
    for chunk in (WHOLE, *pieces):
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


@pytest.mark.parametrize("check_rows", [1, 16, 10_000])
@pytest.mark.slow
def test_problems_found_in_pieces_are_located_like_whole(tmp_path, units_db, monkeypatch, check_rows):
    """However the pieces' rows are batched for the checks (a record at a time, as pieces of 61
    bytes were before batches; 16 rows; the whole file), the same problems at the same places."""
    monkeypatch.setattr(limits, "CHECK_ROWS", check_rows)
    files = _build(tmp_path / "files", CASES["utf8_bom_semicolon_with_problems"]())
    whole, *pieces = _import_both(tmp_path, files, base=units_db)
    assert all(outcome == whole for outcome in pieces)
    codes = [p[0] for p in whole["problems"]]
    assert {"year_range", "bad_date", "unknown_unit", "bad_choice", "duplicate_key", "required"} <= set(codes)
    assert not whole["written"]


def test_small_pieces_are_checked_in_batches_of_check_rows():
    frames = [
        pl.DataFrame({"_row": pl.Series(range(start, start + n), dtype=pl.Int64)})
        for start, n in ((1, 3), (4, 0), (4, 5), (9, 2))
    ]
    batches = list(rows._batches(iter(frames), 6))
    assert [b["_row"].to_list() for b in batches] == [list(range(1, 9)), [9, 10]]
    assert [b.height for b in rows._batches(iter(frames), 1)] == [3, 5, 2]  # an empty piece joins the next


@pytest.mark.slow
def test_hostile_corpus_whole_and_in_pieces(tmp_path):
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
        # the smallest pieces only: records cut everywhere (the cases above also use larger ones)
        whole, *pieces = _import_both(tmp_path / "runs" / case.name, files, base=base, pieces=PIECES[:1])
        for outcome in pieces:
            assert outcome == whole, case.name
        checked += 1
    assert checked >= 10


def _has(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


@pytest.mark.slow
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
    assert nfc._nfc_unsafe() == readers.unsafe_among(every)


def test_text_without_unsafe_characters_is_nfc():
    unsafe = nfc._nfc_unsafe()
    candidates = [chr(c) for c in range(0x20, 0x3000) if c not in unsafe and not 0xD800 <= c <= 0xDFFF]
    text = "".join(candidates)
    assert unicodedata.is_normalized("NFC", text)
    for ch in candidates:
        assert unicodedata.is_normalized("NFC", "a" + ch + "b" + ch + ch), hex(ord(ch))


def test_every_unsafe_character_is_noticed_in_a_block():
    padding = ("Nguyễn Thị Hường – “Dân vận khéo” € 5\r\n" * 200).encode("utf-8")
    assert not nfc._maybe_not_nfc(padding)
    for cp in nfc._nfc_unsafe():
        block = padding + f"x{chr(cp)}y\r\n".encode() + padding
        assert nfc._maybe_not_nfc(block), hex(cp)


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
    out = text_reader._as_nfc_utf8(tf, data)
    assert out.decode() == unicodedata.normalize("NFC", data.decode())


def test_invalid_utf8_in_a_piece_asks_for_a_reread():
    tf = readers.TextFile(b"", "x.csv", 0, "utf-8", None, 0)
    with pytest.raises(readers.Reread):
        text_reader._as_nfc_utf8(tf, b"ab\xff\n")
    tf.encoding = "utf-8-sig"  # Excel's UTF-8: invalid bytes are replaced, as when read whole
    assert text_reader._as_nfc_utf8(tf, b"ab\xff\n") == "ab\ufffd\n".encode()


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
    monkeypatch.setattr(limits, "MAX_LISTED", 4)
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
    # beside it only the previous version, kept for dvk undo (queries/history.py)
    assert sorted(p.name for p in folder.iterdir()) == ["dvk.duckdb", "dvk.duckdb.versions"]


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

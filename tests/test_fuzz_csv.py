"""Property-based fuzzing of whole CSV files through import_files: random bytes, and random
structured tables (any subset of a table's headers, title rows, unknown columns, plausible or
garbage cells) in random encodings, separators and line endings. import_files never raises; it
returns ok (and wrote) or problems, each a located sentence in both languages; when not ok, the
database file is byte for byte what it was and nothing is left beside it."""

from __future__ import annotations

import codecs
import csv
import io
import os
import shutil
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from support.budget import examples
from support.files import csv_bytes, query

from queries import vocab
from queries.importer import import_files

UNITS = [
    ["Mã đơn vị", "Tên đơn vị", "Mã đơn vị cấp trên", "Cấp"],
    ["K", "Đảng bộ Khối", None, "Đảng bộ Khối"],
    ["CS1", "Đảng bộ Công ty Điện lực", "K", "Đảng bộ cơ sở"],
    ["CS2", "Chi bộ Văn phòng", "K", "Chi bộ cơ sở"],
]
SETTINGS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
NAME_CHARS = VIETNAMESE + VIETNAMESE.upper() + " 0123456789-."
NASTY = NAME_CHARS + ",;\t\"'\r\n\x00\ufeff\u200b=+-@|%{}()"
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1258")
FILE_NAMES = ("dang_ky.csv", "don_vi.csv", "khen_thuong.csv", "quy_mo.csv", "hoi_nghi.csv", "du_lieu.csv")


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz_base")
    units = folder / "don_vi.csv"
    units.write_bytes(csv_bytes(UNITS))
    db = folder / "dvk.duckdb"
    assert import_files(db, [units]).ok
    return db


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz_work")


def _fresh(base: Path, work: Path) -> Path:
    """The database folder for one example, holding a copy of the base database only."""
    folder = work / "db"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    db = folder / "dvk.duckdb"
    shutil.copy2(base, db)
    return db


def _check(db: Path, path: Path, data: bytes) -> None:
    """Import one file; the invariants that hold for any input."""
    before, listing = db.read_bytes(), sorted(os.listdir(db.parent))
    path.write_bytes(data)
    report = import_files(db, [path])  # must not raise
    event("imported" if report.ok else "rejected: " + report.problems[0].code)
    assert report.ok == (not report.problems)
    for problem in report.problems:
        vi, en = problem.message(), problem.message("en")
        assert vi.endswith(".") and en.endswith(".") and vi != en
        if problem.file is not None:
            assert problem.file == path.name and vi.startswith(f"Tệp {path.name}")
        assert problem.row is None or problem.row >= 1
    if report.ok:
        assert report.written
        for table, count in report.counts.items():
            assert query(db, f"select count(*) from {table}")[0][0] >= count.added
    else:
        assert not report.written and report.counts == {}
        assert db.read_bytes() == before
        assert sorted(os.listdir(db.parent)) == listing


PREFIXES = st.sampled_from(
    [
        b"",
        codecs.BOM_UTF8,
        codecs.BOM_UTF16_LE,
        codecs.BOM_UTF16_BE,
        b"sep=;\r\n",
        "Năm,Mã đơn vị,Đối tượng\r\n".encode(),
        "Mã đơn vị;Tên đơn vị;Cấp\r\n".encode(),
        b'"',
    ]
)


@settings(SETTINGS, max_examples=examples(80))
@given(st.sampled_from(FILE_NAMES), PREFIXES, st.binary(max_size=3000))
def test_random_bytes_never_raise(base, work, name, prefix, body):
    db = _fresh(base, work)
    _check(db, work / name, prefix + body)


# --- structured tables --------------------------------------------------------------------------


def _respell(text: str, draw) -> str:
    if draw(st.booleans()):
        return text
    text = draw(st.sampled_from([text.upper(), text.lower(), unicodedata.normalize("NFD", text)]))
    if draw(st.booleans()):
        text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    return draw(st.sampled_from(["", " ", "  "])) + text


def _valid_cell(column: vocab.Column, draw) -> str | None:
    if column.choices is not None:
        return _respell(draw(st.sampled_from(column.choices)), draw)
    if column.alias in ("ma_don_vi", "ma_cap_tren", "ma_ke_thua"):
        return draw(st.sampled_from(["K", "CS1", "CS2", "N1", "N2"]))
    if column.alias == "nam":
        return str(draw(st.integers(1985, 2105)))
    if column.type == vocab.INTEGER:
        return draw(st.sampled_from(["0", "12", "1.061", "-1", "2,5", "3000000000"]))
    if column.type == vocab.NUMBER:
        return draw(st.sampled_from(["75,5", "80", "100", "101", "-0,5", "1.234,5"]))
    if column.type == vocab.DATE:
        day = draw(st.dates())
        spelled = draw(st.sampled_from(["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"]))
        return day.strftime(spelled) if day.year >= 1000 else str(day)
    return draw(st.text(alphabet=NAME_CHARS, min_size=1, max_size=25))


def _cp1258(text: str) -> bytes:
    """Text as Excel's "CSV (Comma delimited)" writes it on a Vietnamese Windows: base letters of
    Windows-1258 plus combining tone marks ("ố" = "ô" + U+0301), "?" for what it cannot hold."""
    out = []
    for ch in text:
        base, *marks = unicodedata.normalize("NFD", ch)
        spellings = [ch] + [
            unicodedata.normalize("NFC", base + m) + "".join(marks[:i] + marks[i + 1 :])
            for i, m in enumerate(marks)
        ]
        spellings.append(base + "".join(marks))
        for spelling in spellings:
            try:
                out.append(spelling.encode("cp1258"))
                break
            except UnicodeEncodeError:
                continue
        else:
            out.append(b"?")
    return b"".join(out)


@st.composite
def tables(draw) -> tuple[str, bytes]:
    """A CSV file of one template table: (file name, bytes)."""
    table = draw(st.sampled_from(vocab.TABLES))
    columns = draw(
        st.lists(st.sampled_from(table.columns), min_size=1, max_size=len(table.columns), unique=True)
    )
    if draw(st.integers(0, 3)):  # every required column, so that some files are valid
        columns = [c for c in table.columns if c.required or c in columns]
    header = [draw(st.sampled_from([c.header, c.alias, c.header.upper(), f" {c.alias} "])) for c in columns]
    extra = draw(st.integers(0, 2))
    header += [
        draw(st.sampled_from(["STT", "Ghi chú", "", "'); drop table dang_ky; --"])) for _ in range(extra)
    ]
    rows: list[list] = [
        [draw(st.text(alphabet=NAME_CHARS, max_size=30))] for _ in range(draw(st.integers(0, 2)))
    ]
    rows.append(header)
    for _ in range(draw(st.integers(0, 6))):
        row = [
            _valid_cell(c, draw) if draw(st.integers(0, 14)) else draw(st.text(alphabet=NASTY, max_size=12))
            for c in columns
        ]
        rows.append(row + [draw(st.text(alphabet=NAME_CHARS, max_size=5)) for _ in range(extra)])
    if draw(st.booleans()):
        rows.append(["Tổng cộng"])
    separator = draw(st.sampled_from([",", ";", "\t"]))
    encoding = draw(st.sampled_from(ENCODINGS))
    buffer = io.StringIO()
    if draw(st.integers(0, 4)):
        csv.writer(
            buffer, delimiter=separator, lineterminator=draw(st.sampled_from(["\r\n", "\n"]))
        ).writerows(["" if v is None else v for v in r] for r in rows)
    else:  # written by hand, without quoting
        buffer.write("\n".join(separator.join("" if v is None else str(v) for v in r) for r in rows))
    text = buffer.getvalue()
    data = _cp1258(text) if encoding == "cp1258" else text.encode(encoding)
    name = draw(st.sampled_from([f"{table.name}.csv", f"{table.name}_2022.csv", "du_lieu.csv"]))
    return name, data


@settings(SETTINGS, max_examples=examples(50))
@given(tables())
def test_random_structured_tables_never_raise(base, work, table):
    name, data = table
    db = _fresh(base, work)
    _check(db, work / name, data)

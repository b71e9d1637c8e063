"""The importer's fast paths give what the careful paths give, on tricky input: text cleaned once
per distinct value (and a column handed back as it is when nothing changes), blank rows found
column by column, columns taken from frames without a select. Each fast path is forced on small
input here (it is otherwise taken only on large pieces) and compared with the careful one."""

from __future__ import annotations

import random
import shutil
import unicodedata

import polars as pl
import pytest
from support.files import csv_bytes
from support.import_cases import CASES, PIECES, UNITS, WHOLE, _build, _outcome, registrations

from queries import parse, readers
from queries.importer import import_files

# pieces of a few records each: check them in several batches, not one (limits.CHECK_ROWS)
pytestmark = pytest.mark.usefixtures("checked_in_small_batches")

# odd spaces, NBSP, tabs, line breaks, zero-width characters, NFD and NFC letters
POOL = [
    " ",
    "a",
    "ễ",
    "Đ",
    "\t",
    "\r",
    "\n",
    "\u00a0",
    "\u200b",
    "\ufeff",
    "\u3000",
    "\u2028",
    "\u2060",
    "  ",
]


def _messy(n: int, distinct: int, seed: int) -> pl.Series:
    rng = random.Random(seed)
    spellings = ["".join(rng.choice(POOL) for _ in range(rng.randint(0, 6))) for _ in range(distinct)]
    spellings += [" x ", "x  y", "\u200b x", "", "Kinh tế", " Kinh tế", "Kinh\u00a0tế\t"]
    return pl.Series([rng.choice(spellings + [None]) for _ in range(n)], dtype=pl.String)


@pytest.mark.parametrize("distinct", [3, 40, 5000])
def test_clean_and_trim_per_distinct_equal_per_row(distinct):
    series = _messy(20000, distinct, distinct)
    clean = pl.select(parse.clean_text(pl.lit(series))).to_series()
    trim = pl.select(parse.trim_text(pl.lit(series))).to_series()
    assert parse.clean_text_series(series).eq_missing(clean).all()
    assert parse.trim_text_series(series).eq_missing(trim).all()
    text, uniques = parse.trim_text_distinct(series)
    assert text.eq_missing(trim).all()
    if uniques is not None:
        assert sorted(uniques.to_list()) == sorted(trim.drop_nulls().unique().to_list())


def test_a_clean_column_comes_back_as_it_is():
    series = pl.Series(["Kinh tế", "Khác", "Tập thể"] * 5000)
    assert parse.clean_text_series(series).equals(series)
    assert parse.trim_text_series(series).equals(series)
    dirty = series.scatter([7], ["Khác "])
    assert parse.trim_text_series(dirty)[7] == "Khác"
    assert parse.clean_text_series(dirty.scatter([9], ["Kinh\u00a0 tế"]))[9] == "Kinh tế"


def test_content_mask_equals_non_blank_row():
    rng = random.Random(3)
    cells = [None, "", " ", "\t", "\u00a0", "\u3000 ", "\u200b", "x", " y ", "\n"]
    frame = pl.DataFrame({f"c{j}": [rng.choice(cells) for _ in range(5000)] for j in range(5)})
    for columns in (frame.columns, frame.columns[2:], frame.columns[:1], []):
        expected = frame.with_columns(readers.non_blank_row(columns).alias("m")).get_column("m")
        assert readers.content_mask(frame, columns).equals(expected, check_names=False)
    nulls = pl.DataFrame({"c0": [None, None]}, schema={"c0": pl.String})
    assert readers.content_mask(nulls, ["c0"]).to_list() == [False, False]


@pytest.fixture(scope="module")
def units_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("units") / "dvk.duckdb"
    (db.parent / "don_vi.csv").write_bytes(csv_bytes(UNITS))
    assert import_files(db, [db.parent / "don_vi.csv"]).ok
    return db


@pytest.mark.parametrize(
    "case", ["utf8_messy_valid", "utf8_bom_semicolon_with_problems", "cp1258", "nfd_everywhere", "utf16_tab"]
)
def test_forced_per_distinct_cleaning_gives_the_same_import(case, tmp_path, units_db, monkeypatch):
    """Every file of the piece-reading tests (Windows-1258, NFD, UTF-16, messy spaces, problems),
    whole and in small pieces, with the per-distinct route never taken and always taken."""
    files = _build(tmp_path / "files", CASES[case]())
    outcomes = []
    for sample in (1 << 30, 2):  # never / always judged as repeating
        monkeypatch.setattr(parse, "DISTINCT_SAMPLE", sample)
        monkeypatch.setattr(parse, "DISTINCT_RATIO", 0 if sample == 2 else parse.DISTINCT_RATIO)
        for chunk in (WHOLE, PIECES[-1]):
            db = tmp_path / f"db_{sample}_{chunk}" / "dvk.duckdb"
            db.parent.mkdir(parents=True)
            shutil.copy2(units_db, db)
            outcomes.append(_outcome(import_files(db, files, chunk_bytes=chunk), db))
    for other in outcomes[1:]:
        assert other == outcomes[0]


@pytest.mark.slow
def test_large_messy_file_per_distinct_and_per_row(tmp_path, units_db, monkeypatch):
    """A file large enough for the per-distinct route on its own, with repeated messy spellings."""
    rows = registrations(9000, bad=True)
    for k, row in enumerate(rows[6:-1]):
        if len(row) > 7 and k % 5 == 0:
            row[7] = [" Kinh tế", "Kinh\u00a0tế", "kinh\ttế ", unicodedata.normalize("NFD", "Khác")][k % 4]
    files = _build(tmp_path / "files", {"dang_ky.csv": csv_bytes(rows)})
    outcomes = []
    for sample in (parse.DISTINCT_SAMPLE, 1 << 30):
        monkeypatch.setattr(parse, "DISTINCT_SAMPLE", sample)
        for chunk in (WHOLE, 40_000):
            db = tmp_path / f"db_{sample}_{chunk}" / "dvk.duckdb"
            db.parent.mkdir(parents=True)
            shutil.copy2(units_db, db)
            outcomes.append(_outcome(import_files(db, files, chunk_bytes=chunk), db))
    assert outcomes[0]["problems"]
    for other in outcomes[1:]:
        assert other == outcomes[0]

"""Property-based fuzzing of the value parsers (queries/parse.py) and enum folding (vocab): on any
text they never raise, and give either a value of the right kind or null (which the importer turns
into a located problem). The fast column paths agree with the full rules they short-cut."""

from __future__ import annotations

import math
import unicodedata
from datetime import date, datetime

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.budget import examples

from queries import parse, vocab

NUMERIC = "0123456789.,-+eE \u00a0\u202f/:T'nainfINF٠١٢３"
ODD = "\u200b\ufeff\u00a0\t\r\n\x00\u0301\u0323\u202e😀'\";=,"
TEXTS = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=NUMERIC, max_size=20),
    st.text(alphabet=NUMERIC + ODD, max_size=20),
)
COLUMNS = st.lists(st.none() | TEXTS, min_size=1, max_size=12)
CELLS = st.none() | st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31))
FAST = settings(max_examples=examples(250), deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Unicode White_Space (what the Rust regex \s and strip_chars() mean; Python's str.strip()
# also takes the control characters \x1c-\x1f)
WHITE_SPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + "\u2028\u2029\u202f\u205f\u3000"
)
ENUM_COLUMNS = [c for t in vocab.TABLES for c in t.columns if c.choices is not None]


def _cells(values: list, data) -> pl.Series | None:
    """A calamine-like datetime column for these texts, or None (a CSV source)."""
    if not data.draw(st.booleans()):
        return None
    cells = data.draw(st.lists(CELLS, min_size=len(values), max_size=len(values)))
    return pl.Series(cells, dtype=pl.Datetime("ms"))


def _fast_and_full(values, data, fast_path, expression) -> tuple[pl.Series, pl.Series]:
    """The fast path's answer and the full expression's on the same texts (and cells, if drawn)."""
    text = pl.Series(values, dtype=pl.String)
    cell = _cells(values, data)
    fast = fast_path(text, cell)
    frame = pl.DataFrame({"t": text, "c": cell}) if cell is not None else pl.DataFrame({"t": text})
    full = frame.select(expression(pl.col("t"), pl.col("c") if cell is not None else None)).to_series()
    return fast, full


@FAST
@given(COLUMNS, st.data())
def test_numbers_never_raise_and_the_fast_path_agrees(values, data):
    fast, full = _fast_and_full(values, data, parse.parse_number_series, parse.parse_number)
    assert fast.dtype == pl.Float64 and fast.len() == len(values)
    for raw, a, b in zip(values, fast.to_list(), full.to_list(), strict=True):
        if raw is None:
            assert a is None
        # The fast path also reads "inf"/"nan" (IEEE spellings); the range and whole-number
        # checks reject those, so only finite values must agree.
        elif b is not None and math.isfinite(b):
            assert a == b, raw


@FAST
@given(st.lists(st.none() | st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=12))
def test_integers_are_whole_and_bounded_or_null(numbers):
    out = pl.DataFrame({"n": pl.Series(numbers, dtype=pl.Float64)}).select(parse.parse_integer(pl.col("n")))
    for number, value in zip(numbers, out.to_series().to_list(), strict=True):
        if value is None:
            assert (
                number is None
                or not math.isfinite(number)
                or number != math.floor(number)
                or abs(number) >= 2**53
            )
        else:
            assert value == number and abs(value) < 2**53


@FAST
@given(COLUMNS, st.data())
def test_dates_never_raise_are_plausible_and_the_fast_path_agrees(values, data):
    fast, full = _fast_and_full(values, data, parse.parse_date_series, parse.parse_date)
    assert fast.dtype == pl.Date
    assert fast.to_list() == full.to_list()
    for raw, day in zip(values, fast.to_list(), strict=True):
        assert day is None or (raw is not None and date(1900, 1, 1) <= day <= date(2100, 12, 31))


@settings(max_examples=examples(300), deadline=None)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)), st.integers(1, 3))
def test_impossible_days_are_null_and_real_ones_read(day, shift):
    # 31/02, 30/02, 29/02 of a common year: the day after the month's last day, spelled anyway
    last = {1: 31, 3: 31, 5: 31, 7: 31, 8: 31, 10: 31, 12: 31, 4: 30, 6: 30, 9: 30, 11: 30}.get(day.month)
    if last is None:
        leap = day.year % 4 == 0 and (day.year % 100 != 0 or day.year % 400 == 0)
        last = 29 if leap else 28
    impossible = f"{last + shift:02d}/{day.month:02d}/{day.year}"
    real = day.strftime("%d/%m/%Y")
    assert parse.parse_date_series(pl.Series([impossible, real])).to_list() == [None, day]


def _respell(label: str, data) -> str:
    """The label as a user might type it: case, diacritics, NFD, spaces, underscores."""
    text = label
    if data.draw(st.booleans()):
        text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
        text = text.replace("đ", "d").replace("Đ", "D")
    if data.draw(st.booleans()):
        text = unicodedata.normalize("NFD", text)
    text = data.draw(st.sampled_from([text, text.upper(), text.lower(), text.title()]))
    pad = data.draw(st.sampled_from(["", " ", "  ", "\t", "_"]))
    return pad + text.replace(" ", data.draw(st.sampled_from([" ", "  ", "_", ""]))) + pad


@settings(max_examples=examples(300), deadline=None)
@given(st.sampled_from(ENUM_COLUMNS), st.data())
def test_enum_folding_finds_the_label_under_any_spelling(column, data):
    label = data.draw(st.sampled_from(column.choices))
    assert vocab.canonical_choice(column, _respell(label, data)) == label


@FAST
@given(st.sampled_from(ENUM_COLUMNS), TEXTS)
def test_enum_folding_never_raises_and_gives_a_label_or_none(column, text):
    found = vocab.canonical_choice(column, text)
    assert found is None or found in column.choices
    assert vocab.fold(vocab.fold(text)) == vocab.fold(text)


@FAST
@given(COLUMNS)
def test_text_cleaning_never_raises_and_leaves_no_stray_space(values):
    text = pl.Series(values, dtype=pl.String).str.normalize("NFC")
    frame = pl.DataFrame({"t": text}).select(
        parse.clean_text(pl.col("t")).alias("clean"), parse.trim_text(pl.col("t")).alias("trim")
    )
    for clean, trim in frame.iter_rows():
        for value in (clean, trim):
            assert value is None or (value and value == value.strip(WHITE_SPACE))
        if clean is not None:
            assert "  " not in clean and "\u200b" not in clean and "\t" not in clean and "\n" not in clean


@FAST
@given(st.integers(1990, 2100), st.lists(TEXTS, min_size=5, max_size=5))
def test_registration_key_is_stable_under_respelling(year, parts):
    unit, subject, name, model, movement = parts
    key = parse.registration_key(year, unit, subject, name, model, movement)
    assert key.startswith("DK-") and len(key) == 19
    again = parse.registration_key(
        year, unit.upper(), unicodedata.normalize("NFD", subject), f" {name} ", model, movement
    )
    if vocab.fold(unit.upper()) == vocab.fold(unit) and vocab.fold(f" {name} ") == vocab.fold(name):
        assert again == key


def test_a_zero_width_character_beside_a_space_leaves_one_space():
    # found by the property above: "\u200b " became two spaces, "Chi\u200b bộ" != "Chi bộ"
    values = ["Chi\u200b bộ", "0\r\ufeff0", "A \ufeff B"]
    frame = pl.DataFrame({"t": values}).select(parse.clean_text(pl.col("t")))
    assert frame.to_series().to_list() == ["Chi bộ", "0 0", "A B"]

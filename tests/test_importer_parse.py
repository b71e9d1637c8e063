"""The column-wise value parsers and folding, against the row-at-a-time definitions they replace."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.budget import examples

from queries import parse, readers, vocab

VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
ALPHABET = VIETNAMESE + VIETNAMESE.upper() + " _-|.,0123456789\t\u00a0ΣσςİıＫ\u0301\u0323"


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET, max_size=30), min_size=1, max_size=20))
def test_fold_series_equals_vocab_fold(values):
    series = pl.Series(values, dtype=pl.String)
    assert parse.fold_series(series).to_list() == [vocab.fold(v) for v in values]
    assert parse.fold_column(pl.Series(values * 3)).to_list() == [vocab.fold(v) for v in values * 3]


@settings(max_examples=examples(200), deadline=None)
@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=99))
def test_vietnamese_number_formats_round_trip(whole, cents):
    grouped = f"{whole:,}".replace(",", ".")
    texts = [str(whole), grouped, f"{grouped},{cents:02d}", f"{whole},{cents:02d}", f"{whole}.{cents:02d}"]
    parsed = pl.select(parse.parse_number(pl.Series(texts))).to_series().to_list()
    fraction = cents / 100
    assert parsed[:2] == [whole, whole]
    assert parsed[2] == pytest.approx(whole + fraction) and parsed[3] == pytest.approx(whole + fraction)
    if whole >= 1000 or len(f"{cents:02d}") != 3:  # "12.50" reads as a decimal, "1.234" as thousands
        assert parsed[4] == pytest.approx(whole + fraction)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.061", 1061.0),
        ("75,5", 75.5),
        ("1.234,5", 1234.5),
        ("75.5", 75.5),
        ("1,234,567", 1234567.0),
        ("1 061", 1061.0),
        ("-3", -3.0),
        ("abc", None),
        ("1.2.3", None),
        ("", None),
    ],
)
def test_parse_number_examples(text, expected):
    assert parse.parse_number_series(pl.Series([text])).to_list() == [expected]


@settings(max_examples=examples(200), deadline=None)
@given(st.dates(min_value=date(1930, 1, 1), max_value=date(2100, 12, 31)))
def test_date_spellings_agree(day):
    serial = (day - parse.EXCEL_EPOCH).days
    texts = [
        day.strftime("%d/%m/%Y"),
        f"{day.day}/{day.month}/{day.year}",
        day.strftime("%d-%m-%Y"),
        day.isoformat(),
        f"{day.isoformat()} 00:00:00",
        str(serial),
    ]
    assert parse.parse_date_series(pl.Series(texts)).to_list() == [day] * len(texts)


@pytest.mark.parametrize(
    "text", ["31/02/2023", "29/02/2023", "00/01/2023", "15/13/2023", "2022", "01/01/23", "1/1/1899", "x"]
)
def test_impossible_dates_are_null(text):
    assert parse.parse_date_series(pl.Series([text])).to_list() == [None]


def test_excel_serial_epoch():
    assert parse.EXCEL_EPOCH + timedelta(days=45000) == date(2023, 3, 15)


def test_header_matching_ignores_case_spaces_diacritics_and_marks():
    table = vocab.REGISTRATIONS
    for text in [
        "Tên tập thể, cá nhân",
        "TEN TAP THE CA NHAN",
        "ten_chu_the",
        "Tên tập thể/cá nhân (*)",
        " tên  tập thể, cá nhân ",
    ]:
        assert readers.match_header(table, text) == "ten_chu_the", text
    assert readers.match_header(table, "STT") is None


@pytest.mark.parametrize(
    ("name", "table"),
    [
        ("dang_ky_2021.csv", "dang_ky"),
        ("Đăng ký.csv", "dang_ky"),
        ("DON VI.xlsx", "don_vi"),
        ("Khen thưởng 2023", "khen_thuong"),
        ("Hướng dẫn", None),
        ("data.csv", None),
    ],
)
def test_table_for_file_name(name, table):
    found = readers.table_for_file_name(name)
    assert (found.name if found else None) == table


def test_decode_detects_each_encoding():
    text = "Năm;Tên mô hình\r\n2022;Mô hình số hoá\r\n"
    assert readers.decode(text.encode("utf-8"))[1] == "utf-8"
    assert readers.decode(b"\xef\xbb\xbf" + text.encode("utf-8"))[1] == "utf-8-sig"
    assert readers.decode(text.encode("utf-16"))[1] == "utf-16"
    assert readers.decode(text.encode("utf-16-le"))[:2] == (text, "utf-16")  # no BOM
    ascii_only = "Nam;Ten mo hinh\r\n2022;So hoa\r\n"  # valid UTF-8 too, NULs and all
    assert readers.decode(ascii_only.encode("utf-16-le"))[:2] == (ascii_only, "utf-16")
    assert readers.decode(ascii_only.encode("utf-16-be"))[:2] == (ascii_only, "utf-16")
    assert readers.decode("Nam;Nguyê\u0303n\r\n".encode("cp1258"))[1] == "cp1258"

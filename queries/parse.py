"""Column-wise value parsers for the importer: Polars expressions over whole columns, no row loops.

Each parser takes the cleaned text of a column (NFC, trimmed, empty -> null) and, for Excel
sources, the cell read as a datetime by calamine, which is non-null exactly when the cell holds a
number or a date (text cells read as null). That second column is what tells the numeric cell
1.061 (a float) from the text "1.061" (Vietnamese for one thousand and sixty-one).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date

import polars as pl

from queries import vocab

# Excel's day zero (the 1900 system, after its 1900-02-29 bug): serial 45000 = 2023-03-15.
EXCEL_EPOCH = date(1899, 12, 30)

# What Excel shows in a cell whose formula failed; a workbook's error cells are read as these
# (readers.read_excel), and a CSV saved from Excel holds them as text. Never a value.
EXCEL_ERRORS = (
    "#DIV/0!",
    "#N/A",
    "#NAME?",
    "#NULL!",
    "#NUM!",
    "#REF!",
    "#VALUE!",
    "#GETTING_DATA",
    "#SPILL!",
    "#CALC!",
    "#FIELD!",
    "#BLOCKED!",
    "#CONNECT!",
    "#BUSY!",
    "#UNKNOWN!",
)
# Serial numbers below 10000 (1927) are far more likely a year or a typo than a date.
SERIAL_MIN, SERIAL_MAX = 10_000, 2_958_465
DATE_YEAR_MIN, DATE_YEAR_MAX = 1900, 2100  # plausible dates (units may predate 1990)

# Zero-width characters, runs of 2+ whitespace and non-space whitespace all become one space
# (a run mixing them, "\u200b " or "\r\ufeff", is one run: it must not leave two spaces).
# Matching only these leaves the common single space alone: one regex pass, no rewrite of
# clean values, several times faster than replacing every "\s+".
_ODD_SPACE = r"[\s\u200b\u200c\u200d\u2060\ufeff]{2,}|[\u200b\u200c\u200d\u2060\ufeff]|[^\S ]"
_SERIAL = r"^\d+(?:[.,]\d+)?$"
_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d")
# calamine writes date cells as "2023-05-01 00:00:00"; typed text may carry a time too
_DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M:%S",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
)


# The quote our exports put before a formula-like text (queries.export.neutralise): taken off on
# import, so that a downloaded file re-imports as the same records. Only before a formula start
# (vocab.FORMULA_STARTS): any other leading quote is the user's own text.
_NEUTRALISED = "^'[" + "".join(re.escape(c) for c in vocab.FORMULA_STARTS) + "]"


def clean_text(expr: pl.Expr) -> pl.Expr:
    """Trimmed, inner whitespace and zero-width characters collapsed to one space; empty -> null;
    the exports' neutralising quote before a formula-like text taken off.

    The text must already be NFC (the readers normalise every grid).
    """
    text = expr.cast(pl.String)
    text = pl.when(text.str.contains(_NEUTRALISED)).then(text.str.slice(1)).otherwise(text)
    out = text.str.replace_all(_ODD_SPACE, " ").str.strip_chars()
    return pl.when(out.str.len_bytes() > 0).then(out)


def trim_text(expr: pl.Expr) -> pl.Expr:
    """Trimmed; empty -> null (for values that are parsed next: numbers, dates, choices)."""
    out = expr.cast(pl.String).str.strip_chars()
    return pl.when(out.str.len_bytes() > 0).then(out)


# A column whose values repeat this much (judged on an even sample) is cleaned once per distinct value.
DISTINCT_SAMPLE = 2048
DISTINCT_RATIO = 4


def _repeats(series: pl.Series) -> bool:
    """Whether a column's values probably repeat a lot, from an even sample of them (a guess that
    only decides the speed: both routes give the same values)."""
    n = series.len()
    if n < 2 * DISTINCT_SAMPLE:
        return False
    sample = series.gather_every(n // DISTINCT_SAMPLE)
    return sample.n_unique() * DISTINCT_RATIO < sample.len()


def _per_distinct_text(series: pl.Series, clean) -> tuple[pl.Series, pl.Series]:
    """clean(series) computed once per distinct value (the column itself when no value changes),
    and the distinct non-null values of the result."""
    uniques = series.drop_nulls().unique()
    cleaned = clean(uniques.clone())  # clean may scatter into its argument
    if cleaned.null_count() == 0 and cleaned.equals(uniques):
        return series, uniques
    out = series.replace_strict(uniques, cleaned, default=None, return_dtype=pl.String)
    return out, cleaned.drop_nulls().unique()


def trim_text_series(series: pl.Series) -> pl.Series:
    """trim_text() over a column, once per distinct value when values repeat a lot (choices, years,
    dates, scores); a column already trimmed comes back as it is."""
    return trim_text_distinct(series)[0]


def trim_text_distinct(series: pl.Series) -> tuple[pl.Series, pl.Series | None]:
    """trim_text_series(), and the distinct non-null values of the result when they were computed
    on the way (None otherwise)."""
    text = series.cast(pl.String)
    if _repeats(text):
        return _per_distinct_text(text, _trim_all)
    return _trim_all(text), None


def _trim_all(text: pl.Series) -> pl.Series:
    return text.to_frame("t").select(trim_text(pl.col("t"))).to_series()


def clean_text_series(series: pl.Series) -> pl.Series:
    """clean_text() over a column, faster: once per distinct value when values repeat a lot (model
    names, unit codes); else the replacement runs only on the values it changes, and only values
    with a space at an end are trimmed (every other whitespace is replaced by then)."""
    text = series.cast(pl.String)
    if _repeats(text):
        return _per_distinct_text(text, _clean_all)[0]
    return _clean_all(text)


def _clean_all(text: pl.Series) -> pl.Series:
    quoted = text.str.contains(_NEUTRALISED).fill_null(False)
    if quoted.any():
        index = quoted.arg_true()
        text = text.scatter(index, text.gather(index).str.slice(1))
    odd = text.str.contains(_ODD_SPACE).fill_null(False)
    if odd.any():
        index = odd.arg_true()
        text = text.scatter(index, text.gather(index).str.replace_all(_ODD_SPACE, " "))
    # every whitespace left is a plain space
    edge = (text.str.starts_with(" ") | text.str.ends_with(" ")).fill_null(False)
    if edge.any():
        index = edge.arg_true()
        text = text.scatter(index, text.gather(index).str.strip_chars(" "))
    return text.to_frame("t").select(pl.when(pl.col("t").str.len_bytes() > 0).then(pl.col("t"))).to_series()


def fold_expr(expr: pl.Expr) -> pl.Expr:
    """Polars twin of vocab.fold(): no diacritics, đ->d, lower case, no whitespace/underscores."""
    return (
        expr.str.normalize("NFD")
        .str.replace_all(r"\p{Mn}", "")
        .str.replace_all("đ", "d", literal=True)
        .str.replace_all("Đ", "D", literal=True)
        .str.replace_all(r"[\s_]+", "")
        .str.to_lowercase()
    )


def _fold_table() -> tuple[list[str], list[str]]:
    """Characters whose vocab.fold() is ASCII and differs: ASCII capitals and whitespace,
    underscore, and every precomposed Latin letter (Vietnamese included), folded by fold() itself.
    """
    keys, values = [], []
    for cp in [*range(0x00, 0x250), *range(0x1E00, 0x1F00)]:
        ch = chr(cp)
        if unicodedata.normalize("NFC", ch) != ch:
            continue
        folded = vocab.fold(ch)
        if folded != ch and folded.isascii():
            keys.append(ch)
            values.append(folded)
    return keys, values


_FOLD_KEYS, _FOLD_VALUES = _fold_table()


def fold_series(series: pl.Series) -> pl.Series:
    """vocab.fold() of every value of an NFC text column, fast.

    fold() works character by character on NFC text, so one literal multi-pattern pass over a
    table built from fold() itself does it for ASCII and Vietnamese; the rare values that
    still hold a non-ASCII character take the exact Unicode route of fold_expr().
    """
    fast = series.str.replace_many(_FOLD_KEYS, _FOLD_VALUES)
    leftover = fast.str.contains(r"[^\x00-\x7f]").fill_null(False)
    if leftover.any():
        index = leftover.arg_true()
        exact = pl.select(fold_expr(pl.lit(series.gather(index)))).to_series()
        fast = fast.scatter(index, exact)
    return fast


def parse_number(text: pl.Expr, cell: pl.Expr | None = None) -> pl.Expr:
    """A Float64 from a numeric cell or from text written the Vietnamese way; null if unreadable.

    Text rules, in order: "1.061" / "1.234,5" (dot groups thousands, comma is the decimal mark);
    "75,5" (comma decimal); "75.5" (dot decimal, when the dot does not group exactly 3 digits);
    "1,234,567" / "1,234.5" (English grouping). Spaces inside the number are ignored.
    """
    s = text.str.replace_all(r"[\s\u00a0]", "")
    vi_thousands = s.str.contains(r"^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
    comma_decimal = s.str.contains(r"^[+-]?\d*,\d+$")
    plain = s.str.contains(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")
    en_thousands = s.str.contains(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
    normalised = (
        pl.when(vi_thousands)
        .then(s.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True))
        .when(comma_decimal)
        .then(s.str.replace(",", ".", literal=True))
        .when(plain)
        .then(s)
        .when(en_thousands)
        .then(s.str.replace_all(",", "", literal=True))
    )
    from_text = normalised.cast(pl.Float64, strict=False)
    if cell is None:
        return from_text
    # A numeric cell: calamine's text is the plain float repr ("1.061", "75.5", "2022").
    from_cell = text.cast(pl.Float64, strict=False)
    return pl.when(cell.is_not_null() & from_cell.is_not_null()).then(from_cell).otherwise(from_text)


def _fast_then_full(text: pl.Series, cell: pl.Series | None, fast: pl.Expr, full) -> pl.Series:
    """`fast` over the whole column, `full(text, cell)` only where fast gave nothing.

    Polars evaluates every branch of a when/then on every row, so the costly rules run on the
    subset of rows the cheap one could not read (usually none).
    """
    out = text.to_frame("t").select(fast).to_series()
    todo = out.is_null() & text.is_not_null()
    if todo.any():
        index = todo.arg_true()
        sub = pl.DataFrame({"t": text.gather(index), "c": cell.gather(index) if cell is not None else None})
        slow = sub.select(full(pl.col("t"), pl.col("c") if cell is not None else None)).to_series()
        out = out.cast(slow.dtype).scatter(index, slow)
    return out


def parse_number_series(text: pl.Series, cell: pl.Series | None = None) -> pl.Series:
    """parse_number() over a column, with a fast path for numbers written without "." or ","."""
    t = pl.col("t")
    fast = pl.when(~t.str.contains_any([".", ","])).then(t.cast(pl.Float64, strict=False))
    return _fast_then_full(text, cell, fast, parse_number).cast(pl.Float64)


def parse_date_series(text: pl.Series, cell: pl.Series | None = None) -> pl.Series:
    """parse_date() over a column, with a fast path for dd/mm/yyyy."""
    t = pl.col("t")
    fast = t.str.to_date("%d/%m/%Y", strict=False)
    fast = pl.when(fast.dt.year().is_between(DATE_YEAR_MIN, DATE_YEAR_MAX)).then(fast)
    return _fast_then_full(text, cell, fast, parse_date).cast(pl.Date)


def per_distinct(
    text: pl.Series, cell: pl.Series | None, parser, dtype: pl.DataType, uniques: pl.Series | None = None
) -> pl.Series:
    """parser(text, cell) computed once per distinct text when values repeat a lot (years, scores,
    dates): the same values, at a fraction of the cost. With a cell view, per row. `uniques`: the
    distinct non-null texts, when already known."""
    if cell is None:
        if uniques is None:
            uniques = text.drop_nulls().unique()
        if uniques.len() * 4 < text.len():
            parsed = parser(uniques).cast(dtype)
            return text.replace_strict(uniques, parsed, default=None, return_dtype=dtype)
    return parser(text, cell).cast(dtype)


def parse_integer(number: pl.Expr) -> pl.Expr:
    """Int64 from a parsed Float64 when it is whole, else null."""
    whole = number.is_finite() & (number == number.floor()) & (number.abs() < 2**53)
    return pl.when(whole).then(number.cast(pl.Int64, strict=False))


def parse_date(text: pl.Expr, cell: pl.Expr | None = None) -> pl.Expr:
    """A Date from a date cell, an Excel serial number (cell or text), or dd/mm/yyyy-like text.

    Accepted text: d/m/yyyy, dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd (an optional time part
    is ignored) and serial numbers (10000 and up; a smaller number is more likely a year typed
    in the wrong column). Impossible dates (31/02/2023) and dates outside 1900-2100 give null.
    """
    candidates = [text.str.to_date(f, strict=False) for f in _DATE_FORMATS]
    candidates += [text.str.to_datetime(f, strict=False, time_unit="ms").dt.date() for f in _DATETIME_FORMATS]
    serial = text.str.replace(",", ".", literal=True).cast(pl.Float64, strict=False).floor()
    from_serial = pl.when(text.str.contains(_SERIAL) & serial.is_between(SERIAL_MIN, SERIAL_MAX)).then(
        pl.lit(EXCEL_EPOCH) + pl.duration(days=serial.cast(pl.Int64, strict=False))
    )
    parsed = pl.coalesce(*candidates, from_serial)
    if cell is not None:
        # calamine writes date cells as "yyyy-mm-dd hh:mm:ss" and number cells as the number,
        # so the text rules above already cover both; the cell is a fallback for odd formats.
        cell_date = cell.cast(pl.Datetime("ms"), strict=False).dt.date()
        parsed = pl.coalesce(parsed, pl.when(~text.str.contains(_SERIAL)).then(cell_date))
    return pl.when(parsed.dt.year().is_between(DATE_YEAR_MIN, DATE_YEAR_MAX)).then(parsed)


# --- derived keys -------------------------------------------------------------------------------

REGISTRATION_KEY_FIELDS = ("nam", "ma_don_vi", "doi_tuong", "ten_chu_the", "ten_mo_hinh", "phong_trao")
REGISTRATION_KEY_PREFIX = "DK-"


def registration_key(nam: int, ma_don_vi: str, doi_tuong: str, ten_chu_the: str, ten_mo_hinh: str,
                     phong_trao: str) -> str:  # fmt: skip
    """The key of a registration row without `Mã đăng ký`.

    "DK-" + the first 16 hex digits of SHA-1 over the fold()-ed fields joined by "|", in the
    order nam|ma_don_vi|doi_tuong|ten_chu_the|ten_mo_hinh|phong_trao, where doi_tuong and
    phong_trao are canonical labels (phong_trao after its default). fold() ignores case,
    diacritics, spaces and Unicode form, so re-typing a name with other tone marks, case or
    spacing keeps the key, and re-importing the same rows updates them instead of duplicating.
    """
    parts = [str(int(nam)), ma_don_vi, doi_tuong, ten_chu_the, ten_mo_hinh, phong_trao]
    joined = "|".join(vocab.fold(p) for p in parts)
    return REGISTRATION_KEY_PREFIX + hashlib.sha1(joined.encode("utf-8")).hexdigest()[:16]


def fold_column(series: pl.Series) -> pl.Series:
    """fold_series(), computed once per distinct value when values repeat a lot."""
    uniques = series.drop_nulls().unique()
    if uniques.len() * 2 < series.len():
        return series.replace_strict(uniques, fold_series(uniques), default=None, return_dtype=pl.String)
    return fold_series(series)


def registration_key_source(frame: pl.DataFrame) -> pl.Series:
    """The text registration_key() hashes, for every row of a typed dang_ky frame (null if incomplete).

    Each field is folded on its own (once per distinct value), then joined by "|".
    """
    parts = [frame.get_column("nam").cast(pl.String)]
    parts += [fold_column(frame.get_column(name)) for name in REGISTRATION_KEY_FIELDS[1:]]
    return pl.select(pl.concat_str(parts, separator="|")).to_series().alias("_key_source")


def conference_key(ma_don_vi: pl.Expr, nam: pl.Expr, loai_hoi_nghi: pl.Expr, ngay: pl.Expr) -> pl.Expr:
    """ma_hoi_nghi = "ma_don_vi|nam|loai_hoi_nghi|yyyy-mm-dd" (empty date part when no date)."""
    return pl.concat_str(
        [
            ma_don_vi,
            nam.cast(pl.String),
            loai_hoi_nghi,
            ngay.dt.strftime("%Y-%m-%d").fill_null(""),
        ],
        separator="|",
    )


def unit_version_key(ma_don_vi: pl.Expr, hieu_luc_tu: pl.Expr) -> pl.Expr:
    """ma_hieu_luc = "ma_don_vi|yyyy-mm-dd": one row of a unit's history, keyed by its start (empty
    date part without a start date). Migration 005_unit_history.sql builds the same text in SQL."""
    return pl.concat_str([ma_don_vi, hieu_luc_tu.dt.strftime("%Y-%m-%d").fill_null("")], separator="|")


def award_key(
    so_quyet_dinh: pl.Expr, ngay_quyet_dinh: pl.Expr, nam: pl.Expr, doi_tuong: pl.Expr, ten_chu_the: pl.Expr
) -> pl.Expr:
    """ma_khen_thuong = "so_quyet_dinh|year|doi_tuong|ten_chu_the" (DOMAIN.md section 3): the year of
    the decision (else `nam`), since decision numbers restart every year; the texts in lower case
    with single spaces (they are already NFC and trimmed), so a respelt case finds its row.
    Migration 003_award_key.sql builds the same text in SQL."""

    def folded(text: pl.Expr) -> pl.Expr:
        return text.str.replace_all(r"\s+", " ").str.to_lowercase()

    return pl.concat_str(
        [
            folded(so_quyet_dinh),
            pl.coalesce(ngay_quyet_dinh.dt.year().cast(pl.Int64), nam.cast(pl.Int64)).cast(pl.String),
            doi_tuong,
            folded(ten_chu_the),
        ],
        separator="|",
    )

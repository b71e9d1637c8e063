"""Column-wise value parsers for the importer: Polars expressions over whole columns, no row loops.

Each parser takes the cleaned text of a column (NFC, trimmed, empty -> null) and, for Excel
sources, the cell read as a datetime by calamine, which is non-null exactly when the cell holds a
number or a date (text cells read as null). That second column is what tells the numeric cell
1.061 (a float) from the text "1.061" (Vietnamese for one thousand and sixty-one).
"""

from __future__ import annotations

import hashlib
from datetime import date

import polars as pl

from queries import vocab

# Excel's day zero (the 1900 system, after its 1900-02-29 bug): serial 45000 = 2023-03-15.
EXCEL_EPOCH = date(1899, 12, 30)
# Serial numbers below 10000 (1927) are far more likely a year or a typo than a date.
SERIAL_MIN, SERIAL_MAX = 10_000, 2_958_465
DATE_YEAR_MIN, DATE_YEAR_MAX = 1900, 2100  # plausible dates (units may predate 1990)

_INVISIBLE = "[\u200b\u200c\u200d\u2060\ufeff]"
_TIME_SUFFIX = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DMY = r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})" + _TIME_SUFFIX + "$"
_YMD = r"^(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})" + _TIME_SUFFIX + "$"
_SERIAL = r"^\d+(?:[.,]\d+)?$"


def clean_text(expr: pl.Expr, *, collapse: bool = True) -> pl.Expr:
    """NFC, invisible characters removed, trimmed, inner whitespace collapsed; empty -> null."""
    out = expr.cast(pl.String).str.normalize("NFC").str.replace_all(_INVISIBLE, "").str.strip_chars()
    if collapse:
        out = out.str.replace_all(r"\s+", " ")
    return pl.when(out.str.len_bytes() > 0).then(out)


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


def parse_integer(number: pl.Expr) -> pl.Expr:
    """Int64 from a parsed Float64 when it is whole, else null."""
    whole = number.is_finite() & (number == number.floor()) & (number.abs() < 2**53)
    return pl.when(whole).then(number.cast(pl.Int64, strict=False))


def _ymd(y: pl.Expr, m: pl.Expr, d: pl.Expr) -> pl.Expr:
    iso = pl.concat_str([y.str.zfill(4), m.str.zfill(2), d.str.zfill(2)], separator="-")
    return iso.str.to_date("%Y-%m-%d", strict=False)


def parse_date(text: pl.Expr, cell: pl.Expr | None = None) -> pl.Expr:
    """A Date from a date cell, an Excel serial number (cell or text), or dd/mm/yyyy-like text.

    Accepted text: d/m/yyyy, dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd (an optional time part
    is ignored) and serial numbers. Impossible dates (31/02/2023) and dates outside
    1900-2100 give null.
    """
    dmy = _ymd(
        text.str.extract(_DMY, 3),
        text.str.extract(_DMY, 2),
        text.str.extract(_DMY, 1),
    )
    ymd = _ymd(
        text.str.extract(_YMD, 1),
        text.str.extract(_YMD, 2),
        text.str.extract(_YMD, 3),
    )
    serial = text.str.replace(",", ".", literal=True).cast(pl.Float64, strict=False).floor()
    from_serial = pl.when(text.str.contains(_SERIAL) & serial.is_between(SERIAL_MIN, SERIAL_MAX)).then(
        pl.lit(EXCEL_EPOCH) + pl.duration(days=serial.cast(pl.Int64, strict=False))
    )
    parsed = pl.coalesce(dmy, ymd, from_serial)
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


def registration_key_source(frame_fields: dict[str, pl.Expr]) -> pl.Expr:
    """The text hashed by registration_key(), column-wise (hash it with DuckDB's sha1)."""
    parts = []
    for name in REGISTRATION_KEY_FIELDS:
        expr = frame_fields[name]
        if name == "nam":
            parts.append(expr.cast(pl.String).fill_null(""))
        else:
            parts.append(fold_expr(expr).fill_null(""))
    return pl.concat_str(parts, separator="|")


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

"""How numbers and dates are written (DOMAIN.md section 6): "1.061", "75,3%", "19/10/2023" in Vietnamese,
"1,061", "75.3%", "19/10/2023" in English. Used by the narrative, the exports and the dashboard.

Every helper takes None (a figure with a zero denominator) and writes it as a dash.
"""

from __future__ import annotations

import math
from datetime import date, datetime

MISSING = "–"

_SEPARATORS = {"vi": (".", ","), "en": (",", ".")}  # (thousands, decimal)


def _separators(lang: str) -> tuple[str, str]:
    return _SEPARATORS["en" if lang == "en" else "vi"]


def _swap(text: str, lang: str) -> str:
    """Python's '1,234.5' written with the language's separators."""
    thousands, decimal = _separators(lang)
    return text.replace(",", "\0").replace(".", decimal).replace("\0", thousands)


def is_missing(value: object) -> bool:
    """None, or a float NaN (a missing value of a Polars float column)."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def fmt_int(n: int | float | None, lang: str = "vi") -> str:
    """A whole number with thousands separators: 1061 -> "1.061" (vi) / "1,061" (en)."""
    if n is None or is_missing(n):
        return MISSING
    return _swap(f"{round(n):,d}", lang)


def fmt_num(x: int | float | None, lang: str = "vi", digits: int = 1, trim: bool = False) -> str:
    """A number with `digits` decimals: 1061.25 -> "1.061,3" (vi) / "1,061.3" (en).

    With trim=True, trailing zeros are dropped ("12,0" -> "12").
    """
    if x is None or is_missing(x):
        return MISSING
    text = f"{x:,.{digits}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", "-0.0") or (text.startswith("-") and float(text.replace(",", "")) == 0):
        text = text[1:]
    return _swap(text, lang)


def fmt_pct(x: float | None, lang: str = "vi", digits: int = 1) -> str:
    """A fraction as a percentage: 0.7528 -> "75,3%" (vi) / "75.3%" (en)."""
    if x is None or is_missing(x):
        return MISSING
    return fmt_num(x * 100, lang, digits) + "%"


def fmt_change(x: int | float | None, lang: str = "vi", digits: int = 0) -> str:
    """A signed change: +12, -3, "+1.061" (for tables of changes)."""
    if x is None or is_missing(x):
        return MISSING
    body = fmt_int(abs(x), lang) if digits == 0 else fmt_num(abs(x), lang, digits)
    if (digits == 0 and round(x) == 0) or body.strip("0,.") == "":
        return body
    return ("+" if x > 0 else "-") + body


def fmt_pct_change(x: float | None, lang: str = "vi", digits: int = 1) -> str:
    """A signed relative change: 0.125 -> "+12,5%"."""
    if x is None or is_missing(x):
        return MISSING
    body = fmt_pct(abs(x), lang, digits)
    if float(f"{abs(x) * 100:.{digits}f}") == 0:
        return body
    return ("+" if x > 0 else "-") + body


def fmt_date(d: date | datetime | None, lang: str = "vi") -> str:
    """A date as dd/mm/yyyy (the convention in both languages here)."""
    if d is None:
        return MISSING
    return d.strftime("%d/%m/%Y")


def fmt_period(year_from: int, year_to: int) -> str:
    """'2021-2023', or '2022' for one year."""
    return str(year_from) if year_from == year_to else f"{year_from}-{year_to}"

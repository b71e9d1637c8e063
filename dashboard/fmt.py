"""Numbers and dates as the user reads them: "1.061", "75,3%", "+12", "31/12/2023" (vi) or "1,061" (en).

Thin wrappers over queries.formatting with the language first-class; a missing value is "–".
A figure's value or change is written by its kind with queries.shown (one formatter for pages,
downloads and the CLI).
"""

from __future__ import annotations

from datetime import date, datetime

from queries import formatting


def integer(value: float | None, lang: str) -> str:
    """1061 -> "1.061" (vi) / "1,061" (en)."""
    return formatting.fmt_int(value, lang)


def number(value: float | None, lang: str, digits: int = 1) -> str:
    """75.25 -> "75,3" (vi) / "75.3" (en)."""
    return formatting.fmt_num(value, lang, digits)


def percent(share: float | None, lang: str, digits: int = 1) -> str:
    """A share 0..1 as a percentage: 0.753 -> "75,3%"."""
    return formatting.fmt_pct(share, lang, digits)


def day(value: date | datetime | None, lang: str = "vi") -> str:
    """A date as dd/mm/yyyy (both languages: the users' convention)."""
    return formatting.fmt_date(value, lang)

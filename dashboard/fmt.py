"""Numbers and dates as the user reads them: "1.061", "75,3%", "+12", "31/12/2023" (vi) or "1,061" (en).

Thin wrappers over queries.formatting with the language first-class; a missing value is "–".
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


def signed_integer(value: float | None, lang: str) -> str:
    """+12 / -3 / 0."""
    return formatting.fmt_change(value, lang)


def signed_number(value: float | None, lang: str, digits: int = 1) -> str:
    """+1,5 / -0,3."""
    return formatting.fmt_change(value, lang, digits)


def signed_percent(share: float | None, lang: str, digits: int = 1) -> str:
    """A relative change as +12,5% / -3,0%."""
    return formatting.fmt_pct_change(share, lang, digits)


def signed_points(share_change: float | None, lang: str) -> str:
    """A change of a rate in percentage points: "+4,2 điểm %" / "+4.2 pp"."""
    if share_change is None:
        return formatting.MISSING
    unit = " pp" if lang == "en" else " điểm %"
    return formatting.fmt_change(share_change * 100, lang, 1) + unit

"""Years with data and comparing two periods (DOMAIN.md section 4).

A year counts as *reported* when the database holds at least one registration for it. Figures over
a period use its reported years only and say which ("2021-2025, số liệu đến 2024"). Comparisons
read "A so với B": A is the period judged, B the baseline; change = A - B, the % change is
relative to B, rates change in percentage points; against a period without any reported year
there is no change at all (never "+100%").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import duckdb

from queries import messages, store, vocab
from queries.formatting import fmt_pct, fmt_period

# Results awaiting scoring: the model is under way or done and not yet judged (Được công nhận,
# Tiêu biểu or Không đạt). "Đã đăng ký" is not among them: it is also the default of a row whose
# result was never filled in, which a year keeps for good (about 1% of every demo year).
PENDING_RESULTS = (vocab.RESULT_IN_PROGRESS, vocab.RESULT_DONE)
# A year whose pending share is above this is not final: its recognition rate will still move a
# lot (2024 in the demo: 1.139 of 2.677 registrations, 42,5%; the years before: none).
NOT_FINAL_SHARE = 0.25


_PERIOD = re.compile(r"\s*([0-9]{4})\s*(?:[-–:]\s*([0-9]{4}))?\s*")


def parse_period(text: str | None) -> tuple[int, int] | None:
    """ "2018-2020" (or "2018–2020", "2018:2020") or "2021" -> a (from, to) pair, in order; None
    for anything else or a year outside the template's range. The one parser of periods: the URL,
    the pages' choices and `dvk compare` read a period with it; formatting.fmt_period writes one."""
    match = _PERIOD.fullmatch(text or "")
    if not match:
        return None
    a, b = int(match.group(1)), int(match.group(2) or match.group(1))
    if not (vocab.YEAR_MIN <= a <= vocab.YEAR_MAX and vocab.YEAR_MIN <= b <= vocab.YEAR_MAX):
        return None
    return (min(a, b), max(a, b))


def reported_years(cur: duckdb.DuckDBPyConnection) -> frozenset[int]:
    """The years that hold at least one registration (asked once per read-only snapshot)."""
    memo = store.snapshot_memo(cur)
    if memo is not None and "reported_years" in memo:
        return memo["reported_years"]
    years = frozenset(int(y) for (y,) in cur.execute("select distinct nam from dang_ky").fetchall())
    if memo is not None:
        memo["reported_years"] = years
    return years


def reported_in(years: Iterable[int], reported: frozenset[int]) -> list[int]:
    """The reported years among `years`, in order."""
    return sorted(y for y in years if y in reported)


def span(year_from: int, year_to: int, reported: frozenset[int]) -> tuple[int, int] | None:
    """The first and last reported year of year_from..year_to (None when none is reported)."""
    years = reported_in(range(year_from, year_to + 1), reported)
    return (years[0], years[-1]) if years else None


def coverage_note(year_from: int, year_to: int, years: list[int], lang: str = "vi") -> str | None:
    """Which years of the period the figures cover, when not all: "số liệu đến 2024" / "data up
    to 2024", "chưa có số liệu" / "no data yet" when none; None when every year is reported."""
    if years == list(range(year_from, year_to + 1)):
        return None
    notes = messages.PERIOD_NOTES["en" if lang == "en" else "vi"]
    if not years:
        return notes["none"]
    if years == list(range(year_from, years[-1] + 1)):
        return notes["up_to"].format(year=years[-1])
    if years == list(range(years[0], year_to + 1)):
        return notes["from"].format(year=years[0])
    return notes["years"].format(years=", ".join(str(y) for y in years))


def coverage_label(year_from: int, year_to: int, years: list[int], lang: str = "vi") -> str:
    """The period as figures over it cover it: "2021-2025, số liệu đến 2024" / "2021-2025, data up
    to 2024"; the plain period when every year is reported."""
    period = fmt_period(year_from, year_to)
    note = coverage_note(year_from, year_to, years, lang)
    return period if note is None else f"{period}, {note}"


def pending_note(summary: Mapping[str, Any], lang: str = "vi") -> str | None:
    """ "kết quả chưa cuối cùng: 42,3% số đăng ký năm 2024 đang chờ đánh giá" for the last year of a
    summary whose registrations mostly await scoring; None when every year's results are final."""
    years = summary.get("pending", {}).get("not_final_years") or []
    if not years:
        return None
    year = years[-1]
    row = next(r for r in summary["by_year"] if r["year"] == year)
    share = fmt_pct(row["pending_share"], lang)
    return messages.PERIOD_NOTES["en" if lang == "en" else "vi"]["pending"].format(share=share, year=year)


def change(a: float | None, b: float | None, *, has_data: bool = True) -> tuple[float | None, float | None]:
    """A so với B: (A - B, (A - B) / B). None where either value is missing, where B is 0 (no
    percentage of nothing), and everywhere when `has_data` is false (a side has no reported year)."""
    if not has_data or a is None or b is None:
        return None, None
    delta = float(a) - float(b)
    return delta, (delta / float(b) if b else None)

"""What a report is asked for beyond the filters: the comparison period, the language and the letterhead.

The letterhead (issuing body, its superior, document symbol, signing block) defaults from the scope's
unit and its superior (`resolve`); every part can be set by the caller (`dvk report` options, the
Báo cáo page). Hướng dẫn 36-HD/VPTW: the superior body above, the issuing committee below, "Số  -BC/…".
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb

from queries import pages_data, vocab

Cursor = duckdb.DuckDBPyConnection

# The office writes the number by hand: "Số" and six spaces before "-BC/…".
NUMBER_GAP = "\u00a0" * 6
# A committee's abbreviation after "-BC/" and who signs, by the scope unit's level.
_SYMBOLS = {vocab.LEVEL_BLOC: "ĐUK", vocab.LEVEL_GRASSROOTS_COMMITTEE: "ĐU"}
_ON_BEHALF = {
    "vi": {
        vocab.LEVEL_BLOC: "T/M BAN THƯỜNG VỤ",
        vocab.LEVEL_GRASSROOTS_COMMITTEE: "T/M ĐẢNG ỦY",
    },
    "en": {
        vocab.LEVEL_BLOC: "ON BEHALF OF THE STANDING COMMITTEE",
        vocab.LEVEL_GRASSROOTS_COMMITTEE: "ON BEHALF OF THE PARTY COMMITTEE",
    },
}
_BRANCH_ON_BEHALF = {"vi": "T/M CHI BỘ", "en": "ON BEHALF OF THE PARTY BRANCH"}
_SECRETARY = {"vi": "BÍ THƯ", "en": "SECRETARY"}


@dataclass(frozen=True)
class ReportOptions:
    """Everything about a report that is not a filter; None = the default from the scope's unit.

    Hashable (the dashboard caches reports by it). A reading of the reorganised structure (as it
    was / on today's structure, DOMAIN.md §4a) will be one more field here, passed to the engine.
    """

    lang: str = "vi"
    compare: tuple[int, int] | None = None  # the baseline period B; the report's period is A
    superior: str | None = None  # the superior body, first line top left
    issuer: str | None = None  # the issuing committee, second line top left (bold)
    symbol: str | None = None  # "Số      -BC/ĐUK"
    place: str | None = None  # the place before the date
    day: date | None = None  # the signing date; None leaves day and month blank for the office
    year: int | None = None  # the year on the date line when `day` is None (default: this year)
    on_behalf: str | None = None  # "T/M BAN THƯỜNG VỤ"
    signer_title: str | None = None  # "BÍ THƯ"
    signer_name: str | None = None
    recipients: tuple[str, ...] | None = None  # the lines under "Nơi nhận:"
    # False for a reader who may see only the scope's subtree: the superior's name is not written
    # anywhere (letterhead, recipients, body); they type it themselves if they want it.
    name_superior: bool = True


@dataclass(frozen=True)
class ScopeUnit:
    """The scope's unit (or None for several roots) and its superior, as the database has them."""

    code: str | None
    name: str | None
    level: str | None
    superior_name: str | None


def scope_unit(cur: Cursor, unit: str | None, with_superior: bool = True) -> ScopeUnit:
    """The unit the report is about: the given code, else the single root (none with several); its
    superior's name only when `with_superior`."""
    outline = pages_data.unit_outline(cur)
    rows = {r["ma_don_vi"]: r for r in outline.iter_rows(named=True)}
    if unit is None:
        roots = [r for r in outline.iter_rows(named=True) if r["depth"] == 0]
        if len(roots) != 1:
            return ScopeUnit(None, None, None, None)
        unit = roots[0]["ma_don_vi"]
    row = rows.get(unit)
    if row is None:
        return ScopeUnit(unit, None, None, None)
    parent = rows.get(row["ma_cap_tren"]) if row["ma_cap_tren"] and with_superior else None
    return ScopeUnit(unit, row["ten_don_vi"], row["cap"], parent["ten_don_vi"] if parent else None)


def committee_name(unit_name: str) -> str:
    """The committee that speaks for a party organisation: "Đảng bộ Khối X" -> "Đảng ủy Khối X"."""
    for prefix in ("Đảng bộ ", "đảng bộ "):
        if unit_name.startswith(prefix):
            return "Đảng ủy " + unit_name[len(prefix) :]
    return unit_name


def upper(text: str) -> str:
    """Capitals as the letterhead writes them ("Đảng ủy Khối" -> "ĐẢNG ỦY KHỐI")."""
    return text.upper()


def resolve(
    cur: Cursor, unit: str | None, options: ReportOptions, today: date | None = None
) -> ReportOptions:
    """The options with every letterhead default filled in from the scope's unit and its superior."""
    lang = "en" if options.lang == "en" else "vi"
    scope = scope_unit(cur, unit, options.name_superior)
    level = scope.level
    is_branch = level in vocab.BRANCH_LEVELS
    defaults = {
        "superior": upper(scope.superior_name) if scope.superior_name else "",
        "issuer": upper(committee_name(scope.name)) if scope.name else "",
        "symbol": f"{'No.' if lang == 'en' else 'Số'}{NUMBER_GAP}-BC/{'CB' if is_branch else _SYMBOLS.get(level or '', 'ĐU')}",
        "place": "",
        "year": (today or date.today()).year,
        "on_behalf": _BRANCH_ON_BEHALF[lang]
        if is_branch
        else _ON_BEHALF[lang].get(level or "", _ON_BEHALF[lang][vocab.LEVEL_BLOC]),
        "signer_title": _SECRETARY[lang],
        "signer_name": "",
        "recipients": _recipients(scope, lang),
    }
    filled: dict[str, Any] = {
        key: (value if getattr(options, key) is None else getattr(options, key))
        for key, value in defaults.items()
    }
    return dataclasses.replace(options, lang=lang, **filled)


def _recipients(scope: ScopeUnit, lang: str) -> tuple[str, ...]:
    if lang == "en":
        lines = [f"- {scope.superior_name} (to report)," if scope.superior_name else None]
        lines += ["- The grassroots party organisations,", "- Filed: Office."]
    else:
        lines = [f"- {scope.superior_name} (để báo cáo)," if scope.superior_name else None]
        lines += ["- Các chi bộ, đảng bộ cơ sở,", "- Lưu Văn phòng."]
    return tuple(line for line in lines if line)


def date_line(options: ReportOptions) -> str:
    """ "Vĩnh Long, ngày 15 tháng 10 năm 2023" (or blanks for the office to fill in)."""
    place = options.place or ("..........." if options.lang != "en" else "...........")
    if options.lang == "en":
        when = options.day.strftime("%d/%m/%Y") if options.day else f"....../....../{options.year}"
        return f"{place}, {when}"
    if options.day:
        d = options.day
        # 36-HD/VPTW: a leading zero for days under 10 and for January and February
        month = f"{d.month:02d}" if d.month < 3 else str(d.month)
        return f"{place}, ngày {d.day:02d} tháng {month} năm {d.year}"
    return f"{place}, ngày{NUMBER_GAP}tháng{NUMBER_GAP}năm {options.year}"

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
# A committee's abbreviation after "-BC/" and who signs, by the scope unit's level (36-HD/VPTW: a
# Tỉnh ủy "-BC/TU", a bloc's Đảng ủy Khối "-BC/ĐUK", any other Đảng ủy "-BC/ĐU", a chi bộ "-BC/CB";
# a committee above the grassroots signs for its Ban Thường vụ, a Đảng ủy cơ sở for itself).
_SYMBOLS = {
    vocab.LEVEL_PROVINCE: "TU",
    vocab.LEVEL_BLOC: "ĐUK",
    vocab.LEVEL_UPPER_COMMITTEE: "ĐU",
    vocab.LEVEL_GRASSROOTS_COMMITTEE: "ĐU",
}
_STANDING = {"vi": "T/M BAN THƯỜNG VỤ", "en": "ON BEHALF OF THE STANDING COMMITTEE"}
_ON_BEHALF = {
    lang: {
        vocab.LEVEL_PROVINCE: _STANDING[lang],
        vocab.LEVEL_BLOC: _STANDING[lang],
        vocab.LEVEL_UPPER_COMMITTEE: _STANDING[lang],
        vocab.LEVEL_GRASSROOTS_COMMITTEE: grassroots,
    }
    for lang, grassroots in (("vi", "T/M ĐẢNG ỦY"), ("en", "ON BEHALF OF THE PARTY COMMITTEE"))
}
# A province's Đảng bộ and its committee, and a centrally-run city's ("Đảng bộ tỉnh X" / "Tỉnh ủy X").
_PROVINCE_KINDS = (("Đảng bộ tỉnh", "Tỉnh ủy"), ("Đảng bộ thành phố", "Thành ủy"))
_BRANCH_ON_BEHALF = {"vi": "T/M CHI BỘ", "en": "ON BEHALF OF THE PARTY BRANCH"}
_SECRETARY = {"vi": "BÍ THƯ", "en": "SECRETARY"}


@dataclass(frozen=True)
class ReportOptions:
    """Everything about a report that is not a filter; None = the default from the scope's unit.

    Hashable (the dashboard caches reports by it). The reading of the reorganised structure (as it
    was / on today's structure, DOMAIN.md §4a) is the filters' (`Filters.structure`), not an option.
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
    superior_level: str | None = None


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
    if parent is None:
        return ScopeUnit(unit, row["ten_don_vi"], row["cap"], None)
    return ScopeUnit(unit, row["ten_don_vi"], row["cap"], parent["ten_don_vi"], parent["cap"])


def committee_name(unit_name: str) -> str:
    """The committee that speaks for a party organisation: "Đảng bộ Khối X" -> "Đảng ủy Khối X"."""
    for prefix in ("Đảng bộ ", "đảng bộ "):
        if unit_name.startswith(prefix):
            return "Đảng ủy " + unit_name[len(prefix) :]
    return unit_name


def province_names(unit_name: str) -> tuple[str, str]:
    """A Tỉnh ủy-level unit's Đảng bộ and committee, whichever of the two its name gives:
    "Đảng bộ tỉnh Vĩnh Long" or "Tỉnh ủy Vĩnh Long" -> ("Đảng bộ tỉnh Vĩnh Long", "Tỉnh ủy Vĩnh Long");
    a city's "Đảng bộ thành phố X" / "Thành ủy X" likewise; any other name is taken as the province's
    ("Đảng bộ Vĩnh Long" or "Vĩnh Long" -> "Đảng bộ tỉnh Vĩnh Long", "Tỉnh ủy Vĩnh Long")."""
    text = " ".join(unit_name.split())
    key = text.casefold().replace("uỷ", "ủy")  # the older spelling "Tỉnh uỷ" too
    for party, committee in _PROVINCE_KINDS:
        for prefix in (party, committee):
            if key == prefix.casefold() or key.startswith(prefix.casefold() + " "):
                rest = text[len(prefix) :].strip()
                return f"{party} {rest}".strip(), f"{committee} {rest}".strip()
    rest = text[len("Đảng bộ ") :].strip() if key.startswith("đảng bộ ") else text
    party, committee = _PROVINCE_KINDS[0]
    return f"{party} {rest}".strip(), f"{committee} {rest}".strip()


def letterhead_names(scope: ScopeUnit) -> tuple[str, str]:
    """(superior, issuer) as the letterhead's two lines top left, before capitals (36-HD/VPTW): the
    superior's Đảng bộ above the issuing committee. A Tỉnh ủy issues as "Tỉnh ủy X" under its own
    "Đảng bộ tỉnh X"; a unit under a Tỉnh ủy names that province's Đảng bộ above itself."""
    if scope.level == vocab.LEVEL_PROVINCE and scope.name:
        return province_names(scope.name)
    superior = scope.superior_name or ""
    if superior and scope.superior_level == vocab.LEVEL_PROVINCE:
        superior = province_names(superior)[0]
    return superior, committee_name(scope.name) if scope.name else ""


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
    superior, issuer = letterhead_names(scope)
    defaults = {
        "superior": upper(superior),
        "issuer": upper(issuer),
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
    # A report goes up to a Tỉnh ủy (the committee, not its Đảng bộ); a Tỉnh ủy's goes down to the
    # committees under it, any other's to its grassroots units.
    superior = scope.superior_name
    if superior and scope.superior_level == vocab.LEVEL_PROVINCE:
        superior = province_names(superior)[1]
    province = scope.level == vocab.LEVEL_PROVINCE
    if lang == "en":
        lines = [f"- {superior} (to report)," if superior else None]
        below = "- The party committees under it," if province else "- The grassroots party organisations,"
        lines += [below, "- Filed: Office."]
    else:
        lines = [f"- {superior} (để báo cáo)," if superior else None]
        lines += [
            "- Các đảng bộ trực thuộc," if province else "- Các chi bộ, đảng bộ cơ sở,",
            "- Lưu Văn phòng.",
        ]
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

"""Report sentences from a summary (queries.figures.summary), in the style of the seed articles.

"Giai đoạn 2021-2023, các chi bộ, đảng bộ cơ sở có 1.061 tập thể và 5.908 cá nhân đăng ký thực hiện
mô hình "Dân vận khéo"; có 67/89 chi bộ, đảng bộ cơ sở (75,3%) tổ chức hội nghị tuyên dương, khen
thưởng cho 126 tập thể và 156 cá nhân; Đảng ủy Khối khen thưởng 61 tập thể và 110 cá nhân; ..."
Numbers are written with queries.formatting (Vietnamese or English conventions).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from queries import labels, periods, vocab
from queries.formatting import fmt_int, fmt_pct, fmt_period

LEVEL_GRASSROOTS_AWARD = vocab.AWARD_LEVELS[0]  # "Cơ sở": awards given by the grassroots units themselves


def narrative(summary: Mapping[str, Any], lang: str = "vi") -> str:
    """The headline figures of a summary (figures.Summary, or a part of one) as report sentences
    (lang 'vi' or 'en')."""
    if lang == "en":
        return _english(summary)
    return _vietnamese(summary)


def _coverage(s: Mapping[str, Any], lang: str) -> str:
    """ " (số liệu đến 2024)" when the figures cover only some years of the period."""
    if "reported_years" not in s:
        return ""
    note = periods.coverage_note(s["from"], s["to"], s["reported_years"], lang)
    return f" ({note})" if note else ""


def _reported_rows(s: Mapping[str, Any]) -> list[dict]:
    """The by-year rows of the years with data (all of them for a summary that does not say)."""
    rows = s.get("by_year") or []
    if "reported_years" not in s:
        return rows
    return [row for row in rows if row["year"] in s["reported_years"]]


def _pending(s: Mapping[str, Any], lang: str) -> list[str]:
    """The sentence saying a year's results are not final, when its registrations mostly await scoring."""
    note = periods.pending_note(s, lang)
    return [note[0].upper() + note[1:] + "."] if note else []


# --- Vietnamese ----------------------------------------------------------------------------------


def _vi_subjects(collective: int, individual: int) -> str:
    parts = []
    if collective:
        parts.append(f"{fmt_int(collective)} tập thể")
    if individual:
        parts.append(f"{fmt_int(individual)} cá nhân")
    return " và ".join(parts)


def _vietnamese(s: Mapping[str, Any]) -> str:
    opening = labels.period_name(s["from"], s["to"], "vi")
    opening += _coverage(s, "vi")
    who = s.get("unit_name") or "các chi bộ, đảng bộ cơ sở"
    filters = s.get("filters") or {}
    movement = filters.get("movement") or vocab.MOVEMENT_DVK
    model = f'mô hình "{movement}"'
    if filters.get("field"):
        model += f" trong lĩnh vực {filters['field']}"
    regs = s["registrations"]
    if not regs["total"]:
        first = f"{opening}, {who} chưa có tập thể, cá nhân nào đăng ký thực hiện {model}"
    else:
        first = f"{opening}, {who} có {_vi_subjects(regs['collective'], regs['individual'])} đăng ký thực hiện {model}"
    clauses = [first]
    if s["grassroots_units"]:
        held = (
            f"có {fmt_int(s['units_with_conference'])}/{fmt_int(s['grassroots_units'])} chi bộ, đảng bộ cơ sở "
            f"({fmt_pct(s['conference_rate'])}) tổ chức hội nghị tuyên dương, khen thưởng"
        )
        local = s["awards"]["by_level"].get(LEVEL_GRASSROOTS_AWARD, {})
        local_text = _vi_subjects(local.get("collective", 0), local.get("individual", 0))
        clauses.append(f"{held} cho {local_text}" if local_text else held)
    for level, split in s["awards"]["by_level"].items():
        if level == LEVEL_GRASSROOTS_AWARD and s["grassroots_units"]:
            continue
        text = _vi_subjects(split["collective"], split["individual"])
        if text:
            clauses.append(f"{_vi_level(level)} khen thưởng {text}")
    for level, split in s["nominations"]["by_level"].items():
        text = _vi_subjects(split["collective"], split["individual"])
        if text:
            clauses.append(f"đề nghị {_vi_level(level)} khen thưởng {text}")
    sentences = ["; ".join(clauses) + "."]

    details = []
    if s["grassroots_units"] and regs["total"]:
        details.append(
            f"{fmt_int(s['units_with_registration'])}/{fmt_int(s['grassroots_units'])} tổ chức cơ sở đảng "
            f"({fmt_pct(s['coverage_rate'])}) có mô hình đăng ký"
        )
    if s["target_compliance_rate"] is not None:
        details.append(
            f"{fmt_pct(s['target_compliance_rate'])} lượt chi bộ trong năm đạt chỉ tiêu ít nhất 1 mô hình "
            '"Dân vận khéo" và 1 mô hình thực hiện quy chế dân chủ ở cơ sở'
        )
    if regs["total"] and s["recognised"]:
        details.append(
            f"{fmt_int(s['recognised'])} lượt đăng ký ({fmt_pct(s['recognition_rate'])}) được công nhận"
        )
    if details:
        text = "; ".join(details)
        sentences.append(text[0].upper() + text[1:] + ".")
    years = _reported_rows(s)
    if len(years) > 1 and regs["total"]:
        values = [y["registrations"] for y in years]
        listing = ", ".join(f"{fmt_int(y['registrations'])} ({y['year']})" for y in years)
        if all(b > a for a, b in zip(values, values[1:], strict=False)):
            sentences.append(f"Số lượt đăng ký tăng qua từng năm: {listing}.")
        else:
            sentences.append(f"Số lượt đăng ký theo năm: {listing}.")
    sentences.extend(_pending(s, "vi"))
    return " ".join(sentences)


def _vi_level(level: str) -> str:
    return "các cơ sở" if level == LEVEL_GRASSROOTS_AWARD else level


# --- English -------------------------------------------------------------------------------------


def _en_count(n: int, noun: str) -> str:
    return f"{fmt_int(n, 'en')} {noun}{'' if n == 1 else 's'}"


def _en_subjects(collective: int, individual: int) -> str:
    parts = []
    if collective:
        parts.append(_en_count(collective, "collective"))
    if individual:
        parts.append(_en_count(individual, "individual"))
    return " and ".join(parts)


def _english(s: Mapping[str, Any]) -> str:
    period = fmt_period(s["from"], s["to"])
    opening = f"In {period}" + _coverage(s, "en")
    who = s.get("unit_name") or "the party branches and grassroots party committees"
    filters = s.get("filters") or {}
    movement = labels.phrase(filters.get("movement") or vocab.MOVEMENT_DVK, "en")
    model = f'"{movement}" models'
    if filters.get("field"):
        model += f" in {labels.phrase(filters['field'], 'en')}"
    regs = s["registrations"]
    if not regs["total"]:
        first = f"{opening}, {who} registered no {model}"
    else:
        first = (
            f"{opening}, {who} registered {_en_subjects(regs['collective'], regs['individual'])} for {model}"
        )
    clauses = [first]
    if s["grassroots_units"]:
        held = (
            f"{fmt_int(s['units_with_conference'], 'en')} of {fmt_int(s['grassroots_units'], 'en')} grassroots "
            f"party organisations ({fmt_pct(s['conference_rate'], 'en')}) held a commendation conference"
        )
        local = s["awards"]["by_level"].get(LEVEL_GRASSROOTS_AWARD, {})
        local_text = _en_subjects(local.get("collective", 0), local.get("individual", 0))
        clauses.append(f"{held}, awarding {local_text}" if local_text else held)
    for level, split in s["awards"]["by_level"].items():
        if level == LEVEL_GRASSROOTS_AWARD and s["grassroots_units"]:
            continue
        text = _en_subjects(split["collective"], split["individual"])
        if text:
            clauses.append(f"{labels.phrase(level, 'en')} awarded {text}")
    for level, split in s["nominations"]["by_level"].items():
        text = _en_subjects(split["collective"], split["individual"])
        if text:
            clauses.append(
                f"{text} {'was' if text.startswith('1 ') and ' and ' not in text else 'were'} "
                f"nominated to {labels.phrase(level, 'en')}"
            )
    sentences = ["; ".join(clauses) + "."]

    details = []
    if s["grassroots_units"] and regs["total"]:
        details.append(
            f"{fmt_int(s['units_with_registration'], 'en')} of {fmt_int(s['grassroots_units'], 'en')} grassroots "
            f"party organisations ({fmt_pct(s['coverage_rate'], 'en')}) registered a model"
        )
    if s["target_compliance_rate"] is not None:
        details.append(
            f"{fmt_pct(s['target_compliance_rate'], 'en')} of branch-years met the target of at least one "
            "DVK and one QCDC model"
        )
    if regs["total"] and s["recognised"]:
        details.append(
            f"{_en_count(s['recognised'], 'registration')} ({fmt_pct(s['recognition_rate'], 'en')}) "
            f"{'was' if s['recognised'] == 1 else 'were'} recognised"
        )
    if details:
        text = "; ".join(details)
        sentences.append(text[0].upper() + text[1:] + ".")
    years = _reported_rows(s)
    if len(years) > 1 and regs["total"]:
        values = [y["registrations"] for y in years]
        listing = ", ".join(f"{fmt_int(y['registrations'], 'en')} ({y['year']})" for y in years)
        if all(b > a for a, b in zip(values, values[1:], strict=False)):
            sentences.append(f"Registrations grew every year: {listing}.")
        else:
            sentences.append(f"Registrations by year: {listing}.")
    sentences.extend(_pending(s, "en"))
    first_sentence = sentences[0]
    sentences[0] = first_sentence[0].upper() + first_sentence[1:]
    return " ".join(sentences)

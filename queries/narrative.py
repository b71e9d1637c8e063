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
    return _render(summary, "en" if lang == "en" else "vi")


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
    return [_capitalised(note) + "."] if note else []


# --- one control flow, rendered in either language ----------------------------------------------

# Each clause's words in either language; the control flow below fills them in once. The Vietnamese
# templates leave out {verb} (no agreement); the English ones say "was" or "were".
PHRASES: dict[str, dict[str, str]] = {
    "vi": {
        "opening": "{period_name}",
        "who": "các chi bộ, đảng bộ cơ sở",
        "model": 'mô hình "{movement}"',
        "model_field": " trong lĩnh vực {field}",
        "and": " và ",
        "registered_none": "{opening}, {who} chưa có tập thể, cá nhân nào đăng ký thực hiện {model}",
        "no_units": "{opening}, {who} chưa có tổ chức cơ sở đảng nào hoạt động, nên chưa có số liệu",
        "registered": "{opening}, {who} có {subjects} đăng ký thực hiện {model}",
        "held": "có {units}/{total} chi bộ, đảng bộ cơ sở ({rate}) tổ chức hội nghị tuyên dương, khen thưởng",
        "held_awarding": "{held} cho {subjects}",
        "awarded": "{level} khen thưởng {subjects}",
        "nominated": "đề nghị {level} khen thưởng {subjects}",
        "coverage": "{units}/{total} tổ chức cơ sở đảng ({rate}) có mô hình đăng ký",
        "compliance": (
            '{rate} lượt chi bộ trong năm đạt chỉ tiêu ít nhất 1 mô hình "Dân vận khéo" và 1 mô hình '
            "thực hiện quy chế dân chủ ở cơ sở"
        ),
        "recognised": "{count} ({rate}) được công nhận",
        "grew": "Số lượt đăng ký tăng qua từng năm: {listing}.",
        "by_year": "Số lượt đăng ký theo năm: {listing}.",
    },
    "en": {
        "opening": "In {period}",
        "who": "the party branches and grassroots party committees",
        "model": '"{movement}" models',
        "model_field": " in {field}",
        "and": " and ",
        "registered_none": "{opening}, {who} registered no {model}",
        "no_units": "{opening}, {who} had no grassroots party organisation in operation, so there are no figures",
        "registered": "{opening}, {who} registered {subjects} for {model}",
        "held": "{units} of {total} grassroots party organisations ({rate}) held a commendation conference",
        "held_awarding": "{held}, awarding {subjects}",
        "awarded": "{level} awarded {subjects}",
        "nominated": "{subjects} {verb} nominated to {level}",
        "coverage": "{units} of {total} grassroots party organisations ({rate}) registered a model",
        "compliance": "{rate} of branch-years met the target of at least one DVK and one QCDC model",
        "recognised": "{count} ({rate}) {verb} recognised",
        "grew": "Registrations grew every year: {listing}.",
        "by_year": "Registrations by year: {listing}.",
    },
}

# Nouns counted in a sentence; English adds an "s" for any number but 1.
NOUNS = {
    "vi": {"collective": "tập thể", "individual": "cá nhân", "registration": "lượt đăng ký"},
    "en": {"collective": "collective", "individual": "individual", "registration": "registration"},
}


def _count(n: int, noun: str, lang: str) -> str:
    word = NOUNS[lang][noun]
    if lang == "en" and n != 1:
        word += "s"
    return f"{fmt_int(n, lang)} {word}"


def _subjects(collective: int, individual: int, lang: str) -> str:
    """ "126 tập thể và 156 cá nhân" / "126 collectives and 156 individuals" (the non-zero parts)."""
    parts = [
        _count(n, noun, lang) for n, noun in ((collective, "collective"), (individual, "individual")) if n
    ]
    return PHRASES[lang]["and"].join(parts)


def _level(level: str, lang: str) -> str:
    """An award level as the subject of a clause ("các cơ sở" for the grassroots units themselves)."""
    if lang == "en":
        return labels.phrase(level, "en")
    return "các cơ sở" if level == LEVEL_GRASSROOTS_AWARD else level


def _verb(singular: bool, lang: str) -> str:
    return ("was" if singular else "were") if lang == "en" else ""


def _share(n: int, total: int, rate: float | None, lang: str) -> dict[str, str]:
    return {"units": fmt_int(n, lang), "total": fmt_int(total, lang), "rate": fmt_pct(rate, lang)}


def _capitalised(text: str) -> str:
    return text[0].upper() + text[1:]


def _render(s: Mapping[str, Any], lang: str) -> str:
    words = PHRASES[lang]
    opening = words["opening"].format(
        period_name=labels.period_name(s["from"], s["to"], lang), period=fmt_period(s["from"], s["to"])
    )
    opening += _coverage(s, lang)
    who = s.get("unit_name") or words["who"]
    filters = s.get("filters") or {}
    model = words["model"].format(movement=labels.phrase(filters.get("movement") or vocab.MOVEMENT_DVK, lang))
    if filters.get("field"):
        model += words["model_field"].format(field=labels.phrase(filters["field"], lang))
    regs = s["registrations"]
    subjects = _subjects(regs["collective"], regs["individual"], lang)
    # a unit's scope with no grassroots unit in the period (founded later, as the new committees
    # of 2025 read as they were) has nothing to count, rather than nothing registered
    first = words[
        "registered"
        if regs["total"]
        else "no_units"
        if s.get("unit_name") and not s["grassroots_units"]
        else "registered_none"
    ]
    clauses = [first.format(opening=opening, who=who, subjects=subjects, model=model)]
    by_level = s["awards"]["by_level"]
    if s["grassroots_units"]:
        held = words["held"].format(
            **_share(s["units_with_conference"], s["grassroots_units"], s["conference_rate"], lang)
        )
        local = by_level.get(LEVEL_GRASSROOTS_AWARD, {})
        local_text = _subjects(local.get("collective", 0), local.get("individual", 0), lang)
        clauses.append(words["held_awarding"].format(held=held, subjects=local_text) if local_text else held)
    for level, split in by_level.items():
        if level == LEVEL_GRASSROOTS_AWARD and s["grassroots_units"]:
            continue
        text = _subjects(split["collective"], split["individual"], lang)
        if text:
            clauses.append(words["awarded"].format(level=_level(level, lang), subjects=text))
    for level, split in s["nominations"]["by_level"].items():
        text = _subjects(split["collective"], split["individual"], lang)
        if text:
            singular = text.startswith("1 ") and words["and"] not in text
            clauses.append(
                words["nominated"].format(
                    level=_level(level, lang), subjects=text, verb=_verb(singular, lang)
                )
            )
    sentences = [_capitalised("; ".join(clauses) + ".")]

    details = []
    if s["grassroots_units"] and regs["total"]:
        details.append(
            words["coverage"].format(
                **_share(s["units_with_registration"], s["grassroots_units"], s["coverage_rate"], lang)
            )
        )
    if s["target_compliance_rate"] is not None:
        details.append(words["compliance"].format(rate=fmt_pct(s["target_compliance_rate"], lang)))
    if regs["total"] and s["recognised"]:
        details.append(
            words["recognised"].format(
                count=_count(s["recognised"], "registration", lang),
                rate=fmt_pct(s["recognition_rate"], lang),
                verb=_verb(s["recognised"] == 1, lang),
            )
        )
    if details:
        sentences.append(_capitalised("; ".join(details)) + ".")
    years = _reported_rows(s)
    if len(years) > 1 and regs["total"]:
        values = [y["registrations"] for y in years]
        listing = ", ".join(f"{fmt_int(y['registrations'], lang)} ({y['year']})" for y in years)
        grew = all(b > a for a, b in zip(values, values[1:], strict=False))
        sentences.append(words["grew" if grew else "by_year"].format(listing=listing))
    sentences.extend(_pending(s, lang))
    return " ".join(sentences)

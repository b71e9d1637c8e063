"""III. Assessment drawn from the figures (strengths, shortcomings by unit name, neglected fields) and
IV. the directions, headings left for the leader to write."""

from __future__ import annotations

import polars as pl

from queries import figures, labels
from queries.figures import Filters
from queries.formatting import fmt_int, fmt_pct, fmt_period
from queries.report import comparison
from queries.report.facts import Facts
from queries.report.model import H1, H2, PLACEHOLDER, Paragraph
from queries.report.text import label, names, period_words, sentence
from queries.report.text import pick as _

# A standard field (not "Khác") with less than this share of the registrations is called neglected.
NEGLECTED_SHARE = 0.10


# --- III. assessment -----------------------------------------------------------------------------


def section(facts: Facts, lang: str) -> list[Paragraph]:
    out = [Paragraph(_(lang, "III. ĐÁNH GIÁ CHUNG", "III. ASSESSMENT"), H1)]
    out.append(Paragraph(_(lang, "1. Ưu điểm", "1. Strengths"), H2))
    out += [Paragraph(sentence(t)) for t in strengths(facts, lang)] or [Paragraph("…", PLACEHOLDER)]
    out.append(Paragraph(_(lang, "2. Hạn chế", "2. Shortcomings"), H2))
    out += [Paragraph(sentence(t)) for t in shortcomings(facts, lang)] or [Paragraph("…", PLACEHOLDER)]
    return out


def strengths(facts: Facts, lang: str) -> list[str]:
    """What the figures show went well: growth, wide coverage, a high recognition rate, gains on B."""
    s = facts.summary
    out: list[str] = []

    def say(vi: str, en: str) -> None:  # a sentence in the report's language
        out.append(_(lang, vi, en))

    years = s["by_year"]
    values = [row["registrations"] for row in years]
    if len(values) > 1 and values[0] and all(b > a for a, b in zip(values, values[1:], strict=False)):
        say(
            f"số lượt đăng ký tăng đều qua từng năm, từ {fmt_int(values[0])} lượt năm {years[0]['year']} lên "
            f"{fmt_int(values[-1])} lượt năm {years[-1]['year']}",
            f"registrations grew every year, from {fmt_int(values[0], 'en')} in {years[0]['year']} to "
            f"{fmt_int(values[-1], 'en')} in {years[-1]['year']}",
        )
    if s["coverage_rate"] is not None and s["coverage_rate"] >= 0.9:
        say(
            f"phong trào được triển khai rộng khắp: {fmt_int(s['units_with_registration'])}/"
            f"{fmt_int(s['grassroots_units'])} tổ chức cơ sở đảng ({fmt_pct(s['coverage_rate'])}) có mô hình đăng ký",
            f"the movement reached nearly every unit: {fmt_int(s['units_with_registration'], 'en')} of "
            f"{fmt_int(s['grassroots_units'], 'en')} grassroots party organisations ({fmt_pct(s['coverage_rate'], 'en')}) "
            "registered a model",
        )
    if s["recognition_rate"] is not None and s["recognition_rate"] >= 0.75:
        say(
            f"chất lượng mô hình được nâng lên: {fmt_pct(s['recognition_rate'])} lượt đăng ký được công nhận",
            f"the models were of good quality: {fmt_pct(s['recognition_rate'], 'en')} of registrations were recognised",
        )
    for base, key, _a, _b, change, _pct in _changes_on_base(facts):
        if key == "registrations" and change > 0:
            say(
                f"số lượt đăng ký tăng {fmt_int(change)} lượt so với {period_words(base, lang)}",
                f"registrations rose by {fmt_int(change, 'en')} on {fmt_period(base.year_from, base.year_to)}",
            )
    return out


def shortcomings(facts: Facts, lang: str) -> list[str]:
    """What the figures show fell short: units below the scope's target rate or without a conference
    or registration (by name), neglected fields, falls on the baseline period."""
    s = facts.summary
    out: list[str] = []

    def say(vi: str, en: str) -> None:  # a sentence in the report's language
        out.append(_(lang, vi, en))

    units = facts.by_unit
    rate = s["target_compliance_rate"]
    if rate is not None:
        below = units.filter(pl.col("target_compliance_rate") < rate).sort(
            "target_compliance_rate", maintain_order=True
        )
        if below.height:
            say(
                f"{fmt_int(below.height)} đơn vị có tỉ lệ chi bộ - năm đạt chỉ tiêu 1 DVK + 1 QCDC thấp hơn mức chung "
                f"({fmt_pct(rate)}): {names(_rated(below, 'target_compliance_rate', lang), lang)}",
                f"{fmt_int(below.height, 'en')} units met the 1 DVK + 1 QCDC target less often than the whole "
                f"({fmt_pct(rate, 'en')}): {names(_rated(below, 'target_compliance_rate', lang), lang)}",
            )
    if s["grassroots_units"]:
        without = units.filter(
            (pl.col("grassroots_units") > 0) & (pl.col("units_with_conference") < pl.col("grassroots_units"))
        )
        missing = int((s["grassroots_units"] or 0) - (s["units_with_conference"] or 0))
        if missing > 0 and without.height:
            say(
                f"còn {fmt_int(missing)}/{fmt_int(s['grassroots_units'])} tổ chức cơ sở đảng chưa tổ chức hội nghị "
                f"tuyên dương, khen thưởng: {names(without['ten_don_vi'].to_list(), lang)}",
                f"{fmt_int(missing, 'en')} of {fmt_int(s['grassroots_units'], 'en')} grassroots party organisations "
                f"held no commendation conference: {names(without['ten_don_vi'].to_list(), lang)}",
            )
        idle = units.filter(pl.col("is_active") & (pl.col("registrations") == 0))
        if idle.height:
            say(
                f"{fmt_int(idle.height)} đơn vị chưa có mô hình đăng ký: {names(idle['ten_don_vi'].to_list(), lang)}",
                f"{fmt_int(idle.height, 'en')} units registered no model: {names(idle['ten_don_vi'].to_list(), lang)}",
            )
    neglected = [
        row
        for row in facts.fields.iter_rows(named=True)
        if row["linh_vuc"] != "Khác" and row["share"] is not None and row["share"] < NEGLECTED_SHARE
    ]
    if neglected and not facts.f.field:
        listing = ", ".join(
            f"{label(row['linh_vuc'], lang)} ({fmt_int(row['registrations'], lang)}, {fmt_pct(row['share'], lang)})"
            for row in neglected
        )
        say(
            f"một số lĩnh vực còn ít mô hình đăng ký: {listing}",
            f"some fields drew few registrations: {listing}",
        )
    for base, key, a, b, change, pct in _changes_on_base(facts):
        if change < 0 and key in (
            "registrations",
            "coverage_rate",
            "target_compliance_rate",
            "conference_rate",
        ):
            fig = figures.FIGURES_BY_KEY[key]
            name = labels.figure_name(key, lang)
            say(
                f"{name[:1].lower() + name[1:]} {comparison.change_words(fig, a, b, change, pct, lang)} so với "
                f"{period_words(base, lang)}",
                f"{name[:1].lower() + name[1:]} {comparison.change_words(fig, a, b, change, pct, lang)}, "
                f"on {fmt_period(base.year_from, base.year_to)}",
            )
    return out


def _changes_on_base(
    facts: Facts,
) -> list[tuple[Filters, str, float | None, float | None, float, float | None]]:
    """(baseline filters, figure, A, B, A − B, (A − B) / B) of each compared figure with a change; none
    without a baseline period that has data."""
    if facts.base is None or not facts.base.has_data:
        return []
    base = facts.base.filters
    return [
        (base, key, a, b, change, pct)
        for key, a, b, change, pct in comparison.comparison_rows(facts.base)
        if change is not None
    ]


def _rated(frame: pl.DataFrame, column: str, lang: str) -> list[str]:
    return [f"{row['ten_don_vi']} ({fmt_pct(row[column], lang)})" for row in frame.iter_rows(named=True)]


# --- IV. directions ------------------------------------------------------------------------------


def directions(lang: str) -> list[Paragraph]:
    dots = "." * 120
    out = [
        Paragraph(_(lang, "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI", "IV. DIRECTIONS AND TASKS AHEAD"), H1)
    ]
    for heading in (
        _(lang, "1. Phương hướng", "1. Directions"),
        _(lang, "2. Nhiệm vụ, giải pháp", "2. Tasks and measures"),
        _(lang, "3. Kiến nghị, đề xuất", "3. Proposals"),
    ):
        out += [Paragraph(heading, H2), Paragraph(dots, PLACEHOLDER)]
    return out

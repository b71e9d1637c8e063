"""The comparison with the baseline period: A is the period judged, B the baseline; change = A − B,
% of B, rates in percentage points ("điểm %"); nothing is compared with a period without data."""

from __future__ import annotations

from queries import figures, labels, shown, structure
from queries.formatting import fmt_int, fmt_num, fmt_pct, fmt_pct_change, fmt_period
from queries.report import appendix
from queries.report.facts import Baseline, Facts
from queries.report.model import H2, Paragraph, Table
from queries.report.text import period_words, sentence
from queries.report.text import pick as _

# The figures compared with the baseline period, in this order.
COMPARED = (
    "registrations", "collective", "individual", "coverage_rate", "target_compliance_rate",
    "recognition_rate", "conference_rate", "awards", "nominations",
)  # fmt: skip


def comparison_rows(
    base: Baseline,
) -> list[tuple[str, float | None, float | None, float | None, float | None]]:
    """(figure, A, B, A − B, (A − B) / B) of the compared figures; None where B has no data."""
    values = {row["figure"]: (row["a"], row["b"]) for row in base.compare.iter_rows(named=True)}
    base_has_data = base.has_data
    out = []
    for key in COMPARED:
        a, b = values[key]
        change = a - b if base_has_data and a is not None and b is not None else None
        pct = (
            change / b
            if change is not None and b and figures.FIGURES_BY_KEY[key].kind != figures.RATE
            else None
        )
        out.append((key, a, b, change, pct))
    return out


def section(facts: Facts, baseline: Baseline, lang: str) -> list[Paragraph | Table]:
    base = baseline.filters
    period_b = fmt_period(base.year_from, base.year_to)
    out: list[Paragraph | Table] = [
        Paragraph(
            _(lang, f"5. So sánh với {period_words(base, lang)}", f"5. Compared with {period_b}"),
            H2,
        )
    ]
    rows = comparison_rows(baseline)
    if not baseline.has_data:
        out.append(
            Paragraph(
                _(
                    lang,
                    f"Không có số liệu đăng ký của {period_words(base, lang)} để so sánh.",
                    f"There are no registrations for {period_b} to compare with.",
                )
            )
        )
        if baseline.reorganised.height:  # often why: the scope's units were elsewhere then
            out.append(Paragraph(reading_note(facts.f, base, lang)))
        return out
    parts = []
    for key, a, b, change, pct in rows[:4]:
        fig = figures.FIGURES_BY_KEY[key]
        name = labels.figure_name(key, lang)
        name = name.lower() if lang == "en" else name[:1].lower() + name[1:]
        parts.append(f"{name} {change_words(fig, a, b, change, pct, lang)}")
    text = _(
        lang,
        f"So với {period_words(base, lang)}, {'; '.join(parts)}",
        f"Compared with {period_b}: {'; '.join(parts)}",
    )
    out.append(Paragraph(sentence(text)))
    if baseline.reorganised.height:
        out.append(Paragraph(reading_note(facts.f, base, lang)))
    out.append(appendix.comparison_table(facts.f, base, rows, lang))
    return out


def reading_note(f, base, lang: str) -> str:
    """Which reading the comparison is on, when the scope was reorganised between the two periods
    (DOMAIN.md §4a): a leader must know whether B is recast on today's units or read as it was."""
    period_b = fmt_period(base.year_from, base.year_to)
    if f.structure == structure.CURRENT:
        return _(
            lang,
            f"Giữa hai giai đoạn, tổ chức đảng trong phạm vi báo cáo đã được sắp xếp lại; số liệu "
            f"{period_words(base, lang)} được tính theo cơ cấu tổ chức hiện nay (kết quả của đơn vị đã "
            "hợp nhất tính cho đơn vị kế thừa, của đơn vị đã chuyển tính cho cấp trên hiện nay).",
            f"The party organisations in this scope were reorganised between the two periods; the figures "
            f"for {period_b} are read on today's structure (a merged unit's results count for its "
            "successor, a moved unit's under its superior of today).",
        )
    return _(
        lang,
        "Giữa hai giai đoạn, tổ chức đảng trong phạm vi báo cáo đã được sắp xếp lại; số liệu mỗi giai "
        "đoạn được tính theo cơ cấu tổ chức tại thời điểm đó.",
        "The party organisations in this scope were reorganised between the two periods; each period's "
        "figures are read on the structure of its time.",
    )


def change_words(fig, a, b, change, pct, lang) -> str:
    rate = fig.kind == figures.RATE
    value = (lambda v: fmt_pct(v, lang)) if rate else (lambda v: fmt_int(v, lang))
    if change is None:
        return f"{value(a)}"
    if abs(change) < 1e-9:
        return _(lang, f"không đổi ({value(a)})", f"unchanged ({value(a)})")
    word = _(lang, "tăng" if change > 0 else "giảm", "up" if change > 0 else "down")
    if rate:
        amount = f"{fmt_num(abs(change) * 100, lang)} {shown.points_unit(lang, space=chr(0xA0))}"
    else:
        amount = fmt_int(abs(change), lang) + (f" ({fmt_pct_change(pct, lang)})" if pct is not None else "")
    return _(
        lang,
        f"{word} {amount} ({value(a)} so với {value(b)})",
        f"{word} {amount} ({value(a)} against {value(b)})",
    )

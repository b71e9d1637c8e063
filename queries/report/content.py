"""The report's words and tables, from the figures engine (queries.figures) only.

Sections (DOMAIN.md §7, the seeds' style): I. the scope; II. results (registrations by subject, field,
movement and kind year by year; the 1 DVK + 1 QCDC target; recognition and scores; conferences and
awards; the comparison with the baseline period); III. assessment drawn from the figures; IV. headings
for the leader to write. Appendices (appendix.py): the figures per unit, the list of awards.
Numbers are written with queries.formatting ("1.061", "75,3%"); period A is the one judged, B the
baseline: change = A − B, % of B, rates in percentage points.
"""

from __future__ import annotations

import dataclasses

import polars as pl

from queries import figures, vocab
from queries.figures import Filters
from queries.formatting import fmt_change, fmt_int, fmt_num, fmt_pct, fmt_pct_change, fmt_period
from queries.report import appendix, assessment, comparison
from queries.report.facts import Facts
from queries.report.model import H1, H2, Paragraph, Report, Table
from queries.report.options import ReportOptions, date_line, resolve
from queries.report.text import label, period_words, sentence, subjects
from queries.report.text import pick as _


def build(cur, f: Filters, options: ReportOptions) -> Report:
    """The whole report for these filters and options (defaults resolved from the scope's unit)."""
    options = resolve(cur, f.unit, options)
    baseline = f.with_period(*options.compare) if options.compare else None
    facts = Facts(cur, f, baseline, options.name_superior)
    lang = options.lang
    body: list[Paragraph | Table] = []
    body += _scope_section(facts, lang)
    body += _results_section(facts, lang)
    body += assessment.section(facts, lang)
    body += assessment.directions(lang)
    body = _numbered(body, lang)
    report = Report(
        lang=lang,
        superior="",
        issuer="",
        symbol="",
        party=_(lang, "ĐẢNG CỘNG SẢN VIỆT NAM", "COMMUNIST PARTY OF VIETNAM"),
        date_line="",
        doc_type=_(lang, "BÁO CÁO", "REPORT"),
        title=title(f, lang),
        body=tuple(body),
        recipients_label=_(lang, "Nơi nhận:", "Recipients:"),
        recipients=(),
        on_behalf="",
        signer_title="",
        signer_name="",
        appendices=appendix.appendices(facts, lang),
        period=fmt_period(f.year_from, f.year_to),
    )
    return with_letterhead(report, options)


def with_letterhead(report: Report, options: ReportOptions) -> Report:
    """The report with the letterhead and signing block of these (resolved) options: no figure
    changes, so the page can follow the leader's typing without asking the engine again."""
    symbol = options.symbol or ""
    return dataclasses.replace(
        report,
        superior=options.superior or "",
        issuer=options.issuer or "",
        symbol=symbol,
        date_line=date_line(options),
        recipients=tuple(options.recipients or ()),
        on_behalf=options.on_behalf or "",
        signer_title=options.signer_title or "",
        signer_name=options.signer_name or "",
        attachment_note=_attachment_note(symbol, report.lang),
    )


def _attachment_note(symbol: str, lang: str) -> str:
    return _(lang, f"(Kèm theo Báo cáo {symbol[:1].lower() + symbol[1:]})", f"(Attached to report {symbol})")


def _numbered(body: list[Paragraph | Table], lang: str) -> list[Paragraph | Table]:
    """ "Bảng 1. …", "Bảng 2. …" in the order the tables come."""
    out, n = [], 0
    for item in body:
        if isinstance(item, Table):
            n += 1
            item = dataclasses.replace(item, caption=_(lang, f"Bảng {n}. ", f"Table {n}. ") + item.caption)
        out.append(item)
    return out


def title(f: Filters, lang: str) -> str:
    """'kết quả thực hiện phong trào thi đua “Dân vận khéo” giai đoạn 2021-2023'."""
    period = fmt_period(f.year_from, f.year_to)
    if lang == "en":
        when = f"in {period}" if f.year_from == f.year_to else f"over the phase {period}"
        return f"on the results of the “Dân vận khéo” emulation movement {when}"
    when = f"năm {period}" if f.year_from == f.year_to else f"giai đoạn {period}"
    return f"kết quả thực hiện phong trào thi đua “Dân vận khéo” {when}"


# --- I. the scope --------------------------------------------------------------------------------


def _scope_section(facts: Facts, lang: str) -> list[Paragraph]:
    s, f = facts.summary, facts.f
    out = [Paragraph(_(lang, "I. ĐẶC ĐIỂM TÌNH HÌNH", "I. THE ORGANISATION"), H1)]
    who = facts.scope.name or _(lang, "Toàn đảng bộ", "The party organisation")
    units = facts.units.filter(pl.col("is_active"))
    counts = {cap: units.filter(pl.col("cap") == cap).height for cap in vocab.UNIT_LEVELS}
    committees = counts.get(vocab.LEVEL_GRASSROOTS_COMMITTEE, 0)
    branches = counts.get(vocab.LEVEL_GRASSROOTS_BRANCH, 0)
    sub_branches = counts.get(vocab.LEVEL_BRANCH, 0)
    n = s["grassroots_units"]
    if facts.scope.level == vocab.LEVEL_BRANCH:  # one branch under a grassroots committee
        above = facts.scope.superior_name or _(lang, "đảng ủy cơ sở", "its grassroots committee")
        text = _(lang, f"{who} là chi bộ trực thuộc {above}", f"{who} is a party branch under {above}")
    elif facts.scope.level in vocab.GRASSROOTS_LEVELS:  # the report of one grassroots unit: its branches
        text = _(
            lang,
            f"{who} có {fmt_int(sub_branches)} chi bộ trực thuộc hoạt động trong {period_words(f, lang)}",
            f"{who} had {fmt_int(sub_branches, 'en')} party branches active {period_words(f, lang)}",
        )
    else:
        kinds = [
            _(lang, f"{fmt_int(k)} {vi}", f"{fmt_int(k, 'en')} {en}")
            for k, vi, en in (
                (committees, "đảng bộ cơ sở", "grassroots party committees"),
                (branches, "chi bộ cơ sở", "grassroots party branches"),
            )
            if k
        ]
        text = _(
            lang,
            f"{who} có {fmt_int(n)} tổ chức cơ sở đảng hoạt động trong {period_words(f, lang)}",
            f"{who} had {fmt_int(n, 'en')} grassroots party organisations active {period_words(f, lang)}",
        )
        if kinds:
            text += f" ({_(lang, ' và ', ' and ').join(kinds)})"
        if sub_branches:
            text += _(
                lang,
                f", với {fmt_int(sub_branches)} chi bộ trực thuộc đảng ủy cơ sở",
                f", with {fmt_int(sub_branches, 'en')} branches under the grassroots committees",
            )
    staff = [(row["nam"], row["staff"]) for row in facts.trend.iter_rows(named=True) if row["staff"]]
    if staff:
        year, people = staff[-1]
        text += _(
            lang,
            f"; năm {year} có {fmt_int(people)} cán bộ, công chức, viên chức và người lao động",
            f"; in {year} they counted {fmt_int(people, 'en')} staff",
        )
    out.append(Paragraph(sentence(text)))
    limits = _filter_note(f, lang)
    if limits:
        out.append(Paragraph(limits))
    return out


def _filter_note(f: Filters, lang: str) -> str:
    parts = []
    for value, vi, en in (
        (f.field, "lĩnh vực", "field"),
        (f.subject, "đối tượng", "subject"),
        (f.movement, "phong trào", "movement"),
        (f.kind, "loại", "kind"),
    ):
        if value:
            parts.append(_(lang, f"{vi} {value}", f"{en} {label(value, lang)}"))
    if not parts:
        return ""
    return _(
        lang,
        f"Số liệu đăng ký trong báo cáo chỉ tính: {'; '.join(parts)}.",
        f"The registration figures of this report count only: {'; '.join(parts)}.",
    )


# --- II. results ---------------------------------------------------------------------------------


def _results_section(facts: Facts, lang: str) -> list[Paragraph | Table]:
    out: list[Paragraph | Table] = [Paragraph(_(lang, "II. KẾT QUẢ THỰC HIỆN", "II. RESULTS"), H1)]
    out += _registrations(facts, lang)
    out += _target(facts, lang)
    out += _recognition(facts, lang)
    out += _awards(facts, lang)
    if facts.base is not None:
        out += comparison.section(facts, facts.base, lang)
    return out


def _registrations(facts: Facts, lang: str) -> list[Paragraph | Table]:
    s, f = facts.summary, facts.f
    regs = s["registrations"]
    movement = f.movement or vocab.MOVEMENT_DVK
    out: list[Paragraph | Table] = [
        Paragraph(_(lang, "1. Đăng ký xây dựng mô hình, điển hình", "1. Registered models and exemplars"), H2)
    ]
    opening = _(lang, "Năm" if f.year_from == f.year_to else "Giai đoạn", "In")
    period = fmt_period(f.year_from, f.year_to)
    if regs["total"]:
        text = _(
            lang,
            f"{opening} {period}, các chi bộ, đảng bộ cơ sở có {subjects(regs['collective'], regs['individual'], lang)} "
            f"đăng ký thực hiện mô hình “{movement}” (tổng số {fmt_int(regs['total'])} lượt đăng ký); "
            f"{fmt_int(s['units_with_registration'])}/{fmt_int(s['grassroots_units'])} tổ chức cơ sở đảng "
            f"({fmt_pct(s['coverage_rate'])}) có mô hình đăng ký",
            f"{opening} {period}, the party branches and grassroots committees registered "
            f"{subjects(regs['collective'], regs['individual'], lang)} for “{label(movement, lang)}” models "
            f"({fmt_int(regs['total'], 'en')} registrations in all); {fmt_int(s['units_with_registration'], 'en')} "
            f"of {fmt_int(s['grassroots_units'], 'en')} grassroots party organisations "
            f"({fmt_pct(s['coverage_rate'], 'en')}) registered a model",
        )
    else:
        text = _(
            lang,
            f"{opening} {period}, chưa có tập thể, cá nhân nào đăng ký thực hiện mô hình",
            f"{opening} {period}, no collective or individual registered a model",
        )
    out.append(Paragraph(sentence(text)))
    if regs["total"]:
        out.append(Paragraph(_by_yearsentence(s, lang)))
        out.append(Paragraph(_categoriessentence(s, facts.fields, lang)))
        models = s["models"]
        if models["distinct"]:
            out.append(
                Paragraph(
                    _(
                        lang,
                        f"Các lượt đăng ký ứng với {fmt_int(models['distinct'])} mô hình (theo mã mô hình), trong đó "
                        f"{fmt_int(models['new'])} mô hình mới và {fmt_int(models['carried_over'])} mô hình "
                        "tiếp tục thực hiện từ các năm trước.",
                        f"The registrations cover {fmt_int(models['distinct'], 'en')} distinct models (by model code): "
                        f"{fmt_int(models['new'], 'en')} new and {fmt_int(models['carried_over'], 'en')} carried over "
                        "from earlier years.",
                    )
                )
            )
        out.append(_year_table(facts, lang))
    return out


def _by_yearsentence(s: figures.Summary, lang: str) -> str:
    years = s["by_year"]
    parts = []
    for i, row in enumerate(years):
        n = row["registrations"]
        part = _(
            lang,
            f"năm {row['year']} có {fmt_int(n)} lượt ({subjects(row['collective'], row['individual'], lang)})",
            f"{fmt_int(n, 'en')} in {row['year']} ({subjects(row['collective'], row['individual'], lang)})",
        )
        if i:
            before = years[i - 1]["registrations"]
            change = n - before
            pct = change / before if before else None
            word = _(lang, "tăng" if change > 0 else "giảm", "up" if change > 0 else "down")
            if change:
                tail = f" ({fmt_pct_change(pct, lang)})" if pct is not None else ""
                part += _(
                    lang,
                    f", {word} {fmt_int(abs(change))} lượt{tail} so với năm {years[i - 1]['year']}",
                    f", {word} {fmt_int(abs(change), 'en')}{tail} on {years[i - 1]['year']}",
                )
            else:
                part += _(
                    lang, f", bằng năm {years[i - 1]['year']}", f", as many as in {years[i - 1]['year']}"
                )
        parts.append(part)
    values = [row["registrations"] for row in years]
    rising = len(values) > 1 and all(b > a for a, b in zip(values, values[1:], strict=False))
    lead = _(
        lang,
        "Số lượt đăng ký tăng qua từng năm: " if rising else "Số lượt đăng ký theo năm: ",
        "Registrations grew every year: " if rising else "Registrations by year: ",
    )
    return lead + "; ".join(parts) + "."


def _categoriessentence(s: figures.Summary, fields: pl.DataFrame, lang: str) -> str:
    regs = s["registrations"]
    field_parts = [
        f"{label(row['linh_vuc'], lang)} {fmt_int(row['registrations'], lang)} ({fmt_pct(row['share'], lang)})"
        for row in fields.iter_rows(named=True)
        if row["registrations"]
    ]
    mv, kind = regs["by_movement"], regs["by_kind"]
    return _(
        lang,
        f"Theo lĩnh vực: {'; '.join(field_parts)}. Theo phong trào: {fmt_int(mv[vocab.MOVEMENT_DVK])} lượt "
        f"đăng ký mô hình “Dân vận khéo” và {fmt_int(mv[vocab.MOVEMENT_QCDC])} lượt đăng ký mô hình thực hiện "
        f"quy chế dân chủ ở cơ sở. Theo loại: {fmt_int(kind[vocab.KIND_MODEL])} mô hình và "
        f"{fmt_int(kind[vocab.KIND_EXEMPLAR])} điển hình.",
        f"By field: {'; '.join(field_parts)}. By movement: {fmt_int(mv[vocab.MOVEMENT_DVK], 'en')} "
        f"“Dân vận khéo” registrations and {fmt_int(mv[vocab.MOVEMENT_QCDC], 'en')} grassroots democracy (QCDC) "
        f"registrations. By kind: {fmt_int(kind[vocab.KIND_MODEL], 'en')} models and "
        f"{fmt_int(kind[vocab.KIND_EXEMPLAR], 'en')} exemplars.",
    )


def _year_table(facts: Facts, lang: str) -> Table:
    """Registrations by subject, field, movement and kind, per year, with the change on the year before."""
    f = facts.f
    years = f.years
    rows: list[tuple[str, ...]] = []
    total_row = [_(lang, "Tổng số lượt đăng ký", "All registrations")]
    for i, row in enumerate(facts.summary["by_year"]):
        before = facts.summary["by_year"][i - 1]["registrations"] if i else None
        total_row.append(_cell(row["registrations"], before, lang))
    total_row.append(fmt_int(facts.summary["registrations"]["total"], lang))
    rows.append(tuple(total_row))
    headings = {
        "doi_tuong": _(lang, "Theo đối tượng", "By subject"),
        "linh_vuc": _(lang, "Theo lĩnh vực", "By field"),
        "phong_trao": _(lang, "Theo phong trào", "By movement"),
        "loai": _(lang, "Theo loại", "By kind"),
    }
    for by, frame in facts.by_year.items():
        rows.append((headings[by], *([""] * (len(years) + 1))))
        for value in figures.BREAKDOWN_COLUMNS[by] or ():
            part = frame.filter(pl.col(by) == value).sort("nam", maintain_order=True)
            counts = part["registrations"].to_list()
            if not any(counts) and value == "Khác":
                continue
            cells = [_cell(n, counts[i - 1] if i else None, lang) for i, n in enumerate(counts)]
            rows.append((f"- {label(value, lang)}", *cells, fmt_int(sum(counts), lang)))
    columns = (
        _(lang, "Nội dung", "Item"),
        *(_(lang, f"Năm {y}", str(y)) for y in years),
        _(lang, "Cả giai đoạn", "Whole period") if len(years) > 1 else _(lang, "Cộng", "Total"),
    )
    return Table(
        caption=_(
            lang,
            f"Số lượt đăng ký theo năm {fmt_period(f.year_from, f.year_to)} "
            "(trong ngoặc: tăng, giảm so với năm trước)",
            f"Registrations per year {fmt_period(f.year_from, f.year_to)} (in brackets: change on the year before)",
        ),
        columns=columns,
        rows=tuple(rows),
        widths=(3.2, *([1.3] * len(years)), 1.3),
        numeric=(False, *([True] * (len(years) + 1))),
    )


def _cell(n: int, before: int | None, lang: str) -> str:
    if before is None:
        return fmt_int(n, lang)
    return f"{fmt_int(n, lang)}\n({fmt_change(n - before, lang)})"


def _target(facts: Facts, lang: str) -> list[Paragraph]:
    s = facts.summary
    out = [
        Paragraph(
            _(
                lang,
                "2. Thực hiện chỉ tiêu mỗi chi bộ ít nhất 1 mô hình “Dân vận khéo” và 1 mô hình thực hiện quy chế dân chủ ở cơ sở",
                "2. The target: at least one DVK and one QCDC model per party branch each year",
            ),
            H2,
        )
    ]
    if not s["branch_years"]:
        out.append(
            Paragraph(_(lang, "Không có chi bộ hoạt động trong kỳ báo cáo.", "No party branch was active."))
        )
        return out
    per_year = [
        _(
            lang,
            f"năm {row['nam']}: {fmt_pct(row['target_compliance_rate'])}",
            f"{row['nam']}: {fmt_pct(row['target_compliance_rate'], 'en')}",
        )
        for row in facts.trend.iter_rows(named=True)
        if row["branch_years"]
    ]
    text = _(
        lang,
        f"Trong {fmt_int(s['branch_years'])} lượt chi bộ - năm, có {fmt_int(s['branch_years_meeting_target'])} lượt "
        f"({fmt_pct(s['target_compliance_rate'])}) đạt chỉ tiêu ít nhất 1 mô hình “Dân vận khéo” và 1 mô hình "
        f"thực hiện quy chế dân chủ ở cơ sở",
        f"Of {fmt_int(s['branch_years'], 'en')} branch-years, {fmt_int(s['branch_years_meeting_target'], 'en')} "
        f"({fmt_pct(s['target_compliance_rate'], 'en')}) met the target of at least one DVK and one QCDC model",
    )
    if len(per_year) > 1:
        text += f" ({'; '.join(per_year)})"
    out.append(Paragraph(sentence(text)))
    return out


def _recognition(facts: Facts, lang: str) -> list[Paragraph]:
    s = facts.summary
    out = [Paragraph(_(lang, "3. Đánh giá, công nhận mô hình", "3. Scoring and recognition"), H2)]
    regs = s["registrations"]
    if not regs["total"]:
        out.append(Paragraph(_(lang, "Chưa có mô hình được đánh giá.", "No model was assessed.")))
        return out
    results = regs["by_result"]
    text = _(
        lang,
        f"Có {fmt_int(s['recognised'])}/{fmt_int(regs['total'])} lượt đăng ký ({fmt_pct(s['recognition_rate'])}) "
        f"được công nhận đạt, trong đó {fmt_int(results[vocab.RESULT_EXEMPLARY])} lượt tiêu biểu; "
        f"{fmt_int(results[vocab.RESULT_FAILED])} lượt không đạt",
        f"{fmt_int(s['recognised'], 'en')} of {fmt_int(regs['total'], 'en')} registrations "
        f"({fmt_pct(s['recognition_rate'], 'en')}) were recognised, {fmt_int(results[vocab.RESULT_EXEMPLARY], 'en')} "
        f"of them as exemplary; {fmt_int(results[vocab.RESULT_FAILED], 'en')} failed",
    )
    if s["mean_score"] is not None:
        text += _(
            lang,
            f". Điểm bình quân của các mô hình được chấm điểm là {fmt_num(s['mean_score'], lang)}/100 điểm "
            f"(ngưỡng công nhận {fmt_num(vocab.RECOGNITION_THRESHOLD, lang, 0)} điểm)",
            f". The mean score of the scored models was {fmt_num(s['mean_score'], lang)} out of 100 "
            f"(recognised from {fmt_num(vocab.RECOGNITION_THRESHOLD, lang, 0)})",
        )
    out.append(Paragraph(sentence(text)))
    return out


def _awards(facts: Facts, lang: str) -> list[Paragraph | Table]:
    s, f = facts.summary, facts.f
    out: list[Paragraph | Table] = [
        Paragraph(_(lang, "4. Tuyên dương, khen thưởng", "4. Commendation conferences and awards"), H2)
    ]
    local = s["awards"]["by_level"].get(vocab.AWARD_LEVELS[0], {"collective": 0, "individual": 0})
    if s["grassroots_units"]:
        text = _(
            lang,
            f"Có {fmt_int(s['units_with_conference'])}/{fmt_int(s['grassroots_units'])} chi bộ, đảng bộ cơ sở "
            f"({fmt_pct(s['conference_rate'])}) tổ chức hội nghị tuyên dương, khen thưởng phong trào thi đua "
            f"“Dân vận khéo” {period_words(f, lang)}",
            f"{fmt_int(s['units_with_conference'], 'en')} of {fmt_int(s['grassroots_units'], 'en')} grassroots party "
            f"organisations ({fmt_pct(s['conference_rate'], 'en')}) held a commendation conference "
            f"{period_words(f, lang)}",
        )
        if local["collective"] or local["individual"]:
            text += _(
                lang,
                f" cho {subjects(local['collective'], local['individual'], lang)}",
                f", awarding {subjects(local['collective'], local['individual'], lang)}",
            )
        out.append(Paragraph(sentence(text)))
    higher = []
    for level, split in s["awards"]["by_level"].items():
        if level == vocab.AWARD_LEVELS[0] and s["grassroots_units"]:
            continue
        if split["collective"] or split["individual"]:
            higher.append(
                _(
                    lang,
                    f"{label(level, lang)} khen thưởng cho {subjects(split['collective'], split['individual'], lang)}",
                    f"{label(level, lang)} awarded {subjects(split['collective'], split['individual'], lang)}",
                )
            )
    nominated = [
        _(
            lang,
            f"đề nghị {label(level, lang)} khen thưởng cho {subjects(split['collective'], split['individual'], lang)}",
            f"{subjects(split['collective'], split['individual'], lang)} nominated to {label(level, lang)}",
        )
        for level, split in s["nominations"]["by_level"].items()
        if split["collective"] or split["individual"]
    ]
    opening = _(lang, f"{period_words(f, lang).capitalize()}, ", f"{period_words(f, lang).capitalize()}, ")
    if higher:
        out.append(Paragraph(sentence(opening + "; ".join(higher))))
    if nominated:
        out.append(Paragraph(sentence(_(lang, "Bình xét ", "") + "; ".join(nominated))))
    forms = [
        _(lang, f"{fmt_int(n)} {form}", f"{fmt_int(n, 'en')} {form}")
        for form, n in s["awards"]["by_form"].items()
        if n
    ]
    if s["awards"]["total"]:
        out.append(
            Paragraph(
                _(
                    lang,
                    f"Tổng số {fmt_int(s['awards']['total'])} lượt khen thưởng ({subjects(s['awards']['collective'], s['awards']['individual'], lang)}), "
                    f"theo hình thức: {', '.join(forms)}.",
                    f"{fmt_int(s['awards']['total'], 'en')} awards in all "
                    f"({subjects(s['awards']['collective'], s['awards']['individual'], lang)}), by form: {', '.join(forms)}.",
                )
            )
        )
        out.append(appendix.awards_table(facts, lang))
    return out

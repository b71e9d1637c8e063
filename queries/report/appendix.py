"""The report's tables: awards by level and form, the comparison with the baseline period (in the body),
and the appendices: the figures per unit with their total, the list of awards and nominations."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from queries import figures, labels, shown, vocab
from queries.formatting import MISSING, fmt_change, fmt_int, fmt_pct, fmt_pct_change, fmt_period
from queries.report.model import Appendix, Table
from queries.report.text import label as _label
from queries.report.text import pick as _

if TYPE_CHECKING:
    from queries.figures import Filters
    from queries.report.facts import Facts


def awards_table(facts: Facts, lang: str) -> Table:
    """Awards by level (rows) and form (columns), collectives and individuals, nominations apart."""
    frame = facts.awards
    awarded = frame.filter(pl.col("trang_thai") == vocab.STATUS_AWARDED)
    forms = [
        form for form in vocab.AWARD_FORMS if awarded.filter(pl.col("hinh_thuc") == form)["n_awards"].sum()
    ]
    rows = []
    totals = {"collective": 0, "individual": 0, **dict.fromkeys(forms, 0)}
    for level in vocab.AWARD_LEVELS:
        part = awarded.filter(pl.col("cap_khen_thuong") == level)
        if not part["n_awards"].sum():
            continue
        collective = int(part.filter(pl.col("doi_tuong") == vocab.SUBJECT_COLLECTIVE)["n_awards"].sum())
        individual = int(part.filter(pl.col("doi_tuong") == vocab.SUBJECT_INDIVIDUAL)["n_awards"].sum())
        by_form = {form: int(part.filter(pl.col("hinh_thuc") == form)["n_awards"].sum()) for form in forms}
        totals["collective"] += collective
        totals["individual"] += individual
        for form in forms:
            totals[form] += by_form[form]
        rows.append(
            (
                _label(level, lang),
                fmt_int(collective, lang),
                fmt_int(individual, lang),
                *(fmt_int(by_form[form], lang) for form in forms),
                fmt_int(collective + individual, lang),
            )
        )
    total = (
        _(lang, "Cộng", "Total"),
        fmt_int(totals["collective"], lang),
        fmt_int(totals["individual"], lang),
        *(fmt_int(totals[form], lang) for form in forms),
        fmt_int(totals["collective"] + totals["individual"], lang),
    )
    nominations = facts.summary["nominations"]
    note = None
    if nominations["total"]:
        note = _(
            lang,
            f"Ngoài ra, đề nghị cấp trên khen thưởng {fmt_int(nominations['total'])} lượt (chưa tính vào bảng).",
            f"Besides, {fmt_int(nominations['total'], 'en')} nominations to higher levels (not in the table).",
        )
    return Table(
        caption=_(lang, "Khen thưởng theo cấp và hình thức", "Awards by level and form"),
        columns=(
            _(lang, "Cấp khen thưởng", "Level"),
            _(lang, "Tập thể", "Collectives"),
            _(lang, "Cá nhân", "Individuals"),
            *forms,
            _(lang, "Cộng", "Total"),
        ),
        rows=tuple(rows),
        widths=(3.0, 1.2, 1.2, *([1.2] * len(forms)), 1.1),
        numeric=(False, *([True] * (len(forms) + 3))),
        total=total,
        note=note,
    )


def comparison_table(f: Filters, base: Filters, rows: list, lang: str) -> Table:
    """The compared figures: A, B, A − B and % of B (rates: percentage points)."""
    body = []
    for key, a, b, change, pct in rows:
        fig = figures.FIGURES_BY_KEY[key]
        rate = fig.kind == figures.RATE
        value = (lambda v: fmt_pct(v, lang)) if rate else (lambda v: fmt_int(v, lang))
        if change is None:
            shown_change = MISSING
        elif rate:
            shown_change = shown.points(change, lang, space="\u00a0")
        else:
            shown_change = fmt_change(change, lang)
        body.append(
            (
                labels.figure_name(key, lang),
                value(a),
                value(b),
                shown_change,
                fmt_pct_change(pct, lang) if not rate else MISSING,
            )
        )
    return Table(
        caption=_(
            lang,
            f"So sánh {fmt_period(f.year_from, f.year_to)} (A) với {fmt_period(base.year_from, base.year_to)} (B)",
            f"{fmt_period(f.year_from, f.year_to)} (A) compared with {fmt_period(base.year_from, base.year_to)} (B)",
        ),
        columns=(
            _(lang, "Chỉ tiêu", "Figure"),
            f"A {fmt_period(f.year_from, f.year_to)}",
            f"B {fmt_period(base.year_from, base.year_to)}",
            _(lang, "Tăng, giảm (A − B)", "Change (A − B)"),
            _(lang, "% so với B", "% of B"),
        ),
        rows=tuple(body),
        widths=(3.4, 1.4, 1.4, 1.5, 1.2),
        numeric=(False, True, True, True, True),
    )


def appendices(facts: Facts, lang: str) -> tuple[Appendix, ...]:
    """Phụ lục 1: figures per unit; Phụ lục 2: the awards; Phụ lục 3: the nominations (when any)."""
    out = [
        Appendix(
            _(lang, "Phụ lục 1", "Appendix 1"),
            _(lang, "KẾT QUẢ THEO ĐƠN VỊ", "RESULTS BY UNIT"),
            unit_table(facts, lang),
        )
    ]
    records = facts.award_records
    names = dict(zip(facts.units["ma_don_vi"].to_list(), facts.units["ten_don_vi"].to_list(), strict=True))
    for status, title_vi, title_en in (
        (
            vocab.STATUS_AWARDED,
            "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG",
            "COLLECTIVES AND INDIVIDUALS AWARDED",
        ),
        (
            vocab.STATUS_NOMINATED,
            "DANH SÁCH ĐỀ NGHỊ CẤP TRÊN KHEN THƯỞNG",
            "NOMINATIONS TO HIGHER LEVELS",
        ),
    ):
        part = records.filter(pl.col("trang_thai") == status)
        if status == vocab.STATUS_NOMINATED and not part.height:
            continue
        label = _(lang, f"Phụ lục {len(out) + 1}", f"Appendix {len(out) + 1}")
        out.append(Appendix(label, _(lang, title_vi, title_en), award_list(part, names, lang)))
    return tuple(out)


def unit_table(facts: Facts, lang: str) -> Table:
    """One row per unit right under the scope (its whole subtree), then the scope's total."""
    s = facts.summary
    rows = []
    sums = {"collective": 0, "individual": 0, "registrations": 0, "recognised": 0, "awards": 0}
    for i, row in enumerate(facts.by_unit.iter_rows(named=True), start=1):
        for key in sums:
            sums[key] += row[key] or 0
        rows.append(
            (
                str(i),
                row["ten_don_vi"],
                fmt_int(row["collective"], lang),
                fmt_int(row["individual"], lang),
                fmt_int(row["registrations"], lang),
                fmt_pct(row["target_compliance_rate"], lang),
                _held(row["units_with_conference"], row["grassroots_units"], lang),
                fmt_int(row["recognised"], lang),
                fmt_int(row["awards"], lang),
            )
        )
    # records of the scope unit itself (not of a unit under it) make the total larger than the sum
    own = {
        "collective": s["registrations"]["collective"] - sums["collective"],
        "individual": s["registrations"]["individual"] - sums["individual"],
        "registrations": s["registrations"]["total"] - sums["registrations"],
        "recognised": s["recognised"] - sums["recognised"],
        "awards": s["awards"]["total"] - sums["awards"],
    }
    if any(own.values()):
        rows.append(
            (
                str(len(rows) + 1),
                _(lang, "Ghi trực tiếp cho đơn vị báo cáo", "Recorded for the reporting unit itself"),
                fmt_int(own["collective"], lang),
                fmt_int(own["individual"], lang),
                fmt_int(own["registrations"], lang),
                MISSING,
                MISSING,
                fmt_int(own["recognised"], lang),
                fmt_int(own["awards"], lang),
            )
        )
    total = (
        "",
        _(lang, "Tổng cộng", "Total"),
        fmt_int(s["registrations"]["collective"], lang),
        fmt_int(s["registrations"]["individual"], lang),
        fmt_int(s["registrations"]["total"], lang),
        fmt_pct(s["target_compliance_rate"], lang),
        f"{fmt_int(s['units_with_conference'], lang)}/{fmt_int(s['grassroots_units'], lang)}",
        fmt_int(s["recognised"], lang),
        fmt_int(s["awards"]["total"], lang),
    )
    return Table(
        caption=_(
            lang,
            f"Kết quả thực hiện phong trào theo đơn vị, {fmt_period(facts.f.year_from, facts.f.year_to)}",
            f"Results by unit, {fmt_period(facts.f.year_from, facts.f.year_to)}",
        ),
        columns=(
            _(lang, "STT", "No."),
            _(lang, "Đơn vị", "Unit"),
            _(lang, "Tập thể đăng ký", "Collective regis­trations"),
            _(lang, "Cá nhân đăng ký", "Individual regis­trations"),
            _(lang, "Tổng lượt đăng ký", "All regis­trations"),
            _(lang, "Đạt chỉ tiêu 1 DVK + 1 QCDC", "1 DVK + 1 QCDC target met"),
            _(lang, "Tổ chức hội nghị tuyên dương", "Commen­dation confe­rence held"),
            _(lang, "Được công nhận", "Recog­nised"),
            _(lang, "Khen thưởng", "Awards"),
        ),
        rows=tuple(rows),
        widths=(0.7, 5.2, 1.1, 1.1, 1.1, 1.3, 1.3, 1.1, 1.1),
        numeric=(True, False, True, True, True, True, True, True, True),
        total=total,
        note=_(
            lang,
            "Đạt chỉ tiêu: tỉ lệ lượt chi bộ - năm có ít nhất 1 mô hình “Dân vận khéo” và 1 mô hình QCDC. "
            "Hội nghị: số tổ chức cơ sở đảng đã tổ chức / số tổ chức cơ sở đảng (Có, Không với một tổ chức).",
            "Target met: share of branch-years with at least one DVK and one QCDC model. Conference: grassroots "
            "units that held one / grassroots units (Yes or No for a single unit).",
        ),
    )


def _held(held: int | None, units: int | None, lang: str) -> str:
    if not units:
        return MISSING
    if units == 1:
        return _(lang, "Có", "Yes") if held else _(lang, "Không", "No")
    return f"{fmt_int(held, lang)}/{fmt_int(units, lang)}"


def award_list(records: pl.DataFrame, names: dict[str, str], lang: str) -> Table:
    """Every award (or nomination) of the period: the highest level first, then year and name."""
    order = {level: i for i, level in enumerate(reversed(vocab.AWARD_LEVELS))}
    ordered = records.with_columns(
        pl.col("cap_khen_thuong").replace_strict(order, default=len(order)).alias("_level")
    ).sort("_level", "nam", "doi_tuong", "ma_don_vi", "ten_chu_the")
    rows = tuple(
        (
            str(i),
            row["ten_chu_the"],
            _label(row["doi_tuong"], lang),
            names.get(row["ma_don_vi"], row["ma_don_vi"]),
            row["hinh_thuc"],
            _label(row["cap_khen_thuong"], lang),
            row["so_quyet_dinh"],
            str(row["nam"]),
        )
        for i, row in enumerate(ordered.iter_rows(named=True), start=1)
    )
    return Table(
        caption=_(lang, f"Tổng số: {fmt_int(len(rows))} lượt", f"{fmt_int(len(rows), 'en')} in all"),
        columns=(
            _(lang, "STT", "No."),
            _(lang, "Tên tập thể, cá nhân", "Collective or individual"),
            _(lang, "Đối tượng", "Subject"),
            _(lang, "Đơn vị", "Unit"),
            _(lang, "Hình thức", "Form"),
            _(lang, "Cấp khen thưởng", "Level"),
            _(lang, "Số quyết định", "Decision"),
            _(lang, "Năm", "Year"),
        ),
        rows=rows,
        widths=(0.6, 3.3, 0.85, 3.3, 1.0, 1.45, 1.45, 0.6),
        numeric=(True, False, False, False, False, False, False, True),
    )

"""Figures of one scope over a period: the summary (a typed, JSON-ready dict), the trend per year, and
every scalar figure as a table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypedDict, cast

import polars as pl

from queries import labels, periods, vocab
from queries.figures.catalogue import CUBE_COLUMNS, FIGURES, figure_columns
from queries.figures.filters import Filters
from queries.figures.frames import rounded
from queries.figures.scalars import model_figures, period_figures, unit_figures
from queries.figures.source import Source, open_source
from queries.named_sql import Cursor

# --- the summary's shape (the JSON of `dvk summary --json`; keys in the order it prints them) ------


class Pending(TypedDict):
    """Registrations whose result is not final yet (periods.PENDING_RESULTS)."""

    count: int
    share: float | None
    not_final_years: list[int]


class Registrations(TypedDict):
    """Registrations in the period, split by subject and zero-filled over every canonical label."""

    total: int
    collective: int
    individual: int
    by_field: dict[str, int]
    by_movement: dict[str, int]
    by_kind: dict[str, int]
    by_subject: dict[str, int]
    by_result: dict[str, int]


class Models(TypedDict):
    """Distinct model codes (None unless the summary was asked for with models)."""

    distinct: int | None
    carried_over: int | None
    new: int | None


class PerCapita(TypedDict):
    staff: int
    individual_per_100_staff: float | None
    collective_per_grassroots_unit: float | None


class Conferences(TypedDict):
    total: int
    commendation: int
    attendees: int
    member_attendees: int


class SubjectSplit(TypedDict):
    collective: int
    individual: int


class NominationTotals(TypedDict):
    """Nominations (Đề nghị) by subject and by level."""

    total: int
    collective: int
    individual: int
    by_level: dict[str, SubjectSplit]


class AwardTotals(NominationTotals):
    """Awards (Đã khen thưởng) by subject, level and form."""

    by_form: dict[str, int]


class YearCounts(TypedDict):
    year: int
    registrations: int
    collective: int
    individual: int
    awards: int
    nominations: int
    pending: int
    pending_share: float | None


# "from" is a Python keyword: the functional form
Summary = TypedDict(
    "Summary",
    {
        "from": int,
        "to": int,
        "reported_years": list[int],
        "period_label": str,
        "period_label_en": str,
        "pending": Pending,
        "unit": str | None,
        "unit_name": str | None,
        "filters": dict[str, str | None],
        "registrations": Registrations,
        "models": Models,
        "grassroots_units": int,
        "units_with_registration": int,
        "coverage_rate": float | None,
        "units_with_conference": int,
        "conference_rate": float | None,
        "branch_years": int,
        "branch_years_meeting_target": int,
        "target_compliance_rate": float | None,
        "recognised": int,
        "recognition_rate": float | None,
        "mean_score": float | None,
        "per_capita": PerCapita,
        "conferences": Conferences,
        "attendance_rate": float | None,
        "awards": AwardTotals,
        "nominations": NominationTotals,
        "by_year": list[YearCounts],
    },
)
Summary.__doc__ = """The headline figures of one scope and period (figures.summary)."""


# --- building it ----------------------------------------------------------------------------------


def _label_sums(frame: pl.DataFrame, columns: tuple[str, ...], value: str) -> dict[str, dict[object, int]]:
    """Per column, the sum of `value` per label, in one pass over a small frame's rows."""
    sums: dict[str, dict[object, int]] = {column: {} for column in columns}
    for *values, n in frame.select(*columns, value).iter_rows():
        for column, label in zip(columns, values, strict=True):
            sums[column][label] = sums[column].get(label, 0) + (n or 0)
    return sums


def _zero_filled(sums: dict[object, int], labels: tuple[str, ...]) -> dict[str, int]:
    """Every label's sum, 0 for a label without rows, in the vocabulary's order."""
    return {label: int(sums.get(label, 0)) for label in labels}


def _award_totals(awards: pl.DataFrame, status: str) -> AwardTotals:
    """Awards (or nominations) by subject, level and form, zero-filled."""
    subjects = {"collective": vocab.SUBJECT_COLLECTIVE, "individual": vocab.SUBJECT_INDIVIDUAL}
    by_level = {level: dict.fromkeys(subjects, 0) for level in vocab.AWARD_LEVELS}
    total = dict.fromkeys(subjects, 0)
    forms: dict[object, int] = {}
    rows = awards.filter(pl.col("trang_thai") == status)
    for level, form, subject, n in rows.select(
        "cap_khen_thuong", "hinh_thuc", "doi_tuong", "n_awards"
    ).iter_rows():
        for key, label in subjects.items():
            if subject == label:
                total[key] += n
                if level in by_level:
                    by_level[level][key] += n
        forms[form] = forms.get(form, 0) + n
    return {
        "total": total["collective"] + total["individual"],
        "collective": total["collective"],
        "individual": total["individual"],
        "by_level": {
            level: {"collective": s["collective"], "individual": s["individual"]}
            for level, s in by_level.items()
        },
        "by_form": _zero_filled(forms, vocab.AWARD_FORMS),
    }


def reported_years(cur: Cursor) -> list[int]:
    """The years with at least one registration (DOMAIN.md section 4: years with data), in order."""
    return sorted(periods.reported_years(cur))


def summary(cur: Cursor, f: Filters, *, with_models: bool = False) -> Summary:
    """The headline figures of one scope and period as a JSON-ready dict (a Summary; rates
    rounded to 6 digits); `dvk summary --json` prints it.

    Distinct models need a pass over the model codes of every year; they are left out (None)
    unless with_models=True, which keeps the common call fast.
    """
    with open_source(cur, f) as ctx:
        return build_summary(ctx, period_figures(ctx, with_models=with_models))


def build_summary(ctx: Source, figures: Mapping[str, float | None]) -> Summary:
    """The Summary of a source's scope from its period figures (period_figures)."""
    f = ctx.f
    cube = ctx.cube
    awards = ctx.award_counts()
    unit_name = ctx.unit_name
    per_year: dict[int, dict[str, int]] = {
        year: dict.fromkeys(("registrations", "collective", "individual", "awards", "nominations"), 0)
        for year in f.years
    }
    for year, subject, n in cube.select("nam", "doi_tuong", "n_registrations").iter_rows():
        if year in per_year:
            row = per_year[year]
            row["registrations"] += n
            if subject == vocab.SUBJECT_COLLECTIVE:
                row["collective"] += n
            elif subject == vocab.SUBJECT_INDIVIDUAL:
                row["individual"] += n
    for year, status, n in awards.select("nam", "trang_thai", "n_awards").iter_rows():
        if year in per_year and status in (vocab.STATUS_AWARDED, vocab.STATUS_NOMINATED):
            per_year[year]["awards" if status == vocab.STATUS_AWARDED else "nominations"] += n
    pending = dict.fromkeys(f.years, 0)
    for year, result, n in cube.select("nam", "ket_qua", "n_registrations").iter_rows():
        if year in pending and result in periods.PENDING_RESULTS:
            pending[year] += n
    labels = _label_sums(cube, CUBE_COLUMNS, "n_registrations")
    nominated = _award_totals(awards, vocab.STATUS_NOMINATED)
    nominations: NominationTotals = {
        "total": nominated["total"],
        "collective": nominated["collective"],
        "individual": nominated["individual"],
        "by_level": nominated["by_level"],
    }
    reported = periods.reported_in(f.years, ctx.reported)
    n_pending = sum(pending.values())

    def count(key: str) -> int:
        return cast(int, figures[key])  # a count figure is an int

    def models(key: str) -> int | None:
        return cast(int | None, figures[key])  # None unless asked for with models

    n_registrations = count("registrations")
    out: Summary = {
        "from": f.year_from,
        "to": f.year_to,
        "reported_years": reported,
        "period_label": periods.coverage_label(f.year_from, f.year_to, reported),
        "period_label_en": periods.coverage_label(f.year_from, f.year_to, reported, "en"),
        "pending": {
            "count": n_pending,
            "share": rounded(n_pending / n_registrations) if n_registrations else None,
            "not_final_years": [
                year
                for year, n in pending.items()
                if n and n / per_year[year]["registrations"] > periods.NOT_FINAL_SHARE
            ],
        },
        "unit": f.unit,
        "unit_name": unit_name,
        "filters": {"field": f.field, "subject": f.subject, "movement": f.movement, "kind": f.kind},
        "registrations": {
            "total": count("registrations"),
            "collective": count("collective"),
            "individual": count("individual"),
            "by_field": _zero_filled(labels["linh_vuc"], vocab.FIELDS),
            "by_movement": _zero_filled(labels["phong_trao"], vocab.MOVEMENTS),
            "by_kind": _zero_filled(labels["loai"], vocab.KINDS),
            "by_subject": _zero_filled(labels["doi_tuong"], vocab.SUBJECTS),
            "by_result": _zero_filled(labels["ket_qua"], vocab.RESULTS),
        },
        "models": {
            "distinct": models("models"),
            "carried_over": models("models_carried_over"),
            "new": models("models_new"),
        },
        "grassroots_units": count("grassroots_units"),
        "units_with_registration": count("units_with_registration"),
        "coverage_rate": rounded(figures["coverage_rate"]),
        "units_with_conference": count("units_with_conference"),
        "conference_rate": rounded(figures["conference_rate"]),
        "branch_years": count("branch_years"),
        "branch_years_meeting_target": count("branch_years_meeting_target"),
        "target_compliance_rate": rounded(figures["target_compliance_rate"]),
        "recognised": count("recognised"),
        "recognition_rate": rounded(figures["recognition_rate"]),
        "mean_score": rounded(figures["mean_score"]),
        "per_capita": {
            "staff": count("staff"),
            "individual_per_100_staff": rounded(figures["individual_per_100_staff"]),
            "collective_per_grassroots_unit": rounded(figures["collective_per_grassroots_unit"]),
        },
        "conferences": {
            "total": count("conferences"),
            "commendation": count("commendation_conferences"),
            "attendees": count("conference_attendees"),
            "member_attendees": count("conference_member_attendees"),
        },
        "attendance_rate": rounded(figures["attendance_rate"]),
        "awards": _award_totals(awards, vocab.STATUS_AWARDED),
        "nominations": nominations,
        "by_year": [
            {
                "year": year,
                "registrations": counts["registrations"],
                "collective": counts["collective"],
                "individual": counts["individual"],
                "awards": counts["awards"],
                "nominations": counts["nominations"],
                "pending": pending[year],
                "pending_share": rounded(pending[year] / counts["registrations"])
                if counts["registrations"]
                else None,
            }
            for year, counts in per_year.items()
        ],
    }
    return out


def _with_changes(frame: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    """Add <col>_change (this row - previous row) and <col>_change_pct (change / previous)."""
    exprs = []
    for col in columns:
        prev = pl.col(col).shift(1)
        change = pl.col(col) - prev
        exprs.append(change.alias(f"{col}_change"))
        exprs.append(
            pl.when(prev.is_not_null() & (prev != 0))
            .then(change.cast(pl.Float64) / prev)
            .otherwise(None)
            .cast(pl.Float64)
            .alias(f"{col}_change_pct")
        )
    return frame.with_columns(exprs)


def trend(cur: Cursor, f: Filters) -> pl.DataFrame:
    """One row per year of the period (column nam): every figure, plus <fig>_change and <fig>_change_pct.

    Each year's figures are the figures of that single year; the first year's changes are null.
    """
    with open_source(cur, f) as ctx:
        per_year = unit_figures(ctx, "scope", by_year=True).rename({"window": "nam"})
        models = model_figures(ctx, by_year=True)
    frame = (
        per_year.join(models, on="nam", how="left")
        .with_columns(pl.col("models", "models_carried_over", "models_new").fill_null(0))
        .select("nam", *figure_columns())
        .sort("nam")
    )
    return _with_changes(frame, figure_columns())


def figures_table(cur: Cursor, f: Filters, lang: str = "vi") -> pl.DataFrame:
    """Every scalar figure as a row (figure, label), one column per year and one for the period."""
    per_year = trend(cur, f)
    with open_source(cur, f) as ctx:
        period = period_figures(ctx)
    columns: dict[str, list] = {
        "figure": [fig.key for fig in FIGURES],
        "label": [labels.figure_name(fig.key, lang) for fig in FIGURES],
    }
    for row in per_year.iter_rows(named=True):
        columns[str(row["nam"])] = [_as_float(row[fig.key]) for fig in FIGURES]
    if f.year_from != f.year_to:
        columns[f.period_label] = [_as_float(period[fig.key]) for fig in FIGURES]
    schema = {k: (pl.String if k in ("figure", "label") else pl.Float64) for k in columns}
    return pl.DataFrame(columns, schema=schema)


def _as_float(value: float | None) -> float | None:
    return None if value is None else float(value)

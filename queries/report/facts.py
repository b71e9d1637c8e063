"""Every figure the report quotes, asked of the figures engine once per report."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from queries import figures, structure
from queries.figures import Filters
from queries.report.options import scope_unit

BREAKDOWNS = ("doi_tuong", "linh_vuc", "phong_trao", "loai")


@dataclass(frozen=True)
class Baseline:
    """The baseline period B of a report: its filters, the engine's comparison with it, its summary."""

    filters: Filters
    compare: pl.DataFrame
    summary: figures.Summary
    # the scope's reorganisations between the report's period and B (structure.reorganised_between)
    reorganised: pl.DataFrame

    @property
    def has_data(self) -> bool:
        """Whether B holds any registration (without, no change is quoted)."""
        return bool(self.summary["registrations"]["total"])


class Facts:
    """Every figure the report quotes, asked of the engine once."""

    def __init__(self, cur, f: Filters, baseline: Filters | None, name_superior: bool = True):
        self.f = f
        self.summary = figures.summary(cur, f, with_models=True)
        self.trend = figures.trend(cur, f)
        self.by_unit = figures.by_unit(cur, f)
        self.by_year = {by: figures.breakdown_by_year(cur, f, by) for by in BREAKDOWNS}
        self.fields = figures.breakdown(cur, f, "linh_vuc")
        self.awards = figures.awards_breakdown(cur, f)
        self.award_records = figures.records(cur, f, "khen_thuong")
        self.units = figures.unit_tree(cur, f)
        self.base = (
            Baseline(
                baseline,
                figures.compare(cur, f, baseline),
                figures.summary(cur, baseline),
                structure.reorganised_between(
                    cur, (f.year_from, f.year_to), (baseline.year_from, baseline.year_to), unit=f.unit
                ),
            )
            if baseline is not None
            else None
        )
        self.scope = scope_unit(cur, f.unit, name_superior)

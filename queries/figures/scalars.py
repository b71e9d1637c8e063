"""The scalar figures of a source's scope: every unit-based figure per group and window, and the models.

Both sources give the same counts (Source.unit_counts, Source.model_counts); the rates and means
are worked out here, once, from those counts.
"""

from __future__ import annotations

import polars as pl

from queries.figures.catalogue import figure_columns
from queries.figures.frames import COUNT_COLUMNS, ratio
from queries.figures.source import Source


def unit_figures(ctx: Source, per: str, by_year: bool) -> pl.DataFrame:
    """Every unit-based figure per (group, window): see the package docstring for the definitions."""
    return (
        ctx.unit_counts(per, by_year)
        .with_columns(pl.col(COUNT_COLUMNS).fill_null(0).cast(pl.Int64), pl.col("sum_score").fill_null(0.0))
        .with_columns(
            ratio("units_with_registration", "grassroots_units").alias("coverage_rate"),
            ratio("units_with_conference", "grassroots_units").alias("conference_rate"),
            ratio("branch_years_meeting_target", "branch_years").alias("target_compliance_rate"),
            ratio("recognised", "registrations").alias("recognition_rate"),
            ratio("sum_score", "n_scored").alias("mean_score"),
            ratio("individual_covered", "staff", 100.0).alias("individual_per_100_staff"),
            ratio("collective", "grassroots_units").alias("collective_per_grassroots_unit"),
            ratio("members_attending", "members_expected").alias("attendance_rate"),
        )
        .sort("group", "window")
    )


def model_figures(ctx: Source, by_year: bool) -> pl.DataFrame:
    """[nam,] models, models_carried_over, models_new: per year, or one row for the whole period."""
    frame = ctx.model_counts(by_year)
    return frame.select(
        *([pl.col("nam").cast(pl.Int32)] if by_year else []),
        pl.col("n_models").cast(pl.Int64).alias("models"),
        pl.col("n_models_carried_over").cast(pl.Int64).alias("models_carried_over"),
        (pl.col("n_models") - pl.col("n_models_carried_over")).cast(pl.Int64).alias("models_new"),
    )


def period_figures(ctx: Source, with_models: bool = True) -> dict[str, float | None]:
    """Every scalar figure of the scope over the whole period (models None unless with_models)."""
    row = unit_figures(ctx, "scope", by_year=False).row(0, named=True)
    if with_models:
        row.update(model_figures(ctx, by_year=False).row(0, named=True))
    return {key: row.get(key) for key in figure_columns()}

"""Small frames, expressions and column sets that both sources and every figure share."""

from __future__ import annotations

import polars as pl

from queries.figures.filters import Filters

UNIT_ID = pl.Int32  # unit_idx: a unit's position in its scope, the join key of every frame
SCOPE_GROUP = 0  # the group id when the whole scope is one group


def year_windows(f: Filters, by_year: bool) -> pl.DataFrame:
    """nam -> window (the window's first year), with each window's bounds y0..y1."""
    years = f.years
    n = len(years)
    return pl.DataFrame(
        {
            "nam": years,
            "window": years if by_year else [f.year_from] * n,
            "y0": years if by_year else [f.year_from] * n,
            "y1": years if by_year else [f.year_to] * n,
        },
        schema={"nam": pl.Int32, "window": pl.Int32, "y0": pl.Int32, "y1": pl.Int32},
    )


def active_between(lo: pl.Expr, hi: pl.Expr) -> pl.Expr:
    """A unit whose validity years overlap lo..hi."""
    return (pl.col("first_year").is_null() | (pl.col("first_year") <= hi)) & (
        pl.col("last_year").is_null() | (pl.col("last_year") >= lo)
    )


def ratio(num: str, den: str, scale: float = 1.0) -> pl.Expr:
    """num / den * scale, null when den is 0 or null."""
    return (
        pl.when(pl.col(den) > 0)
        .then(pl.col(num).cast(pl.Float64) / pl.col(den) * scale)
        .otherwise(None)
        .cast(pl.Float64)
    )


COUNT_COLUMNS = (
    "registrations", "collective", "individual", "recognised", "n_scored",
    "grassroots_units", "units_with_registration", "units_with_conference",
    "branch_years", "branch_years_meeting_target", "staff", "individual_covered",
    "conferences", "commendation_conferences", "conference_attendees", "conference_member_attendees",
    "members_attending", "members_expected",
    "awards", "awards_collective", "awards_individual", "nominations",
)  # fmt: skip


def rounded(value: float | None, digits: int = 6) -> float | None:
    """A rate or mean as the JSON summary writes it: rounded to 6 digits (None stays None)."""
    return round(value, digits) if isinstance(value, float) else value


def years_frame(f: Filters) -> pl.DataFrame:
    """One row per year of the period (nam)."""
    return pl.DataFrame({"nam": f.years}, schema={"nam": pl.Int32})

"""Drilling into a unit: its child units, plus a "direct" row for the records held at its own level.

`figures.by_unit` lists the scope's child units, each with its whole subtree. Records entered for
the scope unit itself (a registration of the đảng bộ, an award decided for its own staff, the
bloc's own conference) belong to no child, so the children alone add up to less than the unit's
total. `by_unit_with_direct` adds one row, `ma_don_vi` = DIRECT, holding exactly those records:
the scope's totals minus the sum of its children's, for every figure that adds up over units
(registrations, recognised, scored, conferences, attendance, awards, nominations). Figures about
units (grassroots units, coverage, conferences held per unit, target compliance, staff) describe
units, not records, and are null on that row: the unit's own records already count towards the
unit's own rates.
"""

from __future__ import annotations

from typing import cast

import polars as pl

from queries import figures
from queries.figures import Cursor, Filters

DIRECT = ""  # ma_don_vi of the direct row: no unit code is empty (the importer requires one)

# Figures that add up over units: the direct row is the scope's value minus its children's.
ADDITIVE = (
    "registrations", "collective", "individual", "recognised", "n_scored", "sum_score",
    "conferences", "commendation_conferences", "conference_attendees", "conference_member_attendees",
    "members_attending", "members_expected",
    "awards", "awards_collective", "awards_individual", "nominations",
)  # fmt: skip


def _total(frame: pl.DataFrame, column: str) -> float:
    """The sum of a numeric column (a count or a sum of scores), 0 without rows."""
    return cast(float, frame[column].sum()) if frame.height else 0


def direct(cur: Cursor, f: Filters) -> dict[str, object] | None:
    """The scope unit's own records as one row of figures (see the module docstring); None when
    the scope has several roots (no unit chosen: the roots are the children themselves)."""
    with figures.open_source(cur, f) as ctx:
        if ctx.child_depth != 1:
            return None
        scope = figures.unit_figures(ctx, "scope", by_year=False)
        children = figures.unit_figures(ctx, "child", by_year=False)
    own = {column: _total(scope, column) - _total(children, column) for column in ADDITIVE}
    n_scored, registrations = own["n_scored"], own["registrations"]
    expected = own["members_expected"]
    return {
        **own,
        "recognition_rate": own["recognised"] / registrations if registrations else None,
        "mean_score": own["sum_score"] / n_scored if n_scored else None,
        "attendance_rate": own["members_attending"] / expected if expected else None,
    }


def by_unit_with_direct(cur: Cursor, f: Filters) -> pl.DataFrame:
    """`figures.by_unit` plus, first, the direct row (`ma_don_vi` DIRECT, `cap` null) when the
    scope unit holds records of its own in the period: then the rows add up to the scope's totals.

    The row's name (`ten_don_vi`) is null: the page names it in the reader's language.
    """
    units = figures.by_unit(cur, f)
    own = direct(cur, f)
    if own is None or not any(own[c] for c in ("registrations", "awards", "nominations", "conferences")):
        return units
    row = {
        column: own.get(column)
        for column in units.columns
        if column not in ("ma_don_vi", "ten_don_vi", "cap", "is_active", "below_target")
    }
    extra = pl.DataFrame(
        [
            {
                "ma_don_vi": DIRECT,
                "ten_don_vi": None,
                "cap": None,
                "is_active": True,
                **row,
                "below_target": None,
            }
        ],
        schema=units.schema,
    )
    return pl.concat([extra, units])


RANK_BY = ("target_compliance_rate", "registrations", "coverage_rate")


def ranking(units: pl.DataFrame, by: str, threshold_pct: float | None) -> pl.DataFrame:
    """The units of `by_unit_with_direct` ranked and flagged, in rank order (the direct row first).

    `rank`: 1 for the highest `by`, ties sharing the better rank (1, 2, 2, 4); no rank for a unit
    without that figure, nor for the direct row. `below_threshold`: the unit's target compliance
    rate, rounded to one decimal of a percent as the page writes it, is under `threshold_pct`
    (a percentage, 55.6); false without a rate or a threshold, so the flag says what the reader sees.
    """
    if by not in RANK_BY:
        raise figures.FiguresError(f"rank by one of {', '.join(RANK_BY)}; got {by!r}")
    is_unit = pl.col("ma_don_vi") != DIRECT
    value = pl.when(is_unit).then(pl.col(by)).otherwise(None)
    shown = (pl.col("target_compliance_rate") * 100).round(1)
    below = pl.lit(False) if threshold_pct is None else (is_unit & (shown < threshold_pct)).fill_null(False)
    return (
        units.with_columns(
            value.rank("min", descending=True).cast(pl.Int64).alias("rank"),
            below.alias("below_threshold"),
        )
        .with_row_index("_order")
        .sort(is_unit, "rank", "_order", nulls_last=True)
        .drop("_order")
    )


def flagged(ranked: pl.DataFrame) -> tuple[int, int]:
    """Of a `ranking`: how many units are flagged below the threshold, of how many have a target
    compliance rate (the direct row is no unit)."""
    units = ranked.filter(pl.col("ma_don_vi") != DIRECT)
    return int(units["below_threshold"].sum()), int(units["target_compliance_rate"].is_not_null().sum())

"""Figures per unit: the scope's child units (by_unit), target compliance per chi bộ or child and
year (compliance_matrix), and the scope's unit tree."""

from __future__ import annotations

import polars as pl

from queries import vocab
from queries.figures.base import open_base
from queries.figures.catalogue import figure_columns
from queries.figures.filters import FiguresError, Filters
from queries.figures.frames import COUNT_COLUMNS, active_between, years_frame
from queries.figures.scalars import unit_figures
from queries.figures.source import open_source
from queries.named_sql import Cursor


def by_unit(cur: Cursor, f: Filters) -> pl.DataFrame:
    """One row per child unit of the scope, each child's whole subtree aggregated over the period.

    Children are the units right below the scope unit (the roots themselves when no unit is given
    and there are several roots). A child is listed when it was active in the period or has any
    registration, award, nomination or conference in it. `below_target` is true when some
    (chi bộ, year) of its subtree missed the 1 DVK + 1 QCDC target (null when it has no chi bộ
    active in the period). Models are scope-wide only and not broken down per unit.
    """
    with open_source(cur, f) as ctx:
        figures = unit_figures(ctx, "child", by_year=False).drop("window")
        children = ctx.children().select("unit_idx", "ma_don_vi", "ten_don_vi", "cap", "is_active")
    unit_keys = figure_columns(with_models=False)
    return (
        children.join(figures, left_on="unit_idx", right_on="group", how="left")
        .with_columns(pl.col(c).fill_null(0) for c in COUNT_COLUMNS)
        .filter(
            pl.col("is_active")
            | (pl.col("registrations") + pl.col("awards") + pl.col("nominations") + pl.col("conferences") > 0)
        )
        .with_columns(
            pl.when(pl.col("branch_years") > 0)
            .then(pl.col("branch_years_meeting_target") < pl.col("branch_years"))
            .otherwise(None)
            .alias("below_target")
        )
        .sort("unit_idx")
        .select("ma_don_vi", "ten_don_vi", "cap", "is_active", *unit_keys, "below_target")
    )


def compliance_matrix(cur: Cursor, f: Filters, per: str = "branch") -> pl.DataFrame:
    """Target compliance (>= 1 DVK and >= 1 QCDC registration) per chi bộ (or child unit) and year.

    per='branch': one row per chi bộ of the scope active in the period, and year, in tree order: ma_don_vi,
    ten_don_vi, cap, nam, is_active (that year), n_dvk, n_qcdc (in its subtree), meets_target (null
    when inactive, or in a year without data). per='child': one row per child unit and year: branch_years,
    branch_years_meeting_target, target_compliance_rate (null without an active chi bộ).
    """
    if per not in ("branch", "child"):
        raise FiguresError("per must be 'branch' or 'child'")
    if per == "child":
        with open_source(cur, f) as source:
            figures = unit_figures(source, "child", by_year=True)
            children = source.children().select("unit_idx", "ma_don_vi", "ten_don_vi", "cap")
        return (
            children.join(figures.rename({"group": "unit_idx", "window": "nam"}), on="unit_idx")
            .sort("unit_idx", "nam")
            .select(
                "ma_don_vi",
                "ten_don_vi",
                "cap",
                "nam",
                "branch_years",
                "branch_years_meeting_target",
                "target_compliance_rate",
            )
        )
    # every chi bộ's own subtree counts: from the base tables (the aggregates sum top units only)
    with open_base(cur, f) as ctx:
        units = ctx.units.lazy()
        movements = ctx.subtree_totals.lazy().select("unit_idx", "nam", "n_dvk", "n_qcdc")
        return (
            units.filter(pl.col("cap").is_in(vocab.BRANCH_LEVELS) & pl.col("is_active"))
            .join(years_frame(f).lazy(), how="cross")
            .with_columns(active_between(pl.col("nam"), pl.col("nam")).alias("is_active"))
            .join(movements, on=["unit_idx", "nam"], how="left")
            .with_columns(pl.col("n_dvk", "n_qcdc").fill_null(0).cast(pl.Int64))
            .with_columns(
                pl.when(
                    pl.col("is_active")
                    & pl.col("nam").is_in(pl.Series(sorted(ctx.reported), dtype=pl.Int32).implode())
                )
                .then((pl.col("n_dvk") > 0) & (pl.col("n_qcdc") > 0))
                .otherwise(None)
                .alias("meets_target")
            )
            .sort("unit_idx", "nam")
            .select("ma_don_vi", "ten_don_vi", "cap", "nam", "is_active", "n_dvk", "n_qcdc", "meets_target")
            .collect()
        )


def unit_tree(cur: Cursor, f: Filters) -> pl.DataFrame:
    """The units of the scope in tree order: ma_don_vi, ten_don_vi, ma_cap_tren, cap, depth, is_active,
    hieu_luc_tu, hieu_luc_den, registrations (own rows under the filters, for a treemap's sizes)."""
    with open_source(cur, f) as ctx:
        own = ctx.own_registrations(collective_and_recognised=False).select("unit_idx", "registrations")
        units = ctx.units
    return (
        units.join(own, on="unit_idx", how="left")
        .with_columns(pl.col("registrations").fill_null(0).cast(pl.Int64))
        .sort("unit_idx")
        .select(
            "ma_don_vi",
            "ten_don_vi",
            "ma_cap_tren",
            "cap",
            "depth",
            "is_active",
            "hieu_luc_tu",
            "hieu_luc_den",
            "registrations",
        )
    )

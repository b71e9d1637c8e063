"""Registrations and awards broken down by label, year and child unit, and the score histogram."""

from __future__ import annotations

import itertools
import math
from dataclasses import replace

import polars as pl

from queries import vocab
from queries.figures.catalogue import BREAKDOWN_COLUMNS
from queries.figures.filters import FiguresError, Filters
from queries.figures.source import open_source
from queries.figures.units import by_unit
from queries.named_sql import Cursor


def breakdown(cur: Cursor, f: Filters, by: str) -> pl.DataFrame:
    """Registrations counted by one column, zero-filled over all its canonical labels.

    `by` is doi_tuong, linh_vuc, loai, phong_trao, ket_qua or ma_don_vi. Columns: <by> (for
    ma_don_vi also ten_don_vi, cap), registrations, collective, individual, recognised, share.
    For ma_don_vi the rows are every unit of the scope in tree order and count the unit's own rows
    (not its subtree).
    """
    if by not in BREAKDOWN_COLUMNS:
        raise FiguresError(f"cannot break down by {by!r}; choose one of {', '.join(BREAKDOWN_COLUMNS)}")
    numbers = ["registrations", "collective", "individual", "recognised"]
    with open_source(cur, f) as ctx:
        if by == "ma_don_vi":
            counts = ctx.own_registrations()
            out = (
                ctx.units.select("unit_idx", "ma_don_vi", "ten_don_vi", "cap")
                .join(counts, on="unit_idx", how="left")
                .sort("unit_idx")
                .drop("unit_idx")
            )
        else:
            counts = _label_counts(ctx.cube, [by])
            choices = BREAKDOWN_COLUMNS[by]
            assert choices is not None  # only ma_don_vi has none
            labels = pl.DataFrame({by: list(choices)}, schema={by: pl.String})
            out = labels.join(counts, on=by, how="left")
    out = out.with_columns(pl.col(numbers).fill_null(0).cast(pl.Int64))
    total = out["registrations"].sum()
    return out.with_columns(
        (pl.col("registrations") / total if total else pl.lit(None, dtype=pl.Float64)).alias("share")
    )


def awards_by_year(cur: Cursor, f: Filters) -> pl.DataFrame:
    """Per year of the period: awards to collectives and to individuals, nominations, and awards per
    100 registrations.

    Columns: year, collective, individual, nominations, registrations, per_100. Awards take the
    period, the scope and the subject only, so the registrations they are set against are counted
    over the same (field, movement and kind left out); per_100 is null in a year without any.
    """
    awards = awards_breakdown(cur, f)
    with open_source(cur, replace(f, field=None, movement=None, kind=None)) as ctx:
        registrations = ctx.cube.group_by(pl.col("nam").cast(pl.Int64).alias("year")).agg(
            pl.col("n_registrations").sum().cast(pl.Int64).alias("registrations")
        )
    awarded, nominated = (
        pl.col("trang_thai") == vocab.STATUS_AWARDED,
        pl.col("trang_thai") == vocab.STATUS_NOMINATED,
    )
    n = pl.col("n_awards")
    counts = awards.group_by(pl.col("nam").cast(pl.Int64).alias("year")).agg(
        n.filter(awarded & (pl.col("doi_tuong") == vocab.SUBJECT_COLLECTIVE)).sum().alias("collective"),
        n.filter(awarded & (pl.col("doi_tuong") == vocab.SUBJECT_INDIVIDUAL)).sum().alias("individual"),
        n.filter(nominated).sum().alias("nominations"),
    )
    return (
        pl.DataFrame({"year": f.years}, schema={"year": pl.Int64})
        .join(counts, on="year", how="left")
        .join(registrations, on="year", how="left")
        .with_columns(
            pl.col("collective", "individual", "nominations", "registrations").fill_null(0).cast(pl.Int64)
        )
        .with_columns(
            pl.when(pl.col("registrations") > 0)
            .then((pl.col("collective") + pl.col("individual")) / pl.col("registrations") * 100)
            .alias("per_100")
        )
        .sort("year")
    )


def _label_counts(cube: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """Registrations, collective, individual and recognised of the cube, per `keys`."""
    n = pl.col("n_registrations")
    return cube.group_by(keys).agg(
        n.sum().alias("registrations"),
        n.filter(pl.col("doi_tuong") == vocab.SUBJECT_COLLECTIVE).sum().alias("collective"),
        n.filter(pl.col("doi_tuong") == vocab.SUBJECT_INDIVIDUAL).sum().alias("individual"),
        n.filter(pl.col("ket_qua").is_in(vocab.RECOGNISED_RESULTS)).sum().alias("recognised"),
    )


def _label_column(by: str) -> tuple[str, ...]:
    labels = BREAKDOWN_COLUMNS.get(by)
    if labels is None:
        choices = ", ".join(k for k, v in BREAKDOWN_COLUMNS.items() if v is not None)
        raise FiguresError(f"cannot break down by {by!r} here; choose one of {choices}")
    return labels


def breakdown_by_year(cur: Cursor, f: Filters, by: str) -> pl.DataFrame:
    """A breakdown (doi_tuong, linh_vuc, loai, phong_trao or ket_qua) for each year of the period,
    with each label's change from the year before.

    Columns: nam, <by>, registrations, collective, individual, recognised, change, change_pct.
    Every year and every canonical label has a row (zero-filled); the first year's changes are null,
    and so is a % change from zero.
    """
    labels = _label_column(by)
    numbers = ["registrations", "collective", "individual", "recognised"]
    with open_source(cur, f) as ctx:
        counts = _label_counts(ctx.cube, ["nam", by]).with_columns(pl.col("nam").cast(pl.Int64))
    grid = pl.DataFrame(
        [(year, label) for year in f.years for label in labels],
        schema={"nam": pl.Int64, by: pl.String},
        orient="row",
    )
    out = grid.join(counts, on=["nam", by], how="left").with_columns(
        pl.col(numbers).fill_null(0).cast(pl.Int64)
    )
    before = pl.col("registrations").shift(1).over(by, order_by="nam")
    return out.sort("nam", maintain_order=True).with_columns(
        (pl.col("registrations") - before).alias("change"),
        pl.when(before > 0).then((pl.col("registrations") - before) / before).alias("change_pct"),
    )


def breakdown_by_child(cur: Cursor, f: Filters, by: str) -> pl.DataFrame:
    """A breakdown (doi_tuong, linh_vuc, loai, phong_trao or ket_qua) for each child unit of the
    scope, over the child's whole subtree: the children as `by_unit` lists them.

    Columns: ma_don_vi, ten_don_vi, <by>, registrations, collective, individual, recognised, share
    (of the child's registrations; null for a child without any).
    """
    _label_column(by)
    children = by_unit(cur, f).select("ma_don_vi", "ten_don_vi")
    parts = [
        breakdown(cur, replace(f, unit=code), by).select(
            pl.lit(code).alias("ma_don_vi"), pl.lit(name).alias("ten_don_vi"), pl.all()
        )
        for code, name in children.iter_rows()
    ]
    if not parts:
        empty = {"ma_don_vi": pl.String, "ten_don_vi": pl.String, by: pl.String}
        numbers = {c: pl.Int64 for c in ("registrations", "collective", "individual", "recognised")}
        return pl.DataFrame(schema={**empty, **numbers, "share": pl.Float64})
    return pl.concat(parts)


def awards_breakdown(cur: Cursor, f: Filters) -> pl.DataFrame:
    """Awards and nominations counted by year, level, form, subject and status, zero-filled.

    Columns: nam, cap_khen_thuong, hinh_thuc, doi_tuong, trang_thai, n_awards (every combination of
    the period's years and the canonical labels, so a chart can pivot without gaps).
    """
    with open_source(cur, f) as ctx:
        counts = ctx.award_counts()
    dims = ["nam", "cap_khen_thuong", "hinh_thuc", "doi_tuong", "trang_thai"]
    subjects = (f.subject,) if f.subject else vocab.SUBJECTS
    grid = pl.DataFrame(
        list(
            itertools.product(f.years, vocab.AWARD_LEVELS, vocab.AWARD_FORMS, subjects, vocab.AWARD_STATUSES)
        ),
        schema={"nam": pl.Int32, **{d: pl.String for d in dims[1:]}},
        orient="row",
    )
    totals = counts.group_by(dims).agg(pl.col("n_awards").sum())
    return (
        grid.join(totals, on=dims, how="left")
        .with_columns(pl.col("n_awards").fill_null(0).cast(pl.Int64))
        .sort(dims)
    )


def score_distribution(cur: Cursor, f: Filters, bin_width: float = 5.0) -> pl.DataFrame:
    """Histogram of registration scores (diem): bin_from, bin_to, label, n_registrations, n_recognised, share.

    Bins are [from, to) except the last, which includes 100; every bin is listed.
    """
    if not 0 < bin_width <= 100:
        raise FiguresError("bin_width must be in (0, 100]")
    with open_source(cur, f) as ctx:
        counts = ctx.score_counts(float(bin_width))
    n_bins = math.ceil(100 / bin_width)
    edges = [(i * bin_width, min((i + 1) * bin_width, 100.0)) for i in range(n_bins)]
    bins = pl.DataFrame(
        {
            "bin_index": list(range(n_bins)),
            "bin_from": [float(lo) for lo, _ in edges],
            "bin_to": [float(hi) for _, hi in edges],
            "label": [f"{lo:g}–{hi:g}" for lo, hi in edges],
        },
        schema={"bin_index": pl.Int64, "bin_from": pl.Float64, "bin_to": pl.Float64, "label": pl.String},
    )
    out = bins.join(
        counts.with_columns(pl.col("bin_index").cast(pl.Int64)), on="bin_index", how="left"
    ).with_columns(pl.col("n_registrations", "n_recognised").fill_null(0).cast(pl.Int64))
    total = out["n_registrations"].sum()
    return out.with_columns(
        (pl.col("n_registrations") / total if total else pl.lit(None, dtype=pl.Float64)).alias("share")
    ).drop("bin_index")

"""Submission status ("Tình hình nộp số liệu"): which grassroots units have sent their year's figures.

For one year and one scope (a unit and its subtree, or every root), each grassroots unit
(TCCSĐ: đảng bộ cơ sở, chi bộ cơ sở) active at some time in that year, with the registrations,
conferences and awards of that year recorded for it or any unit of its subtree (as recorded:
a record counts for the unit it was recorded for, and for every unit above it), and when the
records of its subtree last changed: the time of the latest import step (history.py) that added
or changed one of their rows in any table. A unit with none of the three has sent nothing.

The follow-up list (`missing_units`) holds the units without a registration for the year: every
chi bộ registers its models each year (DOMAIN.md section 1), so a unit without one has not sent
its yearly figures, whether or not a conference or an award of it was recorded.
"""

from __future__ import annotations

import duckdb
import polars as pl

from queries import figures, structure, vocab

SEP = chr(31)  # scope_units.sql joins the path of codes with it

STATUS_COLUMNS = pl.Schema(
    {
        "ma_don_vi": pl.String(),
        "ten_don_vi": pl.String(),
        "cap": pl.String(),
        "ma_cap_tren": pl.String(),
        "ten_cap_tren": pl.String(),
        "n_dang_ky": pl.Int64(),
        "n_hoi_nghi": pl.Int64(),
        "n_khen_thuong": pl.Int64(),
        "is_missing": pl.Boolean(),
        "last_changed_at": pl.Datetime("us"),
    }
)


def _year_counts(cur: duckdb.DuckDBPyConnection, table: str, year: int) -> pl.DataFrame:
    """(ma_don_vi, n) of one record table for the year; table names from figures.RECORD_TABLES."""
    if table not in figures.RECORD_TABLES:
        raise ValueError(table)
    return cur.sql(
        f"select ma_don_vi, count(*)::bigint as n from {table} where nam = $year group by ma_don_vi",
        params={"year": year},
    ).pl()


def _last_changes(cur: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """(ma_don_vi, at): when an import step last added or changed a row of that unit."""
    try:
        return cur.sql(
            """
            select d.ma_don_vi, max(s.step_at) as at
            from lich_su_don_vi d join lich_su s using (step)
            group by d.ma_don_vi
            """
        ).pl()
    except duckdb.CatalogException:  # a database from before the import desk
        return pl.DataFrame(schema={"ma_don_vi": pl.String, "at": pl.Datetime("us")})


def submission_status(cur: duckdb.DuckDBPyConnection, year: int, unit: str | None = None) -> pl.DataFrame:
    """One row per grassroots unit of the scope active in `year` (ordered by code): its records
    of the year in its subtree, whether it sent nothing, when its subtree's records last changed."""
    # the units as they were in the year: each under its superior of that year (structure.py)
    scope, _ = structure.scope_units(cur, unit, year, year, structure.AS_WAS)
    if scope.is_empty():
        return pl.DataFrame(schema=STATUS_COLUMNS)
    grassroots = scope.filter(pl.col("cap").is_in(vocab.GRASSROOTS_LEVELS) & pl.col("is_active")).unique(
        "ma_don_vi", keep="first"
    )
    # every unit of the scope with the units above it (itself included) that lie in the scope
    above = (
        scope.select("ma_don_vi", pl.col("path").str.split(SEP).alias("ancestor"))
        .unique("ma_don_vi", keep="first")
        .explode("ancestor")
    )
    names = scope.select("ma_don_vi", "ten_don_vi").unique("ma_don_vi", keep="first")
    out = grassroots.select("ma_don_vi", "ten_don_vi", "cap", "ma_cap_tren").join(
        names.rename({"ma_don_vi": "ma_cap_tren", "ten_don_vi": "ten_cap_tren"}), on="ma_cap_tren", how="left"
    )

    def rolled_up(frame: pl.DataFrame, value: str, how: str) -> pl.DataFrame:
        joined = frame.join(above, on="ma_don_vi").select(pl.col("ancestor").alias("ma_don_vi"), value)
        agg = pl.col(value).sum() if how == "sum" else pl.col(value).max()
        return joined.group_by("ma_don_vi").agg(agg)

    for table in figures.RECORD_TABLES:
        counts = rolled_up(_year_counts(cur, table, year), "n", "sum").rename({"n": f"n_{table}"})
        out = out.join(counts, on="ma_don_vi", how="left").with_columns(pl.col(f"n_{table}").fill_null(0))
    changed = rolled_up(_last_changes(cur), "at", "max").rename({"at": "last_changed_at"})
    out = out.join(changed, on="ma_don_vi", how="left").with_columns(
        ((pl.col("n_dang_ky") + pl.col("n_hoi_nghi") + pl.col("n_khen_thuong")) == 0).alias("is_missing")
    )
    return out.select(list(STATUS_COLUMNS)).cast(STATUS_COLUMNS).sort("ma_don_vi")


def missing_units(status: pl.DataFrame) -> pl.DataFrame:
    """The units of a status frame without a registration for the year, for follow-up (see the
    module docstring): code, name, level, superior, what they did send, whether nothing at all."""
    return status.filter(pl.col("n_dang_ky") == 0).drop("n_dang_ky")


LABELS = {
    "vi": {
        "ma_don_vi": "Mã đơn vị",
        "ten_don_vi": "Tên đơn vị",
        "cap": "Cấp",
        "ma_cap_tren": "Mã đơn vị cấp trên",
        "ten_cap_tren": "Đơn vị cấp trên",
        "n_dang_ky": "Đăng ký",
        "n_hoi_nghi": "Hội nghị",
        "n_khen_thuong": "Khen thưởng",
        "is_missing": "Chưa gửi số liệu",
        "last_changed_at": "Cập nhật lần cuối",
    },
    "en": {
        "ma_don_vi": "Unit code",
        "ten_don_vi": "Unit name",
        "cap": "Level",
        "ma_cap_tren": "Superior code",
        "ten_cap_tren": "Superior",
        "n_dang_ky": "Registrations",
        "n_hoi_nghi": "Conferences",
        "n_khen_thuong": "Awards",
        "is_missing": "Sent nothing",
        "last_changed_at": "Last changed",
    },
}
YES_NO = {"vi": ("Có", "Không"), "en": ("Yes", "No")}


def labelled(frame: pl.DataFrame, lang: str = "vi") -> pl.DataFrame:
    """A status (or missing-units) frame with headers in the user's language, yes/no in words."""
    lg = "en" if lang == "en" else "vi"
    yes, no = YES_NO[lg]
    if "is_missing" in frame.columns:
        frame = frame.with_columns(
            pl.when(pl.col("is_missing")).then(pl.lit(yes)).otherwise(pl.lit(no)).alias("is_missing")
        )
    return frame.rename({c: LABELS[lg][c] for c in frame.columns})

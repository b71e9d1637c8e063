"""Large deterministic import files written with Polars, for the tests that need an import long
enough to race against (tests/test_backup.py, tests/test_concurrency.py)."""

from __future__ import annotations

from pathlib import Path

import polars as pl


def write_units(path: Path, n: int) -> None:
    """don_vi: the bloc K and `n` chi bộ cơ sở CS000, CS001, … under it."""
    pl.DataFrame(
        {
            "Mã đơn vị": ["K"] + [f"CS{i:03d}" for i in range(n)],
            "Tên đơn vị": ["Đảng bộ Khối"] + [f"Đơn vị {i}" for i in range(n)],
            "Mã đơn vị cấp trên": [None] + ["K"] * n,
            "Cấp": ["Đảng bộ Khối"] + ["Chi bộ cơ sở"] * n,
        }
    ).write_csv(path)


def registrations(start: int, stop: int, *, units: int, models: int) -> pl.DataFrame:
    """Registrations start..stop (no code: keys derived from the content), with the required columns:
    row i in year 2021 + i % 3, of unit CS(i % units), a collective every fourth row, a person
    "Người i", model "Mô hình (i % models)", Kinh tế every third row, else Khác."""
    i = pl.int_range(start, stop, eager=True).alias("i").to_frame()
    return i.select(
        (pl.lit(2021) + pl.col("i") % 3).alias("Năm"),
        pl.format("CS{}", (pl.col("i") % units).cast(pl.String).str.zfill(3)).alias("Mã đơn vị"),
        pl.when(pl.col("i") % 4 == 0).then(pl.lit("Tập thể")).otherwise(pl.lit("Cá nhân")).alias("Đối tượng"),
        pl.format("Người {}", pl.col("i")).alias("Tên tập thể, cá nhân"),
        pl.format("Mô hình {}", pl.col("i") % models).alias("Tên mô hình"),
        pl.when(pl.col("i") % 3 == 0).then(pl.lit("Kinh tế")).otherwise(pl.lit("Khác")).alias("Lĩnh vực"),
        pl.col("i"),
    )

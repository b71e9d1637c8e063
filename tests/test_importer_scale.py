"""A 1M-row dang_ky CSV imports in seconds (the file is generated here, column-wise, never committed)."""

from __future__ import annotations

import os
import time

import polars as pl
import pytest
from support.files import query

from queries.importer import import_files

ROWS = int(os.environ.get("DVK_IMPORT_SCALE_ROWS", "1000000"))
UNITS = 100
# Generous: about 10 s on a quiet 2-core machine; CI boxes are shared and slower.
BUDGET_SECONDS = float(os.environ.get("DVK_IMPORT_SCALE_BUDGET", "90"))


def write_registrations(path, rows: int) -> None:
    """A messy-but-valid registrations CSV: no Mã đăng ký (keys derived), Vietnamese numbers,
    dd/mm/yyyy dates, enum spellings without diacritics."""
    i = pl.int_range(0, rows, eager=True).alias("i").to_frame()
    frame = i.select(
        (pl.lit(2021) + pl.col("i") % 3).alias("Năm"),
        pl.format("CS{}", (pl.col("i") % UNITS).cast(pl.String).str.zfill(3)).alias("Mã đơn vị"),
        pl.when(pl.col("i") % 5 == 0).then(pl.lit("Tập thể")).otherwise(pl.lit("ca nhan")).alias("Đối tượng"),
        pl.format("Nguyễn Văn {}", pl.col("i")).alias("Tên tập thể, cá nhân"),
        pl.format("Mô hình dân vận khéo số {}", pl.col("i") % 1000).alias("Tên mô hình"),
        pl.when(pl.col("i") % 2 == 0)
        .then(pl.lit("Văn hoá - Xã hội"))
        .otherwise(pl.lit("kinh te"))
        .alias("Lĩnh vực"),
        pl.when(pl.col("i") % 7 == 0).then(pl.lit("QCDC")).otherwise(pl.lit(None)).alias("Phong trào"),
        pl.format("{}/03/2022", (pl.col("i") % 28 + 1).cast(pl.String).str.zfill(2)).alias("Ngày đăng ký"),
        pl.format("{},5", pl.col("i") % 100).alias("Điểm"),
    )
    frame.write_csv(path, include_bom=True)


@pytest.mark.slow
def test_a_million_registrations_import_in_seconds(tmp_path, db_path):
    units = pl.DataFrame(
        {
            "Mã đơn vị": ["K"] + [f"CS{i:03d}" for i in range(UNITS)],
            "Tên đơn vị": ["Đảng bộ Khối"] + [f"Đảng bộ cơ sở {i}" for i in range(UNITS)],
            "Mã đơn vị cấp trên": [None] + ["K"] * UNITS,
            "Cấp": ["Đảng bộ Khối"] + ["Đảng bộ cơ sở"] * UNITS,
        }
    )
    units.write_csv(tmp_path / "don_vi.csv")
    write_registrations(tmp_path / "dang_ky.csv", ROWS)

    started = time.perf_counter()
    report = import_files(db_path, [tmp_path / "don_vi.csv", tmp_path / "dang_ky.csv"])
    elapsed = time.perf_counter() - started
    print(f"\nimported {ROWS:,} registrations in {elapsed:.1f} s")

    assert report.ok, [p.message("en") for p in report.problems[:5]]
    assert report.counts["dang_ky"].added == ROWS
    assert query(
        db_path, "select count(*), count(distinct ma_dang_ky), min(diem), max(diem) from dang_ky"
    ) == [(ROWS, ROWS, 0.5, 99.5)]
    assert query(db_path, "select count(*) from dang_ky where phong_trao = 'QCDC'") == [
        (len(range(0, ROWS, 7)),)
    ]
    assert f"Đăng ký: {ROWS:,} dòng mới".replace(",", ".") in report.summary()
    assert elapsed < BUDGET_SECONDS

"""The tables' keys: derived keys (a unit's period, a conference, an award, a registration without
its code) and how a key is shown in a duplicate_key problem."""

from __future__ import annotations

import polars as pl

from queries import parse, vocab

# Tables whose stored key is derived from several columns (DuckDB keys cannot be expressions or NULL).
DERIVED_KEYS = {"don_vi": "ma_hieu_luc", "hoi_nghi": "ma_hoi_nghi", "khen_thuong": "ma_khen_thuong"}


def _key_columns(table: vocab.Table) -> list[str]:
    return [DERIVED_KEYS[table.name]] if table.name in DERIVED_KEYS else list(table.key)


def _shown_key(table: vocab.Table, frame: pl.DataFrame) -> pl.Expr:
    """How a row's key is shown in a duplicate_key problem (null where the key itself is shown)."""
    if table.name == "hoi_nghi":
        return pl.concat_str(
            [
                pl.col("ma_don_vi"),
                pl.col("nam").cast(pl.String),
                pl.col("loai_hoi_nghi"),
                pl.col("ngay").dt.strftime("%d/%m/%Y"),
            ],
            separator=" | ",
            ignore_nulls=True,
        )
    if table.name == "khen_thuong":
        return pl.concat_str(
            [
                pl.col("so_quyet_dinh"),
                pl.coalesce(pl.col("ngay_quyet_dinh").dt.year().cast(pl.Int64), pl.col("nam")).cast(
                    pl.String
                ),
                pl.col("doi_tuong"),
                pl.col("ten_chu_the"),
            ],
            separator=" | ",
        )
    if table.name == "don_vi":
        return pl.concat_str(
            [pl.col("ma_don_vi"), pl.col("hieu_luc_tu").dt.strftime("%d/%m/%Y")],
            separator=" | ",
            ignore_nulls=True,
        )
    if table.name == "dang_ky":
        # a derived key says little to the user; point at the model instead
        shown = pl.concat_str(
            [pl.col("ten_chu_the"), pl.col("ten_mo_hinh"), pl.col("nam").cast(pl.String)], separator=" | "
        )
        return pl.when(pl.col("_key_derived")).then(shown)
    return pl.concat_str([pl.col(k).cast(pl.String) for k in table.key], separator=" | ")


def _key_sources(frame: pl.DataFrame) -> pl.DataFrame:
    """For rows of dang_ky without `Mã đăng ký`, the text its derived key hashes
    (parse.registration_key_source; DuckDB hashes it while staging)."""
    need = frame.get_column("ma_dang_ky").is_null()
    source = pl.repeat(None, frame.height, dtype=pl.String, eager=True)
    if need.any():
        index = need.arg_true()
        source = source.scatter(index, parse.registration_key_source(frame[index]))
    return frame.with_columns(need.alias("_key_derived"), source.alias("_key_source"))


# A registration's key: its `Mã đăng ký`, else derived from its content (parse.registration_key).
DERIVED_KEY_SQL = "coalesce(ma_dang_ky, $prefix || left(sha1(_key_source), 16))"

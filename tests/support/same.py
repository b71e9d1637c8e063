"""One comparison for two answers of the engine: equal frames, dicts, lists and values, floats to 1e-12."""

from __future__ import annotations

import math

import polars as pl
from polars.testing import assert_frame_equal


def assert_same(got: object, want: object, where: str = "") -> None:
    """Equal frames (same columns, types, rows in order), dicts, lists and values; floats (means
    of scores, rates) to 1e-12, as sums of the same numbers added in another order may differ.
    `where` names the place of a difference (a dict's key, a list's index)."""
    if isinstance(want, pl.DataFrame):
        assert_frame_equal(got, want, check_exact=False, rel_tol=1e-12, abs_tol=1e-12)
    elif isinstance(want, dict):
        assert isinstance(got, dict) and list(got) == list(want), where
        for key in want:
            assert_same(got[key], want[key], f"{where}.{key}")
    elif isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), (
            where,
            len(got) if isinstance(got, list) else got,
            len(want),
        )
        for i, (x, y) in enumerate(zip(got, want, strict=True)):
            assert_same(x, y, f"{where}[{i}]")
    elif isinstance(want, float) and isinstance(got, float):
        assert math.isclose(got, want, rel_tol=1e-12, abs_tol=1e-12), (where, got, want)
    else:
        assert type(got) is type(want) and got == want, (where, got, want)

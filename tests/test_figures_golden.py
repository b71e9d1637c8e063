"""The demo's figures, stored: every figure function's answer on the demo database equals the stored one.

`summary` is stored by tests/test_cli_figures.py (the JSON of `dvk summary`); this module stores
the frames of trend, by_unit, compare, the breakdowns (plain, by year and by child), the awards and
the compliance matrix, for 2021-2023 on the whole bloc and on one đảng bộ cơ sở with a filter, and
checks them on both sources (aggregate tables, on the demo before its 2025 reorganisation, and base
tables, on the whole demo: its 2021-2023 are the same records and units). The stored files hold the seed
figures of DOMAIN.md section 5 (1.061 collectives, 5.908 individuals, 67/89 units with a
conference: checked below); regenerate them with UPDATE_GOLDEN=1 only after a change that is meant
to change a figure, and read the diff.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest
from support.builders import cursor
from support.same import assert_same

from queries import figures
from queries.cli import main
from queries.demo import ROOT_CODE
from queries.figures import Filters

GOLDEN = Path(__file__).parent / "golden"
PERIOD = Filters(2021, 2023)
BASELINE = Filters(2018, 2020)
# Figures by child are the bloc's: since the 2025 reorganisation the demo's root is the Tỉnh ủy, whose
# only child in 2021-2023 is the bloc (its 89 grassroots units are the bloc's children). The other
# frames are the root's, with no unit given: the same records and units as the bloc's.
BLOC = Filters(2021, 2023, unit=ROOT_CODE)
# a đảng bộ cơ sở with chi bộ below it, and a filter, so that a scope inside the tree is stored too
UNIT = Filters(2021, 2023, unit="DBK.02", field="Kinh tế")
LABELS = ("doi_tuong", "linh_vuc", "loai", "phong_trao", "ket_qua")

Frames = Callable[[object], dict[str, pl.DataFrame]]

CASES: dict[str, Frames] = {
    "trend_2021_2023": lambda cur: {
        "all": figures.trend(cur, PERIOD),
        "DBK.02_kinh_te": figures.trend(cur, UNIT),
    },
    "by_unit_2021_2023": lambda cur: {
        "all": figures.by_unit(cur, BLOC),
        "DBK.02_kinh_te": figures.by_unit(cur, UNIT),
    },
    "compare_2021_2023_vs_2018_2020": lambda cur: {
        "vi": figures.compare(cur, PERIOD, BASELINE),
        "en": figures.compare(cur, PERIOD, BASELINE, lang="en"),
        "DBK.02_kinh_te": figures.compare(cur, UNIT, UNIT.with_period(2018, 2020)),
    },
    "breakdowns_2021_2023": lambda cur: {
        **{
            f"breakdown.{by}": figures.breakdown(cur, BLOC if by == "ma_don_vi" else PERIOD, by)
            for by in figures.BREAKDOWN_COLUMNS
        },
        **{f"by_year.{by}": figures.breakdown_by_year(cur, PERIOD, by) for by in LABELS},
        **{f"by_child.{by}": figures.breakdown_by_child(cur, BLOC, by) for by in ("linh_vuc", "doi_tuong")},
        "by_child.DBK.02.ket_qua": figures.breakdown_by_child(cur, UNIT, "ket_qua"),
        "awards_by_year": figures.awards_by_year(cur, PERIOD),
        "awards_breakdown": figures.awards_breakdown(cur, PERIOD),
    },
    "compliance_2021_2023": lambda cur: {
        "branch": figures.compliance_matrix(cur, PERIOD, per="branch"),
        "child": figures.compliance_matrix(cur, BLOC, per="child"),
        "DBK.02_branch": figures.compliance_matrix(cur, UNIT, per="branch"),
        "DBK.02_child": figures.compliance_matrix(cur, UNIT, per="child"),
    },
}


def as_json(frames: dict[str, pl.DataFrame]) -> dict[str, object]:
    """Each frame as its column types and its rows, in order, as JSON values."""
    out = {
        name: {
            "columns": {column: str(dtype) for column, dtype in frame.schema.items()},
            "rows": frame.to_dicts(),
        }
        for name, frame in frames.items()
    }
    return json.loads(json.dumps(out, ensure_ascii=False, default=str))


@pytest.fixture(params=["aggregates", "base"])
def cur(request, demo_db):
    """A cursor on the demo; the engine answers from the aggregate tables, or from the base tables."""
    with cursor(demo_db) as c, figures.use_source(request.param):
        assert figures.answers_from(c) == request.param  # the source asked for is really taken
        yield c


@pytest.mark.parametrize("name", list(CASES))
def test_demo_figures_equal_the_golden_files(cur, name):
    got = as_json(CASES[name](cur))
    path = GOLDEN / f"{name}.json"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert_same(got, json.loads(path.read_text(encoding="utf-8")), name)


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.slow
def test_the_demo_on_todays_structure_is_the_same_from_both_sources(demo_db, monkeypatch, name):
    # The stored files read the demo as it was; on today's structure (DOMAIN.md 4a: the bloc ended
    # 31/01/2025, its units moved or merged) the same frames come from the aggregate tables of that
    # reading and equal those of the base tables.
    for constant in ("PERIOD", "BASELINE", "UNIT"):
        current = replace(getattr(sys.modules[__name__], constant), structure="current")
        monkeypatch.setattr(sys.modules[__name__], constant, current)
    got = {}
    for source in ("aggregates", "base"):
        with cursor(demo_db) as c, figures.use_source(source):
            assert figures.answers_from(c, "current") == source
            got[source] = as_json(CASES[name](c))
    assert_same(got["aggregates"], got["base"], name)


def test_the_golden_files_hold_the_seed_figures():
    """The stored frames agree with the seed figures of DOMAIN.md section 5, so a regenerated file
    that lost them fails here."""
    trend = json.loads((GOLDEN / "trend_2021_2023.json").read_text(encoding="utf-8"))["all"]["rows"]
    # "1.061 tập thể và 5.908 cá nhân đăng ký thực hiện" over 2021-2023
    assert sum(row["collective"] for row in trend) == 1061
    assert sum(row["individual"] for row in trend) == 5908
    assert [row["nam"] for row in trend] == [2021, 2022, 2023]
    units = json.loads((GOLDEN / "by_unit_2021_2023.json").read_text(encoding="utf-8"))["all"]["rows"]
    # the bloc's 89 grassroots units are its children; 67 held a commendation conference
    assert len(units) == 89
    assert sum(row["units_with_conference"] for row in units) == 67


def test_dvk_summary_prints_the_golden_file_byte_for_byte(demo_db, capsys):
    """`dvk summary --json` writes exactly the stored bytes (key order, indentation, rounding), as
    tests/test_cli_figures.py stored them."""
    assert main(["summary", "--db", str(demo_db), "--from", "2021", "--to", "2023", "--json"]) == 0
    out = capsys.readouterr().out
    assert out == (GOLDEN / "summary_2021_2023.json").read_text(encoding="utf-8")

"""`--structure as-was|current` on `dvk summary`, `compare`, `export` and `report`, on the small
reorganisation of tests/support/reorg.py (figures worked out by hand in test_figures_structure.py)."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from support.commands import run_dvk
from support.reorg import reorganised

from queries.cli import main


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return reorganised().build(tmp_path_factory.mktemp("cli_reorg"))


def summary(capsys, db, *extra: str) -> dict:
    code, out, err = run_dvk(
        capsys, "summary", "--db", str(db), "--unit", "U", "--from", "2023", "--to", "2024", *extra
    )
    assert code == 0, err
    return json.loads(out)


def test_summary_in_both_readings(db, capsys):
    # U in 2023-2024 as it was: not started yet, nothing; on today's structure: 8 registrations of
    # its predecessors, 3 grassroots units, the target met in 2 of 4 chi bộ-years
    as_was = summary(capsys, db, "--json")  # the default reading
    assert (as_was["registrations"]["total"], as_was["grassroots_units"], as_was["coverage_rate"]) == (
        0,
        0,
        None,
    )
    assert summary(capsys, db, "--structure", "as-was", "--json") == as_was
    current = summary(capsys, db, "--structure", "current", "--json")
    assert (current["registrations"]["total"], current["grassroots_units"]) == (8, 3)
    assert (current["branch_years"], current["branch_years_meeting_target"]) == (4, 2)


def test_an_unknown_reading_is_a_usage_error(db, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["summary", "--db", str(db), "--from", "2023", "--to", "2024", "--structure", "today"])
    assert exit_.value.code == 2


def test_compare_in_the_current_reading(db, capsys):
    # U, 2025-2026 against 2023-2024 on today's structure: 7 registrations (2025: CB3, CS2 ×2, C;
    # 2026: CB3 ×2, CS2) against 8: a change of -1
    code, out, err = run_dvk(
        capsys,
        "compare", "--db", str(db), "--unit", "U", "--a", "2025-2026", "--b", "2023-2024",
        "--structure", "current", "--json",
    )  # fmt: skip
    assert code == 0, err
    payload = json.loads(out)
    assert payload["structure"] == "current"
    rows = {row["figure"]: row for row in payload["rows"]}
    assert (rows["registrations"]["a"], rows["registrations"]["b"], rows["registrations"]["change"]) == (
        7,
        8,
        -1,
    )


def test_export_in_the_current_reading(db, capsys, tmp_path):
    # the records of U in 2023-2024 on today's structure: the 8 registrations of its predecessors
    out = tmp_path / "dk.xlsx"
    code, _, err = run_dvk(
        capsys,
        "export", "--db", str(db), "--what", "dang_ky", "--format", "xlsx", "--unit", "U",
        "--from", "2023", "--to", "2024", "--structure", "current", "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    sheet = openpyxl.load_workbook(io.BytesIO(out.read_bytes())).active
    assert sheet is not None and sheet.max_row == 1 + 8  # the header and 8 rows
    code, _, err = run_dvk(
        capsys,
        "export", "--db", str(db), "--what", "dang_ky", "--format", "xlsx", "--unit", "U",
        "--from", "2023", "--to", "2024", "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    sheet = openpyxl.load_workbook(io.BytesIO(out.read_bytes())).active
    assert sheet is not None and sheet.max_row == 1  # as it was: only the header


def test_report_takes_the_reading(db, capsys, tmp_path):
    out = tmp_path / "bao_cao.docx"
    code, _, err = run_dvk(
        capsys,
        "report", "--db", str(db), "--unit", "U", "--from", "2023", "--to", "2024",
        "--structure", "current", "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    assert out.stat().st_size > 0

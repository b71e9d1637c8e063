"""`dvk import`: exit codes 0 / 1 / 2, messages in both languages, the screen cap and --errors-csv."""

from __future__ import annotations

import codecs
import importlib
import subprocess
import sys

import polars as pl
import pytest
from support.files import query

from queries import cli
from queries.commands import COMMANDS
from queries.store import ROOT

UNITS = [
    ["Mã đơn vị", "Tên đơn vị", "Mã đơn vị cấp trên", "Cấp"],
    ["K", "Đảng bộ Khối", None, "Đảng bộ Khối"],
    ["CS1", "Đảng bộ Công ty Điện lực", "K", "Đảng bộ cơ sở"],
]
REG_HEADER = ["Năm", "Mã đơn vị", "Đối tượng", "Tên tập thể, cá nhân", "Tên mô hình", "Lĩnh vực"]


def _full_cli_available() -> bool:
    try:
        for name in COMMANDS:
            importlib.import_module(f"queries.commands.{name.replace('import', 'import_')}")
    except ImportError:
        return False
    return True


@pytest.fixture
def dvk(monkeypatch):
    """Run `dvk ARGS` in-process; returns (exit code, stdout, stderr).

    Only the import command is registered, so these tests do not depend on the other commands.
    """

    def run(args: list[str]) -> int:
        monkeypatch.setattr(cli, "COMMANDS", ("import",))
        try:
            return cli.main(args)
        except SystemExit as exc:  # argparse usage errors
            return int(exc.code)

    return run


def test_success_exit_0_with_summary(dvk, db_path, make_csv, capsys):
    units = make_csv("don_vi.csv", UNITS)
    regs = make_csv("dang_ky.csv", [REG_HEADER, [2022, "CS1", "Tập thể", "Chi bộ 1", "Mô hình A", "Kinh tế"]])
    assert dvk(["import", "--db", str(db_path), str(units), str(regs)]) == 0
    out = capsys.readouterr().out
    assert (
        out.strip().splitlines()[-1] == "Đã nhập: Đơn vị: 2 dòng mới, 0 dòng thay đổi, 0 dòng không đổi; "
        "Đăng ký: 1 dòng mới, 0 dòng thay đổi, 0 dòng không đổi."
    )
    assert "Ghi chú — " in out and "  Tệp dang_ky.csv" in out
    assert query(db_path, "select count(*) from dang_ky") == [(1,)]


def test_rejected_exit_1_english(dvk, db_path, make_csv, capsys):
    regs = make_csv(
        "dang_ky.csv", [REG_HEADER, [20222, "CS1", "Tập thể", "Chi bộ 1", "Mô hình A", "Kinh tế"]]
    )
    units = make_csv("don_vi.csv", UNITS)
    assert dvk(["import", "--lang", "en", "--db", str(db_path), str(units), str(regs)]) == 1
    out = capsys.readouterr().out
    assert (
        "Problem: File dang_ky.csv, row 2, column «Năm»: value «20222» is not valid — the year must be between 1990 and 2100."
        in out
    )
    assert out.strip().splitlines()[-1] == "Nothing imported: 1 problem found, the database is unchanged."
    assert not db_path.exists()


def test_db_and_lang_before_the_command(dvk, db_path, tmp_path, make_csv, capsys):
    """`dvk --db X --lang en import …` as well as `dvk import --db X …`; given after, they win."""
    units = make_csv("don_vi.csv", UNITS)
    assert dvk(["--db", str(db_path), "--lang", "en", "import", str(units)]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith("Imported: ")
    assert query(db_path, "select count(*) from don_vi") == [(2,)]
    other = tmp_path / "other.duckdb"
    assert dvk(["--db", str(db_path), "import", "--db", str(other), str(units)]) == 0
    assert query(other, "select count(*) from don_vi") == [(2,)]
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith("Đã nhập: ")


def test_missing_file_exit_1(dvk, db_path, tmp_path, capsys):
    assert dvk(["import", "--db", str(db_path), str(tmp_path / "khong_co.xlsx")]) == 1
    assert "Lỗi: Tệp khong_co.xlsx: không tìm thấy tệp." in capsys.readouterr().out


def test_usage_errors_exit_2(dvk, db_path, capsys):
    assert dvk(["import", "--db", str(db_path)]) == 2
    assert dvk(["import", "--lang", "fr", "x.csv"]) == 2
    assert dvk(["import", "--bogus", "x.csv"]) == 2


def test_dry_run_exit_0_writes_nothing(dvk, db_path, make_csv, capsys):
    assert dvk(["import", "--dry-run", "--db", str(db_path), str(make_csv("don_vi.csv", UNITS))]) == 0
    assert "chạy thử" in capsys.readouterr().out
    assert not db_path.exists()


def test_screen_cap_and_errors_csv(dvk, db_path, make_csv, tmp_path, capsys):
    rows = [REG_HEADER] + [[20000 + i, "CS1", "Tập thể", f"Chi bộ {i}", "M", "Kinh tế"] for i in range(250)]
    regs = make_csv("dang_ky.csv", rows)
    errors = tmp_path / "out" / "loi.csv"
    code = dvk(
        [
            "import",
            "--db",
            str(db_path),
            "--errors-csv",
            str(errors),
            str(make_csv("don_vi.csv", UNITS)),
            str(regs),
        ]
    )
    assert code == 1
    captured = capsys.readouterr()
    problems = [line for line in captured.out.splitlines() if line.startswith("Lỗi: ")]
    assert len(problems) == 200
    assert "... và 50 lỗi khác (dùng --errors-csv để xem tất cả)" in captured.out
    assert "Đã ghi 250 lỗi vào" in captured.err
    data = errors.read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    frame = pl.read_csv(data[3:], infer_schema=False)
    assert frame.columns == ["file", "sheet", "row", "column", "value", "reason"]
    assert frame.height == 250 and frame["row"].to_list() == [str(r) for r in range(2, 252)]
    assert frame["column"].unique().to_list() == ["Năm"]


def test_max_errors_option(dvk, db_path, make_csv, capsys):
    rows = [REG_HEADER] + [[20000 + i, "CS1", "Tập thể", f"Chi bộ {i}", "M", "Kinh tế"] for i in range(5)]
    assert (
        dvk(
            [
                "import",
                "--lang",
                "en",
                "--max-errors",
                "2",
                "--db",
                str(db_path),
                str(make_csv("dang_ky.csv", rows)),
            ]
        )
        == 1
    )
    out = capsys.readouterr().out
    assert "... and 8 more problem(s) (use --errors-csv to see them all)" in out  # 5 years + 5 unknown units


@pytest.mark.skipif(not _full_cli_available(), reason="other dvk sub-commands are not in place yet")
def test_python_dash_m_queries_import(db_path, make_csv):
    units = make_csv("don_vi.csv", UNITS)
    ok = subprocess.run(
        [sys.executable, "-m", "queries", "import", "--db", str(db_path), str(units)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ok.returncode == 0, ok.stderr
    assert "Đã nhập" in ok.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "queries", "import", "--lang", "en", "--db", str(db_path), "missing.csv"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 1 and "File missing.csv: the file does not exist." in bad.stdout
    usage = subprocess.run(
        [sys.executable, "-m", "queries", "import"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert usage.returncode == 2

"""`dvk backup` and `dvk restore` on databases built through the real importer.

A backup opens and gives the same `dvk summary --json` as the database it was taken from; a backup
taken while an import runs in another process is the state before it or after it, never a mix; a
restore puts the backed-up state back atomically; refused files leave everything untouched.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import polars as pl
import pytest
from support import bulk
from support.builders import bloc

from queries import figures, store
from queries.backup import backup, describe
from queries.cli import main
from queries.figures import Filters
from queries.importer import import_files
from queries.store import ROOT

UNITS = 20


def dvk(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def summary_json(capsys, db: Path) -> dict:
    code, out, err = dvk(capsys, "--db", str(db), "summary", "--from", "2021", "--to", "2023", "--json")
    assert code == 0, err
    return json.loads(out)


@pytest.fixture
def built(tmp_path) -> Path:
    return bloc().build(tmp_path / "live")


def test_a_backup_gives_the_same_summary_and_a_restore_puts_it_back(built, tmp_path, capsys):
    before = summary_json(capsys, built)
    assert before["registrations"]["total"] > 0
    out = tmp_path / "backups" / "b1.duckdb"
    code, said, err = dvk(capsys, "--db", str(built), "backup", "--out", str(out))
    assert code == 0, err
    assert "Đã sao lưu" in said and str(out) in said
    assert summary_json(capsys, out) == before
    assert describe(out).rows == describe(built).rows
    assert not list(out.parent.glob(".*tmp-*"))  # nothing left beside it

    # the live database moves on: more registrations imported
    extra = tmp_path / "extra.csv"
    pl.DataFrame(
        {
            "Năm": [2022, 2023],
            "Mã đơn vị": ["A", "A"],
            "Đối tượng": ["Cá nhân", "Tập thể"],
            "Tên tập thể, cá nhân": ["Người mới 1", "Tập thể mới 2"],
            "Tên mô hình": ["Mô hình mới", "Mô hình mới"],
            "Lĩnh vực": ["Kinh tế", "Khác"],
        }
    ).write_csv(extra)
    assert import_files(built, [extra]).ok
    moved = summary_json(capsys, built)
    assert moved["registrations"]["total"] == before["registrations"]["total"] + 2

    code, said, err = dvk(capsys, "--db", str(built), "--lang", "en", "restore", str(out))
    assert code == 0, err
    assert said.startswith(f"Restored {built} from {out}")
    assert summary_json(capsys, built) == before
    assert summary_json(capsys, out) == before  # the backup itself is left as it was


def test_a_backup_into_a_folder_gets_a_dated_name(built, tmp_path, capsys):
    folder = tmp_path / "nightly"
    folder.mkdir()
    code, _, err = dvk(capsys, "--db", str(built), "backup", "--out", str(folder))
    assert code == 0, err
    (made,) = folder.glob("dvk-*.duckdb")
    assert summary_json(capsys, made) == summary_json(capsys, built)


def test_refused_backups_and_restores_change_nothing(built, tmp_path, capsys):
    live_bytes = built.read_bytes()
    taken = tmp_path / "b.duckdb"
    assert dvk(capsys, "--db", str(built), "backup", "--out", str(taken))[0] == 0
    taken_bytes = taken.read_bytes()

    code, _, err = dvk(capsys, "--db", str(built), "backup", "--out", str(taken))
    assert code == 1 and "đã có" in err and "--force" in err
    assert taken.read_bytes() == taken_bytes
    code, _, err = dvk(capsys, "--db", str(built), "--lang", "en", "backup", "--out", str(built))
    assert code == 1 and "must not be the live database" in err
    code, _, err = dvk(capsys, "--db", str(tmp_path / "none.duckdb"), "backup", "--out", str(tmp_path / "x"))
    assert code == 1 and "Chưa có cơ sở dữ liệu" in err

    not_a_db = tmp_path / "notes.duckdb"
    not_a_db.write_text("không phải cơ sở dữ liệu", encoding="utf-8")
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    for bad, expected in ((not_a_db, "is not a readable DuckDB database"), (empty, "holds no DVK data")):
        code, _, err = dvk(capsys, "--db", str(built), "--lang", "en", "restore", str(bad))
        assert code == 1 and expected in err, err
    code, _, err = dvk(capsys, "--db", str(built), "restore", str(tmp_path / "missing.duckdb"))
    assert code == 1 and "Không có tệp" in err
    assert built.read_bytes() == live_bytes
    assert not list(built.parent.glob("*.tmp-*"))


def test_a_forced_backup_replaces_the_old_file(built, tmp_path, capsys):
    taken = tmp_path / "b.duckdb"
    taken.write_bytes(b"old")
    code, _, err = dvk(capsys, "--db", str(built), "backup", "--out", str(taken), "--force")
    assert code == 0, err
    assert describe(taken).rows == describe(built).rows


# --- a backup while an import runs in another process ---------------------------------------------


def _registrations(path: Path, start: int, stop: int) -> None:
    bulk.registrations(start, stop, units=UNITS, models=300).drop("i").write_csv(path)


def _state(db: Path) -> dict:
    return figures.summary(store.Snapshot(db).cursor(), Filters(2021, 2023))


def test_a_backup_during_an_import_is_the_old_state_or_the_new_one(tmp_path):
    folder = tmp_path / "files"
    folder.mkdir()
    bulk.write_units(folder / "don_vi.csv", UNITS)
    _registrations(folder / "dang_ky_dau.csv", 0, 3_000)
    _registrations(folder / "dang_ky_moi.csv", 2_000, 100_000)  # 1 000 updated, 97 000 new
    db = tmp_path / "live" / "dvk.duckdb"
    db.parent.mkdir()
    assert import_files(db, [folder / "don_vi.csv", folder / "dang_ky_dau.csv"]).ok
    before = _state(db)
    assert before["registrations"]["total"] == 3_000

    importer = subprocess.Popen(
        [sys.executable, "-m", "queries", "--db", str(db), "import", str(folder / "dang_ky_moi.csv")],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    taken: list[Path] = []
    backups = tmp_path / "backups"
    try:
        while importer.poll() is None and len(taken) < 200:
            out = backups / f"b{len(taken):03d}.duckdb"
            backup(db, out)
            taken.append(out)
    finally:
        output = importer.communicate(timeout=300)[0].decode(errors="replace")
    assert importer.returncode == 0, output
    last = backups / "after.duckdb"
    backup(db, last)
    after = _state(last)
    assert after["registrations"]["total"] == 100_000
    assert len(taken) >= 2, "the import ended before two backups were taken"
    seen = []
    for path in taken:
        state = _state(path)
        assert state in (before, after), path
        seen.append("before" if state == before else "after")
    assert seen[0] == "before"  # the import had not landed when the first backup was taken
    assert seen == sorted(seen, key=("before", "after").index)  # once new, never old again

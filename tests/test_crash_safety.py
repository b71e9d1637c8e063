"""SIGKILL during a large import: the database is always exactly the state before or the state
after the import, never a part of it, and the next import succeeds.

A 200 000-row registrations CSV is imported with `python -m queries import` into a database that
already holds a first import. One measured run, its folder watched, gives the run time, the moment
the write phase starts (the temporary copy appears) and the commit point (the rename over the live
file). 10 runs are then killed (20 under DVK_TEST_BUDGET=thorough): 5 (10) spread over reading and
checking, 3 (6) over the write phase (copy, upsert, checkpoint, fsync) and 2 (4) just after the
rename, each anchored on what that run has reached.
After each kill the database is compared, table by table (row count and a hash of every row), with
the two known states; the temporary copy a kill leaves behind must not stop the next import.
Run with -s to see how many kills landed before and after the commit point.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import polars as pl
import pytest
from support.budget import by_budget

from queries import store
from queries.importer import import_files
from queries.store import ROOT

UNITS = 100
FIRST_ROWS = 20_000
LARGE_ROWS = 200_000
# Kills over reading, the write phase and just after the rename: 10 + 6 + 4 before a release
# (DVK_TEST_BUDGET=thorough), half as many in the full run.
SPREAD = (10, 6, 4) if by_budget(quick=0, full=0, thorough=1) else (5, 3, 2)
KILLS = sum(SPREAD)


def write_registrations(path: Path, start: int, stop: int) -> None:
    """Rows start..stop of a deterministic registrations table (keys derived from the content)."""
    i = pl.int_range(start, stop, eager=True).alias("i").to_frame()
    i.select(
        (pl.lit(2021) + pl.col("i") % 3).alias("Năm"),
        pl.format("CS{}", (pl.col("i") % UNITS).cast(pl.String).str.zfill(3)).alias("Mã đơn vị"),
        pl.when(pl.col("i") % 5 == 0).then(pl.lit("Tập thể")).otherwise(pl.lit("Cá nhân")).alias("Đối tượng"),
        pl.format("Nguyễn Văn {}", pl.col("i")).alias("Tên tập thể, cá nhân"),
        pl.format("Mô hình số {}", pl.col("i") % 1000).alias("Tên mô hình"),
        pl.when(pl.col("i") % 2 == 0).then(pl.lit("Kinh tế")).otherwise(pl.lit("Khác")).alias("Lĩnh vực"),
        pl.format("{},5", pl.col("i") % 100).alias("Điểm"),
    ).write_csv(path)


def fingerprint(db: Path) -> dict[str, tuple]:
    """Per table: (row count, sum of row hashes); what differs between two runs of the same
    import (the log's times, the random version ids) left out."""
    con = store.connect_read_only(db)
    try:
        cur = store.cursor_on(con)
        tables = sorted(
            r[0] for r in cur.execute("select table_name from information_schema.tables").fetchall()
        )
        out = {}
        # written by every import, different each time: its time, the random version ids
        volatile = {"nhat_ky_nhap": "imported_at", "lich_su": "step_at, version_before, version_after"}
        for table in tables:
            if table == "db_version":
                continue
            rows = (
                f'select * exclude ({volatile[table]}) from "{table}"'
                if table in volatile
                else f'select * from "{table}"'
            )
            out[table] = cur.execute(f"select count(*), sum(hash(t)) from ({rows}) t").fetchone()
        return out
    finally:
        con.close()


def start_import(db: Path, csv: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "queries", "import", "--db", str(db), str(csv)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture(scope="module")
def states(tmp_path_factory):
    """The files, the database before the large import, and the measured run."""
    folder = tmp_path_factory.mktemp("crash")
    pl.DataFrame(
        {
            "Mã đơn vị": ["K"] + [f"CS{i:03d}" for i in range(UNITS)],
            "Tên đơn vị": ["Đảng bộ Khối"] + [f"Đảng bộ cơ sở {i}" for i in range(UNITS)],
            "Mã đơn vị cấp trên": [None] + ["K"] * UNITS,
            "Cấp": ["Đảng bộ Khối"] + ["Đảng bộ cơ sở"] * UNITS,
        }
    ).write_csv(folder / "don_vi.csv")
    write_registrations(folder / "dang_ky_dau.csv", 0, FIRST_ROWS)
    # overlaps the first import: 10 000 updated rows, 190 000 new ones
    write_registrations(folder / "dang_ky_lon.csv", FIRST_ROWS // 2, FIRST_ROWS // 2 + LARGE_ROWS)
    before_db = folder / "before" / "dvk.duckdb"
    before_db.parent.mkdir()
    assert import_files(before_db, [folder / "don_vi.csv", folder / "dang_ky_dau.csv"]).ok

    measured = folder / "measured" / "dvk.duckdb"
    measured.parent.mkdir()
    shutil.copy2(before_db, measured)
    inode = measured.stat().st_ino
    started = time.monotonic()
    proc = start_import(measured, folder / "dang_ky_lon.csv")
    threading.Thread(target=proc.stderr.read, daemon=True).start()
    write_start = commit = None
    while proc.poll() is None:  # watch the folder: the temporary copy appears, then the rename
        now = time.monotonic() - started
        if write_start is None and any(
            p.name.startswith("dvk.duckdb.tmp-") for p in measured.parent.iterdir()
        ):
            write_start = now
        if commit is None and measured.stat().st_ino != inode:
            commit = now
        time.sleep(0.005)
    run_time = time.monotonic() - started
    assert proc.wait() == 0
    assert write_start is not None and commit is not None, (write_start, commit, run_time)
    return {
        "folder": folder,
        "csv": folder / "dang_ky_lon.csv",
        "before_db": before_db,
        "before": fingerprint(before_db),
        "after": fingerprint(measured),
        "run_time": run_time,
        "write_start": write_start,
        "commit": commit,
    }


def kill_moments(states: dict) -> list[tuple[str, float]]:
    """(anchor, delay) pairs spread over the run (SPREAD): over reading and checking (from the
    start), over the write phase (from the moment the temporary copy appears in that run) and just
    after the rename (from the moment the live file changes), before the process has exited."""
    write_start, commit = states["write_start"], states["commit"]
    reading, writing, renaming = SPREAD
    moments = [("start", write_start * (k + 0.5) / reading) for k in range(reading)]
    moments += [("copy", (commit - write_start) * (k + 0.5) / writing) for k in range(writing)]
    moments += [("rename", 0.02 * k / max(renaming - 1, 1)) for k in range(renaming)]
    assert len(moments) == KILLS
    return moments


def wait_for(anchor: str, db: Path, inode: int, proc: subprocess.Popen) -> None:
    """Until the run reaches the anchor (or ends)."""
    while anchor != "start" and proc.poll() is None:
        if anchor == "copy" and any(p.name.startswith(db.name + ".tmp-") for p in db.parent.iterdir()):
            return
        if anchor == "rename" and db.stat().st_ino != inode:
            return
        time.sleep(0.001)


@pytest.mark.slow
def test_sigkill_at_spread_moments_leaves_before_or_after(states, tmp_path):
    before, after = states["before"], states["after"]
    assert before != after and after["dang_ky"][0] == FIRST_ROWS // 2 + LARGE_ROWS
    tally = {"before": 0, "after": 0, "finished": 0}
    leftovers = 0
    survivors = []
    for k, (anchor, delay) in enumerate(kill_moments(states)):
        db = tmp_path / f"kill{k:02d}" / "dvk.duckdb"
        db.parent.mkdir()
        shutil.copy2(states["before_db"], db)
        inode = db.stat().st_ino
        proc = start_import(db, states["csv"])
        threading.Thread(target=proc.stderr.read, daemon=True).start()  # never block on a full pipe
        wait_for(anchor, db, inode, proc)
        time.sleep(delay)
        finished = proc.poll() is not None
        if not finished:
            os.kill(proc.pid, signal.SIGKILL)
        code = proc.wait(timeout=60)

        state = fingerprint(db)  # opens: the live file is a whole database
        assert state in (before, after), f"kill {k} ({anchor} + {delay:.3f} s) left a mixed database"
        landed = "finished" if finished or code == 0 else ("before" if state == before else "after")
        tally[landed] += 1
        kept = db.name + ".versions"  # previous databases kept for dvk undo: not leftovers
        stray = [p.name for p in db.parent.iterdir() if p.name not in (db.name, kept)]
        leftovers += len(stray)
        assert all(name.startswith((db.name + ".tmp-", ".dvk-spill-")) for name in stray), stray
        survivors.append((db, state == before))

        # the next import works on top of whatever the kill left
        units = db.parent / "don_vi_moi.csv"
        units.write_text("Mã đơn vị,Tên đơn vị,Mã đơn vị cấp trên,Cấp\nCSX,Chi bộ mới,K,Chi bộ cơ sở\n")
        report = import_files(db, [units])
        assert report.ok and report.written, [p.message("en") for p in report.problems]
        now = fingerprint(db)
        assert now["dang_ky"] == state["dang_ky"] and now["don_vi"][0] == state["don_vi"][0] + 1
        assert sorted(p.name for p in db.parent.iterdir()) == [
            "don_vi_moi.csv",
            "dvk.duckdb",
            kept,
        ]  # cleaned

    print(
        f"\n{KILLS} kills over a {states['run_time']:.2f} s import (write phase from "
        f"{states['write_start']:.2f} s, rename at {states['commit']:.2f} s in the measured run): "
        f"{tally['before']} before the commit point, "
        f"{tally['after']} after it, {tally['finished']} after the process had ended; "
        f"{leftovers} temporary copies left behind (removed by the next import)"
    )
    assert tally["before"] >= 1 and tally["after"] + tally["finished"] >= 1

    # a database killed before the commit point takes the whole import afterwards
    db = next(db for db, was_before in survivors if was_before)
    report = import_files(db, [states["csv"]])
    assert report.ok and report.counts["dang_ky"].added == LARGE_ROWS - FIRST_ROWS // 2
    assert fingerprint(db)["dang_ky"] == after["dang_ky"]


def test_the_next_write_removes_copies_left_by_a_killed_writer(tmp_path):
    db = tmp_path / "dvk.duckdb"
    units = tmp_path / "don_vi.csv"
    units.write_text("Mã đơn vị,Tên đơn vị,Mã đơn vị cấp trên,Cấp\nK,Đảng bộ Khối,,Đảng bộ Khối\n")
    assert import_files(db, [units]).ok
    for name in ("dvk.duckdb.tmp-k1llzd", "dvk.duckdb.tmp-k1llzd.wal", "dvk.duckdb.tmp-x9"):
        (tmp_path / name).write_bytes(b"half a database")
    (tmp_path / "khac.duckdb.tmp-1").write_bytes(b"another database's copy: left alone")
    assert import_files(db, [units]).ok
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "don_vi.csv",
        "dvk.duckdb",
        "dvk.duckdb.versions",  # the previous version, kept for dvk undo (queries/history.py)
        "khac.duckdb.tmp-1",
    ]

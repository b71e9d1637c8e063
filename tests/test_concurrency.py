"""The data layer every page uses keeps answering while an import runs, and writers take turns.

24 sessions (threads; 16 share one `store.Snapshot` as the dashboard's sessions share the
process's, 8 hold their own) run the pages' figure calls in a loop while a real `dvk import` runs in
a subprocess. Every answer must equal the answer computed beforehand on the state before the
import or on the state after it (the whole summary dict, the whole frames), never a mix; each
session moves from the old state to the new one once, without an error or a restart. Two imports
started at the same moment both land.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import polars as pl
import pytest
from support import bulk
from support.files import query

from queries import figures, store
from queries.figures import Filters
from queries.importer import import_files
from queries.store import ROOT

UNITS = 30
SESSIONS = 24
SHARED = 16
PERIOD = Filters(2021, 2023)
UNIT_SCOPE = Filters(2021, 2023, unit="CS001", field="Khác")


def write_registrations(path: Path, start: int, stop: int) -> None:
    rows = bulk.registrations(start, stop, units=UNITS, models=500)
    rows.with_columns(
        pl.when(pl.col("i") % 6 == 0).then(pl.lit("QCDC")).otherwise(pl.lit(None)).alias("Phong trào"),
        pl.format("{}", pl.col("i") % 101).alias("Điểm"),
    ).drop("i").write_csv(path)


def write_awards(path: Path, start: int, stop: int) -> None:
    i = pl.int_range(start, stop, eager=True).alias("i").to_frame()
    i.select(
        pl.format("{}-QĐ/ĐUK", pl.col("i")).alias("Số quyết định"),
        (pl.lit(2021) + pl.col("i") % 3).alias("Năm"),
        pl.format("CS{}", (pl.col("i") % UNITS).cast(pl.String).str.zfill(3)).alias("Mã đơn vị"),
        pl.lit("Cá nhân").alias("Đối tượng"),
        pl.format("Người {}", pl.col("i")).alias("Tên tập thể, cá nhân"),
        pl.when(pl.col("i") % 2 == 0)
        .then(pl.lit("Giấy khen"))
        .otherwise(pl.lit("Bằng khen"))
        .alias("Hình thức"),
        pl.lit("Đảng ủy Khối").alias("Cấp khen thưởng"),
    ).write_csv(path)


CALLS = {
    "summary": lambda cur: figures.summary(cur, PERIOD),
    "summary_unit": lambda cur: figures.summary(cur, UNIT_SCOPE),
    "by_unit": lambda cur: figures.by_unit(cur, PERIOD),
    "trend": lambda cur: figures.trend(cur, UNIT_SCOPE),
    "records": lambda cur: figures.records(cur, PERIOD, "dang_ky", limit=25, offset=100),
    "count_records": lambda cur: figures.count_records(cur, PERIOD, "dang_ky"),
    "awards": lambda cur: figures.awards_breakdown(cur, PERIOD),
    "breakdown": lambda cur: figures.breakdown(cur, PERIOD, "linh_vuc"),
    "count_awards": lambda cur: figures.count_records(cur, PERIOD, "khen_thuong"),
}


def answers(db: Path) -> dict[str, object]:
    snap = store.Snapshot(db)
    return {name: call(snap.cursor()) for name, call in CALLS.items()}


def same(a: object, b: object) -> bool:
    if isinstance(a, pl.DataFrame):
        return isinstance(b, pl.DataFrame) and a.equals(b)
    return a == b


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    folder = tmp_path_factory.mktemp("concurrency")
    bulk.write_units(folder / "don_vi.csv", UNITS)
    write_registrations(folder / "dang_ky_dau.csv", 0, 6_000)
    write_registrations(folder / "dang_ky_moi.csv", 5_000, 125_000)  # 1 000 updated, 119 000 new
    write_awards(folder / "khen_thuong_dau.csv", 0, 100)
    write_awards(folder / "khen_thuong_moi.csv", 100, 1_100)
    new_files = [folder / "dang_ky_moi.csv", folder / "khen_thuong_moi.csv"]  # one import, two tables
    before_db = folder / "before" / "dvk.duckdb"
    before_db.parent.mkdir()
    first = [folder / "don_vi.csv", folder / "dang_ky_dau.csv", folder / "khen_thuong_dau.csv"]
    assert import_files(before_db, first).ok
    after_db = folder / "after" / "dvk.duckdb"
    after_db.parent.mkdir()
    shutil.copy2(before_db, after_db)
    assert import_files(after_db, new_files).ok
    return {
        "folder": folder,
        "new_files": new_files,
        "before_db": before_db,
        "before": answers(before_db),
        "after": answers(after_db),
    }


def test_the_states_differ_in_every_answer(data):
    for name in CALLS:
        assert not same(data["before"][name], data["after"][name]), name
    assert data["before"]["summary"]["registrations"]["total"] == 6_000
    assert data["after"]["summary"]["registrations"]["total"] == 125_000


@pytest.mark.slow
def test_sessions_keep_answering_during_an_import(data, tmp_path):
    db = tmp_path / "dvk.duckdb"
    shutil.copy2(data["before_db"], db)
    before, after = data["before"], data["after"]
    shared = store.Snapshot(db)
    import_done = threading.Event()
    errors: list[str] = []
    seen: list[list[str]] = [[] for _ in range(SESSIONS)]  # per session, the state of each answer

    def session(k: int) -> None:
        snap = shared if k < SHARED else store.Snapshot(db)
        names = list(CALLS)
        step = k
        deadline = time.monotonic() + 300
        try:
            while time.monotonic() < deadline:
                finished = import_done.is_set()  # read before the call: an answer after it is new
                name = names[step % len(names)]
                step += 1
                answer = CALLS[name](snap.cursor())
                if same(answer, before[name]):
                    seen[k].append("before")
                elif same(answer, after[name]):
                    seen[k].append("after")
                else:
                    errors.append(f"session {k}: {name} matches neither state")
                    return
                if finished and seen[k][-1] == "after":
                    return
        except Exception as exc:  # any exception is a failure of the test
            errors.append(f"session {k}: {type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=session, args=(k,)) for k in range(SESSIONS)]
    for t in threads:
        t.start()
    time.sleep(0.3)  # every session is answering before the import starts
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "queries", "import", "--db", str(db), *map(str, data["new_files"])],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    import_time = time.monotonic() - started
    import_done.set()
    for t in threads:
        t.join(timeout=300)

    assert proc.returncode == 0, proc.stderr[-2000:]
    assert not errors, errors[:10]
    answered = sum(len(s) for s in seen)
    during = sum(s.count("before") for s in seen)
    print(
        f"\n{SESSIONS} sessions, {answered} answers checked ({during} on the old state, "
        f"{answered - during} on the new) during a {import_time:.1f} s import"
    )
    for k, states in enumerate(seen):
        assert states and states[-1] == "after", f"session {k} never saw the import"
        switch = states.index("after")
        assert "before" not in states[switch:], f"session {k} went back to the old state"
    assert during >= SESSIONS  # the sessions answered while the import ran


@pytest.mark.slow
def test_two_imports_started_together_both_land(data, tmp_path):
    db = tmp_path / "dvk.duckdb"
    shutil.copy2(data["before_db"], db)
    write_registrations(tmp_path / "dang_ky_a.csv", 200_000, 230_000)
    write_registrations(tmp_path / "dang_ky_b.csv", 300_000, 330_000)
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "queries", "import", "--db", str(db), str(tmp_path / name)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("dang_ky_a.csv", "dang_ky_b.csv")
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], [err[-1000:] for _, err in outputs]
    assert query(db, "select count(*) from dang_ky") == [(6_000 + 60_000,)]
    assert query(db, "select count(distinct import_id), sum(rows_added) from nhat_ky_nhap") == [
        (3, UNITS + 1 + 6_000 + 100 + 60_000)  # the first import logged its units too
    ]
    kept = ["dvk.duckdb.versions"]  # the previous versions, kept for dvk undo (queries/history.py)
    assert sorted(p.name for p in db.parent.iterdir() if p.suffix != ".csv") == ["dvk.duckdb", *kept]


def test_a_cursor_says_which_version_it_reads(data, tmp_path):
    db = tmp_path / "dvk.duckdb"
    shutil.copy2(data["before_db"], db)
    snap = store.Snapshot(db)
    cur, version = snap.versioned_cursor()
    assert version == snap.stamp
    cur.close()
    assert import_files(db, data["new_files"]).ok
    cur, moved = snap.versioned_cursor()
    try:
        assert moved == snap.stamp != version
        assert figures.summary(cur, PERIOD)["registrations"]["total"] == 125_000
    finally:
        cur.close()


def test_the_dashboard_cache_never_keeps_new_data_under_an_old_version(data, tmp_path):
    """A key made just before an import lands must not get the import's data cached under it."""
    from dashboard import shared

    db = tmp_path / "dvk.duckdb"
    shutil.copy2(data["before_db"], db)
    old = store.Snapshot(db).stamp
    assert shared._query("figures", "summary", str(db), old, (PERIOD,), ())["registrations"]["total"] == 6_000
    assert import_files(db, data["new_files"]).ok
    new = store.Snapshot(db).stamp
    with pytest.raises(shared._Moved):  # the stale key is refused...
        shared._query("figures", "summary", str(db), (old[0] + 1, old[1]), (PERIOD,), ())
    # ...and the current one reads the new data
    assert (
        shared._query("figures", "summary", str(db), new, (PERIOD,), ())["registrations"]["total"] == 125_000
    )

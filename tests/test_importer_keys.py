"""Keys are the importer's to enforce (schema 006: quy_mo, dang_ky, khen_thuong and hoi_nghi have no
PRIMARY KEY): a key never lands twice, whether it comes twice in one file (written straight into an
empty table, or staged against stored rows), again in a later import (the stored row is replaced),
or in a file read in many pieces; and a database made before 006 migrates with its rows."""

from __future__ import annotations

from datetime import date

import pytest
from support.builders import BRANCH, COLLECTIVE, COMMITTEE, GRASSROOTS_BRANCH, INDIVIDUAL, DataSet
from support.files import query

from queries import store, vocab
from queries.importer import import_files, limits

# pieces of a few records each: check them in several batches, not one (limits.CHECK_ROWS)
pytestmark = pytest.mark.usefixtures("checked_in_small_batches")

KEYED = ("quy_mo", "dang_ky", "khen_thuong", "hoi_nghi")
# the key of each table as stored (derived keys for awards and conferences)
KEY_SQL = {
    "quy_mo": "ma_don_vi, nam",
    "dang_ky": "ma_dang_ky",
    "khen_thuong": "ma_khen_thuong",
    "hoi_nghi": "ma_hoi_nghi",
}
ROWS = {"quy_mo": "sizes", "dang_ky": "registrations", "khen_thuong": "awards", "hoi_nghi": "conferences"}


def data(n: int = 3) -> DataSet:
    """Two units under a committee, and n rows of each keyed table, every key distinct."""
    d = DataSet().unit("K", cap=COMMITTEE)
    d.unit("CS1", "K", GRASSROOTS_BRANCH).unit("CB1", "CS1", BRANCH)
    for i in range(n):
        year = 2020 + i
        d.size("CS1", year, members=10 + i, staff=20 + i)
        d.reg(year, "CB1", COLLECTIVE, score=50 + i)
        d.award(year, "CS1", INDIVIDUAL, vocab.AWARD_LEVELS[0])
        d.conf(year, "CS1", day=date(year, 3, 1), attendees=30 + i)
    return d


def counts(db) -> dict[str, tuple[int, int]]:
    """Per keyed table: (rows, distinct keys)."""
    out = {}
    for t in KEYED:
        ((rows, keys),) = query(
            db, f"select count(*), (select count(*) from (select distinct {KEY_SQL[t]} from {t})) from {t}"
        )
        out[t] = (rows, keys)
    return out


def duplicate_problems(report) -> list[tuple[str | None, int | None]]:
    return [(p.file, p.row) for p in report.problems if p.code == "duplicate_key"]


@pytest.mark.parametrize("table", KEYED)
def test_a_key_twice_in_one_file_never_lands(tmp_path, table):
    d = data()
    rows = getattr(d, ROWS[table])
    rows.append(dict(rows[0]))  # the first row again: header is row 1, so rows 2-4, then row 5
    db = tmp_path / "dvk.duckdb"

    # into an empty database: the table is written directly, the distinct count sends the import
    # the careful way, which lists the row
    report = import_files(db, d.write_csvs(tmp_path / "first"))
    assert not report.ok and not report.written
    assert duplicate_problems(report) == [(f"{table}.csv", 5)]
    assert not db.exists()

    # into a database holding the rows already: staged, checked against each other, rejected
    good = data()
    assert import_files(db, good.write_csvs(tmp_path / "good")).ok
    assert counts(db)[table] == (3, 3)
    again = import_files(db, d.write_csvs(tmp_path / "again"))
    assert duplicate_problems(again) == [(f"{table}.csv", 5)]
    assert counts(db) == dict.fromkeys(KEYED, (3, 3))


def test_a_second_import_replaces_the_stored_rows_by_key(tmp_path):
    db = tmp_path / "dvk.duckdb"
    assert import_files(db, data().write_csvs(tmp_path / "first")).ok
    assert counts(db) == dict.fromkeys(KEYED, (3, 3))

    second = data(4)  # the same three keys in each table, and one more
    second.sizes[0]["so_dang_vien"] = 99
    second.registrations[0]["diem"] = 99
    second.awards[0]["hinh_thuc"] = "Bằng khen"
    second.conferences[0]["so_nguoi_du"] = 99
    report = import_files(db, second.write_csvs(tmp_path / "second"))
    assert report.ok
    # 3 stored keys updated, 1 added, in every keyed table: 4 rows, 4 keys, never 7
    assert {t: (report.counts[t].added, report.counts[t].updated) for t in KEYED} == dict.fromkeys(
        KEYED, (1, 3)
    )
    assert counts(db) == dict.fromkeys(KEYED, (4, 4))
    # the updated rows hold the second import's values, once
    assert query(db, "select so_dang_vien from quy_mo where ma_don_vi = 'CS1' and nam = 2020") == [(99,)]
    assert query(db, "select diem from dang_ky where nam = 2020") == [(99.0,)]
    assert query(db, "select hinh_thuc from khen_thuong where nam = 2020") == [("Bằng khen",)]
    assert query(db, "select so_nguoi_du from hoi_nghi where nam = 2020") == [(99,)]

    # the same files a third time: nothing added, every row replaced by itself
    third = import_files(db, second.write_csvs(tmp_path / "third"))
    assert {t: (third.counts[t].added, third.counts[t].updated) for t in KEYED} == dict.fromkeys(
        KEYED, (0, 4)
    )
    assert counts(db) == dict.fromkeys(KEYED, (4, 4))


def many_registrations(n: int) -> DataSet:
    d = DataSet().unit("K", cap=COMMITTEE).unit("CS1", "K", GRASSROOTS_BRANCH)
    for i in range(n):
        d.reg(2020 + i % 5, "CS1", COLLECTIVE, score=i % 100)
    return d


@pytest.mark.slow
def test_a_key_in_two_pieces_of_a_file_never_lands(tmp_path, monkeypatch):
    # 400 registrations of about 90 bytes a line, read 2.000 bytes at a time: about 18 pieces, with
    # a commit inside the private copy every 50 rows
    monkeypatch.setattr(limits, "COMMIT_ROWS", 50)
    db = tmp_path / "dvk.duckdb"
    d = many_registrations(400)
    d.registrations.append(dict(d.registrations[0]))  # row 2 again as row 402, pieces later
    report = import_files(db, d.write_csvs(tmp_path / "dup"), chunk_bytes=2_000)
    assert duplicate_problems(report) == [("dang_ky.csv", 402)]
    assert not db.exists()

    good = many_registrations(400)
    first = import_files(db, good.write_csvs(tmp_path / "good"), chunk_bytes=2_000)
    assert first.ok and first.counts["dang_ky"].added == 400
    assert counts(db)["dang_ky"] == (400, 400)

    # into the stored rows, in pieces again: the duplicate is found, nothing changes
    again = import_files(db, d.write_csvs(tmp_path / "again"), chunk_bytes=2_000)
    assert duplicate_problems(again) == [("dang_ky.csv", 402)]
    assert counts(db)["dang_ky"] == (400, 400)

    # the good file again, in pieces: 400 updated, still 400 rows
    second = import_files(db, good.write_csvs(tmp_path / "good2"), chunk_bytes=2_000)
    assert (second.counts["dang_ky"].added, second.counts["dang_ky"].updated) == (0, 400)
    assert counts(db)["dang_ky"] == (400, 400)


def primary_keys(db) -> set[str]:
    rows = query(db, "select table_name from duckdb_constraints() where constraint_type = 'PRIMARY KEY'")
    return {t for (t,) in rows}


def every_row(db) -> dict[str, list[tuple]]:
    return {t: sorted(query(db, f"select * from {t}"), key=repr) for t in ("don_vi", *KEYED)}


def test_a_database_from_before_006_migrates_with_its_rows(tmp_path, monkeypatch):
    db = tmp_path / "dvk.duckdb"
    before_006 = [(v, p) for v, p in store.migrations() if v < 6]
    with monkeypatch.context() as m:
        m.setattr(store, "migrations", lambda: before_006)
        assert import_files(db, data().write_csvs(tmp_path / "old")).ok
    assert max(v for (v,) in query(db, "select version from schema_version")) < 6
    assert primary_keys(db) == {"don_vi", *KEYED}  # as 001 and 003 made them
    rows = every_row(db)
    assert {t: len(r) for t, r in rows.items()} == {"don_vi": 3, **dict.fromkeys(KEYED, 3)}

    # the next write migrates: the same rows, without the keys; don_vi keeps its own
    store.ensure_database(db)
    assert query(db, "select max(version) from schema_version") == [(store.LATEST_VERSION,)]
    assert store.LATEST_VERSION >= 6
    assert primary_keys(db) == {"don_vi"}
    assert every_row(db) == rows
    checks = query(db, "select table_name from duckdb_constraints() where constraint_type = 'CHECK'")
    assert {t for (t,) in checks} == {"don_vi"}

    # and imports go on: one more of each, the stored keys replaced, never repeated
    report = import_files(db, data(4).write_csvs(tmp_path / "new"))
    assert report.ok
    assert counts(db) == dict.fromkeys(KEYED, (4, 4))

"""The audit log (queries.audit): JSON lines, appended atomically, outside DuckDB."""

from __future__ import annotations

import json
import multiprocessing
import os

import pytest

from queries import audit
from queries.auth import User
from queries.figures import Filters

LAN = User("lan", "importer", "DBCS01", "Nguyễn Thị Lan")


@pytest.fixture
def log(tmp_path, monkeypatch):
    """An audit log path in a temporary directory ($DVK_AUDIT points at it)."""
    path = tmp_path / "audit.jsonl"
    monkeypatch.setenv(audit.ENV_AUDIT, str(path))
    return path


def test_record_and_read_back(log):
    audit.record("import", LAN, what=["don_vi.csv", "dang_ky.xlsx"], rows_added=12)
    f = Filters(2021, 2023, unit="DBCS01", field="Kinh tế")
    audit.record("download", LAN, what="dang_ky_2021-2023.csv", filters=f)
    audit.record("login_failed", "khach")

    records = audit.read_log(log)
    assert [r["action"] for r in records] == ["import", "download", "login_failed"]
    first = records[0]
    assert (first["user"], first["role"], first["scope"]) == ("lan", "importer", "DBCS01")
    assert first["what"] == ["don_vi.csv", "dang_ky.xlsx"] and first["rows_added"] == 12
    assert first["ts"].endswith("+00:00")
    assert records[1]["filters"] == {
        "year_from": 2021,
        "year_to": 2023,
        "unit": "DBCS01",
        "field": "Kinh tế",
        "subject": None,
        "movement": None,
        "kind": None,
        "structure": "as-was",  # the reading of DOMAIN.md 4a the download was made in
    }
    assert records[2]["user"] == "khach" and "role" not in records[2]


def test_one_line_per_record_even_with_newlines_in_details(log):
    audit.record("import", LAN, what="tên\ntệp\r.csv")
    lines = log.read_bytes().splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0])["what"] == "tên\ntệp\r.csv"
    lines[0].decode("ascii")  # escaped: the file stays ASCII


def test_default_path_is_beside_the_database(tmp_path, monkeypatch):
    monkeypatch.delenv(audit.ENV_AUDIT, raising=False)
    monkeypatch.delenv("DVK_DB", raising=False)
    assert audit.resolve_audit_path(tmp_path / "x" / "dvk.duckdb") == tmp_path / "x" / "audit.jsonl"
    assert audit.resolve_audit_path().name == "audit.jsonl"
    assert audit.resolve_audit_path().parent.name == "data"
    monkeypatch.setenv(audit.ENV_AUDIT, str(tmp_path / "elsewhere.jsonl"))
    assert audit.resolve_audit_path(tmp_path / "x" / "dvk.duckdb") == tmp_path / "elsewhere.jsonl"


def test_explicit_path_and_limit_and_filters(tmp_path):
    path = tmp_path / "sub" / "log.jsonl"
    for i in range(10):
        audit.record("download", LAN if i % 2 else "an", log_path=path, what=f"f{i}.csv")
    assert [r["what"] for r in audit.read_log(path, limit=3)] == ["f7.csv", "f8.csv", "f9.csv"]
    assert [r["what"] for r in audit.read_log(path, user="an")] == [f"f{i}.csv" for i in range(0, 10, 2)]
    assert audit.read_log(path, action="import") == []
    assert audit.read_log(tmp_path / "missing.jsonl") == []


def test_appends_never_rewrite(log):
    audit.record("login", LAN)
    before = log.read_bytes()
    audit.record("logout", LAN)
    assert log.read_bytes().startswith(before)


def test_unknown_action_and_clobbering_details_are_refused(log):
    with pytest.raises(ValueError):
        audit.record("delete_everything", LAN)
    with pytest.raises(ValueError):
        audit.record("download", LAN, role="admin")
    assert not log.exists()


def test_a_torn_line_is_reported_not_skipped(log):
    audit.record("login", LAN)
    with open(log, "ab") as fh:
        fh.write(b'{"ts": "2025-01-01", "act')  # a crash mid-write
        fh.write(b"\n")
    audit.record("logout", LAN)
    records = audit.read_log(log)
    assert [r["action"] for r in records] == ["login", "unreadable", "logout"]
    assert records[1]["line"] == 2


def _writer(path: str, worker: int, count: int) -> None:
    user = User(f"user{worker}", "viewer", f"UNIT{worker}", f"Người {worker}")
    padding = "đ" * 1000  # 6 kB escaped: beyond PIPE_BUF, the usual single-write guarantee
    for i in range(count):
        audit.record("download", user, log_path=path, what=f"w{worker}-{i}.csv", padding=padding, seq=i)


def test_concurrent_appends_from_processes_do_not_interleave(tmp_path):
    path = tmp_path / "audit.jsonl"
    workers, count = 4, 200
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(path), w, count)) for w in range(workers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
        assert p.exitcode == 0
    lines = path.read_bytes().split(b"\n")
    assert lines[-1] == b""
    records = [json.loads(line) for line in lines[:-1]]  # every line is one whole JSON record
    assert len(records) == workers * count
    for w in range(workers):
        mine = [r["seq"] for r in records if r["user"] == f"user{w}"]
        assert mine == list(range(count))  # each process's records, complete and in order


def test_file_is_not_world_readable(log):
    audit.record("login", LAN)
    assert os.stat(log).st_mode & 0o007 == 0


def test_a_detail_named_path_is_a_detail(log, tmp_path):
    audit.record("import", LAN, path=str(tmp_path / "don_vi.csv"))
    assert audit.read_log(log)[0]["path"] == str(tmp_path / "don_vi.csv")
    assert not (tmp_path / "don_vi.csv").exists()

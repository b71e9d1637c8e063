"""`dvk user add|list|remove` through the real entry point (queries.cli.main)."""

from __future__ import annotations

import io
import os
import stat
import sys

import pytest

from queries import audit, auth
from queries.cli import main

UNITS_CSV = """Mã đơn vị,Tên đơn vị,Mã đơn vị cấp trên,Cấp
ROOT,Đảng bộ Khối,,Đảng bộ Khối
A,Đảng bộ cơ sở A,ROOT,Đảng bộ cơ sở
A1,Chi bộ A1,A,Chi bộ trực thuộc
B,Đảng bộ cơ sở B,ROOT,Đảng bộ cơ sở
"""


@pytest.fixture
def env(tmp_path, monkeypatch):
    """Users file, audit log and (missing) database all in a temporary directory."""
    monkeypatch.setenv(auth.ENV_USERS, str(tmp_path / "users.toml"))
    monkeypatch.setenv(audit.ENV_AUDIT, str(tmp_path / "audit.jsonl"))
    monkeypatch.setenv("DVK_DB", str(tmp_path / "missing.duckdb"))
    return tmp_path


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """A real database with four units, built through the importer."""
    from queries.importer import import_files

    folder = tmp_path_factory.mktemp("cli_user_db")
    (folder / "don_vi.csv").write_text(UNITS_CSV, encoding="utf-8")
    report = import_files(folder / "dvk.duckdb", [folder / "don_vi.csv"])
    assert report.ok, report.problems
    return folder / "dvk.duckdb"


def dvk(monkeypatch, argv, stdin: str = ""):
    """Run `dvk ARGV` with this stdin; returns the exit code."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return main(argv)


def test_add_list_remove(env, monkeypatch, capsys):
    users = env / "users.toml"
    argv = ["user", "add", "Lan", "--role", "viewer", "--unit", "A", "--display-name", "Nguyễn Thị Lan"]
    assert dvk(monkeypatch, [*argv, "--password-stdin"], "mật khẩu tốt 1\n") == 0
    assert "lan" in capsys.readouterr().out
    assert (
        dvk(monkeypatch, ["user", "add", "boss", "--role", "admin", "--password-stdin"], "admin-pass-1\n")
        == 0
    )

    loaded = auth.load_users(users)
    assert loaded["lan"].unit == "A" and loaded["lan"].display_name == "Nguyễn Thị Lan"
    assert loaded["boss"].unit is None and loaded["boss"].is_admin
    assert auth.verify(loaded, "lan", "mật khẩu tốt 1") is not None
    assert "mật khẩu tốt 1" not in users.read_text(encoding="utf-8")
    assert stat.S_IMODE(os.stat(users).st_mode) == 0o600

    capsys.readouterr()
    assert dvk(monkeypatch, ["user", "list"]) == 0
    out = capsys.readouterr().out
    assert "lan" in out and "viewer" in out and "Nguyễn Thị Lan" in out and "boss" in out
    assert "argon2" not in out

    assert dvk(monkeypatch, ["user", "remove", "LAN"]) == 0
    assert sorted(auth.load_users(users)) == ["boss"]
    assert dvk(monkeypatch, ["user", "remove", "lan"]) == 1

    actions = [(r["action"], r["target"]) for r in audit.read_log(env / "audit.jsonl")]
    assert actions == [("user_add", "lan"), ("user_add", "boss"), ("user_remove", "lan")]


def test_users_option_before_or_after_the_action(env, monkeypatch, tmp_path):
    after, before = tmp_path / "after.toml", tmp_path / "before.toml"
    base = ["--role", "admin", "--password-stdin"]
    assert dvk(monkeypatch, ["user", "add", "a", *base, "--users", str(after)], "admin-pass-1\n") == 0
    assert dvk(monkeypatch, ["user", "--users", str(before), "add", "b", *base], "admin-pass-1\n") == 0
    assert sorted(auth.load_users(after)) == ["a"]
    assert sorted(auth.load_users(before)) == ["b"]
    assert not (env / "users.toml").exists()


def test_rejections_exit_1(env, monkeypatch, capsys):
    add = ["user", "add", "lan", "--role", "admin", "--password-stdin"]
    assert dvk(monkeypatch, add, "short\n") == 1
    assert "8" in capsys.readouterr().err
    assert dvk(monkeypatch, add, "") == 1  # no password at all
    assert dvk(monkeypatch, [*add[:2], "bad name!", *add[3:]], "admin-pass-1\n") == 1
    assert dvk(monkeypatch, add, "admin-pass-1\n") == 0
    assert dvk(monkeypatch, add, "admin-pass-2\n") == 1  # exists already
    assert dvk(monkeypatch, [*add, "--replace"], "admin-pass-2\n") == 0
    assert auth.verify(auth.load_users(env / "users.toml"), "lan", "admin-pass-2") is not None


def test_password_prompt_asked_twice(env, monkeypatch, capsys):
    answers = iter(["prompt-pass-1", "prompt-pass-1", "prompt-pass-1", "prompt-pass-2"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["user", "add", "lan", "--role", "admin"]) == 0
    assert main(["user", "add", "hung", "--role", "admin"]) == 1  # the two answers differ
    assert "không khớp" in capsys.readouterr().err
    assert sorted(auth.load_users(env / "users.toml")) == ["lan"]


def test_usage_errors_exit_2(env, monkeypatch):
    for argv in (
        ["user"],
        ["user", "add", "lan"],  # no role
        ["user", "add", "lan", "--role", "superuser"],
        ["user", "add", "lan", "--role", "viewer", "--unit", "A", "--all-units"],
        ["user", "frobnicate"],
    ):
        with pytest.raises(SystemExit) as info:
            dvk(monkeypatch, argv)
        assert info.value.code == 2, argv


def test_non_admin_needs_an_explicit_scope(env, monkeypatch, capsys):
    add = ["user", "add", "lan", "--role", "viewer", "--password-stdin"]
    assert dvk(monkeypatch, add, "viewer-pass-1\n") == 2
    assert "--all-units" in capsys.readouterr().err
    assert not (env / "users.toml").exists()
    assert dvk(monkeypatch, [*add, "--all-units"], "viewer-pass-1\n") == 0
    assert auth.load_users(env / "users.toml")["lan"].unit is None


def test_unit_is_checked_against_the_database(env, db, monkeypatch, capsys):
    add = ["user", "add", "lan", "--role", "viewer", "--password-stdin", "--db", str(db)]
    assert dvk(monkeypatch, [*add, "--unit", "NOPE"], "viewer-pass-1\n") == 1
    assert "NOPE" in capsys.readouterr().err
    assert dvk(monkeypatch, [*add, "--unit", "x' or '1'='1"], "viewer-pass-1\n") == 1
    assert not (env / "users.toml").exists()
    assert dvk(monkeypatch, [*add, "--unit", " A1 "], "viewer-pass-1\n") == 0
    assert auth.load_users(env / "users.toml")["lan"].unit == "A1"
    # --db given before the action works the same
    argv = ["user", "--db", str(db), "add", "hung", "--role", "importer", "--unit", "B", "--password-stdin"]
    assert dvk(monkeypatch, argv, "importer-pass-1\n") == 0


def test_unit_accepted_with_a_notice_when_there_is_no_database(env, monkeypatch, capsys):
    argv = ["user", "add", "lan", "--role", "viewer", "--unit", "A", "--password-stdin"]
    assert dvk(monkeypatch, argv, "viewer-pass-1\n") == 0
    assert "chưa được kiểm tra" in capsys.readouterr().err


def test_english_messages(env, monkeypatch, capsys):
    assert dvk(monkeypatch, ["user", "list", "--lang", "en"]) == 0
    assert "runs open" in capsys.readouterr().out
    assert dvk(monkeypatch, ["user", "--lang", "en", "remove", "nobody"]) == 1
    assert "No user 'nobody'" in capsys.readouterr().err
    assert dvk(monkeypatch, ["user", "list"]) == 0
    assert "chế độ mở" in capsys.readouterr().out


def test_malformed_users_file_is_reported(env, monkeypatch, capsys):
    (env / "users.toml").write_text('[users.lan]\npassword_hash = "plain-text-1"\nrole = "viewer"\n')
    assert dvk(monkeypatch, ["user", "list", "--lang", "en"]) == 1
    assert "[users.lan]" in capsys.readouterr().err
    assert (
        dvk(monkeypatch, ["user", "add", "x", "--role", "admin", "--password-stdin"], "admin-pass-1\n") == 1
    )

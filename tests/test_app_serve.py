"""`dvk serve`: the Streamlit command it runs, the database it points at, the demo on first run."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest
from support.commands import command_args

from queries import store
from queries.commands import serve


def _args(*argv: str) -> argparse.Namespace:
    return command_args(serve, list(argv))


def test_defaults_and_the_streamlit_command(tmp_path):
    args = _args()
    assert (args.port, args.host, args.browser) == (8501, "127.0.0.1", False)
    db = tmp_path / "x.duckdb"
    cmd, env = serve.command(args, db)
    assert cmd[:5] == [sys.executable, "-m", "dashboard.launch", "run", str(serve.APP)]
    options = dict(zip(cmd[5::2], cmd[6::2], strict=True))
    assert options["--server.port"] == "8501"
    assert options["--server.address"] == "127.0.0.1"
    assert options["--server.headless"] == "true"
    assert options["--browser.gatherUsageStats"] == "false"
    assert env[store.ENV_DB] == str(db)
    assert serve.url(args) == "http://localhost:8501"


def test_port_host_and_browser():
    args = _args("--port", "9000", "--host", "10.0.0.5", "--browser")
    cmd, _ = serve.command(args, Path("db"))
    options = dict(zip(cmd[5::2], cmd[6::2], strict=True))
    assert options["--server.port"] == "9000"
    assert options["--server.address"] == "10.0.0.5"
    assert options["--server.headless"] == "false"
    assert serve.url(args) == "http://10.0.0.5:9000"


def test_run_execs_streamlit_on_the_database_and_prints_the_url(monkeypatch, tmp_path, capsys):
    db = tmp_path / "given.duckdb"
    db.write_bytes(b"")  # exists: nothing to build
    calls = []
    monkeypatch.setattr(serve.os, "execve", lambda path, argv, env: calls.append((path, argv, env)))
    monkeypatch.setattr(serve.os, "chdir", lambda path: None)
    assert serve.run(_args("--db", str(db), "--port", "8600")) == 1  # only returns if exec did not happen
    ((path, argv, env),) = calls
    assert path == sys.executable and argv[1:4] == ["-m", "dashboard.launch", "run"]
    assert env[store.ENV_DB] == str(db.resolve())
    assert "http://localhost:8600" in capsys.readouterr().out


def test_builds_the_demo_at_the_default_path_when_missing(monkeypatch, tmp_path):
    default = tmp_path / "data" / "dvk.duckdb"
    monkeypatch.setattr(store, "DEFAULT_DB", default)
    monkeypatch.delenv(store.ENV_DB, raising=False)
    assert serve._ensure_database(store.resolve_db_path(None), vi=True) == 0
    assert default.exists()


def test_a_missing_chosen_path_is_left_for_the_app_to_explain(tmp_path, capsys):
    chosen = tmp_path / "elsewhere.duckdb"
    assert serve._ensure_database(chosen, vi=False) == 0
    assert not chosen.exists()
    assert "No database" in capsys.readouterr().err


def test_the_command_module_does_not_import_streamlit():
    code = "import sys, queries.commands.serve; sys.exit('streamlit' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=store.ROOT).returncode == 0


@pytest.mark.parametrize("lang, word", [("vi", "Bảng điều khiển"), ("en", "Dashboard")])
def test_message_language(monkeypatch, tmp_path, capsys, lang, word):
    db = tmp_path / "given.duckdb"
    db.write_bytes(b"")
    monkeypatch.setattr(serve.os, "execve", lambda *a: None)
    monkeypatch.setattr(serve.os, "chdir", lambda path: None)
    serve.run(_args("--db", str(db), "--lang", lang))
    assert word in capsys.readouterr().out


def test_the_warm_up_loads_the_default_view(demo_db):
    """What the server process does while Streamlit starts: the first session finds it done.
    The demo has a unit history (the 2025 reorganisation): the aggregate tables answer it too."""
    from dashboard import launch
    from queries import figures

    figures.forget_aggregates()
    assert launch.warm_up(demo_db) is True
    assert figures.loaded_aggregates() == 1  # the aggregate tables are in the process's memory


def test_the_warm_up_gives_up_quietly_without_a_database(tmp_path):
    from dashboard import launch

    assert launch.warm_up(tmp_path / "none.duckdb") is False

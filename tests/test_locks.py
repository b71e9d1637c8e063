"""The lock files: setup installs requirements.lock; the container image installs
deploy/requirements-runtime.lock. Both must name the same version of every package they share,
pin every package with hashes, and the runtime lock must carry no test or lint tool."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s\\]+)", re.MULTILINE)


def pins(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    return {re.sub(r"[-_.]+", "-", name).lower(): version for name, version in PIN.findall(text)}


def test_every_locked_package_is_pinned_with_hashes():
    for path in (ROOT / "requirements.lock", ROOT / "deploy" / "requirements-runtime.lock"):
        text = path.read_text(encoding="utf-8")
        blocks = [b for b in re.split(r"\n(?=[A-Za-z0-9])", text) if PIN.match(b)]
        assert blocks, path
        unhashed = [b.split()[0] for b in blocks if "--hash=sha256:" not in b]
        assert not unhashed, (path.name, unhashed)


def test_the_runtime_lock_agrees_with_the_main_lock_and_has_no_dev_tools():
    main = pins(ROOT / "requirements.lock")
    runtime = pins(ROOT / "deploy" / "requirements-runtime.lock")
    differ = {
        name: (version, main.get(name)) for name, version in runtime.items() if main.get(name) != version
    }
    assert not differ, differ
    for needed in ("duckdb", "polars", "streamlit", "plotly", "hatchling", "docxtpl", "argon2-cffi"):
        assert needed in runtime, needed
    for tool in ("pytest", "ruff", "mypy", "playwright", "hypothesis", "pip-tools", "pip-audit"):
        assert tool in main, tool
        assert tool not in runtime, tool


def test_no_script_names_a_package_index_host():
    """Setup uses the package clients as the machine has them configured: no script names a host
    (the only address allowed is the container's own health check on 127.0.0.1)."""
    for name in ("run.sh", ".ci/run", "Makefile", "pyproject.toml", "deploy/Dockerfile"):
        text = (ROOT / name).read_text(encoding="utf-8").lower()
        hosts = set(re.findall(r"[a-z][a-z0-9+.-]*://([^/\s'\"]+)", text)) - {"127.0.0.1:8501"}
        assert not hosts, (name, hosts)
        for word in ("pypi.org", "pythonhosted", "get-pip", "--index-url", "--extra-index-url"):
            assert word not in text, (name, word)

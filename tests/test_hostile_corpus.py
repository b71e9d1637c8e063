"""The hostile corpus (tests/support/hostile_corpus.py) against the importer.

Every case runs through the Python API and through `dvk import` (in-process for all, a real
subprocess for a few): a rejection with located messages in both languages and the database file
and every table unchanged, or an acceptance with the case's own check; never a traceback.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import shutil
import subprocess
import sys
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from support.hostile_corpus import CASES, Case, base_files, fingerprint

from queries import cli
from queries.importer import import_files
from queries.store import ROOT


@pytest.fixture(scope="module")
def base_db(tmp_path_factory) -> Path:
    """A database holding a first import (rows in every table); each case works on a copy."""
    folder = tmp_path_factory.mktemp("base")
    db = folder / "dvk.duckdb"
    report = import_files(db, base_files(folder / "files"))
    assert report.ok, [p.message("en") for p in report.problems]
    return db


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, list[Path] | None]:
    """Every case's files, built once (None when the builder needs a module that is missing)."""
    root = tmp_path_factory.mktemp("corpus")
    built: dict[str, list[Path] | None] = {}
    for case in CASES:
        if case.needs and importlib.util.find_spec(case.needs) is None:
            built[case.name] = None
            continue
        folder = root / case.name
        folder.mkdir()
        built[case.name] = case.build(folder)
    return built


def _copy(base_db: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "dvk.duckdb"
    shutil.copy2(base_db, db)
    return db


def assert_clear(problem, names: set[str]) -> None:
    """A full sentence in both languages naming where (file, sheet, row, column) and why."""
    vi, en = problem.message(), problem.message("en")
    assert problem.file in names
    assert vi.startswith(f"Tệp {problem.file}") and en.startswith(f"File {problem.file}")
    for part_vi, part_en, value in (
        ("trang «{}»", "sheet «{}»", problem.sheet),
        ("dòng {}", "row {}", problem.row),
        ("cột «{}»", "column «{}»", problem.column),
    ):
        if value is not None:
            assert part_vi.format(value) in vi and part_en.format(value) in en
    assert problem.reason() != problem.code and problem.reason("en") != problem.code
    assert vi.endswith(".") and en.endswith(".") and vi != en
    assert "Traceback" not in vi + en


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_python_api(case: Case, corpus, base_db, tmp_path):
    paths = corpus[case.name]
    if paths is None:
        pytest.skip(f"{case.needs} is not installed")
    db = _copy(base_db, tmp_path / "db")
    before_bytes, before, listing = db.read_bytes(), fingerprint(db), sorted(os.listdir(db.parent))

    report = import_files(db, paths)  # never raises

    if case.accepted:
        assert report.ok and report.written, [p.message("en") for p in report.problems]
        case.check(report, db, before)
        return
    codes = {p.code for p in report.problems}
    assert not report.ok and not report.written
    assert codes == case.codes if case.exact else case.codes <= codes, codes
    first = report.problems[0]
    if case.where is not None:
        assert (first.file, first.sheet, first.row, first.column) == case.where
    for problem in report.problems:
        assert_clear(problem, {p.name for p in paths})
    assert report.summary().startswith("Không nhập: phát hiện")
    assert report.summary("en").startswith("Nothing imported:")
    assert db.read_bytes() == before_bytes
    assert fingerprint(db) == before
    assert sorted(os.listdir(db.parent)) == listing


def test_corpus_size_and_kinds():
    assert len(CASES) >= 50
    assert sum(c.accepted for c in CASES) >= 10 and sum(not c.accepted for c in CASES) >= 40


def _subprocess(args: list[str]) -> tuple[int, str, str]:
    done = subprocess.run(
        [sys.executable, "-m", "queries", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=300,
    )
    return done.returncode, done.stdout, done.stderr


def _in_process(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(args)
        except Exception:  # what a process would print as a traceback
            traceback.print_exc(file=err)
            code = 1
    return code, out.getvalue(), err.getvalue()


def _dvk_import(case: Case, paths: list[Path], base_db: Path, folder: Path, lang: str, *, run) -> str | None:
    """Run `dvk import` on the case; None when it behaved, else what went wrong."""
    db = _copy(base_db, folder)
    before = db.read_bytes()
    returncode, out, err = run(["import", "--lang", lang, "--db", str(db), *map(str, paths)])
    last = out.strip().splitlines()[-1] if out.strip() else ""
    if "Traceback" in out + err:
        return f"{case.name}: traceback\n{err[-2000:]}"
    if case.accepted:
        if returncode != 0 or not last.startswith("Đã nhập" if lang == "vi" else "Imported"):
            return f"{case.name}: exit {returncode}, {last[:300]!r}"
        return None
    if returncode != 1:
        return f"{case.name}: exit {returncode} for a rejection"
    first = ("Lỗi: " if lang == "vi" else "Problem: ") + ("Tệp " if lang == "vi" else "File ")
    if first not in out or not last.startswith("Không nhập" if lang == "vi" else "Nothing imported"):
        return f"{case.name}: no located problem or summary in {out[-500:]!r}"
    if db.read_bytes() != before:
        return f"{case.name}: the database changed"
    return None


@pytest.mark.slow
def test_dvk_import_on_the_command_line(corpus, base_db, tmp_path):
    """Every case through `dvk import` (called in-process): exit 1 with located messages for a
    rejection (every third case in English), 0 for an acceptable file, never a traceback, the
    database unchanged."""
    jobs = [
        (case, paths, tmp_path / case.name, "en" if k % 3 == 2 else "vi")
        for k, case in enumerate(CASES)
        if (paths := corpus[case.name]) is not None
    ]
    errors = [e for c, p, f, lg in jobs if (e := _dvk_import(c, p, base_db, f, lg, run=_in_process))]
    assert not errors, "\n".join(errors)
    assert len(jobs) >= 50


# One accepted file, one rejection in each language, and the hostile workbooks that once aborted the
# process: these go through a real `python -m queries` process, exit codes and all.
IN_A_SUBPROCESS = ("far_corner_c_t_before_r", "whitespace_zip_bomb")


@pytest.mark.slow
def test_dvk_import_in_a_subprocess(corpus, base_db, tmp_path):
    """A few cases through a real `python -m queries import` process (the in-process test above runs
    them all): the same exit codes and messages, no traceback, no abort."""
    accepted = next(c for c in CASES if c.accepted and corpus[c.name] is not None)
    rejected = [c for c in CASES if not c.accepted and corpus[c.name] is not None]
    chosen = [accepted, rejected[0], rejected[1]] + [c for c in CASES if c.name in IN_A_SUBPROCESS]
    jobs = [
        (case, corpus[case.name], tmp_path / case.name, "en" if k % 2 else "vi")
        for k, case in enumerate(chosen)
    ]
    with ThreadPoolExecutor(max_workers=2) as pool:
        errors = [
            e
            for e in pool.map(lambda j: _dvk_import(j[0], j[1], base_db, j[2], j[3], run=_subprocess), jobs)
            if e
        ]
    assert not errors, "\n".join(errors)
    assert len(jobs) >= 4


def test_a_password_protected_workbook_says_so_in_both_languages(corpus, base_db, tmp_path):
    paths = corpus["password_protected_xlsx"]
    if paths is None:
        pytest.skip("msoffcrypto is not installed")
    (problem,) = import_files(_copy(base_db, tmp_path), paths).problems
    assert problem.message() == (
        "Tệp mat_khau.xlsx: tệp được bảo vệ bằng mật khẩu — hãy bỏ mật khẩu trong Excel, lưu lại rồi nhập lại."
    )
    assert problem.message("en") == (
        "File mat_khau.xlsx: the workbook is protected by a password — remove the password in Excel, "
        "save it and import again."
    )

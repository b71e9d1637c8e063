"""The entry points: import_files() (a dry run, or the checks and the write inside one write
transaction, all or nothing) and typed_columns() (the rows typed as an import would type them)."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from queries import aggregates, history, parse, readers, store, vocab
from queries.importer import limits
from queries.importer.keys import DERIVED_KEY_SQL, _key_sources
from queries.importer.problems import _sorted
from queries.importer.report import ImportReport, Problem, Progress
from queries.importer.rows import _check_rows, _Pass
from queries.importer.sources import _read_all, _Reading, _Restart
from queries.importer.staging import _database_problem, _run, _stored_units
from queries.importer.validate import _parse_table, _stack
from queries.importer.write import _write_all


def typed_columns(
    paths: Sequence[str | os.PathLike], names: Sequence[str], columns: Mapping[str, Sequence[str]]
) -> dict[str, pl.DataFrame]:
    """The rows of every table these files hold, typed exactly as an import would type them, with
    the columns `columns` names for that table only (those it has; a registration's derived
    `ma_dang_ky` included).

    For checks made before an import (the dashboard's unit-scope check). Rows whose values are
    broken come back with nulls there; the import itself reports them. Raises ValueError if a
    file cannot be read (the import would report that too).
    """
    reading = _read_all([Path(p) for p in paths], list(names), {})
    if reading.problems:
        raise ValueError("; ".join(p.code for p in reading.problems[:5]))
    parts: dict[str, list[pl.DataFrame]] = {}
    for src in reading.sources:
        table = src.table
        stream = readers.BodyStream(src.located, src.pieces(limits.CHUNK_BYTES))
        for frame in stream:
            typed, _ = _parse_table(table, _stack(table, [(src.index, frame)]), reading.sources)
            if table.name == "dang_ky":
                typed = _key_sources(typed)
            parts.setdefault(table.name, []).append(typed)
    out: dict[str, pl.DataFrame] = {}
    for table in vocab.TABLES:
        if table.name not in parts:
            continue
        frame = pl.concat(parts[table.name], how="vertical_relaxed")
        if table.name == "dang_ky":  # the key the import derives (DuckDB's sha1, as in _stage)
            con = duckdb.connect()
            try:
                con.register("_keys", frame.select("ma_dang_ky", "_key_source"))
                derived = con.sql(
                    f"select {DERIVED_KEY_SQL} as k from _keys",
                    params={"prefix": parse.REGISTRATION_KEY_PREFIX},
                ).pl()
            finally:
                con.close()
            frame = frame.with_columns(derived.get_column("k").alias("ma_dang_ky"))
        keep = [c for c in dict.fromkeys(columns.get(table.name, ())) if c in frame.columns]
        out[table.name] = frame.select(keep)
    return out


@dataclass
class _Desk:
    """What the import desk adds to a write: who, the previewed version, versions kept."""

    who: str | None = None
    expect_version: str | None = None
    keep_versions: int | None = None


class _Rejected(Exception):
    """Problems were found: the write transaction is rolled back."""


def import_files(
    db_path: str | os.PathLike,
    paths: Sequence[str | os.PathLike],
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    display_names: Sequence[str] | None = None,
    chunk_bytes: int | None = None,
    who: str | None = None,
    expect_version: str | None = None,
    keep_versions: int | None = None,
) -> ImportReport:
    """Validate these files as one set and, if nothing is wrong and not dry_run, write them atomically.

    CSV files are read in pieces of about `chunk_bytes` (default CHUNK_BYTES), so memory stays
    bounded whatever their size; the result does not depend on it. `who` is recorded in the
    history (history.py), which keeps `keep_versions` previous databases. `expect_version`: the
    report.db_version of the preview being confirmed; if the database changed since, nothing is
    written (problem `database_changed`).
    """
    db_path = Path(db_path)
    files = [Path(p) for p in paths]
    names = list(display_names) if display_names is not None else [p.name for p in files]
    if len(names) != len(files):
        raise ValueError("display_names must name every path")
    forced: dict[int, tuple] = {}  # file index -> how to read it; -1: ("careful",), see _check_rows
    while True:
        try:
            desk = _Desk(who, expect_version, keep_versions)
            return _import(
                db_path, files, names, dry_run, progress, chunk_bytes or limits.CHUNK_BYTES, forced, desk
            )
        except _Restart as restart:  # at most: careful once, twice per file (fallback, unreadable)
            if forced.get(restart.file_index) == restart.how:
                raise RuntimeError(f"importer restarted twice the same way: {restart.how}") from restart
            forced[restart.file_index] = restart.how


def _import(
    db_path: Path,
    paths: list[Path],
    names: list[str],
    dry_run: bool,
    progress: Progress | None,
    chunk_bytes: int,
    forced: dict[int, tuple],
    desk: _Desk,
) -> ImportReport:
    report = ImportReport(dry_run=dry_run, files=names)
    if progress:
        progress("read", 0, 1)
    reading = _read_all(paths, names, forced)
    if reading.sources:
        try:
            _stored_units(db_path)  # is the database usable at all?
        except (duckdb.Error, OSError) as exc:  # not a DuckDB file, a directory, unreadable
            report.notices = reading.all_notices()
            report.problems = [*reading.problems, _database_problem(db_path, exc)]
            return report
    elif reading.problems:
        report.notices = reading.all_notices()
        report.problems = _sorted(reading.problems, names, reading.sources)
        return report
    if dry_run or reading.problems:  # rejected whatever the rows hold: no private copy needed
        _dry_run(db_path, reading, report, chunk_bytes, progress)
        if not dry_run:
            report.counts.clear()
    else:
        _run_and_write(db_path, reading, report, chunk_bytes, progress, careful=-1 in forced, desk=desk)
    report.file_hashes = [reading.file_hash(i) for i in range(len(names))]
    report.notices = reading.all_notices()
    report.problems = _sorted(report.problems, names, reading.sources)
    return report


def _configure(con: duckdb.DuckDBPyConnection, spill: Path) -> None:
    """Bounded memory: DuckDB spills to `spill` beyond MEMORY_LIMIT instead of growing."""
    _run(con, f"set memory_limit = '{limits.MEMORY_LIMIT}'")
    _run(con, f"set temp_directory = '{str(spill).replace(chr(39), chr(39) * 2)}'")  # a path we made


def _remove_dead_spills(folder: Path) -> None:
    """Spill folders of imports killed mid-run (SIGKILL, power cut) are removed by the next import;
    the owner's pid is in the name, so a live import's folder is never touched."""
    for stale in folder.glob(".dvk-spill-*"):
        try:
            pid = int(stale.name.split("-")[2])
            os.kill(pid, 0)
        except ProcessLookupError:
            shutil.rmtree(stale, ignore_errors=True)
        except (ValueError, IndexError, PermissionError, OSError):
            continue


@contextlib.contextmanager
def _spill_dir(near: Path):
    base = near if near.is_dir() else None
    if base is not None:
        _remove_dead_spills(base)
    spill = Path(tempfile.mkdtemp(prefix=f".dvk-spill-{os.getpid()}-", dir=base))
    try:
        yield spill
    finally:
        shutil.rmtree(spill, ignore_errors=True)


def _dry_run(
    db_path: Path, reading: _Reading, report: ImportReport, chunk_bytes: int, progress: Progress | None
) -> None:
    """Check and count against the live database, read-only; stage tables in a private connection."""
    con = duckdb.connect(":memory:")
    try:
        with _spill_dir(db_path.parent) as spill:
            _configure(con, spill)
            if db_path.exists():
                literal = str(db_path).replace("'", "''")  # ATTACH takes no parameters; a path
                _run(con, f"attach '{literal}' as {store.CATALOG} (read_only)")
                _run(con, f"use {store.CATALOG}")
                report.db_version = store.read_version(con)
            else:
                store.migrate(con)
            run = _Pass(con, reading, report, chunk_bytes, progress)
            report.problems = reading.problems + _check_rows(run)
            if report.problems:
                return
            _write_all(run, dry_run=True)
    except (duckdb.Error, OSError) as exc:
        report.counts.clear()
        report.problems = [*report.problems, _database_problem(db_path, exc)]
    finally:
        con.close()


def _run_and_write(
    db_path: Path,
    reading: _Reading,
    report: ImportReport,
    chunk_bytes: int,
    progress: Progress | None,
    careful: bool,
    desk: _Desk | None = None,
) -> None:
    """Check inside the write transaction (the stage tables live in the database's private copy);
    write only if nothing is wrong, else roll back and leave the live file untouched."""
    entered = False
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        desk = desk or _Desk()
        keep = history.keeper(db_path, desk.keep_versions)
        with _spill_dir(db_path.parent) as spill, store.write_transaction(db_path, keep=keep) as con:
            entered = True
            report.db_version = store.previous_version(con)
            if desk.expect_version is not None and report.db_version != desk.expect_version:
                report.problems = [Problem(None, None, None, None, None, "database_changed")]
                raise _Rejected
            _configure(con, spill)
            # rows may land in any order while they are stored (every query over them orders
            # what it reads): DuckDB then inserts without keeping the pieces' order (about a fifth
            # faster at 1M). Back to the default before the aggregate tables, which are sorted.
            _run(con, "set preserve_insertion_order = false")
            run = _Pass(con, reading, report, chunk_bytes, progress, direct_ok=not careful, commits=True)
            problems = reading.problems + _check_rows(run)
            if problems:
                report.problems = problems
                raise _Rejected
            log = _write_all(run, dry_run=False)
            _run(con, "set preserve_insertion_order = true")
            ((previous_import,),) = _run(con, "select max(import_id) from nhat_ky_nhap")
            ((import_id,),) = _run(con, "select nextval('nhat_ky_nhap_seq')")
            now = datetime.now()
            for (file_index, name), count in log.items():
                _run(
                    con,
                    "insert into nhat_ky_nhap values ($id, $at, $file, $sha, $table, $added, $updated)",
                    {
                        "id": import_id,
                        "at": now,
                        "file": report.files[file_index],
                        "sha": reading.file_hash(file_index),
                        "table": name,
                        "added": count.added,
                        "updated": count.updated,
                    },
                )
            history.record_import(
                con,
                who=desk.who,
                import_id=import_id,
                files=[(name, reading.file_hash(i)) for i, name in enumerate(report.files)],
                counts=report.counts,
                per_unit={name: diff.per_unit for name, diff in report.diffs.items()},
            )
            # the figures engine's aggregate tables, from the data just written: those fed by
            # the tables this import wrote
            aggregates.refresh(con, touched=set(report.rows_read), previous_import=previous_import)
        report.import_id = import_id
        report.written = True
    except _Rejected:
        report.counts.clear()
    except (duckdb.Error, OSError) as exc:  # disk full, permissions, a constraint validation missed
        report.counts.clear()
        if not entered:  # no private copy could be made: the files may still hold problems
            _dry_run(db_path, reading, report, chunk_bytes, progress)
            if report.problems:
                report.counts.clear()
                return
            report.counts.clear()
        detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
        report.problems.append(Problem(None, None, None, None, None, "write_failed", {"detail": detail}))

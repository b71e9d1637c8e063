"""One pass: every source's rows read a piece at a time, checked, and stored (stage tables, or
straight into a still empty table), then the checks across rows."""

from __future__ import annotations

import concurrent.futures
from dataclasses import dataclass, field

import duckdb
import polars as pl

from queries import parse, readers, vocab
from queries.importer import limits
from queries.importer.keys import _key_sources, _shown_key
from queries.importer.problems import _Collector
from queries.importer.report import ImportReport, Problem, Progress
from queries.importer.sources import Source, _body_notices, _Reading, _Restart
from queries.importer.staging import (
    _create_stage,
    _duplicates,
    _has_duplicate_keys,
    _run,
    _stage,
    _stage_name,
)
from queries.importer.units import _UNIT_HISTORY, _corrections, _date_order, _unit_tree_checks, _unknown_units
from queries.importer.validate import _Check, _parse_table, _stack


@dataclass
class _Pass:
    """Reading the rows of every source into stage tables of one DuckDB connection."""

    con: duckdb.DuckDBPyConnection
    reading: _Reading
    report: ImportReport
    chunk_bytes: int
    progress: Progress | None
    direct_ok: bool = False  # tables still empty may be written as the rows come (see _check_rows)
    direct: set[str] = field(default_factory=set)  # tables so written
    commits: bool = False  # the connection is the private copy's: commit now and then
    uncommitted: int = 0
    writer: concurrent.futures.ThreadPoolExecutor | None = None
    done: int = 0
    steps: int = 0

    def step(self, n: int = 1) -> None:
        self.done = min(self.done + n, self.steps)
        if self.progress:
            self.progress("read", self.done, self.steps)


def _check_rows(run: _Pass) -> list[Problem]:
    """Stream every source's rows through the value checks into stage tables (in vocab.TABLES
    order, units first so that unit codes are known), then the checks across rows.

    The fast way, for a table still empty in the database's private copy while nothing is wrong
    so far: its rows go straight into the table as they come, and once they are all in, one count
    of its distinct keys tells whether a key came twice (_has_duplicate_keys; the tables have no
    key index, schema 006). The first problem met that way starts the import again the careful
    way (stage tables, every problem listed): a rejected import costs a second pass, an accepted
    one no staging.
    """
    con, sources = run.con, run.reading.sources
    by_table: dict[str, list[Source]] = {}
    for src in sources:
        by_table.setdefault(src.table.name, []).append(src)
    tables = [t for t in vocab.TABLES if t.name in by_table]
    collector = _Collector(sources)
    stored = con.sql(f"select {', '.join(_UNIT_HISTORY)} from don_vi").pl()  # the copy, or the live file
    run.steps = sum(src.steps(run.chunk_bytes) for src in sources)
    run.step(0)
    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="dvk-import-writer") as run.writer:
        problems = _check_tables(run, by_table, tables, collector, stored)
    return problems


def _check_tables(
    run: _Pass,
    by_table: dict[str, list[Source]],
    tables: list[vocab.Table],
    collector: _Collector,
    stored: pl.DataFrame,
) -> list[Problem]:
    con = run.con
    known = stored.get_column("ma_don_vi")
    for k, table in enumerate(tables):
        direct = (
            run.direct_ok
            and table.name != "don_vi"  # its tree is checked across rows: always staged (it is small)
            and not collector.any
            and _run(con, f"select count(*) from {table.name}") == [(0,)]
        )
        if direct:
            run.direct.add(table.name)
        else:
            _create_stage(con, table)
        for src in by_table[table.name]:
            _read_source(run, table, src, collector, None if table.name == "don_vi" else known)
        run.report.rows_read[table.name] = sum(src.rows for src in by_table[table.name])
        if run.progress:
            run.progress("check", k, len(tables))
        if direct:
            if _has_duplicate_keys(con, table):  # listed with their rows by the careful way
                raise _Restart(-1, ("careful",))
            continue
        collector.add(table, _duplicates(con, table))
        if table.name == "don_vi":
            imported = con.sql(
                f"select _src, _row, {', '.join(_UNIT_HISTORY)}, cap from {_stage_name(table)}"
                " order by _src, _row"
            ).pl()
            corrected = _corrections(imported, stored)
            collector.add(table, _unit_tree_checks(imported, stored, corrected))
            if corrected.height:  # the stored row is found by its key, as before (see _corrections)
                con.register("_corrected", corrected)
                try:
                    _run(
                        con,
                        f"update {_stage_name(table)} s set ma_hieu_luc = c.old_key"
                        " from _corrected c where s.ma_hieu_luc = c.new_key",
                    )
                finally:
                    con.unregister("_corrected")
            known = pl.concat([known, imported.get_column("ma_don_vi").drop_nulls()]).unique()
    if run.progress:
        run.progress("check", len(tables), len(tables))
    return collector.problems()


def _read_source(
    run: _Pass, table: vocab.Table, src: Source, collector: _Collector, known: pl.Series | None
) -> None:
    """Read, check and store one source's rows, a piece at a time, as a pipeline of three
    threads: the file's next piece is read and parsed (readers.prefetch) while this one is
    checked here and the previous one is inserted by DuckDB (run.writer). Pieces of fewer than
    limits.CHECK_ROWS rows are joined first (each check has a fixed cost of some milliseconds)."""
    steps = src.steps(run.chunk_bytes)
    taken = 0
    pieces = readers.prefetch(src.pieces(run.chunk_bytes))
    stream = readers.BodyStream(src.located, pieces)
    direct = table.name in run.direct
    writer = run.writer
    assert writer is not None  # open for the whole check (_check_rows)
    pending: concurrent.futures.Future | None = None  # the previous piece's insert
    try:
        for frame in _batches(stream, limits.CHECK_ROWS):
            typed, checks = _checked_piece(table, src, frame, known, run.reading.sources)
            if direct and any(c.rows.height for c in checks):
                raise _Restart(-1, ("careful",))
            if not direct:
                collector.add(table, checks)
            if pending is not None:
                pending.result()
            pending = writer.submit(_store_piece, run, table, typed, direct)
            if taken < steps - 1:
                taken += 1
                run.step()
        if pending is not None:
            last, pending = pending, None
            last.result()
    except readers.Reread as exc:  # not UTF-8 after all: the whole file is read again
        raise _Restart(src.file_index, ("fallback",)) from exc
    except readers.UnreadableFile as exc:  # a piece past the beginning does not parse
        raise _Restart(src.file_index, ("unreadable", str(exc))) from exc
    finally:
        if pending is not None:  # never leave DuckDB working while the connection is rolled back
            concurrent.futures.wait([pending])
        pieces.close()
    run.step(steps - taken)
    src.rows = stream.height
    src.notices = _body_notices(src, stream)


def _batches(frames, rows: int):
    """The frames in order, consecutive ones joined until they hold at least `rows` rows."""
    held: list[pl.DataFrame] = []
    height = 0
    for frame in frames:
        held.append(frame)
        height += frame.height
        if height >= rows:
            yield held[0] if len(held) == 1 else pl.concat(held)
            held, height = [], 0
    if held:
        yield held[0] if len(held) == 1 else pl.concat(held)


def _checked_piece(
    table: vocab.Table, src: Source, frame: pl.DataFrame, known: pl.Series | None, sources: list[Source]
) -> tuple[pl.DataFrame, list[_Check]]:
    """A piece of a source's rows typed, with the derived columns, and the checks it breaks."""
    typed, checks = _parse_table(table, _stack(table, [(src.index, frame)]), sources)
    if table.name == "dang_ky":
        typed = _key_sources(typed)
    if table.name == "don_vi":
        typed = typed.with_columns(
            parse.unit_version_key(pl.col("ma_don_vi"), pl.col("hieu_luc_tu")).alias("ma_hieu_luc")
        )
    if table.name == "hoi_nghi":
        typed = typed.with_columns(
            parse.conference_key(
                pl.col("ma_don_vi"), pl.col("nam"), pl.col("loai_hoi_nghi"), pl.col("ngay")
            ).alias("ma_hoi_nghi")
        )
    if table.name == "khen_thuong":
        typed = typed.with_columns(
            parse.award_key(
                pl.col("so_quyet_dinh"),
                pl.col("ngay_quyet_dinh"),
                pl.col("nam"),
                pl.col("doi_tuong"),
                pl.col("ten_chu_the"),
            ).alias("ma_khen_thuong")
        )
    typed = typed.with_columns(_shown_key(table, typed).alias("_show"))
    checks.append(_date_order(typed) if known is None else _unknown_units(typed, known))
    return typed, checks


def _store_piece(run: _Pass, table: vocab.Table, typed: pl.DataFrame, direct: bool) -> None:
    """Insert a checked piece (in the writer thread). In the private copy, the work is committed
    every COMMIT_ROWS rows: DuckDB holds an open transaction's appended rows in memory beyond its
    limit, and the copy is discarded whole if the import fails, so this changes nothing else."""
    _stage(run.con, table, typed, direct=direct)
    if run.commits:
        run.uncommitted += typed.height
        if run.uncommitted >= limits.COMMIT_ROWS:
            _run(run.con, "commit")
            _run(run.con, "begin transaction")
            run.uncommitted = 0

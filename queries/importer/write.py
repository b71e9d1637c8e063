"""Writing: the staged rows counted against the stored ones and upserted by key."""

from __future__ import annotations

import duckdb

from queries import import_diff, vocab
from queries.importer.keys import DERIVED_KEYS, _key_columns
from queries.importer.report import ImportReport, TableCount
from queries.importer.rows import _Pass
from queries.importer.staging import _run, _stage_name


def _count_existing(con: duckdb.DuckDBPyConnection, table: vocab.Table) -> list[tuple[int, int, int]]:
    """Per source: (source, rows in the import, how many of their keys are already stored)."""
    stage = _stage_name(table)
    if _run(con, f"select count(*) from {table.name}") == [(0,)]:
        return _run(con, f"select _src, count(*), 0 from {stage} group by _src order by _src")
    keys = _key_columns(table)
    on = " and ".join(f"t.{k} = s.{k}" for k in keys)  # names from vocab, not user data
    return _run(
        con,
        f"""
        select s._src, count(*), count(t.{keys[0]})
        from {stage} s left join {table.name} t on {on}
        group by s._src order by s._src
        """,
    )


def _write(con: duckdb.DuckDBPyConnection, table: vocab.Table, updates: bool) -> None:
    """Upsert the staged rows by key, in the write transaction: DELETE the stored rows whose key is
    staged (when there are any), then INSERT every staged row. The stage holds each key once
    (_duplicates), so a key is never on two rows afterwards; the tables have no key index to do it
    (schema 006). Identifiers come from vocab, values are never in the SQL."""
    keys = _key_columns(table)
    cols = [c.alias for c in table.columns]
    if table.name in DERIVED_KEYS:
        cols = [DERIVED_KEYS[table.name], *cols]
    col_list = ", ".join(cols)
    stage = _stage_name(table)
    if updates and table.name == "don_vi":
        others = [c for c in cols if c not in keys]
        _write_units(con, stage, cols, others, " and ".join(f"t.{k} = s.{k}" for k in keys))
        return
    if updates:  # keys are the importer's to keep unique (migration 006): the staged rows replace theirs
        on = " and ".join(f"t.{k} = s.{k}" for k in keys)
        _run(con, f"delete from {table.name} t using {stage} s where {on}")
    _run(con, f"insert into {table.name} ({col_list}) select {col_list} from {stage}")


def _write_units(
    con: duckdb.DuckDBPyConnection, stage: str, cols: list[str], others: list[str], on: str
) -> None:
    """The upsert of don_vi, after which a row corrected in place (_corrections: its start date
    changed) takes the key of its new start again (parse.unit_version_key, in SQL)."""
    assignments = ", ".join(f"{c} = s.{c}" for c in others)
    _run(con, f"update don_vi t set {assignments} from {stage} s where {on}")
    col_list = ", ".join(cols)
    _run(
        con,
        f"insert into don_vi ({col_list}) select {col_list} from {stage} s "
        f"where not exists (select 1 from don_vi t where {on})",
    )
    _run(
        con,
        f"update don_vi set ma_hieu_luc = {_UNIT_KEY_SQL} where ma_hieu_luc <> {_UNIT_KEY_SQL}",
    )


# parse.unit_version_key in SQL (as migration 005 builds it)
_UNIT_KEY_SQL = "ma_don_vi || '|' || coalesce(strftime(hieu_luc_tu, '%Y-%m-%d'), '')"


def _apply_counts(
    report: ImportReport, table: vocab.Table, counted: list[tuple[int, int, int]]
) -> dict[int, TableCount]:
    per_source: dict[int, TableCount] = {}
    total = report.counts.setdefault(table.name, TableCount())
    for src, n_rows, n_updated in counted:  # one step per source
        per_source[src] = TableCount(n_rows - n_updated, n_updated)
        total.added += n_rows - n_updated
        total.updated += n_updated
    return per_source


def _write_all(run: _Pass, *, dry_run: bool) -> dict[tuple[int, str], TableCount]:
    """Count (and unless dry_run, write) every staged table; the log entries per file and table."""
    con, report, sources = run.con, run.report, run.reading.sources
    tables = [t for t in vocab.TABLES if t.name in report.rows_read]
    log: dict[tuple[int, str], TableCount] = {}
    for k, table in enumerate(tables):
        if run.progress and not dry_run:
            run.progress("write", k, len(tables))
        if table.name in run.direct:  # written already, into a table that was empty
            counted = [(src.index, src.rows, 0) for src in sources if src.table.name == table.name]
            diff = import_diff.all_new(con, table)
        else:
            counted = _count_existing(con, table)
            names = {src.index: src.file for src in sources}
            diff = import_diff.compare(con, table, _stage_name(table), _key_columns(table), names)
            if not dry_run:
                _write(con, table, updates=any(n_updated for _, _, n_updated in counted))
            _run(con, f"drop table {_stage_name(table)}")
        per_source = _apply_counts(report, table, counted)
        report.diffs[table.name] = diff
        total = report.counts[table.name]
        total.changed, total.unchanged, total.missing = diff.changed, diff.unchanged, diff.missing
        for src in sources:
            if src.table.name == table.name:
                entry = log.setdefault((src.file_index, table.name), TableCount())
                count = per_source.get(src.index, TableCount())
                entry.added += count.added
                entry.updated += count.updated
    if run.progress and not dry_run:
        run.progress("write", len(tables), len(tables))
    return log

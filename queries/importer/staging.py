"""The database side of the checks: stage tables, duplicate keys in SQL, the stored units."""

from __future__ import annotations

import contextlib
from pathlib import Path

import duckdb
import polars as pl

from queries import parse, store, vocab
from queries.importer import limits
from queries.importer.keys import DERIVED_KEY_SQL, DERIVED_KEYS, _key_columns
from queries.importer.report import Problem
from queries.importer.validate import _Check


def _run(con: duckdb.DuckDBPyConnection, query: str, params: dict | None = None) -> list[tuple]:
    """Execute and fetch every row (DuckDB wants a result finished before the next statement)."""
    return con.execute(query, params).fetchall()


_SQL_TYPES = {vocab.TEXT: "varchar", vocab.INTEGER: "bigint", vocab.NUMBER: "double", vocab.DATE: "date"}


def _stage_name(table: vocab.Table) -> str:
    return f"temp.main.stage_{table.name}"  # identifiers from vocab, never from the files


def _create_stage(con: duckdb.DuckDBPyConnection, table: vocab.Table) -> None:
    """A temporary table for the import's rows of one table: typed values, source and row number.
    Integers are 64-bit here (a value over 32 bits is a problem, reported, never written)."""
    cols = ["_src integer", "_row bigint"]
    if table.name in DERIVED_KEYS:
        cols.append(f"{DERIVED_KEYS[table.name]} varchar")
    cols += [f"{c.alias} {_SQL_TYPES[c.type]}" for c in table.columns]
    if table.name == "dang_ky":
        cols.append("_key_derived boolean")
    cols.append("_show varchar")
    _run(con, f"create or replace temp table stage_{table.name} ({', '.join(cols)})")


def _stage(
    con: duckdb.DuckDBPyConnection, table: vocab.Table, frame: pl.DataFrame, direct: bool = False
) -> None:
    """Append a checked piece of rows to the table's stage, or with `direct` to the table itself
    (dang_ky keys derived by DuckDB's sha1)."""
    values = [c.alias for c in table.columns]
    if table.name in DERIVED_KEYS:
        values = [DERIVED_KEYS[table.name], *values]
    extra = ["_key_derived", "_key_source"] if table.name == "dang_ky" else []
    piece = frame.select("_src", "_row", *values, *extra, "_show")
    exprs = list(values)
    if table.name == "dang_ky":
        exprs[exprs.index("ma_dang_ky")] = DERIVED_KEY_SQL
    if direct:
        target = f"{table.name} ({', '.join(values)})"
    else:
        target = _stage_name(table)
        exprs = ["_src", "_row", *exprs, *(["_key_derived"] if table.name == "dang_ky" else []), "_show"]
    params = {"prefix": parse.REGISTRATION_KEY_PREFIX} if table.name == "dang_ky" else None
    con.register("_piece", piece)
    try:
        _run(con, f"insert into {target} select {', '.join(exprs)} from _piece", params)
    finally:
        with contextlib.suppress(duckdb.Error):  # after a failed insert the transaction is aborted
            con.unregister("_piece")


def _duplicates(con: duckdb.DuckDBPyConnection, table: vocab.Table) -> list[_Check]:
    """Every staged row whose key already appeared on an earlier row of the import (any file):
    at most MAX_LISTED rows fetched per check, all of them counted."""
    keys = _key_columns(table)
    stage = _stage_name(table)
    key_list = ", ".join(keys)
    keyed = " and ".join(f"{k} is not null" for k in keys)
    ((n, distinct),) = _run(
        con,
        f"select (select count(*) from {stage} where {keyed}),"
        f" (select count(*) from (select distinct {key_list} from {stage} where {keyed}))",
    )
    if n == distinct:
        return []
    groups = [(table.key[0], "true")]  # the column named in the problem
    if table.name == "dang_ky":  # a derived key is pointed at by the model's name
        groups = [("ma_dang_ky", "not _key_derived"), ("ten_mo_hinh", "_key_derived")]
    _run(
        con,
        f"""
        create or replace temp table dup_rows as
        with dup_keys as (
            select {key_list} from {stage} where {keyed} group by {key_list} having count(*) > 1
        ), ranked as (
            select s.*, row_number() over w as _nth,
                   first_value(s._src) over w as p_src, first_value(s._row) over w as p_row
            from {stage} s semi join dup_keys d using ({key_list})
            window w as (partition by {key_list} order by s._src, s._row)
        )
        select * from ranked where _nth > 1
        """,
    )
    checks = []
    try:
        for alias, where in groups:
            ((total,),) = _run(con, f"select count(*) from dup_rows where {where}")
            if total == 0:
                continue
            rows = con.sql(
                f"select _src, _row, coalesce(_show, {keys[0]}::varchar) as value, p_src, p_row"
                f" from dup_rows where {where} order by _src, _row limit {limits.MAX_LISTED}"
            ).pl()
            checks.append(_Check(alias, "duplicate_key", rows, total=total))
    finally:
        _run(con, "drop table if exists dup_rows")
    return checks


def _has_duplicate_keys(con: duckdb.DuckDBPyConnection, table: vocab.Table) -> bool:
    """Whether a key is on two rows of a table written directly (one aggregate over the table,
    instead of a key index maintained on every insert)."""
    key_list = ", ".join(_key_columns(table))  # names from vocab, not user data
    ((n, distinct),) = _run(
        con,
        f"select count(*), (select count(*) from (select distinct {key_list} from {table.name}))"
        f" from {table.name}",
    )
    return bool(n != distinct)


def _stored_units(db_path: Path) -> pl.DataFrame:
    """(ma_don_vi, ma_cap_tren) of the units already in the database (empty if there is none)."""
    empty = pl.DataFrame(schema={"ma_don_vi": pl.String, "ma_cap_tren": pl.String})
    if not db_path.exists():
        return empty
    con = store.connect_read_only(db_path)
    try:
        return con.sql("select ma_don_vi, ma_cap_tren from don_vi").pl()
    except duckdb.CatalogException:
        return empty
    finally:
        con.close()


def _database_problem(db_path: Path, exc: Exception) -> Problem:
    detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
    return Problem(None, None, None, None, None, "bad_database", {"path": str(db_path), "detail": detail})

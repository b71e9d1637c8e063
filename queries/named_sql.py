"""Named queries: the text of queries/sql/<name>.sql, run with exactly the parameters it uses, all bound.

One runner for the figures engine, the aggregate tables' refresh and the dashboard's look-ups:
a query's `$named` parameters are read from its text (comments left out), and a call that does not
supply one of them fails before DuckDB sees it. Values are never formatted into the SQL.

A line `@include <fragment>` stands for the text of queries/sql/include/<fragment>.sql: common table
expressions that several queries share (the registrations the filters pick, for one), written once.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from pathlib import Path

import duckdb
import polars as pl

Cursor = duckdb.DuckDBPyConnection

SQL_DIR = Path(__file__).resolve().parent / "sql"

_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_COMMENT = re.compile(r"--[^\n]*")
_INCLUDE = re.compile(r"^[ \t]*@include[ \t]+([a-z_]+)[ \t]*$", re.MULTILINE)


def strip_comments(text: str) -> str:
    """The SQL text without its `--` comments."""
    return _COMMENT.sub("", text)


def parameters_in(text: str) -> frozenset[str]:
    """The $named parameters a SQL text uses (comments ignored)."""
    return frozenset(_PARAMETER.findall(strip_comments(text)))


@functools.cache
def load_sql(name: str) -> str:
    """The text of queries/sql/<name>.sql, its `@include` lines replaced by their fragments."""
    text = (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")
    return _INCLUDE.sub(
        lambda m: (SQL_DIR / "include" / f"{m[1]}.sql").read_text(encoding="utf-8").rstrip("\n"), text
    )


@functools.cache
def sql_parameters(name: str) -> frozenset[str]:
    """The $named parameters a named query uses (comments ignored)."""
    return parameters_in(load_sql(name))


def bound(name: str, params: Mapping[str, object]) -> dict[str, object]:
    """The values of exactly the parameters the query uses; KeyError when one is missing."""
    needed = sql_parameters(name)
    missing = needed - params.keys()
    if missing:
        raise KeyError(f"{name}.sql needs parameters {sorted(missing)}")
    return {k: params[k] for k in needed}


def execute(cur: Cursor, name: str, params: Mapping[str, object] | None = None) -> Cursor:
    """Run a named query on the cursor (fetch from the returned cursor)."""
    return cur.execute(load_sql(name), bound(name, params or {}))


def relation(cur: Cursor, name: str, params: Mapping[str, object]) -> duckdb.DuckDBPyRelation:
    """A named query as a relation, to page or aggregate further in DuckDB."""
    return cur.sql(load_sql(name), params=bound(name, params))


def run_sql(cur: Cursor, name: str, params: Mapping[str, object]) -> pl.DataFrame:
    """Run a named query with exactly the parameters it uses, all bound."""
    return relation(cur, name, params).pl()


def run_numeric_sql(cur: Cursor, name: str, params: Mapping[str, object]) -> pl.DataFrame:
    """run_sql for a query whose columns are all numbers, faster: execute() plans the query once,
    where cur.sql() plans it to make a relation and again to run it."""
    return pl.DataFrame(execute(cur, name, params).fetchnumpy())

"""The storage engine's floor for an import: DuckDB alone loading the same CSV files.

What the benchmark compares the product's import with. DuckDB reads each generated CSV with its own
(multi-threaded) `read_csv`, trims and casts the values straight into the product's schema (the
units' key and constraints; since schema 006 the other tables have none, the importer enforces
them), rebuilds the aggregate tables and commits durably — as an import does — but with none of the
importer's work: no header or sheet matching, no encoding detection, no
text normalisation, no value checks with messages, no duplicate or unit-tree checks, no private copy
of the database. No import can be faster than this on the same machine with the same store, so the
import target is judged against it too. With --bare, not even the schema's keys and constraints nor
the aggregate tables: the least any load of these files into DuckDB does.

Only for the benchmark's generated files (headers as in the template, dates dd/mm/yyyy, plain
numbers); never used to import users' files.

    python -m benchmarks.floor DB CSV_FOLDER [--bare]     # prints one JSON object
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from queries import aggregates, store, vocab  # noqa: E402

_CAST = {vocab.INTEGER: "integer", vocab.NUMBER: "double"}


def _value(column: vocab.Column) -> str:
    """SQL for one template column read as text (identifiers from vocab, never from the files)."""
    text = f"nullif(trim(\"{column.header}\"), '')"
    if column.type == vocab.DATE:
        return f"strptime({text}, '%d/%m/%Y')::date"
    if column.type in _CAST:
        return f"{text}::{_CAST[column.type]}"
    return text


def _select(table: vocab.Table) -> tuple[list[str], list[str]]:
    """Target columns and the expressions that fill them."""
    names = [c.alias for c in table.columns]
    exprs = [_value(c) for c in table.columns]
    if table.name == "hoi_nghi":  # the derived key, as the importer builds it
        parts = dict(zip(names, exprs, strict=True))
        key = (
            f"concat_ws('|', {parts['ma_don_vi']}, {parts['nam']}::varchar, {parts['loai_hoi_nghi']},"
            f" coalesce(strftime({parts['ngay']}, '%Y-%m-%d'), ''))"
        )
        names, exprs = ["ma_hoi_nghi", *names], [key, *exprs]
    if table.name == "khen_thuong":  # the derived award key, as migration 003 builds it
        parts = dict(zip(names, exprs, strict=True))

        def folded(expr: str) -> str:
            return f"lower(regexp_replace({expr}, '\\s+', ' ', 'g'))"

        key = (
            f"concat_ws('|', {folded(parts['so_quyet_dinh'])},"
            f" coalesce(year({parts['ngay_quyet_dinh']}), {parts['nam']})::varchar,"
            f" {parts['doi_tuong']}, {folded(parts['ten_chu_the'])})"
        )
        names, exprs = ["ma_khen_thuong", *names], [key, *exprs]
    if table.name == "don_vi":  # the derived key of a unit's period, as migration 005 builds it
        parts = dict(zip(names, exprs, strict=True))
        key = f"{parts['ma_don_vi']} || '|' || coalesce(strftime({parts['hieu_luc_tu']}, '%Y-%m-%d'), '')"
        names, exprs = ["ma_hieu_luc", *names], [key, *exprs]
    return names, exprs


def load(db: Path, folder: Path, bare: bool = False) -> dict:
    """Load every table file of `folder` into a new database `db`; seconds per phase and row count.

    `bare`: plain tables made from the files (no primary keys, no CHECK constraints, no aggregate
    tables), the least any load into DuckDB does."""
    for leftover in (db, Path(str(db) + ".wal")):
        leftover.unlink(missing_ok=True)
    start = time.perf_counter()
    con = duckdb.connect(str(db))
    if not bare:
        store.migrate(con)
    con.execute("begin transaction")
    rows = 0
    for table in vocab.TABLES:
        path = folder / f"{table.name}.csv"
        if not path.exists():
            continue
        names, exprs = _select(table)
        source = str(path).replace("'", "''")  # a path the benchmark made
        values = ", ".join(f"{e} as {n}" for n, e in zip(names, exprs, strict=True))
        from_file = f"from read_csv('{source}', header = true, all_varchar = true)"
        if bare:
            con.execute(f"create table {table.name} as select {values} {from_file}")
        else:
            con.execute(f"insert into {table.name} ({', '.join(names)}) select {values} {from_file}")
        rows += con.execute(f"select count(*) from {table.name}").fetchone()[0]
    loaded = time.perf_counter()
    if not bare:
        aggregates.refresh(con)
    refreshed = time.perf_counter()
    con.execute("commit")
    con.execute("checkpoint")
    con.close()
    fd = os.open(db, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    done = time.perf_counter()
    return {
        "rows": rows,
        "seconds": done - start,
        "rows_per_s": rows / (done - start),
        "load_s": loaded - start,
        "aggregates_s": refreshed - loaded,
        "commit_s": done - refreshed,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


if __name__ == "__main__":
    print(json.dumps(load(Path(sys.argv[1]), Path(sys.argv[2]), bare="--bare" in sys.argv[3:])))

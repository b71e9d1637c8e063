"""What an import will change: its staged rows compared with the stored ones, in DuckDB, by key.

The importer stages every table's rows (importer.staging._stage) before it upserts them by key
(importer.write._write). Here, before that write, the stage is joined to the stored table on the same
key columns:

* new: the key is not stored;
* changed: the key is stored and at least one other column differs (IS DISTINCT FROM, so a
  value emptied or filled counts too); each differing field is listed (old -> new);
* unchanged: the key is stored and every column is equal: writing it changes nothing;
* missing: for the tables kept per unit and year, stored rows of a (unit, year) the import
  sends rows for, whose keys the import does not hold (a unit re-sent its year without them).
  The importer never deletes: they stay stored, and are listed so the staff can ask why.

Identifiers come from vocab, values are never formatted into SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import polars as pl

from queries import messages, vocab

# Field changes fetched per table (all of them are counted): enough for any re-send of a unit's
# sheets, and a bound on memory for a file that rewrites a whole database.
MAX_LISTED_CHANGES = 200_000

# The tables kept per unit and year: a unit's re-send of a year may leave stored rows out.
PER_UNIT_YEAR = ("quy_mo", "dang_ky", "khen_thuong", "hoi_nghi")

KIND_CHANGED, KIND_MISSING = "changed", "missing"
PER_UNIT_COLUMNS = {"ma_don_vi": pl.String, "n_new": pl.Int64, "n_changed": pl.Int64}

CHANGE_COLUMNS = {
    "table": pl.String,
    "ma_don_vi": pl.String,
    "record": pl.String,
    "description": pl.String,
    "kind": pl.String,
    "field": pl.String,
    "old": pl.String,
    "new": pl.String,
    "file": pl.String,
    "row": pl.Int64,
}


@dataclass
class TableDiff:
    """One table's rows in an import compared with the stored ones (see the module docstring)."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0
    missing: int = 0
    changes: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=CHANGE_COLUMNS))
    listed_all: bool = True  # False when more field changes exist than MAX_LISTED_CHANGES
    # rows new or changed per unit (ma_don_vi, n_new, n_changed): when each unit's data last changed
    per_unit: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=PER_UNIT_COLUMNS))


def empty_changes() -> pl.DataFrame:
    """A changes frame with no row (the columns of TableDiff.changes)."""
    return pl.DataFrame(schema=CHANGE_COLUMNS)


def _description(table: vocab.Table, alias: str) -> str:
    """SQL text describing a record to a person (columns from vocab, alias of the row's table)."""
    parts = {
        "don_vi": ["ten_don_vi"],
        "quy_mo": ["nam"],
        "dang_ky": ["nam", "ten_chu_the", "ten_mo_hinh"],
        "khen_thuong": ["nam", "ten_chu_the", "hinh_thuc"],
        "hoi_nghi": ["nam", "loai_hoi_nghi", "ngay"],
    }[table.name]
    return "concat_ws(' | ', " + ", ".join(f"{alias}.{c}::varchar" for c in parts) + ")"


def _shown(column: vocab.Column, ref: str) -> str:
    """A stored value as text, as the template writes it (dates dd/mm/yyyy, whole numbers whole)."""
    if column.type == vocab.DATE:
        return f"strftime({ref}, '%d/%m/%Y')"
    if column.type == vocab.NUMBER:
        return f"case when {ref} = round({ref}) then round({ref})::bigint::varchar else {ref}::varchar end"
    return f"{ref}::varchar"


def compare(
    con: duckdb.DuckDBPyConnection,
    table: vocab.Table,
    stage: str,
    keys: list[str],
    file_names: dict[int, str],
) -> TableDiff:
    """Compare the staged rows of `table` (temp table `stage`) with the stored ones on `keys`.

    `file_names`: source index (_src) -> the file it came from, for the listed changes.
    """
    others = [c for c in table.columns if c.alias not in keys]
    on = " and ".join(f"t.{k} = s.{k}" for k in keys)
    differs = " or ".join(f"s.{c.alias} is distinct from t.{c.alias}" for c in others) or "false"
    ((new, changed, unchanged),) = con.execute(
        f"""
        select count(*) filter (where t.{keys[0]} is null),
               count(*) filter (where t.{keys[0]} is not null and ({differs})),
               count(*) filter (where t.{keys[0]} is not null and not ({differs}))
        from {stage} s left join {table.name} t on {on}
        """
    ).fetchall()
    diff = TableDiff(new=int(new), changed=int(changed), unchanged=int(unchanged))
    if new or changed:
        diff.per_unit = (
            con.sql(
                f"""
            select s.ma_don_vi,
                   count(*) filter (where t.{keys[0]} is null) as n_new,
                   count(*) filter (where t.{keys[0]} is not null and ({differs})) as n_changed
            from {stage} s left join {table.name} t on {on}
            group by s.ma_don_vi having n_new + n_changed > 0 order by s.ma_don_vi
            """
            )
            .pl()
            .cast(PER_UNIT_COLUMNS)
        )
    parts = []
    if changed and others:
        fields = " union all ".join(
            f"select s._src, s._row, s.ma_don_vi, s.{keys[0]}::varchar as record,"
            f" {_description(table, 's')} as description, $changed as kind, $f_{c.alias} as field,"
            f" {_shown(c, 't.' + c.alias)} as old, {_shown(c, 's.' + c.alias)} as new, {j} as ord"
            f" from {stage} s join {table.name} t on {on} where s.{c.alias} is distinct from t.{c.alias}"
            for j, c in enumerate(others)
        )
        parts.append(fields)
    missing_sql = ""
    if table.name in PER_UNIT_YEAR:
        missing_sql = f"""
            from {table.name} t
            semi join (select distinct ma_don_vi, nam from {stage}) u using (ma_don_vi, nam)
            where not exists (select 1 from {stage} s where {on})
        """
        ((diff.missing,),) = con.execute(f"select count(*) {missing_sql}").fetchall()
        if diff.missing:
            parts.append(
                f"select null::integer as _src, null::bigint as _row, t.ma_don_vi,"
                f" t.{keys[0]}::varchar as record, {_description(table, 't')} as description,"
                f" $missing as kind, null::varchar as field, null::varchar as old, null::varchar as new,"
                f" -1 as ord {missing_sql}"
            )
    if not parts:
        return diff
    params = {"changed": KIND_CHANGED, "missing": KIND_MISSING}
    params.update({f"f_{c.alias}": c.header for c in others})
    used = {k: v for k, v in params.items() if f"${k}" in " ".join(parts)}
    rows = con.sql(
        f"select * from ({' union all '.join(parts)}) order by ma_don_vi, record, ord"
        f" limit {MAX_LISTED_CHANGES + 1}",
        params=used,
    ).pl()
    diff.listed_all = rows.height <= MAX_LISTED_CHANGES
    rows = rows.head(MAX_LISTED_CHANGES)
    names = pl.DataFrame(
        {"_src": list(file_names), "file": list(file_names.values())},
        schema={"_src": pl.Int32, "file": pl.String},
    )
    diff.changes = (
        rows.with_columns(pl.col("_src").cast(pl.Int32))
        .join(names, on="_src", how="left")
        .select(
            pl.lit(table.name).alias("table"),
            "ma_don_vi",
            "record",
            "description",
            "kind",
            "field",
            "old",
            "new",
            "file",
            pl.col("_row").cast(pl.Int64).alias("row"),
        )
    )
    return diff


def all_new(con: duckdb.DuckDBPyConnection, table: vocab.Table) -> TableDiff:
    """The diff of rows written straight into a table that was empty: every row is new."""
    per_unit = (
        con.sql(
            f"select ma_don_vi, count(*) as n_new, 0 as n_changed from {table.name}"
            " group by ma_don_vi order by ma_don_vi"
        )
        .pl()
        .cast(PER_UNIT_COLUMNS)
    )
    return TableDiff(new=int(per_unit.get_column("n_new").sum()), per_unit=per_unit)


def changes_frame(diffs: dict[str, TableDiff]) -> pl.DataFrame:
    """Every listed change of an import, table by table (vocab order), per unit and record."""
    frames = [diffs[t.name].changes for t in vocab.TABLES if t.name in diffs]
    if not frames:
        return empty_changes()
    return pl.concat(frames, how="vertical")


CSV_HEADERS = {
    "vi": {
        "table": "Bảng",
        "ma_don_vi": "Mã đơn vị",
        "record": "Mã bản ghi",
        "description": "Bản ghi",
        "kind": "Loại thay đổi",
        "field": "Trường",
        "old": "Giá trị cũ",
        "new": "Giá trị mới",
        "file": "Tệp",
        "row": "Dòng",
    },
    "en": {
        "table": "Table",
        "ma_don_vi": "Unit code",
        "record": "Record key",
        "description": "Record",
        "kind": "Change",
        "field": "Field",
        "old": "Old value",
        "new": "New value",
        "file": "File",
        "row": "Row",
    },
}
KIND_LABELS = {
    "vi": {KIND_CHANGED: "Thay đổi", KIND_MISSING: "Không có trong tệp (giữ nguyên)"},
    "en": {KIND_CHANGED: "Changed", KIND_MISSING: "Not in the file (kept)"},
}


# The headers of the template's decimal columns: their old and new values take the decimal comma
# in Vietnamese, as every other figure does (the stored text has DuckDB's dot).
_DECIMAL_FIELDS = sorted({c.header for t in vocab.TABLES for c in t.columns if c.type == vocab.NUMBER})


def _local_decimals(changes: pl.DataFrame, lang: str) -> pl.DataFrame:
    """Old and new values of decimal fields with the decimal comma in Vietnamese."""
    if lang == "en" or changes.is_empty():
        return changes
    decimal = pl.col("field").is_in(_DECIMAL_FIELDS)
    return changes.with_columns(
        pl.when(decimal).then(pl.col(c).str.replace(".", ",", literal=True)).otherwise(pl.col(c)).alias(c)
        for c in ("old", "new")
    )


def labelled_changes(changes: pl.DataFrame, lang: str = "vi") -> pl.DataFrame:
    """The changes with the table and kind in words and headers in the user's language."""
    lg = "en" if lang == "en" else "vi"
    tables = {t.name: messages.table_name(t.name, lg) for t in vocab.TABLES}
    return (
        _local_decimals(changes, lg)
        .with_columns(
            pl.col("table").replace_strict(tables, default=pl.col("table")),
            pl.col("kind").replace_strict(KIND_LABELS[lg], default=pl.col("kind")),
        )
        .rename(CSV_HEADERS[lg])
    )


def screen_lines(changes: pl.DataFrame, lang: str = "vi", limit: int = 50) -> list[str]:
    """The changes as lines for a terminal, grouped by table and unit: one line per record, its
    changed fields "field: old → new"; at most `limit` records, then how many more."""
    vi = lang != "en"
    empty = "(trống)" if vi else "(empty)"
    lines: list[str] = []
    records = (
        _local_decimals(changes, "en" if not vi else "vi")
        .group_by(["table", "ma_don_vi", "record", "kind"], maintain_order=True)
        .agg("description", "field", "old", "new")
    )
    shown = records.head(limit)
    last_group = None
    for row in shown.iter_rows(named=True):
        group = (row["table"], row["ma_don_vi"])
        if group != last_group:
            label = messages.table_name(row["table"], lang)
            lines.append(f"{label}, {'đơn vị' if vi else 'unit'} {row['ma_don_vi']}:")
            last_group = group
        what = f"  {row['record']} ({row['description'][0]})"
        if row["kind"] == KIND_MISSING:
            lines.append(what + ": " + KIND_LABELS["vi" if vi else "en"][KIND_MISSING].lower())
            continue
        fields = "; ".join(
            f"{f}: {o if o is not None else empty} → {n if n is not None else empty}"
            for f, o, n in zip(row["field"], row["old"], row["new"], strict=True)
        )
        lines.append(f"{what}: {fields}")
    rest = records.height - shown.height
    if rest > 0:
        n = messages.count(rest, lang)
        lines.append(f"... và {n} bản ghi khác" if vi else f"... and {n} more record(s)")
    return lines

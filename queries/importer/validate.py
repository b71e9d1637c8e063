"""The checks of single values: a piece of rows cleaned and typed column by column, every rule
(required, type, range, choice, Excel error) as a mask over whole columns."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from queries import parse, readers, vocab
from queries.importer.sources import Source

TYPE_CODES = {vocab.INTEGER: "bad_integer", vocab.NUMBER: "bad_number", vocab.DATE: "bad_date"}
TEXT_SUFFIX = "#text"
INT32_MAX = 2**31 - 1
_DTYPES = {vocab.TEXT: pl.String, vocab.INTEGER: pl.Int64, vocab.NUMBER: pl.Float64, vocab.DATE: pl.Date}


@dataclass
class _Check:
    """Rows breaking one rule: a frame with _src, _row, value (+ p_* params per row)."""

    alias: str
    code: str
    rows: pl.DataFrame
    params: dict = field(default_factory=dict)
    total: int | None = None  # rows breaking the rule when `rows` holds only the first of them


def _range_code(col: vocab.Column) -> str:
    if (col.min_value, col.max_value) == (vocab.YEAR_MIN, vocab.YEAR_MAX):
        return "year_range"
    if col.type == vocab.NUMBER and (col.min_value, col.max_value) == (0, 100):
        return "score_range"
    if col.min_value == 0 and col.max_value is None:
        return "negative"
    return "out_of_range"


def _fmt(number: float | None) -> str | None:
    if number is None:
        return None
    return str(int(number)) if float(number).is_integer() else str(number)


def _stack(table: vocab.Table, parts: list[tuple[int, pl.DataFrame]]) -> pl.DataFrame:
    """Rows of one table, (source index, frame) each, in one frame with every alias column present
    (raw text + cell)."""
    out = []
    for index, frame in parts:
        frame = frame.with_columns(pl.lit(index, pl.Int32).alias("_src"))
        fill = []
        for col in table.columns:
            if col.alias not in frame.columns:
                fill.append(pl.lit(None, pl.String).alias(col.alias))
            if col.alias + readers.CELL_SUFFIX not in frame.columns:
                fill.append(pl.lit(None, pl.Datetime("ms")).alias(col.alias + readers.CELL_SUFFIX))
        frame = frame.with_columns(fill) if fill else frame
        cols = ["_src", "_row"]
        for col in table.columns:
            cols += [col.alias, col.alias + readers.CELL_SUFFIX]
        out.append(
            frame.select(cols).with_columns(
                pl.col("_row").cast(pl.Int64),
                *[pl.col(c.alias).cast(pl.String) for c in table.columns],
                *[
                    pl.col(c.alias + readers.CELL_SUFFIX).cast(pl.Datetime("ms"), strict=False)
                    for c in table.columns
                ],
            )
        )
    return pl.concat(out, how="vertical")


def _parse_table(
    table: vocab.Table, stacked: pl.DataFrame, sources: list[Source]
) -> tuple[pl.DataFrame, list[_Check]]:
    """Clean and type every column; the checks of single values (required, type, range, choice)."""
    # Free text gets its inner whitespace collapsed; values that are parsed only need trimming.
    texts, distinct = [], {}  # distinct: the distinct texts of a column, when known on the way
    for c in table.columns:
        raw = stacked.get_column(c.alias)
        if _free(c):
            texts.append(parse.clean_text_series(raw).alias(c.alias + TEXT_SUFFIX))
        else:
            text, distinct[c.alias] = parse.trim_text_distinct(raw)
            texts.append(text.alias(c.alias + TEXT_SUFFIX))
    cleaned = stacked.with_columns(texts)
    typed_columns = []
    failed: set[str] = set()  # columns holding an Excel error cell (#DIV/0!, #N/A, ...)
    for col in table.columns:  # one step per column; every step works on the whole column
        text = cleaned.get_column(col.alias + TEXT_SUFFIX)
        cells = cleaned.get_column(col.alias + readers.CELL_SUFFIX)
        cell = cells if cells.null_count() < cells.len() else None
        uniques = distinct.get(col.alias)
        if (text if uniques is None else uniques).is_in(parse.EXCEL_ERRORS).any():
            failed.add(col.alias)
        if text.null_count() == text.len() and col.default is None:
            value = pl.repeat(None, text.len(), dtype=_DTYPES[col.type], eager=True)
        elif col.choices is not None:
            spellings = (text.drop_nulls().unique() if uniques is None else uniques).to_list()
            mapping = {u: vocab.canonical_choice(col, u) for u in spellings}  # one call per distinct spelling
            value = text.replace_strict(mapping, default=None, return_dtype=pl.String) if mapping else text
            if col.default is not None:
                value = pl.select(
                    pl.when(text.is_null()).then(pl.lit(col.default)).otherwise(value)
                ).to_series()
        elif col.type == vocab.INTEGER:
            number = parse.per_distinct(text, cell, parse.parse_number_series, pl.Float64(), uniques)
            value = number.to_frame("n").select(parse.parse_integer(pl.col("n"))).to_series()
        elif col.type == vocab.NUMBER:
            value = parse.per_distinct(text, cell, parse.parse_number_series, pl.Float64(), uniques)
        elif col.type == vocab.DATE:
            value = parse.per_distinct(text, cell, parse.parse_date_series, pl.Date(), uniques)
        else:
            value = text
        if col.alias in failed:  # an error cell is reported as such, and has no value
            kept = ~text.is_in(parse.EXCEL_ERRORS).fill_null(False)
            value = value.zip_with(kept, pl.repeat(None, value.len(), dtype=value.dtype, eager=True))
        typed_columns.append(value.alias(col.alias))
    typed = cleaned.with_columns(typed_columns)

    # every rule as a mask; one pass tells which rules any row breaks, only those rows are taken
    rules: list[tuple[str, str, pl.Expr, dict]] = []
    for col in table.columns:
        text_col = pl.col(col.alias + TEXT_SUFFIX)
        value_col = pl.col(col.alias)
        if col.required:
            missing_in = [s.index for s in sources if col.alias in s.missing]
            mask = text_col.is_null() & ~pl.col("_src").is_in(missing_in)
            rules.append((col.alias, "required", mask, {}))
        if col.alias in failed:
            error = text_col.is_in(parse.EXCEL_ERRORS)
            rules.append((col.alias, "excel_error", error, {}))
            text_col = pl.when(error).then(None).otherwise(text_col)  # no second problem for the same cell
        if col.choices is not None:
            rules.append(
                (
                    col.alias,
                    "bad_choice",
                    text_col.is_not_null() & value_col.is_null(),
                    {"choices": col.choices},
                )
            )
        elif col.type in TYPE_CODES:
            rules.append((col.alias, TYPE_CODES[col.type], text_col.is_not_null() & value_col.is_null(), {}))
        if col.min_value is not None or col.max_value is not None:
            lo = col.min_value if col.min_value is not None else float("-inf")
            hi = col.max_value if col.max_value is not None else float("inf")
            mask = value_col.is_not_null() & ~value_col.cast(pl.Float64).is_between(lo, hi)
            params = {"min": _fmt(col.min_value), "max": _fmt(col.max_value)}
            rules.append((col.alias, _range_code(col), mask, params))
        if col.type == vocab.INTEGER and col.max_value is None:
            # DuckDB integer columns hold 32 bits
            mask = value_col.is_not_null() & (value_col > INT32_MAX)
            params = {"min": _fmt(col.min_value) or "", "max": str(INT32_MAX)}
            rules.append((col.alias, "out_of_range", mask, params))
    broken = typed.select([mask.any().alias(str(k)) for k, (_, _, mask, _) in enumerate(rules)]).row(0)
    checks: list[_Check] = []
    for (alias, code, mask, params), any_row in zip(rules, broken, strict=True):
        if any_row:
            cols = [pl.col("_src"), pl.col("_row"), pl.col(alias + TEXT_SUFFIX).alias("value")]
            checks.append(_Check(alias, code, typed.filter(mask).select(cols), params))
    keep = [
        "_src",
        "_row",
        *[c.alias for c in table.columns],
        *[c.alias + TEXT_SUFFIX for c in table.columns],
    ]
    return typed.select(keep), checks


def _free(col: vocab.Column) -> bool:
    """Free text (inner whitespace collapsed), as opposed to values parsed next (only trimmed)."""
    return col.type == vocab.TEXT and col.choices is None

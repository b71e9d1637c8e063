"""import_files(): read .xlsx/.csv files, validate every row against the template, write all or nothing.

The pipeline, column-wise throughout (Polars expressions and DuckDB SQL over whole columns):

1. read: each file becomes grids of text (readers.py); each grid is recognised as a table by
   its sheet/file name or its headers, its header row is found under any title rows, its columns
   are mapped to the template's aliases, blank rows and a trailing total row are dropped. Every
   data row keeps `_row` (the row number Excel shows) and `_src` (which file/sheet it came from).
2. validate: per table, the sources are stacked, text is cleaned (NFC, trimmed), values are
   parsed (parse.py), and each rule yields a frame of offending rows, turned into Problems.
   Cross-table rules follow: unit codes, the unit tree (missing parents, cycles), duplicate keys.
3. write: only when there is no problem at all, and not in dry-run, every table is upserted by
   its key inside ONE store.write_transaction, with a row per file and table in nhat_ky_nhap.

Keys (DOMAIN.md section 3): don_vi ma_don_vi; quy_mo ma_don_vi + nam; khen_thuong so_quyet_dinh +
doi_tuong + ten_chu_the; hoi_nghi ma_hoi_nghi = "ma_don_vi|nam|loai_hoi_nghi|yyyy-mm-dd" (empty
date part without a date); dang_ky ma_dang_ky, or when empty "DK-" + 16 hex digits of SHA-1 over
the fold()-ed nam|ma_don_vi|doi_tuong|ten_chu_the|ten_mo_hinh|phong_trao (parse.registration_key):
stable across re-imports and re-typing in another case, accent placement or spacing, but a
corrected model name makes a new row, and adding codes later to rows imported without them
does not find the old rows.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from queries import messages, parse, readers, store, vocab

Progress = Callable[[str, int, int], None]

TYPE_CODES = {vocab.INTEGER: "bad_integer", vocab.NUMBER: "bad_number", vocab.DATE: "bad_date"}
TEXT_SUFFIX = "#text"
INT32_MAX = 2**31 - 1
_DTYPES = {vocab.TEXT: pl.String, vocab.INTEGER: pl.Int64, vocab.NUMBER: pl.Float64, vocab.DATE: pl.Date}


# --- report -------------------------------------------------------------------------------------


@dataclass
class TableCount:
    """Rows of one table added (new key) and updated (key already stored)."""

    added: int = 0
    updated: int = 0


@dataclass
class Problem:
    """A reason to reject the import, located as precisely as possible."""

    file: str | None
    sheet: str | None
    row: int | None
    column: str | None
    value: str | None
    code: str
    params: dict = field(default_factory=dict, repr=False, compare=False)

    def reason(self, lang: str = "vi") -> str:
        """Why, without the location."""
        return messages.reason(
            messages.PROBLEMS, self.code, self.value, {"column": self.column, **self.params}, lang
        )

    def message(self, lang: str = "vi") -> str:
        """A full sentence naming file, sheet, row, column, value and reason."""
        where = messages.location(self.file, self.sheet, self.row, self.column, lang)
        return messages.sentence(where, self.reason(lang))


@dataclass
class Notice:
    """Something the importer did on its own (ignored a column, skipped a total row...)."""

    file: str | None
    sheet: str | None
    row: int | None
    column: str | None
    value: str | None
    code: str
    params: dict = field(default_factory=dict, repr=False, compare=False)

    def reason(self, lang: str = "vi") -> str:
        """What happened, without the location."""
        return messages.reason(
            messages.NOTICES, self.code, self.value, {"column": self.column, **self.params}, lang
        )

    def message(self, lang: str = "vi") -> str:
        """A full sentence naming where and what."""
        where = messages.location(self.file, self.sheet, self.row, self.column, lang)
        return messages.sentence(where, self.reason(lang))


def _frame(items: Sequence[Problem | Notice], lang: str) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "file": [p.file for p in items],
            "sheet": [p.sheet for p in items],
            "row": [p.row for p in items],
            "column": [p.column for p in items],
            "value": [p.value for p in items],
            "reason": [p.reason(lang) for p in items],
        },
        schema={
            "file": pl.String,
            "sheet": pl.String,
            "row": pl.Int64,
            "column": pl.String,
            "value": pl.String,
            "reason": pl.String,
        },
    )


@dataclass
class ImportReport:
    """What an import found and did. Nothing was written unless `written` is True."""

    problems: list[Problem] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    counts: dict[str, TableCount] = field(default_factory=dict)
    rows_read: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False
    written: bool = False
    import_id: int | None = None
    files: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems

    def problems_frame(self, lang: str = "vi") -> pl.DataFrame:
        """The problems as a table: file, sheet, row, column, value, reason."""
        return _frame(self.problems, lang)

    def notices_frame(self, lang: str = "vi") -> pl.DataFrame:
        """The notices as a table: file, sheet, row, column, value, reason."""
        return _frame(self.notices, lang)

    def summary(self, lang: str = "vi") -> str:
        """One or two sentences: what was (or would be) added and updated, or why nothing was."""
        vi = lang != "en"

        def fmt(n: int) -> str:
            return messages.count(n, lang)

        if not self.ok:
            n = len(self.problems)
            if vi:
                return f"Không nhập: phát hiện {fmt(n)} lỗi, cơ sở dữ liệu không thay đổi."
            return (
                f"Nothing imported: {fmt(n)} problem{'s' if n != 1 else ''} found, the database is unchanged."
            )
        parts = []
        for name, count in self.counts.items():
            label = messages.table_name(name, lang)
            if vi:
                parts.append(f"{label}: {fmt(count.added)} dòng mới, {fmt(count.updated)} dòng cập nhật")
            else:
                parts.append(f"{label}: {fmt(count.added)} added, {fmt(count.updated)} updated")
        detail = "; ".join(parts) if parts else ("không có dòng dữ liệu" if vi else "no data rows")
        if self.dry_run:
            head = (
                "Kiểm tra xong, không có lỗi (chạy thử, chưa ghi gì)"
                if vi
                else "Checked, no problems (dry run, nothing written)"
            )
            return f"{head}. {'Sẽ nhập' if vi else 'Would import'}: {detail}."
        return f"{'Đã nhập' if vi else 'Imported'}: {detail}."


# --- sources ------------------------------------------------------------------------------------


@dataclass
class Source:
    """One located table in one file (a sheet, or a whole CSV)."""

    index: int
    file_index: int
    file: str
    sheet: str | None
    table: vocab.Table
    headers: dict[str, str]
    header_row: int
    missing: set[str]
    frame: pl.DataFrame  # _row + raw aliased columns (+ #cell columns for Excel)

    def header(self, alias: str) -> str:
        """The header as written in the file, or the template's header if the column is absent."""
        return self.headers.get(alias) or self.table.column(alias).header


@dataclass
class _Reading:
    sources: list[Source] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    file_hashes: list[str | None] = field(default_factory=list)


def _read_all(paths: list[Path], names: list[str], progress: Progress | None) -> _Reading:
    out = _Reading()
    seen: dict[str, str] = {}
    for i, (path, name) in enumerate(zip(paths, names, strict=True)):
        if progress:
            progress("read", i, len(paths))
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            out.file_hashes.append(None)
            out.problems.append(Problem(name, None, None, None, None, "not_found"))
            continue
        except OSError as exc:
            out.file_hashes.append(None)
            out.problems.append(
                Problem(name, None, None, None, None, "unreadable", {"detail": exc.strerror or str(exc)})
            )
            continue
        digest = hashlib.sha256(raw).hexdigest()
        out.file_hashes.append(digest)
        if digest in seen:
            out.problems.append(
                Problem(name, None, None, None, None, "duplicate_file", {"other": seen[digest]})
            )
            continue
        seen[digest] = name
        if not raw:
            out.problems.append(Problem(name, None, None, None, None, "empty_file"))
            continue
        try:
            grids = _grids(path, name, raw, out)
        except readers.PasswordProtected:
            out.problems.append(Problem(name, None, None, None, None, "password_protected"))
            continue
        except readers.SheetTooLarge as exc:
            out.problems.append(
                Problem(name, exc.sheet, None, None, exc.last_cell, "sheet_too_large", {"cells": exc.cells})
            )
            continue
        except readers.TooManyColumns as exc:
            out.problems.append(
                Problem(name, None, None, None, None, "too_many_columns", {"count": exc.columns})
            )
            continue
        except readers.UnreadableFile as exc:
            out.problems.append(Problem(name, None, None, None, None, "unreadable", {"detail": str(exc)}))
            continue
        _locate_all(i, name, grids, out)
    if progress:
        progress("read", len(paths), len(paths))
    return out


def _is_excel(path: Path, name: str, raw: bytes) -> bool:
    suffix = Path(name).suffix.lower() or path.suffix.lower()
    if suffix in readers.EXCEL_SUFFIXES:
        return True
    if suffix in readers.TEXT_SUFFIXES:
        return False
    return raw[:4] in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # zip (xlsx) or OLE (xls)


def _grids(path: Path, name: str, raw: bytes, out: _Reading) -> list[tuple[readers.Grid, vocab.Table | None]]:
    if _is_excel(path, name, raw):
        return [(g, readers.table_for_file_name(g.sheet or "")) for g in readers.read_excel(path, name)]
    by_name = readers.table_for_file_name(name)
    grid, decoded = readers.read_csv(raw, name, by_name)
    out.notices.append(
        Notice(
            name,
            None,
            None,
            None,
            None,
            "encoding",
            {"encoding": decoded.encoding, "separator": decoded.separator},
        )
    )
    if decoded.lossy:
        out.notices.append(Notice(name, None, None, None, None, "lossy_encoding"))
    return [(grid, by_name)]


def _locate_all(
    file_index: int, name: str, grids: list[tuple[readers.Grid, vocab.Table | None]], out: _Reading
) -> None:
    found_any = False
    for grid, by_name in grids:
        sheet = grid.sheet
        empty = grid.cells.height == 0 or grid.cells.width == 0
        if not empty:
            empty = not grid.cells.select(
                pl.any_horizontal(
                    [pl.col(c).str.strip_chars().str.len_bytes().fill_null(0) > 0 for c in grid.cells.columns]
                ).any()
            ).item()
        if empty:
            if sheet is not None:
                out.notices.append(Notice(name, sheet, None, None, None, "empty_sheet"))
            continue
        located = readers.locate(grid, by_name)
        if located is None:
            if by_name is not None:
                out.problems.append(
                    Problem(
                        name,
                        sheet,
                        None,
                        None,
                        None,
                        "no_header",
                        {"table": by_name.name, "rows": readers.HEADER_SCAN_ROWS},
                    )
                )
                found_any = True
            elif sheet is not None:
                out.notices.append(Notice(name, sheet, None, None, None, "ignored_sheet"))
            continue
        found_any = True
        _add_source(file_index, name, located, out)
    if not found_any:
        out.problems.append(Problem(name, None, None, None, None, "no_table"))


def _add_source(file_index: int, name: str, located: readers.Located, out: _Reading) -> None:
    table, sheet = located.table, located.grid.sheet
    header_row = located.header_index + 1
    body = readers.body(located)
    for text in located.ignored:
        out.notices.append(Notice(name, sheet, header_row, text, None, "ignored_column"))
    for text in located.duplicates:
        out.problems.append(Problem(name, sheet, header_row, text, None, "duplicate_column"))
    missing = {c.alias for c in table.columns if c.required and c.alias not in located.headers}
    for col in table.columns:
        if col.alias in missing:
            out.problems.append(
                Problem(name, sheet, None, col.header, None, "missing_column", {"table": table.name})
            )
    if body.title_rows:
        out.notices.append(
            Notice(
                name,
                sheet,
                None,
                None,
                None,
                "title_rows",
                {"count": body.title_rows, "header_row": header_row},
            )
        )
    if body.blank_rows:
        out.notices.append(Notice(name, sheet, None, None, None, "blank_rows", {"count": body.blank_rows}))
    if body.numbering_row is not None:
        out.notices.append(Notice(name, sheet, body.numbering_row, None, None, "numbering_row"))
    for row in body.total_rows:
        out.notices.append(Notice(name, sheet, row, None, None, "total_row"))
    out.notices.append(
        Notice(name, sheet, None, None, None, "table", {"table": table.name, "rows": body.frame.height})
    )
    index = len(out.sources)
    out.sources.append(
        Source(index, file_index, name, sheet, table, located.headers, header_row, missing, body.frame)
    )


# --- validation ---------------------------------------------------------------------------------


@dataclass
class _Check:
    """Rows breaking one rule: a frame with _src, _row, value (+ p_* params per row)."""

    alias: str
    code: str
    rows: pl.DataFrame
    params: dict = field(default_factory=dict)


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


def _stack(table: vocab.Table, sources: list[Source]) -> pl.DataFrame:
    """All sources of one table in one frame with every alias column present (raw text + cell)."""
    parts = []
    for src in sources:
        frame = src.frame.with_columns(pl.lit(src.index, pl.Int32).alias("_src"))
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
        parts.append(
            frame.select(cols).with_columns(
                pl.col("_row").cast(pl.Int64),
                *[pl.col(c.alias).cast(pl.String) for c in table.columns],
                *[
                    pl.col(c.alias + readers.CELL_SUFFIX).cast(pl.Datetime("ms"), strict=False)
                    for c in table.columns
                ],
            )
        )
    return pl.concat(parts, how="vertical")


def _parse_table(
    table: vocab.Table, stacked: pl.DataFrame, sources: list[Source]
) -> tuple[pl.DataFrame, list[_Check]]:
    """Clean and type every column; the checks of single values (required, type, range, choice)."""
    # Free text gets its inner whitespace collapsed; values that are parsed only need trimming.
    cleaned = stacked.with_columns(
        [
            (parse.clean_text if c.type == vocab.TEXT and c.choices is None else parse.trim_text)(
                pl.col(c.alias)
            ).alias(c.alias + TEXT_SUFFIX)
            for c in table.columns
        ]
    )
    typed_columns = []
    for col in table.columns:  # one step per column; every step works on the whole column
        text = cleaned.get_column(col.alias + TEXT_SUFFIX)
        cell = cleaned.get_column(col.alias + readers.CELL_SUFFIX)
        cell = cell if cell.null_count() < cell.len() else None
        if text.null_count() == text.len() and col.default is None:
            value = pl.repeat(None, text.len(), dtype=_DTYPES[col.type], eager=True)
        elif col.choices is not None:
            uniques = text.drop_nulls().unique().to_list()
            mapping = {u: vocab.canonical_choice(col, u) for u in uniques}  # one call per distinct spelling
            value = text.replace_strict(mapping, default=None, return_dtype=pl.String) if mapping else text
            if col.default is not None:
                value = pl.select(
                    pl.when(text.is_null()).then(pl.lit(col.default)).otherwise(value)
                ).to_series()
        elif col.type == vocab.INTEGER:
            number = parse.parse_number_series(text, cell)
            value = number.to_frame("n").select(parse.parse_integer(pl.col("n"))).to_series()
        elif col.type == vocab.NUMBER:
            value = parse.parse_number_series(text, cell)
        elif col.type == vocab.DATE:
            value = parse.parse_date_series(text, cell)
        else:
            value = text
        typed_columns.append(value.alias(col.alias))
    typed = cleaned.with_columns(typed_columns)

    checks: list[_Check] = []

    def rows(mask: pl.Expr, alias: str, extra: dict[str, pl.Expr] | None = None) -> pl.DataFrame:
        cols = [pl.col("_src"), pl.col("_row"), pl.col(alias + TEXT_SUFFIX).alias("value")]
        cols += [e.alias(k) for k, e in (extra or {}).items()]
        return typed.filter(mask).select(cols)

    for col in table.columns:
        text = pl.col(col.alias + TEXT_SUFFIX)
        value = pl.col(col.alias)
        if col.required:
            missing_in = [s.index for s in sources if col.alias in s.missing]
            mask = text.is_null() & ~pl.col("_src").is_in(missing_in)
            checks.append(_Check(col.alias, "required", rows(mask, col.alias)))
        if col.choices is not None:
            checks.append(
                _Check(
                    col.alias,
                    "bad_choice",
                    rows(text.is_not_null() & value.is_null(), col.alias),
                    {"choices": col.choices},
                )
            )
        elif col.type in TYPE_CODES:
            checks.append(
                _Check(col.alias, TYPE_CODES[col.type], rows(text.is_not_null() & value.is_null(), col.alias))
            )
        if col.min_value is not None or col.max_value is not None:
            lo = col.min_value if col.min_value is not None else float("-inf")
            hi = col.max_value if col.max_value is not None else float("inf")
            mask = value.is_not_null() & ~value.cast(pl.Float64).is_between(lo, hi)
            params = {"min": _fmt(col.min_value), "max": _fmt(col.max_value)}
            checks.append(_Check(col.alias, _range_code(col), rows(mask, col.alias), params))
        if col.type == vocab.INTEGER and col.max_value is None:
            # DuckDB integer columns hold 32 bits
            mask = value.is_not_null() & (value > INT32_MAX)
            params = {"min": _fmt(col.min_value) or "", "max": str(INT32_MAX)}
            checks.append(_Check(col.alias, "out_of_range", rows(mask, col.alias), params))
    keep = [
        "_src",
        "_row",
        *[c.alias for c in table.columns],
        *[c.alias + TEXT_SUFFIX for c in table.columns],
    ]
    return typed.select(keep), checks


def _registration_keys(frame: pl.DataFrame) -> pl.DataFrame:
    """Fill ma_dang_ky where empty with the content-derived key (see parse.registration_key).

    DuckDB computes the SHA-1s, in row order (preserve_insertion_order is set explicitly).
    """
    need = frame.select(pl.col("ma_dang_ky").is_null()).to_series()
    derived = pl.repeat(None, frame.height, dtype=pl.String, eager=True)
    if need.any():
        sources = (
            parse.registration_key_source(frame).to_frame("_key_source").with_columns(need.alias("_need"))
        )
        con = duckdb.connect(":memory:")
        try:
            con.execute("set preserve_insertion_order = true")
            con.register("key_sources", sources)
            derived = (
                con.sql(
                    "select case when _need then $prefix || left(sha1(_key_source), 16) end as k from key_sources",
                    params={"prefix": parse.REGISTRATION_KEY_PREFIX},
                )
                .pl()
                .get_column("k")
            )
        finally:
            con.close()
    return frame.with_columns(
        need.alias("_key_derived"),
        pl.coalesce(pl.col("ma_dang_ky"), derived).alias("ma_dang_ky"),
    )


def _key_columns(table: vocab.Table) -> list[str]:
    return ["ma_hoi_nghi"] if table.name == "hoi_nghi" else list(table.key)


def _duplicates(table: vocab.Table, frame: pl.DataFrame) -> list[_Check]:
    """Every row whose key already appeared on an earlier row of the import (any file)."""
    keys = _key_columns(table)
    keyed = frame.filter(pl.all_horizontal([pl.col(k).is_not_null() for k in keys]))
    distinct = pl.col(keys[0]).n_unique() if len(keys) == 1 else pl.struct(keys).n_unique()
    if keyed.select(distinct).item() == keyed.height:
        return []
    dups = (
        frame.filter(pl.all_horizontal([pl.col(k).is_not_null() for k in keys]))
        .with_columns(
            pl.int_range(pl.len()).over(keys).alias("_nth"),
            pl.col("_src").first().over(keys).alias("p_src"),
            pl.col("_row").first().over(keys).alias("p_row"),
        )
        .filter(pl.col("_nth") > 0)
    )
    if dups.height == 0:
        return []
    shown = pl.concat_str([pl.col(k).cast(pl.String) for k in keys], separator=" | ")
    if table.name == "hoi_nghi":
        shown = pl.concat_str(
            [
                pl.col("ma_don_vi"),
                pl.col("nam").cast(pl.String),
                pl.col("loai_hoi_nghi"),
                pl.col("ngay").dt.strftime("%d/%m/%Y"),
            ],
            separator=" | ",
            ignore_nulls=True,
        )
    if table.name == "dang_ky":
        # a derived key says little to the user; point at the model name instead
        derived = dups.filter(pl.col("_key_derived"))
        given = dups.filter(~pl.col("_key_derived"))
        out = []
        if given.height:
            out.append(
                _Check(
                    "ma_dang_ky",
                    "duplicate_key",
                    given.select("_src", "_row", shown.alias("value"), "p_src", "p_row"),
                )
            )
        if derived.height:
            value = pl.concat_str(
                [pl.col("ten_chu_the"), pl.col("ten_mo_hinh"), pl.col("nam").cast(pl.String)], separator=" | "
            )
            out.append(
                _Check(
                    "ten_mo_hinh",
                    "duplicate_key",
                    derived.select("_src", "_row", value.alias("value"), "p_src", "p_row"),
                )
            )
        return out
    return [
        _Check(
            table.key[0], "duplicate_key", dups.select("_src", "_row", shown.alias("value"), "p_src", "p_row")
        )
    ]


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


def _cycle_members(edges: pl.DataFrame) -> set[str]:
    """Units on a loop of the parent relation: what is left after repeatedly pruning childless units."""
    remaining = edges.filter(
        pl.col("ma_cap_tren").is_not_null() & pl.col("ma_cap_tren").is_in(edges["ma_don_vi"].implode())
    )
    while remaining.height:
        parents = remaining.get_column("ma_cap_tren").unique()
        kept = remaining.filter(pl.col("ma_don_vi").is_in(parents.implode()))
        if kept.height == remaining.height:
            break
        remaining = kept
    return set(remaining.get_column("ma_don_vi").to_list())


def _cycle_path(start: str, parent_of: dict[str, str]) -> str:
    path, seen, code = [start], {start}, parent_of.get(start)
    while code is not None and code not in seen:
        path.append(code)
        seen.add(code)
        code = parent_of.get(code)
    path.append(code if code is not None else "")
    return " → ".join(path)


def _unit_checks(typed: dict[str, pl.DataFrame], stored: pl.DataFrame) -> list[_Check]:
    """Unit codes, parents and successors known; no loops in the tree; validity dates in order."""
    checks: list[_Check] = []
    imported = typed.get("don_vi")
    codes = stored.select("ma_don_vi")
    if imported is not None:
        codes = pl.concat([codes, imported.select("ma_don_vi").drop_nulls()])
    known = codes.get_column("ma_don_vi").unique().implode()

    def unknown(frame: pl.DataFrame, alias: str, code: str) -> None:
        bad = frame.filter(pl.col(alias).is_not_null() & ~pl.col(alias).is_in(known))
        if bad.height:
            checks.append(_Check(alias, code, bad.select("_src", "_row", pl.col(alias).alias("value"))))

    for name, frame in typed.items():
        if name != "don_vi":
            unknown(frame, "ma_don_vi", "unknown_unit")
    if imported is None:
        return checks
    unknown(imported, "ma_cap_tren", "missing_parent")
    unknown(imported, "ma_ke_thua", "unknown_successor")

    edges = pl.concat(
        [
            stored.filter(
                ~pl.col("ma_don_vi").is_in(imported.get_column("ma_don_vi").drop_nulls().implode())
            ),
            imported.filter(pl.col("ma_don_vi").is_not_null())
            .select("ma_don_vi", "ma_cap_tren")
            .unique("ma_don_vi", keep="first"),
        ]
    )
    looped = _cycle_members(edges)
    if looped:
        on_loop = imported.filter(pl.col("ma_don_vi").is_in(list(looped)))
        parent_of = dict(edges.filter(pl.col("ma_don_vi").is_in(list(looped))).iter_rows())  # loop units only
        paths = {code: _cycle_path(code, parent_of) for code in on_loop.get_column("ma_don_vi").to_list()}
        checks.append(
            _Check(
                "ma_cap_tren",
                "cycle",
                on_loop.select(
                    "_src",
                    "_row",
                    pl.col("ma_cap_tren").alias("value"),
                    pl.col("ma_don_vi").replace_strict(paths, default=None).alias("p_path"),
                ),
            )
        )
    order = imported.filter(pl.col("hieu_luc_den") < pl.col("hieu_luc_tu"))
    if order.height:
        checks.append(
            _Check(
                "hieu_luc_den",
                "date_order",
                order.select(
                    "_src",
                    "_row",
                    pl.col("hieu_luc_den" + TEXT_SUFFIX).alias("value"),
                    pl.col("hieu_luc_tu").dt.strftime("%d/%m/%Y").alias("p_start"),
                ),
            )
        )
    return checks


def _problems(checks: list[_Check], sources: list[Source]) -> list[Problem]:
    """Turn the offending rows of every check into Problems (one loop step per problem)."""
    out = []
    for check in checks:
        if check.rows.height == 0:
            continue
        param_cols = [c for c in check.rows.columns if c.startswith("p_")]
        for record in check.rows.iter_rows(named=True):
            src = sources[record["_src"]]
            params = dict(check.params)
            for c in param_cols:
                params[c[2:]] = record[c]
            if "src" in params:
                other = sources[params.pop("src")]
                params["other"] = {"file": other.file, "sheet": other.sheet, "row": params.pop("row")}
            out.append(
                Problem(
                    src.file,
                    src.sheet,
                    int(record["_row"]),
                    src.header(check.alias),
                    record["value"],
                    check.code,
                    params,
                )
            )
    return out


# --- writing ------------------------------------------------------------------------------------


def _staged(table: vocab.Table, frame: pl.DataFrame) -> pl.DataFrame:
    cols = [c.alias for c in table.columns]
    if table.name == "hoi_nghi":
        cols = ["ma_hoi_nghi", *cols]
    return frame.select("_src", *cols)


def _count_existing(con: duckdb.DuckDBPyConnection, table: vocab.Table, staged: pl.DataFrame) -> pl.DataFrame:
    """Per source: rows in the import and how many of their keys are already stored."""
    keys = _key_columns(table)
    on = " and ".join(f"t.{k} = s.{k}" for k in keys)  # names from vocab, not user data
    con.register("staged", staged)
    try:
        return con.sql(
            f"""
            select s._src, count(*) as n_rows, count(t.{keys[0]}) as n_updated
            from staged s left join {table.name} t on {on}
            group by s._src
            """
        ).pl()
    finally:
        con.unregister("staged")


def _write(con: duckdb.DuckDBPyConnection, table: vocab.Table, staged: pl.DataFrame) -> None:
    """Upsert by key: UPDATE the stored rows, plain INSERT the new ones (much faster than
    INSERT OR REPLACE on large imports). Identifiers come from vocab, values are never in the SQL."""
    keys = _key_columns(table)
    cols = [c for c in staged.columns if c != "_src"]
    others = [c for c in cols if c not in keys]
    on = " and ".join(f"t.{k} = s.{k}" for k in keys)
    col_list = ", ".join(cols)
    con.register("staged", staged)
    try:
        if others:
            assignments = ", ".join(f"{c} = s.{c}" for c in others)
            con.execute(f"update {table.name} t set {assignments} from staged s where {on}")
        con.execute(
            f"insert into {table.name} ({col_list}) select {col_list} from staged s "
            f"where not exists (select 1 from {table.name} t where {on})"
        )
    finally:
        con.unregister("staged")


def _apply_counts(
    report: ImportReport, sources: list[Source], table: vocab.Table, counted: pl.DataFrame
) -> dict[int, TableCount]:
    per_source: dict[int, TableCount] = {}
    total = report.counts.setdefault(table.name, TableCount())
    for src, n_rows, n_updated in counted.iter_rows():  # one step per source
        per_source[src] = TableCount(n_rows - n_updated, n_updated)
        total.added += n_rows - n_updated
        total.updated += n_updated
    return per_source


# --- entry point ----------------------------------------------------------------------------------


def import_files(
    db_path: str | os.PathLike,
    paths: Sequence[str | os.PathLike],
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    display_names: Sequence[str] | None = None,
) -> ImportReport:
    """Validate these files as one set and, if nothing is wrong and not dry_run, write them atomically."""
    db_path = Path(db_path)
    paths = [Path(p) for p in paths]
    names = list(display_names) if display_names is not None else [p.name for p in paths]
    if len(names) != len(paths):
        raise ValueError("display_names must name every path")
    report = ImportReport(dry_run=dry_run, files=names)

    reading = _read_all(paths, names, progress)
    report.notices = reading.notices
    sources = reading.sources
    by_table: dict[str, list[Source]] = {}
    for src in sources:
        by_table.setdefault(src.table.name, []).append(src)

    checks: list[_Check] = []
    typed: dict[str, pl.DataFrame] = {}
    tables = [t for t in vocab.TABLES if t.name in by_table]
    for k, table in enumerate(tables):
        if progress:
            progress("check", k, len(tables))
        stacked = _stack(table, by_table[table.name])
        frame, table_checks = _parse_table(table, stacked, sources)
        if table.name == "dang_ky":
            frame = _registration_keys(frame)
        if table.name == "hoi_nghi":
            frame = frame.with_columns(
                parse.conference_key(
                    pl.col("ma_don_vi"), pl.col("nam"), pl.col("loai_hoi_nghi"), pl.col("ngay")
                ).alias("ma_hoi_nghi")
            )
        table_checks += _duplicates(table, frame)
        checks += table_checks
        typed[table.name] = frame
        report.rows_read[table.name] = frame.height
    if tables:
        try:
            stored = _stored_units(db_path)
        except (duckdb.Error, OSError) as exc:  # not a DuckDB file, a directory, unreadable
            report.problems = [*reading.problems, _database_problem(db_path, exc)]
            return report
        checks += _unit_checks(typed, stored)
    if progress:
        progress("check", len(tables), len(tables))

    problems = reading.problems + _problems(checks, sources)
    report.problems = _sorted(problems, names, sources)
    if not report.ok:
        return report

    staged = {name: _staged(vocab.TABLES_BY_NAME[name], frame) for name, frame in typed.items()}
    if dry_run:
        try:
            _dry_run_counts(db_path, report, sources, staged)
        except (duckdb.Error, OSError) as exc:
            report.counts.clear()
            report.problems.append(_database_problem(db_path, exc))
        return report
    try:
        _commit(db_path, report, sources, staged, reading.file_hashes, progress)
    except (duckdb.Error, OSError) as exc:  # disk full, permissions, a constraint validation missed
        report.counts.clear()
        detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
        report.problems.append(Problem(None, None, None, None, None, "write_failed", {"detail": detail}))
    return report


def _dry_run_counts(
    db_path: Path, report: ImportReport, sources: list[Source], staged: dict[str, pl.DataFrame]
) -> None:
    if not db_path.exists():
        for name, frame in staged.items():
            report.counts[name] = TableCount(frame.height, 0)
        return
    con = store.connect_read_only(db_path)
    try:
        for name, frame in staged.items():
            _apply_counts(
                report,
                sources,
                vocab.TABLES_BY_NAME[name],
                _count_existing(con, vocab.TABLES_BY_NAME[name], frame),
            )
    finally:
        con.close()


def _commit(
    db_path: Path,
    report: ImportReport,
    sources: list[Source],
    staged: dict[str, pl.DataFrame],
    hashes: list[str | None],
    progress: Progress | None,
) -> None:
    log: dict[tuple[int, str], TableCount] = {}
    with store.write_transaction(db_path) as con:
        for k, (name, frame) in enumerate(staged.items()):
            if progress:
                progress("write", k, len(staged))
            table = vocab.TABLES_BY_NAME[name]
            per_source = _apply_counts(report, sources, table, _count_existing(con, table, frame))
            _write(con, table, frame)
            for src in sources:
                if src.table.name == name:
                    entry = log.setdefault((src.file_index, name), TableCount())
                    count = per_source.get(src.index, TableCount())
                    entry.added += count.added
                    entry.updated += count.updated
        import_id = int(con.execute("select nextval('nhat_ky_nhap_seq')").fetchone()[0])
        now = datetime.now()
        for (file_index, name), count in log.items():
            con.execute(
                "insert into nhat_ky_nhap values ($id, $at, $file, $sha, $table, $added, $updated)",
                {
                    "id": import_id,
                    "at": now,
                    "file": report.files[file_index],
                    "sha": hashes[file_index],
                    "table": name,
                    "added": count.added,
                    "updated": count.updated,
                },
            )
    if progress:
        progress("write", len(staged), len(staged))
    report.import_id = import_id
    report.written = True


def _sorted(problems: list[Problem], names: list[str], sources: list[Source]) -> list[Problem]:
    """Problems in reading order: file, sheet (workbook order), row, column (template order)."""
    file_order = {n: i for i, n in reversed(list(enumerate(names)))}
    sheet_order: dict[tuple[str, str | None], int] = {}
    column_order: dict[tuple[str, str | None, str | None], int] = {}
    for src in sources:
        sheet_order.setdefault((src.file, src.sheet), src.index)
        for j, col in enumerate(src.table.columns):
            column_order.setdefault((src.file, src.sheet, src.header(col.alias)), j)

    def key(p: Problem):
        return (
            file_order.get(p.file, len(names)),
            sheet_order.get((p.file, p.sheet), len(sources)),
            p.row if p.row is not None else -1,
            column_order.get((p.file, p.sheet, p.column), len(vocab.REGISTRATIONS.columns)),
        )

    return sorted(problems, key=key)

"""import_files(): read .xlsx/.csv files, validate every row against the template, write all or nothing.

The pipeline, column-wise throughout (Polars expressions and DuckDB SQL over whole columns, no
loop per row), in bounded memory whatever the files' size:

1. open: each file is recognised (queries/readers/): a workbook's sheets are read whole (they are
   small), a CSV only its beginning (encoding, separator, header row). Each table found has its
   header row located under any title rows and its columns mapped to the template's aliases.
2. read and check, table by table in vocab.TABLES order (units first, so their codes are known):
   each source's rows come a piece at a time (a CSV in pieces of about CHUNK_BYTES, cut at record
   boundaries; a sheet in one piece); blank rows and a trailing total row are dropped, every row
   keeps `_row` (the row number Excel shows) and `_src` (its file/sheet). Each piece is cleaned
   (NFC, trimmed) and typed (parse.py), checked rule by rule (the first MAX_LISTED problems per
   rule and column are listed, the rest counted), and put into DuckDB: a stage table, or straight
   into the table when it is still empty (see _check_rows). Across rows, in SQL: duplicate keys,
   the unit tree (missing parents, successors, cycles).
3. write: all of this happens inside ONE store.write_transaction, on the database's private copy;
   only when there is no problem at all are the staged tables upserted by key, with a row per
   file and table in nhat_ky_nhap, and the copy swapped in; else the copy is discarded. A dry run
   (or files already known bad) checks the same way in a private in-memory connection that reads
   the live database, read-only.

Keys (DOMAIN.md section 3): don_vi ma_don_vi; quy_mo ma_don_vi + nam; khen_thuong ma_khen_thuong =
"so_quyet_dinh|year of the decision (else nam)|doi_tuong|ten_chu_the", texts in lower case with
single spaces (parse.award_key); hoi_nghi ma_hoi_nghi = "ma_don_vi|nam|loai_hoi_nghi|yyyy-mm-dd" (empty
date part without a date); dang_ky ma_dang_ky, or when empty "DK-" + 16 hex digits of SHA-1 over
the fold()-ed nam|ma_don_vi|doi_tuong|ten_chu_the|ten_mo_hinh|phong_trao (parse.registration_key):
stable across re-imports and re-typing in another case, accent placement or spacing, but a
corrected model name makes a new row, and adding codes later to rows imported without them
does not find the old rows.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from queries import (
    aggregates,
    history,
    import_diff,
    messages,
    parse,
    readers,
    sandbox,
    store,
    template,
    vocab,
    xlsx_guard,
)

Progress = Callable[[str, int, int], None]

TYPE_CODES = {vocab.INTEGER: "bad_integer", vocab.NUMBER: "bad_number", vocab.DATE: "bad_date"}
TEXT_SUFFIX = "#text"
INT32_MAX = 2**31 - 1
_DTYPES = {vocab.TEXT: pl.String, vocab.INTEGER: pl.Int64, vocab.NUMBER: pl.Float64, vocab.DATE: pl.Date}


# --- report -------------------------------------------------------------------------------------


@dataclass
class TableCount:
    """Rows of one table added (new key) and updated (key already stored); of the updated ones,
    changed (some value differs) and unchanged; missing: stored rows of a unit-year the import
    re-sends that it does not hold (kept; import_diff)."""

    added: int = 0
    updated: int = 0
    changed: int = 0
    unchanged: int = 0
    missing: int = 0


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
    diffs: dict[str, import_diff.TableDiff] = field(default_factory=dict)
    db_version: str | None = None  # the database version checked against (store.read_version)
    file_hashes: list[str | None] = field(default_factory=list)

    def changes_frame(self) -> pl.DataFrame:
        """Every changed field and missing record, per table and unit (import_diff.changes_frame)."""
        return import_diff.changes_frame(self.diffs)

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems

    @property
    def problem_count(self) -> int:
        """How many problems were found: those listed plus those only counted (more_problems)."""
        more = [p for p in self.problems if p.code == "more_problems"]
        return len(self.problems) - len(more) + sum(p.params["count"] for p in more)

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
            n = self.problem_count
            if vi:
                return f"Không nhập: phát hiện {fmt(n)} lỗi, cơ sở dữ liệu không thay đổi."
            return (
                f"Nothing imported: {fmt(n)} problem{'s' if n != 1 else ''} found, the database is unchanged."
            )
        parts = []
        for name, count in self.counts.items():
            label = messages.table_name(name, lang)
            if vi:
                part = f"{label}: {fmt(count.added)} dòng mới, {fmt(count.changed)} dòng thay đổi, "
                part += f"{fmt(count.unchanged)} dòng không đổi"
                if count.missing:
                    part += f", {fmt(count.missing)} dòng đã lưu không có trong tệp (giữ nguyên)"
            else:
                part = f"{label}: {fmt(count.added)} added, {fmt(count.changed)} changed, "
                part += f"{fmt(count.unchanged)} unchanged"
                if count.missing:
                    part += f", {fmt(count.missing)} stored not in the files (kept)"
            parts.append(part)
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

# CSV files are read in pieces of about this many bytes (memory stays bounded whatever the size);
# a smaller file is one piece. DVK_IMPORT_CHUNK_BYTES overrides it (tests read in tiny pieces).
CHUNK_BYTES = int(os.environ.get("DVK_IMPORT_CHUNK_BYTES") or 16 << 20)
MAX_LISTED = 1000  # problems listed per table, rule and column; the rest are counted
MEMORY_LIMIT = "1GB"  # DuckDB's working memory while importing; beyond it, it spills to disk
COMMIT_ROWS = 1_000_000  # rows between commits inside the database's private copy (see _store_piece)


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
    located: readers.Located  # a sheet's whole grid, or a CSV's first rows
    text: readers.TextFile | None = None  # a CSV, read again in pieces for its rows
    notices: list[Notice] = field(default_factory=list)  # what reading its rows found
    rows: int = 0  # data rows read

    def header(self, alias: str) -> str:
        """The header as written in the file, or the template's header if the column is absent."""
        return self.headers.get(alias) or self.table.column(alias).header

    def pieces(self, chunk_bytes: int):
        """(grid row index of the first row, cells, typed cells or None) in order."""
        if self.text is None:
            grid = self.located.grid
            return [(0, grid.cells, grid.typed)]
        return ((offset, cells, None) for offset, cells in readers.grid_pieces(self.text, chunk_bytes))

    def steps(self, chunk_bytes: int) -> int:
        """About how many pieces (progress steps) its rows come in."""
        return 1 if self.text is None else max(1, -(-self.text.size // max(chunk_bytes, 1)))


class _Restart(Exception):
    """A file turned out, past its beginning, not to be what its beginning said (not UTF-8 after
    all, or unparseable): the import starts again with that file read as `how`."""

    def __init__(self, file_index: int, how: tuple):
        super().__init__(file_index, how)
        self.file_index = file_index
        self.how = how


@dataclass
class _Reading:
    sources: list[Source] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Notice, or a function giving the notices known only once the rows have been read
    notices: list[Notice | Callable[[], list[Notice]]] = field(default_factory=list)
    file_hashes: list[str | None] = field(default_factory=list)
    texts: dict[int, readers.TextFile] = field(default_factory=dict)
    partial: set[int] = field(default_factory=set)  # CSVs whose grid holds their first rows only

    def all_notices(self) -> list[Notice]:
        """The notices in file order, those found while reading rows included."""
        out: list[Notice] = []
        for item in self.notices:
            out.extend(item() if callable(item) else [item])
        return out

    def file_hash(self, file_index: int) -> str | None:
        """The SHA-256 of a file (a CSV's is known once it has been read whole)."""
        text = self.texts.get(file_index)
        return self.file_hashes[file_index] or (text.sha256 if text is not None else None)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 22):
            digest.update(block)
    return digest.hexdigest()


def _read_all(paths: list[Path], names: list[str], forced: dict[int, tuple]) -> _Reading:
    """Open every file, recognise its tables and headers (a CSV's rows are read later, in pieces)."""
    out = _Reading()
    sizes: dict[int, int] = {}
    for i, path in enumerate(paths):
        with contextlib.suppress(OSError):
            sizes[i] = path.stat().st_size
    repeated = {size for size in sizes.values() if list(sizes.values()).count(size) > 1}
    seen: dict[str, str] = {}
    for i, (path, name) in enumerate(zip(paths, names, strict=True)):
        try:
            with open(path, "rb") as fh:
                start = fh.read(8)
                size = os.fstat(fh.fileno()).st_size
            excel = _is_excel(path, name, start)
            raw = path.read_bytes() if excel else None
            digest = hashlib.sha256(raw).hexdigest() if raw is not None else None
            if digest is None and size in repeated:  # only files of equal size can be equal
                digest = _sha256(path)
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
        out.file_hashes.append(digest)
        if digest is not None:
            if digest in seen:
                out.problems.append(
                    Problem(name, None, None, None, None, "duplicate_file", {"other": seen[digest]})
                )
                continue
            seen[digest] = name
        if size == 0:
            out.problems.append(Problem(name, None, None, None, None, "empty_file"))
            continue
        how = forced.get(i, ())
        try:
            if how[:1] == ("unreadable",):
                raise readers.UnreadableFile(how[1])
            if excel:
                grids = [
                    (g, readers.table_for_file_name(g.sheet or "")) for g in sandbox.read_excel(path, name)
                ]
            else:
                grids = [_open_csv(i, path, name, out, fallback=how[:1] == ("fallback",))]
        except readers.PasswordProtected:
            out.problems.append(Problem(name, None, None, None, None, "password_protected"))
            continue
        except readers.SheetTooLarge as exc:
            out.problems.append(
                Problem(name, exc.sheet, None, None, exc.last_cell, "sheet_too_large", {"cells": exc.cells})
            )
            continue
        except xlsx_guard.DecompressedTooLarge:
            out.problems.append(Problem(name, None, None, None, None, "decompressed_too_large"))
            continue
        except xlsx_guard.Damaged as exc:
            out.problems.append(Problem(name, None, None, None, None, "damaged", {"detail": str(exc)}))
            continue
        except sandbox.ReadTimeout as exc:
            out.problems.append(
                Problem(name, None, None, None, None, "read_timeout", {"seconds": int(exc.seconds)})
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
    return out


def _is_excel(path: Path, name: str, start: bytes) -> bool:
    suffix = Path(name).suffix.lower() or path.suffix.lower()
    if suffix in readers.EXCEL_SUFFIXES:
        return True
    if suffix in readers.TEXT_SUFFIXES:
        return False
    return start[:4] in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # zip (xlsx) or OLE (xls)


def _open_csv(
    file_index: int, path: Path, name: str, out: _Reading, *, fallback: bool
) -> tuple[readers.Grid, vocab.Table | None]:
    """A CSV's encoding, separator and first rows (its grid here holds those rows only)."""
    by_name = readers.table_for_file_name(name)
    text, grid, complete = readers.open_text(path, name, by_name, fallback=fallback)
    out.texts[file_index] = text
    out.notices.append(
        Notice(
            name, None, None, None, None, "encoding", {"encoding": text.encoding, "separator": text.separator}
        )
    )

    def lossy() -> list[Notice]:
        if text.codec is not None and text.sha256 is None:
            # never read whole (the import stopped early): look now
            for _ in readers.grid_pieces(text, CHUNK_BYTES, hash_file=True):
                pass
        return [Notice(name, None, None, None, None, "lossy_encoding")] if text.lossy else []

    out.notices.append(lossy)
    if not complete:
        out.partial.add(file_index)
    return grid, by_name


def _grid_is_empty(grid: readers.Grid, rest: readers.TextFile | None) -> bool:
    """No cell holds more than whitespace (`rest`: the CSV this grid only begins)."""
    cells = grid.cells
    if cells.height and cells.width and cells.select(readers.non_blank_row(cells.columns).any()).item():
        return False
    if rest is None:
        return True
    text = rest
    # a CSV whose first rows are all blank: look at the rest
    for _, piece in readers.grid_pieces(text, CHUNK_BYTES, hash_file=False):
        if piece.width and piece.select(readers.non_blank_row(piece.columns).any()).item():
            return False
    return True


def _locate_all(
    file_index: int, name: str, grids: list[tuple[readers.Grid, vocab.Table | None]], out: _Reading
) -> None:
    found_any = False
    text = out.texts.get(file_index)
    for grid, by_name in grids:
        sheet = grid.sheet
        if _grid_is_empty(grid, text if file_index in out.partial else None):
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
            elif sheet is not None and not template.is_product_sheet(sheet):
                out.notices.append(Notice(name, sheet, None, None, None, "ignored_sheet"))
            continue
        found_any = True
        _add_source(file_index, name, located, out, text)
    if not found_any:
        out.problems.append(Problem(name, None, None, None, None, "no_table"))


def _add_source(
    file_index: int, name: str, located: readers.Located, out: _Reading, text: readers.TextFile | None
) -> None:
    table, sheet = located.table, located.grid.sheet
    header_row = located.header_index + 1
    for written in located.ignored:
        out.notices.append(Notice(name, sheet, header_row, written, None, "ignored_column"))
    for written in located.duplicates:
        out.problems.append(Problem(name, sheet, header_row, written, None, "duplicate_column"))
    missing = {c.alias for c in table.columns if c.required and c.alias not in located.headers}
    for col in table.columns:
        if col.alias in missing:
            out.problems.append(
                Problem(name, sheet, None, col.header, None, "missing_column", {"table": table.name})
            )
    src = Source(
        len(out.sources), file_index, name, sheet, table, located.headers, header_row, missing, located, text
    )
    out.sources.append(src)
    out.notices.append(lambda: src.notices)


def _body_notices(src: Source, stream: readers.BodyStream) -> list[Notice]:
    """What reading a source's rows found: title, blank, numbering and total rows; the row count."""
    name, sheet = src.file, src.sheet
    out = []
    if stream.title_rows:
        out.append(
            Notice(
                name,
                sheet,
                None,
                None,
                None,
                "title_rows",
                {"count": stream.title_rows, "header_row": src.header_row},
            )
        )
    if stream.blank_rows:
        out.append(Notice(name, sheet, None, None, None, "blank_rows", {"count": stream.blank_rows}))
    if stream.numbering_row is not None:
        out.append(Notice(name, sheet, stream.numbering_row, None, None, "numbering_row"))
    for row in stream.total_rows:
        out.append(Notice(name, sheet, row, None, None, "total_row"))
    out.append(
        Notice(name, sheet, None, None, None, "table", {"table": src.table.name, "rows": stream.height})
    )
    return out


# --- validation ---------------------------------------------------------------------------------


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


# Tables whose stored key is derived from several columns (DuckDB keys cannot be expressions or NULL).
DERIVED_KEYS = {"don_vi": "ma_hieu_luc", "hoi_nghi": "ma_hoi_nghi", "khen_thuong": "ma_khen_thuong"}


def _key_columns(table: vocab.Table) -> list[str]:
    return [DERIVED_KEYS[table.name]] if table.name in DERIVED_KEYS else list(table.key)


def _shown_key(table: vocab.Table, frame: pl.DataFrame) -> pl.Expr:
    """How a row's key is shown in a duplicate_key problem (null where the key itself is shown)."""
    if table.name == "hoi_nghi":
        return pl.concat_str(
            [
                pl.col("ma_don_vi"),
                pl.col("nam").cast(pl.String),
                pl.col("loai_hoi_nghi"),
                pl.col("ngay").dt.strftime("%d/%m/%Y"),
            ],
            separator=" | ",
            ignore_nulls=True,
        )
    if table.name == "khen_thuong":
        return pl.concat_str(
            [
                pl.col("so_quyet_dinh"),
                pl.coalesce(pl.col("ngay_quyet_dinh").dt.year().cast(pl.Int64), pl.col("nam")).cast(
                    pl.String
                ),
                pl.col("doi_tuong"),
                pl.col("ten_chu_the"),
            ],
            separator=" | ",
        )
    if table.name == "don_vi":
        return pl.concat_str(
            [pl.col("ma_don_vi"), pl.col("hieu_luc_tu").dt.strftime("%d/%m/%Y")],
            separator=" | ",
            ignore_nulls=True,
        )
    if table.name == "dang_ky":
        # a derived key says little to the user; point at the model instead
        shown = pl.concat_str(
            [pl.col("ten_chu_the"), pl.col("ten_mo_hinh"), pl.col("nam").cast(pl.String)], separator=" | "
        )
        return pl.when(pl.col("_key_derived")).then(shown)
    return pl.concat_str([pl.col(k).cast(pl.String) for k in table.key], separator=" | ")


def _key_sources(frame: pl.DataFrame) -> pl.DataFrame:
    """For rows of dang_ky without `Mã đăng ký`, the text its derived key hashes
    (parse.registration_key_source; DuckDB hashes it while staging)."""
    need = frame.get_column("ma_dang_ky").is_null()
    source = pl.repeat(None, frame.height, dtype=pl.String, eager=True)
    if need.any():
        index = need.arg_true()
        source = source.scatter(index, parse.registration_key_source(frame[index]))
    return frame.with_columns(need.alias("_key_derived"), source.alias("_key_source"))


def _unknown_units(frame: pl.DataFrame, known: pl.Series) -> _Check:
    bad = frame.filter(pl.col("ma_don_vi").is_not_null() & ~pl.col("ma_don_vi").is_in(known.implode()))
    return _Check("ma_don_vi", "unknown_unit", bad.select("_src", "_row", pl.col("ma_don_vi").alias("value")))


def _date_order(frame: pl.DataFrame) -> _Check:
    order = frame.filter(pl.col("hieu_luc_den") < pl.col("hieu_luc_tu"))
    return _Check(
        "hieu_luc_den",
        "date_order",
        order.select(
            "_src",
            "_row",
            pl.col("hieu_luc_den" + TEXT_SUFFIX).alias("value"),
            pl.col("hieu_luc_tu").dt.strftime("%d/%m/%Y").alias("p_start"),
        ),
    )


# The columns of a unit's history that the checks across rows look at (stored and imported).
_UNIT_HISTORY = ("ma_hieu_luc", "ma_don_vi", "ma_cap_tren", "hieu_luc_tu", "hieu_luc_den", "ma_ke_thua")


def _corrections(imported: pl.DataFrame, stored: pl.DataFrame) -> pl.DataFrame:
    """(old_key, new_key): a unit with one stored row and one imported row under the same superior
    but another start date is that row corrected, as when the code alone was the key (a file
    re-sent with a fixed date keeps importing); a unit with a new superior is a new period."""
    one_imported = imported.filter(pl.col("ma_don_vi").is_not_null() & (pl.len().over("ma_don_vi") == 1))
    one_stored = stored.filter(pl.len().over("ma_don_vi") == 1)
    pairs = one_imported.join(one_stored, on="ma_don_vi", suffix="_stored").filter(
        (pl.col("ma_hieu_luc") != pl.col("ma_hieu_luc_stored"))
        & pl.col("ma_cap_tren").eq_missing(pl.col("ma_cap_tren_stored"))
    )
    return pairs.select(pl.col("ma_hieu_luc_stored").alias("old_key"), pl.col("ma_hieu_luc").alias("new_key"))


def _unit_tree_checks(imported: pl.DataFrame, stored: pl.DataFrame, corrected: pl.DataFrame) -> list[_Check]:
    """Parents and successors known; no loops in the tree; a chi bộ trực thuộc (a branch of a đảng
    bộ cơ sở) has a parent, as only a root has none; a unit's rows do not overlap in time; a
    successor carries on the day after its predecessor ended, with no loop of successions
    (imported: _src, _row, _UNIT_HISTORY, cap of the units in this import, in reading order;
    stored: _UNIT_HISTORY of the stored rows, those with an imported key being replaced, and those
    `corrected`)."""
    checks: list[_Check] = []
    orphans = imported.filter((pl.col("cap") == vocab.LEVEL_BRANCH) & pl.col("ma_cap_tren").is_null())
    if orphans.height:
        rows = orphans.select("_src", "_row", pl.lit("").alias("value"))
        checks.append(_Check("ma_cap_tren", "branch_without_parent", rows))
    known = pl.concat([stored.select("ma_don_vi"), imported.select("ma_don_vi").drop_nulls()])
    known_codes = known.get_column("ma_don_vi").unique().implode()

    def unknown(alias: str, code: str) -> None:
        bad = imported.filter(pl.col(alias).is_not_null() & ~pl.col(alias).is_in(known_codes))
        if bad.height:
            checks.append(_Check(alias, code, bad.select("_src", "_row", pl.col(alias).alias("value"))))

    unknown("ma_cap_tren", "missing_parent")
    unknown("ma_ke_thua", "unknown_successor")
    # the unit rows once this import is written: the stored ones it does not replace, and its own
    # (the first of a duplicated key: the duplicate is reported apart)
    incoming = imported.filter(pl.col("ma_don_vi").is_not_null()).unique(
        "ma_hieu_luc", keep="first", maintain_order=True
    )
    replaced = pl.concat([incoming.get_column("ma_hieu_luc"), corrected.get_column("old_key")])
    kept = stored.filter(~pl.col("ma_hieu_luc").is_in(replaced.implode()))
    after = pl.concat(
        [
            kept.select(
                *_UNIT_HISTORY, pl.lit(None, pl.Int32).alias("_src"), pl.lit(None, pl.Int64).alias("_row")
            ),
            incoming.select(*_UNIT_HISTORY, pl.col("_src").cast(pl.Int32), pl.col("_row").cast(pl.Int64)),
        ]
    )
    checks += _history_checks(after)
    edges = after.select("ma_don_vi", "ma_cap_tren").unique(maintain_order=True)
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
    return checks


def _dmy(column: str) -> pl.Expr:
    return pl.col(column).dt.strftime("%d/%m/%Y")


def _history_checks(after: pl.DataFrame) -> list[_Check]:
    """A unit's rows in time and its successions (DOMAIN.md section 3), over the unit rows as they
    will be once the import is written (after: _UNIT_HISTORY, _src and _row, null for stored
    rows). Only imported rows are reported: a stored row in conflict is named in the reason."""
    checks: list[_Check] = []
    imported = pl.col("_src").is_not_null()
    # overlapping rows of one code: each row against the next one by start (no start = the
    # earliest, no end = open), reported on the imported one of the pair
    ordered = after.sort("ma_don_vi", "hieu_luc_tu", nulls_last=False).with_columns(
        pl.col(c).shift(1).over("ma_don_vi").alias(f"prev_{c.lstrip('_')}")
        for c in ("hieu_luc_tu", "hieu_luc_den", "_src", "_row", "ma_hieu_luc")
    )
    overlaps = ordered.filter(
        pl.col("prev_ma_hieu_luc").is_not_null()
        & (
            pl.col("prev_hieu_luc_den").is_null()
            | pl.col("hieu_luc_tu").is_null()
            | (pl.col("hieu_luc_tu") <= pl.col("prev_hieu_luc_den"))
        )
    )
    period = pl.concat_str(
        [_dmy("prev_hieu_luc_tu").fill_null("…"), _dmy("prev_hieu_luc_den").fill_null("…")], separator=" – "
    )
    later = overlaps.filter(imported)
    if later.height:
        rows = later.select(
            "_src",
            "_row",
            _dmy("hieu_luc_tu").fill_null("").alias("value"),
            period.alias("p_period"),
            pl.col("ma_don_vi").alias("p_code"),
            pl.col("prev_src").alias("p_src"),
            pl.col("prev_row").alias("p_row"),
        )
        in_import = rows.filter(pl.col("p_src").is_not_null())
        if in_import.height:
            checks.append(_Check("hieu_luc_tu", "validity_overlap", in_import))
        with_stored = rows.filter(pl.col("p_src").is_null()).drop("p_src", "p_row")
        if with_stored.height:
            checks.append(_Check("hieu_luc_tu", "validity_overlap_stored", with_stored))
    # an imported row overlapping a later stored row: reported on the imported (earlier) row
    earlier = overlaps.filter(~imported & pl.col("prev_src").is_not_null())
    if earlier.height:
        checks.append(
            _Check(
                "hieu_luc_den",
                "validity_overlap_stored",
                earlier.select(
                    pl.col("prev_src").alias("_src"),
                    pl.col("prev_row").alias("_row"),
                    _dmy("prev_hieu_luc_den").fill_null("").alias("value"),
                    pl.concat_str(
                        [_dmy("hieu_luc_tu").fill_null("…"), _dmy("hieu_luc_den").fill_null("…")],
                        separator=" – ",
                    ).alias("p_period"),
                    pl.col("ma_don_vi").alias("p_code"),
                ),
            )
        )
    # a successor needs the end of the unit it carries on
    successions = after.filter(imported & pl.col("ma_ke_thua").is_not_null())
    no_end = successions.filter(pl.col("hieu_luc_den").is_null())
    if no_end.height:
        checks.append(
            _Check(
                "ma_ke_thua",
                "successor_without_end",
                no_end.select("_src", "_row", pl.col("ma_ke_thua").alias("value")),
            )
        )
    # ... and is active the day after it (some row of the successor covers that day)
    ended = successions.filter(pl.col("hieu_luc_den").is_not_null()).with_columns(
        (pl.col("hieu_luc_den") + pl.duration(days=1)).alias("_next_day")
    )
    if ended.height:
        known = set(after.get_column("ma_don_vi").to_list())
        covering = ended.join(
            after.select(
                pl.col("ma_don_vi").alias("ma_ke_thua"),
                pl.col("hieu_luc_tu").alias("s_from"),
                pl.col("hieu_luc_den").alias("s_to"),
            ),
            on="ma_ke_thua",
            how="inner",
        ).filter(
            (pl.col("s_from").is_null() | (pl.col("s_from") <= pl.col("_next_day")))
            & (pl.col("s_to").is_null() | (pl.col("s_to") >= pl.col("_next_day")))
        )
        inactive = ended.filter(
            pl.col("ma_ke_thua").is_in(list(known))  # an unknown successor is reported as such
            & ~pl.struct("_src", "_row").is_in(
                covering.select(pl.struct("_src", "_row")).to_series().implode()
            )
        )
        if inactive.height:
            checks.append(
                _Check(
                    "ma_ke_thua",
                    "successor_inactive",
                    inactive.select(
                        "_src", "_row", pl.col("ma_ke_thua").alias("value"), _dmy("_next_day").alias("p_day")
                    ),
                )
            )
    # no loop of successions (A → B → A, or A → A)
    chain = (
        after.filter(pl.col("ma_ke_thua").is_not_null())
        .select("ma_don_vi", pl.col("ma_ke_thua").alias("ma_cap_tren"))
        .unique(maintain_order=True)
    )
    looped = _cycle_members(chain)
    if looped:
        next_of = dict(chain.filter(pl.col("ma_don_vi").is_in(list(looped))).iter_rows())
        on_loop = successions.filter(pl.col("ma_don_vi").is_in(list(looped)))
        if on_loop.height:
            paths = {code: _cycle_path(code, next_of) for code in on_loop.get_column("ma_don_vi").to_list()}
            checks.append(
                _Check(
                    "ma_ke_thua",
                    "succession_cycle",
                    on_loop.select(
                        "_src",
                        "_row",
                        pl.col("ma_ke_thua").alias("value"),
                        pl.col("ma_don_vi").replace_strict(paths, default=None).alias("p_path"),
                    ),
                )
            )
    return checks


# The order problems of one cell are listed in (after sorting by place): value checks and
# duplicate keys first, then the unit checks in this order.
_UNIT_RANK = {
    "unknown_unit": 1,
    "missing_parent": 2,
    "branch_without_parent": 2,
    "unknown_successor": 3,
    "cycle": 4,
    "date_order": 5,
    "validity_overlap": 6,
    "validity_overlap_stored": 6,
    "successor_without_end": 7,
    "successor_inactive": 7,
    "succession_cycle": 8,
}


class _Collector:
    """Problems of the row checks: the first MAX_LISTED per table, rule and column are listed,
    the rest counted into one more_problems entry."""

    def __init__(self, sources: list[Source]):
        self.sources = sources
        self.found: list[tuple[int, int, Problem]] = []
        self.counts: dict[tuple[str, str, str], int] = {}
        self.headers: dict[tuple[str, str, str], str] = {}

    def add(self, table: vocab.Table, checks: list[_Check]) -> None:
        for check in checks:
            n = check.total if check.total is not None else check.rows.height
            if n == 0:
                continue
            key = (table.name, check.code, check.alias)
            have = self.counts.get(key, 0)
            room = MAX_LISTED - have
            if room > 0:
                rows = check.rows.head(room)
                for problem in _problems([_Check(check.alias, check.code, rows, check.params)], self.sources):
                    self.found.append((_UNIT_RANK.get(check.code, 0), len(self.found), problem))
                    self.headers.setdefault(key, problem.column or check.alias)
            self.counts[key] = have + n

    @property
    def any(self) -> bool:
        """Whether a problem was found."""
        return bool(self.counts)

    def problems(self) -> list[Problem]:
        """The listed problems, then one entry per rule and column with more than were listed."""
        out = [p for _, _, p in sorted(self.found, key=lambda f: (f[0], f[1]))]
        for key, n in self.counts.items():
            if n > MAX_LISTED:
                table, code, _ = key
                params = {"count": n - MAX_LISTED, "table": table, "code": code}
                out.append(Problem(None, None, None, self.headers[key], None, "more_problems", params))
        return out


# --- the database side: stage tables, duplicate keys, writes ------------------------------------


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


# A registration's key: its `Mã đăng ký`, else derived from its content (parse.registration_key).
DERIVED_KEY_SQL = "coalesce(ma_dang_ky, $prefix || left(sha1(_key_source), 16))"


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
                f" from dup_rows where {where} order by _src, _row limit {MAX_LISTED}"
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


# --- one pass: read rows, check them, stage them -----------------------------------------------


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
    checked here and the previous one is inserted by DuckDB (run.writer)."""
    steps = src.steps(run.chunk_bytes)
    taken = 0
    pieces = readers.prefetch(src.pieces(run.chunk_bytes))
    stream = readers.BodyStream(src.located, pieces)
    direct = table.name in run.direct
    writer = run.writer
    assert writer is not None  # open for the whole check (_check_rows)
    pending: concurrent.futures.Future | None = None  # the previous piece's insert
    try:
        for frame in stream:
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
        if run.uncommitted >= COMMIT_ROWS:
            _run(run.con, "commit")
            _run(run.con, "begin transaction")
            run.uncommitted = 0


# --- writing ------------------------------------------------------------------------------------


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


# --- entry point ----------------------------------------------------------------------------------


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
        stream = readers.BodyStream(src.located, src.pieces(CHUNK_BYTES))
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
            return _import(db_path, files, names, dry_run, progress, chunk_bytes or CHUNK_BYTES, forced, desk)
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
    _run(con, f"set memory_limit = '{MEMORY_LIMIT}'")
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


def _sorted(problems: list[Problem], names: list[str], sources: list[Source]) -> list[Problem]:
    """Problems in reading order: file, sheet (workbook order), row, column (template order)."""
    file_order: dict[str | None, int] = {n: i for i, n in reversed(list(enumerate(names)))}
    sheet_order: dict[tuple[str | None, str | None], int] = {}
    column_order: dict[tuple[str | None, str | None, str | None], int] = {}
    for src in sources:
        sheet_order.setdefault((src.file, src.sheet), src.index)
        for j, col in enumerate(src.table.columns):
            column_order.setdefault((src.file, src.sheet, src.header(col.alias)), j)

    def key(p: Problem):
        if p.code == "more_problems":  # after every listed problem, in the order found
            return (len(names) + 1, 0, 0, 0)
        return (
            file_order.get(p.file, len(names)),
            sheet_order.get((p.file, p.sheet), len(sources)),
            p.row if p.row is not None else -1,
            column_order.get((p.file, p.sheet, p.column), len(vocab.REGISTRATIONS.columns)),
        )

    return sorted(problems, key=key)

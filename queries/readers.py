"""Reading import files into raw grids of text: xlsx sheets through calamine, CSV with detection of
encoding and separator, then locating the table and its header row inside each grid.

A grid is a Polars frame of String columns c0..cN, one row per sheet row from row 1, so that grid
row k is the row Excel shows as k + 1. Excel grids also carry, per column, the cell read as a
datetime (non-null only for number and date cells), which the value parsers use.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from queries import vocab

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
TEXT_SUFFIXES = {".csv", ".txt", ".tsv", ".tab"}
HEADER_SCAN_ROWS = 20
SEPARATORS = (",", ";", "\t")
TOTAL_WORDS = {"tongcong", "tong", "cong", "tongso", "total"}
TOTAL_SCAN_COLUMNS = 3
TOTAL_SCAN_TAIL = 3  # a total row is one of the last rows with content
CELL_SUFFIX = "#cell"  # raw frame column holding the calamine datetime of a column's cells

# The csv module stops at a field over 128 KB by default; a CSV cell has no such limit, and a long
# title cell must not hide the header row under it (the process-wide limit only gets looser).
csv.field_size_limit(2**31 - 1)


class UnreadableFile(Exception):
    """The file cannot be read as a workbook or as text (carries a short technical reason)."""


MAX_COLUMNS = 16_384  # Excel's limit: a wider text file was not made by a spreadsheet


class PasswordProtected(UnreadableFile):
    """A workbook encrypted with a password (Excel's File > Info > Protect Workbook)."""


class SheetTooLarge(UnreadableFile):
    """A sheet whose used range (first to last cell) exceeds MAX_SHEET_CELLS."""

    def __init__(self, sheet: str, last_cell: str, cells: int):
        super().__init__(f"{sheet}: {last_cell}")
        self.sheet, self.last_cell, self.cells = sheet, last_cell, cells


# calamine materialises the whole rectangle from A1 to the last used cell: one stray cell in
# XFD1048576 of a 5 KB workbook asks for 17 billion cells and aborts the process (the dashboard
# with it). 30 million cells is 1,048,576 rows x 28 columns, more than any real template sheet.
MAX_SHEET_CELLS = 30_000_000
_ROW_REF = re.compile(rb'<row [^>]*?r="([0-9]+)"')
_WIDE_REF = re.compile(rb'<c r="([A-Z]{2,3})[0-9]')
_CHUNK = 16 << 20


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _column_letters(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def check_sheet_extents(path: Path) -> None:
    """Raise SheetTooLarge before calamine loads a sheet whose used range is absurdly large.

    Scans each worksheet's XML in streamed chunks with C-level regex searches (no Python loop
    per cell): the last row number, and the widest column among the rare 2-3 letter references.
    """
    import zipfile

    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return  # not a zip (xls, ods, junk): calamine reports it
    with book:
        names = {n.lower(): n for n in book.namelist()}
        for index, member in enumerate(sorted(n for n in names if n.startswith("xl/worksheets/sheet"))):
            max_row, max_col, tail = 0, 1, b""
            with book.open(names[member]) as xml:
                while chunk := xml.read(_CHUNK):
                    data = tail + chunk
                    rows = _ROW_REF.findall(data)
                    if rows:
                        max_row = max(max_row, max(map(int, rows)))
                    wide = set(_WIDE_REF.findall(data))
                    if wide:
                        max_col = max(max_col, *map(_column_number, wide))
                    elif max_col < 27 and re.search(rb'<c r="[A-Z][0-9]', data):
                        max_col = max(max_col, 26)
                    tail = data[-64:]
            if max_row * max_col > MAX_SHEET_CELLS:
                raise SheetTooLarge(
                    _sheet_name(book, index) or member,
                    f"{_column_letters(max_col)}{max_row}",
                    max_row * max_col,
                )


def _sheet_name(book, index: int) -> str | None:
    """The sheet's name as Excel shows it, from workbook.xml (best effort)."""
    try:
        names = re.findall(rb'<sheet [^>]*?name="([^"]*)"', book.read("xl/workbook.xml"))
        return names[index].decode("utf-8") if index < len(names) else None
    except (KeyError, UnicodeDecodeError):
        return None


class TooManyColumns(UnreadableFile):
    """A text file wider than MAX_COLUMNS (reading it column by column would take minutes)."""

    def __init__(self, columns: int):
        super().__init__(f"{columns} columns")
        self.columns = columns


@dataclass
class Grid:
    """The raw cells of one sheet (or one CSV file) as text, plus calamine's typed view."""

    file: str
    sheet: str | None
    cells: pl.DataFrame  # String columns c0..cN; row k = Excel row k + 1
    typed: pl.DataFrame | None = None  # Datetime columns c0..cN (Excel only)


@dataclass
class Located:
    """A grid recognised as one table: which row holds the headers and which column is which."""

    grid: Grid
    table: vocab.Table
    header_index: int  # grid row of the header row (Excel row header_index + 1)
    columns: dict[int, str]  # grid column index -> alias
    headers: dict[str, str]  # alias -> header text as written
    ignored: list[str] = field(default_factory=list)  # unknown header texts
    duplicates: list[str] = field(default_factory=list)  # header texts of repeated columns


# --- header matching ----------------------------------------------------------------------------

_PARENS = re.compile(r"\([^)]*\)")


def _header_keys(text: str) -> list[str]:
    """Matching keys of a header cell: as written, and without a parenthesised note ("Năm (*)")."""
    keys = [vocab.fold_value(text)]
    bare = _PARENS.sub("", text)
    if bare != text:
        keys.append(vocab.fold_value(bare))
    return [k for k in keys if k]


HEADER_INDEX: dict[str, dict[str, str]] = {
    table.name: {
        key: col.alias
        for col in table.columns
        for key in (vocab.fold_value(col.header), col.alias.replace("_", ""))
    }
    for table in vocab.TABLES
}


def match_header(table: vocab.Table, text: str | None) -> str | None:
    """The alias of the column this header cell names in this table, if any."""
    if text is None:
        return None
    index = HEADER_INDEX[table.name]
    for key in _header_keys(str(text)):
        if key in index:
            return index[key]
    return None


def _row_score(table: vocab.Table, row: list[str | None]) -> int:
    return len({a for a in (match_header(table, c) for c in row) if a is not None})


def _recognised(table: vocab.Table, score: int) -> bool:
    """Enough known headers to take a sheet for this table when its name says nothing."""
    required = sum(1 for c in table.columns if c.required)
    return score >= 2 and score * 2 >= required


def find_header(rows: list[list[str | None]], table: vocab.Table | None) -> tuple[vocab.Table, int] | None:
    """The (table, row index) of the best header row in these first rows of a grid.

    With a table given (recognised by name), the row matching most of its headers; otherwise
    the table and row with the most matches, ties going to the table whose columns are better
    covered. None when no row looks like a header.
    """
    best: tuple[tuple[int, float], vocab.Table, int] | None = None
    for table_ in (table,) if table is not None else vocab.TABLES:
        for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
            score = _row_score(table_, row)
            if score == 0 or (table is None and not _recognised(table_, score)):
                continue
            rank = (score, score / len(table_.columns))
            if best is None or rank > best[0]:
                best = (rank, table_, i)
    return None if best is None else (best[1], best[2])


def table_for_file_name(name: str) -> vocab.Table | None:
    """The table a sheet or file name announces: exact name, or a prefix ("dang_ky_2021.csv")."""
    stem = Path(name).stem if Path(name).suffix.lower() in EXCEL_SUFFIXES | TEXT_SUFFIXES else name
    exact = vocab.table_for_name(stem)
    if exact is not None:
        return exact
    key = vocab.fold_value(stem)
    best = None
    for table in vocab.TABLES:
        for candidate in (vocab.fold_value(table.label), vocab.fold_value(table.name)):
            if key.startswith(candidate) and (best is None or len(candidate) > best[0]):
                best = (len(candidate), table)
    return None if best is None else best[1]


def locate(grid: Grid, by_name: vocab.Table | None) -> Located | None:
    """Find the header row and map the columns; None if the grid holds no recognisable header."""
    head = grid.cells.head(HEADER_SCAN_ROWS).rows()
    found = find_header([list(r) for r in head], by_name)
    if found is None:
        return None
    table, index = found
    columns: dict[int, str] = {}
    headers: dict[str, str] = {}
    ignored: list[str] = []
    duplicates: list[str] = []
    for j, text in enumerate(head[index]):
        if text is None or not str(text).strip():
            continue
        written = unicodedata.normalize("NFC", " ".join(str(text).split()))
        alias = match_header(table, text)
        if alias is None:
            ignored.append(written)
        elif alias in headers:
            duplicates.append(written)
        else:
            columns[j] = alias
            headers[alias] = written
    return Located(grid, table, index, columns, headers, ignored, duplicates)


# --- Excel --------------------------------------------------------------------------------------


def read_excel(path: Path, display: str) -> list[Grid]:
    """Every sheet of a workbook as a Grid (text and typed views)."""
    import fastexcel

    check_sheet_extents(path)
    try:
        reader = fastexcel.read_excel(str(path))
        grids = []
        for name in reader.sheet_names:
            text = _sheet_frame(reader, name, "string")
            grids.append(Grid(display, name, text, _typed_frame(reader, name, text)))
        return grids
    except Exception as exc:  # calamine/fastexcel raise several types for bad input
        if "password protected" in str(exc).lower():  # calamine: "Workbook is password protected"
            raise PasswordProtected(_short(exc)) from exc
        raise UnreadableFile(_short(exc)) from exc


def _typed_frame(reader, name: str, text: pl.DataFrame) -> pl.DataFrame | None:
    """The datetime view of a sheet, or None if it cannot be had (the text view then suffices)."""
    if not text.width:
        return None
    try:
        typed = _sheet_frame(reader, name, "datetime")
    except Exception:  # an odd cell type: fall back to reading numbers from their text
        return None
    return typed if typed.shape == text.shape else None


def _sheet_frame(reader, name: str, dtype: str) -> pl.DataFrame:
    sheet = reader.load_sheet(name, header_row=None, skip_rows=0, dtypes=dtype)
    frame = pl.DataFrame(sheet.to_arrow())
    if dtype == "string":  # Excel keeps text as typed, NFD included
        frame = frame.with_columns(pl.all().str.normalize("NFC"))
    return frame.rename({c: f"c{i}" for i, c in enumerate(frame.columns)})


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


# --- CSV ----------------------------------------------------------------------------------------


@dataclass
class Decoded:
    """A text file's bytes as UTF-8 for Polars, and what was detected."""

    data: bytes  # UTF-8, no BOM, NFC
    encoding: str  # "utf-8", "utf-8-sig", "utf-16", "cp1258"
    separator: str
    lossy: bool = False  # some bytes could not be decoded and were replaced


def decode(raw: bytes) -> tuple[str, str, bool]:
    """(text, encoding name, lossy) for the bytes of a CSV as Excel writes them."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[3:].decode("utf-8", errors="replace"), "utf-8-sig", False
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16", errors="replace"), "utf-16", False
    try:
        return raw.decode("utf-8"), "utf-8", False
    except UnicodeDecodeError:
        pass
    sample = raw[:4096]
    if sample and sample.count(0) * 4 > len(sample):  # UTF-16 without a BOM
        even_zeros = sample[0::2].count(0)
        odd_zeros = sample[1::2].count(0)
        enc = "utf-16-be" if even_zeros > odd_zeros else "utf-16-le"
        return raw.decode(enc, errors="replace"), "utf-16", False
    try:
        return raw.decode("cp1258"), "cp1258", False
    except UnicodeDecodeError:
        return raw.decode("cp1258", errors="replace"), "cp1258", True


def _head_records(
    text: str, separator: str, limit: int = HEADER_SCAN_ROWS, max_chars: int = 65536
) -> list[list[str]]:
    head = "\n".join(text[:max_chars].splitlines()[: limit * 2])
    reader = csv.reader(io.StringIO(head), delimiter=separator)
    out = []
    try:
        for record in reader:
            out.append(record)
            if len(out) >= limit:
                break
    except csv.Error:
        pass
    return out


def _first_lines(text: str, count: int) -> str:
    """The first `count` lines of text, each whole however long it is."""
    end = 0
    for _ in range(count):
        end = text.find("\n", end) + 1
        if end == 0:
            return text
    return text[:end]


_SEP_HINT = re.compile(r'^"?sep=(.)"?\s*$', re.IGNORECASE)


def detect_separator(text: str, table: vocab.Table | None) -> str:
    """Comma, semicolon or tab: Excel's "sep=;" first line if present, else the one under which
    some early record reads as a header row."""
    first_line = text[:64].split("\n", 1)[0]
    hint = _SEP_HINT.match(first_line.rstrip("\r"))
    if hint and hint.group(1) in SEPARATORS:
        return hint.group(1)
    best: tuple[tuple[int, int], str] | None = None
    for sep in SEPARATORS:
        records = _head_records(text, sep)
        cells = [[c or None for c in r] for r in records]
        found = find_header(cells, table)
        score = _row_score(found[0], cells[found[1]]) if found else 0
        widths = [len(r) for r in records if any(c.strip() for c in r)]
        width = max(widths) if widths else 0
        rank = (score, width)
        if best is None or rank > best[0]:
            best = (rank, sep)
    return best[1] if best else ","


def read_csv(raw: bytes, display: str, table: vocab.Table | None) -> tuple[Grid, Decoded]:
    """A CSV/text file as one Grid, with its detected encoding and separator."""
    text, encoding, lossy = decode(raw)
    already_nfc = unicodedata.is_normalized("NFC", text)
    if not already_nfc:
        text = unicodedata.normalize("NFC", text)
    separator = detect_separator(text, table)
    # The width from whole lines: a line cut at 64 KB (a long title or header row) would make
    # Polars reject the file or drop the columns past the cut.
    head = _first_lines(text, 400)
    width = max((len(r) for r in _head_records(head, separator, 200, len(head))), default=1)
    if width > MAX_COLUMNS:
        raise TooManyColumns(width)
    # Polars reads UTF-8 only; the original bytes are reused when nothing had to change.
    data = raw if encoding == "utf-8" and already_nfc else text.encode("utf-8")
    schema = {f"c{i}": pl.String for i in range(max(width, 1))}
    try:
        cells = pl.read_csv(
            io.BytesIO(data),
            has_header=False,
            separator=separator,
            quote_char='"',
            infer_schema=False,
            schema=schema,
            missing_columns="insert",
            truncate_ragged_lines=True,
            raise_if_empty=False,
            empty_string_is_null=True,
        )
    except Exception as exc:
        raise UnreadableFile(_short(exc)) from exc
    return Grid(display, None, cells), Decoded(data, encoding, separator, lossy)


# --- data rows ----------------------------------------------------------------------------------


@dataclass
class Body:
    """The data rows of a located table: aliased raw columns plus `_row` (Excel row number)."""

    frame: pl.DataFrame
    total_rows: list[int]  # Excel rows skipped as totals
    numbering_row: int | None  # Excel row of a "(1) (2) (3)" column-numbering row, skipped
    blank_rows: int
    title_rows: int  # non-blank rows above the header row


def body(located: Located) -> Body:
    """Data rows under the header: blank rows dropped, a trailing total row dropped."""
    grid = located.grid
    cells = grid.cells
    start = located.header_index + 1
    all_cols = cells.columns
    non_blank = (
        pl.any_horizontal([pl.col(c).str.strip_chars().str.len_bytes().fill_null(0) > 0 for c in all_cols])
        if all_cols
        else pl.lit(False)
    )
    rows = (
        cells.slice(start)
        .with_row_index("_i")
        .with_columns(
            (pl.col("_i").cast(pl.Int64) + start + 1).alias("_row"),
            non_blank.alias("_content"),
            *[pl.col(f"c{j}").alias(alias) for j, alias in located.columns.items()],
        )
    )
    if grid.typed is not None:
        typed = grid.typed.slice(start).select(
            [
                pl.col(f"c{j}").alias(alias + CELL_SUFFIX)
                for j, alias in located.columns.items()
                if f"c{j}" in grid.typed.columns
            ]
        )
        rows = pl.concat([rows, typed], how="horizontal")
    total_blank = rows.height - int(rows["_content"].sum() or 0)
    rows = rows.filter(pl.col("_content"))
    total_rows = _total_rows(rows, all_cols[:TOTAL_SCAN_COLUMNS])
    numbering = _numbering_row(rows, start + 1, list(located.columns.values()))
    skipped = total_rows + ([numbering] if numbering is not None else [])
    if skipped:
        rows = rows.filter(~pl.col("_row").is_in(skipped))
    cell_columns = [pl.col(c) for c in rows.columns if c.endswith(CELL_SUFFIX)]
    frame = rows.select([pl.col("_row"), *[pl.col(a) for a in located.columns.values()], *cell_columns])
    above = cells.head(located.header_index)
    title_rows = above.filter(non_blank).height if above.height else 0
    return Body(frame, total_rows, numbering, total_blank, title_rows)


_NUMBERING = re.compile(r"^[(\[]?(\d{1,2}|[A-Za-z])[)\]]?$")


def _numbering_row(rows: pl.DataFrame, first_row: int, aliases: list[str]) -> int | None:
    """The row right under the headers if it only numbers the columns ("(1)", "(2)", "A", "B"...),
    as Vietnamese report forms do; None otherwise."""
    head = rows.head(1)
    if head.height == 0 or head["_row"][0] != first_row:
        return None
    values = [v.strip() for v in head.select(aliases).row(0) if v is not None and v.strip()]
    if len(values) >= 3 and all(_NUMBERING.match(v) for v in values):
        return first_row
    return None


def _total_rows(rows: pl.DataFrame, first_cols: list[str]) -> list[int]:
    """Excel rows among the last few with content whose first cells say "Tổng cộng"/"Tổng"/"Cộng"."""
    tail = rows.tail(TOTAL_SCAN_TAIL).select(["_row", *first_cols]).rows()
    found = []
    for row_number, *values in tail:  # at most TOTAL_SCAN_TAIL rows
        folded = [vocab.fold_value(v) for v in values if v is not None]
        if any(f in TOTAL_WORDS or f.startswith("tongcong") for f in folded):
            found.append(row_number)
    return found

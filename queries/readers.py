"""Reading import files into raw grids of text: xlsx sheets through calamine, CSV with detection of
encoding and separator, then locating the table and its header row inside each grid.

A grid is a Polars frame of String columns c0..cN, one row per sheet row from row 1, so that grid
row k is the row Excel shows as k + 1. Excel grids also carry, per column, the cell read as a
datetime (non-null only for number and date cells), which the value parsers use.
"""

from __future__ import annotations

import codecs
import csv
import functools
import hashlib
import io
import queue
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from queries import vocab

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
TEXT_SUFFIXES = {".csv", ".txt", ".tsv", ".tab"}
HEADER_SCAN_ROWS = 20
SEPARATORS = (",", ";", "\t")
# A total row's label. "Tổng cộng" / "Tổng số" (with their marks) may go on ("Tổng cộng toàn Khối");
# the short or unmarked labels must end there or go on with a number or bracket ("Tổng: 5",
# "TONG CONG (89)"), so that a unit named "Tổng công ty …" or "Tong Van Cong" is never taken for one.
_TOTAL_LONG = re.compile(r"(tổng cộng|tổng số)(?![^\W\d_])")
_TOTAL_SHORT = re.compile(r"(tổng|cộng|total|tong ?cong|tong ?so|tong|cong)\s*(?:$|[^\w\s]|\d)")
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
    """A sheet whose used range (first to last cell) exceeds xlsx_guard.MAX_SHEET_CELLS."""

    def __init__(self, sheet: str, last_cell: str, cells: int):
        super().__init__(f"{sheet}: {last_cell}")
        self.sheet, self.last_cell, self.cells = sheet, last_cell, cells


def _fill_merged(frame: pl.DataFrame, ranges: list[tuple[int, int, int, int]]) -> pl.DataFrame:
    """Cells merged down a column take the merged cell's value (Excel keeps it in the top cell
    only): a unit code merged over its rows belongs to each of them. Merges across columns are
    left as they are."""
    by_column: dict[int, tuple[list[int], list[int]]] = {}
    for r0, c0, r1, c1 in ranges:
        if c0 != c1 or r1 <= r0 or c0 >= frame.width or r0 >= frame.height:
            continue
        rows, sources = by_column.setdefault(c0, ([], []))
        below = range(r0 + 1, min(r1, frame.height - 1) + 1)
        rows.extend(below)
        sources.extend([r0] * len(below))
    if not by_column:
        return frame
    columns = frame.columns
    filled = []
    for col, (rows, sources) in by_column.items():
        series = frame.get_column(columns[col])
        filled.append(series.scatter(rows, series.gather(sources)))
    return frame.with_columns(filled)


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
    """Every sheet of a workbook as a Grid (text and typed views), in this process: the importer
    calls it through sandbox.read_excel, in a worker process with a memory cap. The workbook's
    parts and sheets are checked first (xlsx_guard: sizes inflated, each sheet's used range)."""
    import fastexcel

    from queries import xlsx_guard

    merged = xlsx_guard.check_workbook(path)
    try:
        reader = fastexcel.read_excel(str(path))
        grids = []
        for name in reader.sheet_names:
            text = _sheet_frame(reader, name, "string")
            typed = _typed_frame(reader, name, text)
            if merged.get(name):
                text = _fill_merged(text, merged[name])
                typed = None if typed is None else _fill_merged(typed, merged[name])
            grids.append(Grid(display, name, text, typed))
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
    if dtype != "string":
        frame = pl.DataFrame(sheet.to_arrow())
    else:
        batch, errors = sheet.to_arrow_with_errors()
        frame = pl.DataFrame(batch)
        frame = frame.with_columns(pl.all().str.normalize("NFC"))  # Excel keeps text as typed, NFD included
        if errors is not None and errors.errors:
            frame = _with_error_cells(frame, errors.errors)
    return frame.rename({c: f"c{i}" for i, c in enumerate(frame.columns)})


# calamine's cell error kinds -> what Excel shows in the cell
_EXCEL_ERRORS = {
    "Div0": "#DIV/0!",
    "NA": "#N/A",
    "Name": "#NAME?",
    "Null": "#NULL!",
    "Num": "#NUM!",
    "Ref": "#REF!",
    "Value": "#VALUE!",
    "GettingData": "#GETTING_DATA",
}
_ERROR_DETAIL = re.compile(r"Error\((\w+)\)")


def _with_error_cells(frame: pl.DataFrame, errors) -> pl.DataFrame:
    """The text view with each error cell (a formula that failed: #DIV/0!, #N/A, ...) holding what
    Excel shows in it, instead of nothing: the importer then reports the cell, never reads it as
    empty."""
    by_column: dict[int, tuple[list[int], list[str]]] = {}
    for error in errors:
        found = _ERROR_DETAIL.search(error.detail)
        if not found:
            continue
        row, col = error.offset_position
        if row < frame.height and col < frame.width:
            rows, texts = by_column.setdefault(col, ([], []))
            rows.append(row)
            texts.append(_EXCEL_ERRORS.get(found.group(1), f"#{found.group(1).upper()}!"))
    columns = frame.columns
    return frame.with_columns(
        frame.get_column(columns[col]).scatter(rows, texts) for col, (rows, texts) in by_column.items()
    )


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
    utf16 = _utf16_without_bom(raw)
    if utf16:
        return raw.decode(utf16, errors="replace"), "utf-16", False
    try:
        return raw.decode("utf-8"), "utf-8", False
    except UnicodeDecodeError:
        pass
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
    """A CSV/text file as one Grid, with its detected encoding and separator (the whole file at
    once; the importer reads files in pieces with open_text and grid_pieces)."""
    fallback = False
    while True:
        tf, _, _ = open_text(raw, display, table, fallback=fallback)
        try:
            blocks = list(_text_blocks(tf, max(len(raw), 1), hash_file=False))
        except Reread:
            fallback = True
            continue
        data = b"".join(blocks)
        return Grid(display, None, _parse(tf, data)), Decoded(data, tf.encoding, tf.separator, tf.lossy)


# --- CSV, read in pieces ------------------------------------------------------------------------
#
# A large CSV is never held whole: it is read in blocks of about `chunk_bytes`, each cut at a
# record boundary (a newline outside quotes: an even number of quote characters before it, the rule
# Polars splits by too), decoded to UTF-8 NFC and parsed by Polars with the same options as a whole
# file. Cutting after a newline keeps NFC exact (a newline never composes with what follows), so
# the pieces give exactly the grid the whole text would. UTF-8 that is already NFC (the usual case)
# is handed to Polars as read; the NFC test is a vectorised look at the lead bytes of characters
# at U+0300 and above (every character that can change under NFC lies there).

HEAD_CHARS = 65536  # detect_separator reads this many characters
HEAD_LINES = 400  # the width is taken from this many whole lines
HEAD_BYTES = 1 << 18  # the first piece parsed to find the header row
_QUOTE = '"'


class Reread(Exception):
    """Bytes past the beginning of a file taken for UTF-8 are not UTF-8: the whole file must be
    read again in the fallback encoding (what `decode` would have chosen for the whole file)."""


@dataclass
class TextFile:
    """A CSV/text file opened for reading in pieces, with what its beginning told."""

    source: Path | bytes
    display: str
    size: int
    encoding: str  # as Decoded.encoding: "utf-8", "utf-8-sig", "utf-16", "cp1258"
    codec: str | None  # Python codec the bytes are transcoded with; None: UTF-8 passed through
    skip: int  # bytes before the text (a UTF-8 BOM on the pass-through route)
    separator: str = ","
    width: int = 1
    lossy: bool = False  # some bytes could not be decoded (known once the file has been read)
    sha256: str | None = None  # of the whole file, once it has been read to the end

    def open(self):
        """The file's bytes from the start."""
        return io.BytesIO(self.source) if isinstance(self.source, bytes) else open(self.source, "rb")


def _utf16_without_bom(raw: bytes) -> str | None:
    """The codec of UTF-16 text without a BOM ("utf-16-le"/"utf-16-be"), judged by the NUL bytes of
    its beginning; None for other text. Checked before UTF-8: UTF-16 of ASCII text is valid UTF-8
    (every other byte a NUL), which no CSV holds."""
    sample = raw[:4096]
    if not sample or sample.count(0) * 4 <= len(sample):
        return None
    return "utf-16-be" if sample[0::2].count(0) > sample[1::2].count(0) else "utf-16-le"


def _fallback_codec(sample: bytes) -> tuple[str, str]:
    """(encoding name, codec) for bytes that are not UTF-8, as `decode` chooses them."""
    utf16 = _utf16_without_bom(sample)
    return ("utf-16", utf16) if utf16 else ("cp1258", "cp1258")


def open_text(
    source: Path | bytes, display: str, table: vocab.Table | None, *, fallback: bool = False
) -> tuple[TextFile, Grid, bool]:
    """Detect encoding, separator and width from the beginning of a text file, and parse its first
    rows: (file, grid of at least its first HEADER_SCAN_ROWS rows, whether that grid is the whole
    file). `fallback`: the file is known not to be UTF-8 (see Reread)."""
    size = len(source) if isinstance(source, bytes) else Path(source).stat().st_size
    tf = TextFile(source, display, size, "utf-8", None, 0)
    while True:
        with tf.open() as fh:
            first = fh.read(4096)
        if first.startswith(codecs.BOM_UTF8):
            tf.encoding, tf.codec, tf.skip = "utf-8-sig", None, 3
        elif first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            tf.encoding, tf.codec, tf.skip = "utf-16", "utf-16", 0
        elif fallback or _utf16_without_bom(first):
            tf.encoding, tf.codec = _fallback_codec(first)
        try:
            text = _head_text(tf)
        except UnicodeDecodeError:  # the beginning is not UTF-8 already
            fallback = True
            continue
        tf.separator = detect_separator(text, table)
        # The width from whole lines: a line cut at 64 KB (a long title or header row) would make
        # Polars reject the file or drop the columns past the cut.
        head = _first_lines(text, HEAD_LINES)
        tf.width = max((len(r) for r in _head_records(head, tf.separator, 200, len(head))), default=1)
        if tf.width > MAX_COLUMNS:
            raise TooManyColumns(tf.width)
        try:
            grid, complete = _head_grid(tf)
        except Reread:
            fallback = True
            continue
        return tf, grid, complete


def _head_text(tf: TextFile) -> str:
    """The beginning of the file's NFC text, as long as detection reads it: HEAD_CHARS characters
    and HEAD_LINES whole lines (or all of it). It ends after a newline, where NFC cannot reach
    across, so it is exactly the beginning of the whole file's NFC text."""
    decoder = codecs.getincrementaldecoder(tf.codec or "utf-8")(
        "strict" if tf.encoding == "utf-8" else "replace"
    )
    text = ""
    with tf.open() as fh:
        fh.seek(tf.skip)
        while True:
            raw = fh.read(1 << 18)
            text += decoder.decode(raw, final=not raw)
            if not raw:
                return unicodedata.normalize("NFC", text)
            head = unicodedata.normalize("NFC", text[: text.rfind("\n") + 1])
            if len(head) >= HEAD_CHARS and head.count("\n") >= HEAD_LINES:
                return head


def _head_grid(tf: TextFile) -> tuple[Grid, bool]:
    pieces = []
    rows = 0
    complete = True
    stream = grid_pieces(tf, HEAD_BYTES, hash_file=False)
    for _, cells in stream:
        pieces.append(cells)
        rows += cells.height
        if rows >= HEADER_SCAN_ROWS:
            complete = next(stream, None) is None
            break
    stream.close()
    cells = pl.concat(pieces) if pieces else _parse(tf, b"")
    return Grid(tf.display, None, cells), complete


def grid_pieces(tf: TextFile, chunk_bytes: int, *, hash_file: bool = True):
    """(grid row index of the first row, cells) for each piece of the file, in order."""
    offset = 0
    for data in _text_blocks(tf, chunk_bytes, hash_file):
        cells = _parse(tf, data)
        yield offset, cells
        offset += cells.height


def _parse(tf: TextFile, data: bytes) -> pl.DataFrame:
    schema = {f"c{i}": pl.String for i in range(max(tf.width, 1))}
    try:
        return pl.read_csv(
            io.BytesIO(data),
            has_header=False,
            separator=tf.separator,
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


def _text_blocks(tf: TextFile, chunk_bytes: int, hash_file: bool):
    """The file as UTF-8 NFC blocks, each ending at a record boundary (the last may not)."""
    digest = hashlib.sha256() if hash_file else None
    chunk_bytes = max(chunk_bytes, 16)
    with tf.open() as fh:
        if tf.codec is None:
            yield from _utf8_blocks(tf, fh, chunk_bytes, digest)
        else:
            yield from _transcoded_blocks(tf, fh, chunk_bytes, digest)
    if digest is not None:
        tf.sha256 = digest.hexdigest()


def _utf8_blocks(tf: TextFile, fh, chunk_bytes: int, digest):
    pending = b""
    scanned = quotes = 0  # pending[:scanned] holds no boundary and `quotes` quote characters
    first = True
    while True:
        raw = fh.read(chunk_bytes)
        eof = not raw
        if digest is not None:
            digest.update(raw)
        if first:
            raw = raw[tf.skip :]
            first = False
        pending += raw
        if not eof:
            cut = _record_cut(pending, scanned, quotes, b"\n", b'"')
            if cut is None:
                quotes += pending.count(b'"', scanned)
                scanned = len(pending)
                continue
            block, pending = pending[:cut], pending[cut:]
            scanned = quotes = 0
        else:
            block, pending = pending, b""
        if block:
            yield _as_nfc_utf8(tf, block)
        if eof:
            return


def _as_nfc_utf8(tf: TextFile, block: bytes) -> bytes:
    """A block of bytes read as UTF-8: as it is when valid and NFC, else decoded and normalised."""
    if not block.isascii():
        text: pl.Series | None  # None: the block is not valid UTF-8
        text = pl.Series([block], dtype=pl.Binary)
        try:
            text = text.cast(pl.String)  # validates the UTF-8
        except pl.exceptions.PolarsError:
            if tf.encoding == "utf-8":
                raise Reread(tf.display) from None
            text = None
        if text is None or _maybe_not_nfc(block):
            _replaced.seen = False
            decoded = block.decode("utf-8", "dvk-replace")
            if _replaced.seen:  # a BOM said UTF-8, but some bytes are not (a lone surrogate: ED A0 80)
                tf.lossy = True
            if text is None or not unicodedata.is_normalized("NFC", decoded):
                return unicodedata.normalize("NFC", decoded).encode("utf-8")
    return block


_replaced = threading.local()


def _replace_and_note(exc: UnicodeError) -> tuple[str | bytes, int]:
    """The "replace" error handler that also notes, for the thread's current decode, that
    something was replaced (a lone UTF-16 surrogate, a byte cp1258 has no character for)."""
    if not isinstance(exc, UnicodeDecodeError):  # registered for decoding only
        raise exc
    _replaced.seen = True
    return "\ufffd", exc.end


codecs.register_error("dvk-replace", _replace_and_note)


def _transcoded_blocks(tf: TextFile, fh, chunk_bytes: int, digest):
    assert tf.codec is not None  # the UTF-8 pass-through route has none
    decoder = codecs.getincrementaldecoder(tf.codec)("dvk-replace")
    pending = ""
    scanned = quotes = 0
    while True:
        raw = fh.read(chunk_bytes)
        if digest is not None:
            digest.update(raw)
        _replaced.seen = False
        text = decoder.decode(raw, final=not raw)
        if _replaced.seen:  # U+FFFD in the text itself is a character, not a loss
            tf.lossy = True
        pending += text
        if raw:
            cut = _record_cut(pending, scanned, quotes, "\n", _QUOTE)
            if cut is None:
                quotes += pending.count(_QUOTE, scanned)
                scanned = len(pending)
                continue
            block, pending = pending[:cut], pending[cut:]
            scanned = quotes = 0
        else:
            block, pending = pending, ""
        if block:
            if not unicodedata.is_normalized("NFC", block):
                block = unicodedata.normalize("NFC", block)
            yield block.encode("utf-8")
        if not raw:
            return


def _record_cut(buf, start: int, quotes: int, newline, quote) -> int | None:
    """Index after the last newline at or past `start` with an even number of quotes before it
    (`quotes` of them in buf[:start]); None if there is none."""
    end = buf.rfind(newline, start)
    if end < 0:
        return None
    count = quotes + buf.count(quote, start, end)
    while count % 2:
        before = buf.rfind(newline, start, end)
        if before < 0:
            return None
        count -= buf.count(quote, before, end)
        end = before
    return end + 1


@functools.cache
def _nfc_unsafe() -> frozenset[int]:
    """The code points that can change under NFC or make their neighbours change: NFC quick check
    No or Maybe, or a nonzero combining class; text without any of them is NFC. None is below
    U+0300 or past plane 1, except the CJK compatibility ideographs U+2F800-U+2FA1F (tests check
    this against every code point)."""
    return unsafe_among([*range(0x300, 0x20000), *range(0x2F800, 0x2FA20)])


def unsafe_among(code_points) -> frozenset[int]:
    """Of these code points (no surrogates), those that can change under NFC or make their
    neighbours change, and the second parts they compose with."""
    unsafe = set()
    for cp in code_points:
        ch = chr(cp)
        if unicodedata.combining(ch):
            unsafe.add(cp)
            continue
        decomposition = unicodedata.decomposition(ch)
        if decomposition and not decomposition.startswith("<"):
            if unicodedata.normalize("NFC", ch) != ch:
                unsafe.add(cp)
            parts = decomposition.split()
            if len(parts) == 2:  # its second part may compose with what precedes it
                unsafe.add(int(parts[1], 16))
    unsafe.update(range(0x1161, 0x1176), range(0x11A8, 0x11C3))  # Hangul jamo compose by rule
    return frozenset(unsafe)


# Three-byte lead bytes common in Vietnamese text (Latin Extended Additional, punctuation,
# CJK punctuation, the BOM): their unsafe characters are looked up exactly, by the two bytes
# after the lead; any other lead byte of an unsafe character sends the block to the exact test.
_COMMON_LEADS = (0xE1, 0xE2, 0xE3, 0xEF)


@functools.cache
def _nfc_unsafe_bytes():
    import numpy as np

    rare = set()
    tables = {lead: np.zeros(4096, dtype=bool) for lead in _COMMON_LEADS}
    for cp in _nfc_unsafe():
        encoded = chr(cp).encode("utf-8")
        if encoded[0] in tables:
            tables[encoded[0]][((encoded[1] & 0x3F) << 6) | (encoded[2] & 0x3F)] = True
        else:
            rare.add(encoded[0])
    keep_rare = bytes(b for b in range(256) if b not in rare)  # translate() deletes these
    return keep_rare, {bytes([lead]): table for lead, table in tables.items() if table.any()}


def _maybe_not_nfc(block: bytes) -> bool:
    """False when these (valid UTF-8) bytes certainly hold no character NFC could change; True
    when they might. Fast: one pass deleting all but rare lead bytes, and for the lead bytes
    common in Vietnamese text a vectorised look at the two bytes after each."""
    import numpy as np

    others, tables = _nfc_unsafe_bytes()
    if block.translate(None, others):
        return True
    a = None
    for lead, table in tables.items():
        if lead in block:
            if a is None:
                a = np.frombuffer(block, dtype=np.uint8)
            at = np.flatnonzero(a[:-2] == lead[0])  # valid UTF-8: two bytes follow each lead
            second = a[at + 1] & 0x3F
            # first by the second byte alone: most have no unsafe character after them at all
            # (U+1E00-U+1EFF, Vietnamese letters, after 0xE1); the rest by both bytes
            if not _unsafe_seconds(lead)[second].any():
                continue
            if table[(second.astype(np.int32) << 6) | (a[at + 2] & 0x3F)].any():
                return True
    return False


@functools.cache
def _unsafe_seconds(lead: bytes):
    """For a common lead byte: whether some unsafe character starts with it and each second byte."""
    return _nfc_unsafe_bytes()[1][lead].reshape(64, 64).any(axis=1)


class prefetch:  # noqa: N801 - used like a generator
    """Iterate `items` in a background thread, `depth` items ahead (reading and parsing the next
    piece of a file overlaps with the work on this one: Polars and hashlib release the GIL).
    An exception in the thread is raised here; close() stops the thread."""

    _DONE = object()

    def __init__(self, items, depth: int = 1):
        self._items = iter(items)
        self._queue: queue.Queue = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._work, name="dvk-import-reader", daemon=True)
        self._thread.start()

    def _put(self, item) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def _work(self) -> None:
        try:
            for item in self._items:
                if not self._put((item, None)):
                    return
            self._put((self._DONE, None))
        except BaseException as exc:  # handed to the consumer
            self._put((self._DONE, exc))

    def __iter__(self):
        return self

    def __next__(self):
        if self._stop.is_set():
            raise StopIteration
        item, exc = self._queue.get()
        if exc is not None:
            self.close()
            raise exc
        if item is self._DONE:
            self.close()
            raise StopIteration
        return item

    def close(self) -> None:
        """Stop the thread and close the underlying iterator."""
        self._stop.set()
        self._thread.join()
        close = getattr(self._items, "close", None)
        if close is not None:
            close()


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
    stream = BodyStream(located, [(0, located.grid.cells, located.grid.typed)])
    parts = list(stream)
    frame = pl.concat(parts) if parts else stream.empty()
    return Body(frame, stream.total_rows, stream.numbering_row, stream.blank_rows, stream.title_rows)


def non_blank_row(columns: list[str]) -> pl.Expr:
    """True for a row with a cell holding more than whitespace."""
    if not columns:
        return pl.lit(False)
    return pl.any_horizontal([pl.col(c).str.contains(r"\S").fill_null(False) for c in columns])


def content_mask(cells: pl.DataFrame, columns: list[str]) -> pl.Series:
    """non_blank_row() of every row, faster: a column is looked at only in the rows no column
    before it has shown content in (usually the first column decides every row)."""
    mask: pl.Series | None = None
    index: pl.Series | None = None  # rows still undecided (None: all of them)
    for c in columns:
        column = cells.get_column(c)
        if index is not None:
            column = column.gather(index)
        if column.null_count() == column.len():
            continue
        hit = column.str.contains(r"\S").fill_null(False)
        if mask is None:
            mask = hit
        elif hit.any():
            assert index is not None  # set with the mask
            mask = mask.scatter(index.filter(hit), True)
        else:
            continue
        index = (~mask).arg_true()
        if index.len() == 0:
            break
    if mask is None:
        return pl.repeat(False, cells.height, dtype=pl.Boolean, eager=True)
    return mask


class BodyStream:
    """The data rows under a located header, from the grid's pieces in order (rows of a large CSV
    arrive a piece at a time): iterate for frames of `_row` + aliased raw columns (+ #cell columns);
    afterwards `total_rows`, `numbering_row`, `blank_rows`, `title_rows` and `height` are known.

    Blank rows are dropped as they come; the last TOTAL_SCAN_TAIL rows with content are held back
    until the end, where a total row among them is dropped; the first row with content is the
    column-numbering row if it numbers the columns. The rows are those `body` gives for the whole grid.
    """

    def __init__(self, located: Located, pieces):
        self.located = located
        self.pieces = pieces  # (grid row index of the first row, cells, typed or None)
        self.total_rows: list[int] = []
        self.numbering_row: int | None = None
        self.blank_rows = 0
        self.title_rows = 0
        self.height = 0
        self._aliases = list(located.columns.values())
        self._cells: list[str] = []

    def empty(self) -> pl.DataFrame:
        """A frame with no rows and the columns the pieces have."""
        cols: dict[str, pl.DataType | type[pl.DataType]] = {
            "_row": pl.Int64,
            **{a: pl.String for a in self._aliases},
        }
        cols.update({c: pl.Datetime("ms") for c in self._cells})
        return pl.DataFrame(schema=cols)

    def __iter__(self):
        located = self.located
        header = located.header_index
        start = header + 1
        tail_cols: list[str] = []
        carry: pl.DataFrame | None = None
        seen_content = False
        for offset, cells, typed in self.pieces:
            all_cols = cells.columns
            non_blank = non_blank_row(all_cols)
            above = min(cells.height, header - offset)
            if above > 0:
                self.title_rows += cells.head(above).filter(non_blank).height
            skip = max(0, start - offset)
            if skip >= cells.height:
                continue
            tail_cols = [f"_t{k}" for k in range(min(TOTAL_SCAN_COLUMNS, len(all_cols)))]
            body_cells = cells.slice(skip)
            rows = body_cells.with_row_index("_i").with_columns(
                (pl.col("_i").cast(pl.Int64) + offset + skip + 1).alias("_row"),
                content_mask(body_cells, all_cols).alias("_content"),
                *[pl.col(f"c{j}").alias(alias) for j, alias in located.columns.items()],
                *[pl.col(all_cols[k]).alias(t) for k, t in enumerate(tail_cols)],
            )
            if typed is not None:
                typed_part = typed.slice(skip).select(
                    [
                        pl.col(f"c{j}").alias(alias + CELL_SUFFIX)
                        for j, alias in located.columns.items()
                        if f"c{j}" in typed.columns
                    ]
                )
                self._cells = typed_part.columns
                rows = pl.concat([rows, typed_part], how="horizontal")
            content = int(rows["_content"].sum() or 0)
            self.blank_rows += rows.height - content
            if content < rows.height:
                rows = rows.filter(pl.col("_content"))
            rows = _columns(rows, ["_row", *self._aliases, *self._cells, *tail_cols])
            if carry is not None:
                rows = pl.concat([carry, rows])
            if not seen_content and rows.height:
                seen_content = True
                self.numbering_row = _numbering_row(rows, start + 1, self._aliases)
                if self.numbering_row is not None:
                    rows = rows.slice(1)
            keep = rows.height - TOTAL_SCAN_TAIL
            if keep > 0:
                yield self._out(rows.head(keep))
                rows = rows.tail(TOTAL_SCAN_TAIL)
            carry = rows
        if carry is not None and carry.height:
            self.total_rows = _total_rows(carry, tail_cols)
            if self.total_rows:
                carry = carry.filter(~pl.col("_row").is_in(self.total_rows))
            if carry.height:
                yield self._out(carry)

    def _out(self, rows: pl.DataFrame) -> pl.DataFrame:
        self.height += rows.height
        return _columns(rows, ["_row", *self._aliases, *self._cells])


def _columns(frame: pl.DataFrame, names: list[str]) -> pl.DataFrame:
    """These columns of a frame, as they are (a select would copy columns whose pieces of memory
    are not aligned with the others', as after a concat)."""
    return pl.DataFrame([frame.get_column(n) for n in names])


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
        if any(is_total_label(v) for v in values if v is not None):
            found.append(row_number)
    return found


def is_total_label(value) -> bool:
    """Whether a cell says "Tổng cộng" (any case, NFC or NFD, with or without marks) and nothing
    that makes it a name: "Tổng cộng", "TỔNG SỐ: 12", "Cộng", "Tong cong (89)" are; "Tổng công ty
    Điện lực", "Tống Văn Cộng", "Tong cong ty" are not."""
    text = " ".join(unicodedata.normalize("NFC", str(value)).lower().split())
    return bool(_TOTAL_LONG.match(text) or _TOTAL_SHORT.match(text))

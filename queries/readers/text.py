"""Reading CSV/text files: the encoding (UTF-8 with or without BOM, UTF-16, cp1258) and the
separator are detected from the beginning, and the file is read whole (read_csv) or in pieces
(open_text, grid_pieces) into grids of text, NFC."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from queries import vocab
from queries.readers.grid import (
    HEADER_SCAN_ROWS,
    MAX_COLUMNS,
    Grid,
    TooManyColumns,
    UnreadableFile,
    _short,
)
from queries.readers.locate import _row_score, find_header
from queries.readers.nfc import _maybe_not_nfc

SEPARATORS = (",", ";", "\t")

# The csv module stops at a field over 128 KB by default; a CSV cell has no such limit, and a long
# title cell must not hide the header row under it (the process-wide limit only gets looser).
csv.field_size_limit(2**31 - 1)


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

"""Checks of an .xlsx before calamine reads it, so that a small hostile workbook cannot make the
reader allocate without bound.

* Every part's decompressed size, first from the zip directory (an absolute cap, a cap on the
  whole, and a cap on the ratio to the compressed size: a 1.5 MB part holding 1.5 GB of whitespace
  is a bomb, no spreadsheet compresses 200 to 1), then again while streaming each part, since the
  directory can lie: a part that inflates past what its header says, or past the caps, stops there.
* Each worksheet's used range, found by a real streaming XML parser (expat, fed the inflated bytes a
  chunk at a time, no tree built): rows without an `r`, cells whose `r` comes after other
  attributes, single-quoted attributes and namespace prefixes are all read as calamine reads them.
  calamine materialises the whole rectangle from A1 to the last cell, so a stray cell in
  XFD1048576 of a 16 KB file asks for 17 billion cells: such a sheet is refused, naming the cell.
* A DOCTYPE (no workbook has one; entity tricks need one) makes the file damaged.

Nothing here imports calamine: these checks run before it, in the reader's worker process
(queries/sandbox.py).
"""

from __future__ import annotations

import copy
import os
import posixpath
import re
import zipfile
from pathlib import Path
from typing import cast
from xml.parsers import expat

from queries.readers import SheetTooLarge, UnreadableFile

MB = 1 << 20
# One part inflated (a real 1,048,576-row sheet of 28 columns is about 1 GB of XML), all parts
# together, and the ratio to the compressed size beyond which a part of more than RATIO_FLOOR is a
# bomb (spreadsheet XML compresses about 5-50 to 1; deflate's ceiling is about 1,030 to 1).
MAX_PART_BYTES = int(os.environ.get("DVK_XLSX_MAX_PART_BYTES") or 1 << 30)
MAX_TOTAL_BYTES = int(os.environ.get("DVK_XLSX_MAX_TOTAL_BYTES") or 2 << 30)
MAX_RATIO = 200
RATIO_FLOOR = 16 * MB
# calamine builds the whole rectangle from A1 to the last used cell. 30 million cells is
# 1,048,576 rows x 28 columns, more than any real template sheet.
MAX_SHEET_CELLS = 30_000_000
MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384
_CHUNK = 1 * MB
_CONTROLS = bytes(b if b in (9, 10, 13) or b >= 32 else 32 for b in range(256))
_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")


class DecompressedTooLarge(UnreadableFile):
    """A part of the workbook inflates beyond the caps (or beyond what its header says)."""

    def __init__(self, part: str, size: int):
        super().__init__(f"{part}: {size}")
        self.part, self.size = part, size


class Damaged(UnreadableFile):
    """The workbook's zip or XML is broken (or the reader died on it)."""


def column_letters(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def column_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def check_workbook(path: Path) -> dict[str, list[tuple[int, int, int, int]]]:
    """Raise DecompressedTooLarge, SheetTooLarge or Damaged for a workbook calamine must not load;
    return each sheet's merged cell ranges (0-based first row, first column, last row, last column).
    A file that is not a zip (xls, ods, junk) passes: calamine reports it."""
    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return {}
    with book:
        infos = book.infolist()
        _check_directory(infos)
        names = {info.filename.lower(): info for info in infos}
        sheet_names = _sheet_names(book, names)
        members = sorted(
            set(sheet_names) | {n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")}
        )
        merges: dict[str, list[tuple[int, int, int, int]]] = {}
        for member in members:
            info = names.get(member)
            if info is None:
                continue  # a sheet the workbook names but the zip lacks: calamine reports it
            name = sheet_names.get(member) or Path(member).stem
            extent = _SheetScan(name)
            _stream(book, info, extent.feed)
            extent.close()
            if extent.merges:
                merges[name] = sorted(extent.merges)
        for info in infos:  # the other parts are inflated too: their headers can lie as well
            if info.filename.lower() not in members and not info.is_dir():
                _stream(book, info, None)
    return merges


def _check_directory(infos: list[zipfile.ZipInfo]) -> None:
    total = 0
    for info in infos:
        size = info.file_size
        total += size
        if size > MAX_PART_BYTES or (size > RATIO_FLOOR and size > MAX_RATIO * max(info.compress_size, 1)):
            raise DecompressedTooLarge(info.filename, size)
        if total > MAX_TOTAL_BYTES:
            raise DecompressedTooLarge(info.filename, total)


def _stream(book: zipfile.ZipFile, info: zipfile.ZipInfo, feed) -> None:
    """Inflate a part a chunk at a time (to `feed`), stopping as soon as it grows past what its
    header says or past the caps. The directory's size is not trusted: the part is opened as if it
    could be as large as the cap, and counted."""
    probe = copy.copy(info)
    probe.file_size = MAX_PART_BYTES + 1  # read on past a lying header, up to the cap
    limit = min(info.file_size, MAX_PART_BYTES)
    seen = 0
    try:
        with book.open(probe) as fh:
            while chunk := fh.read(_CHUNK):
                seen += len(chunk)
                if seen > limit:
                    raise DecompressedTooLarge(info.filename, seen)
                if feed is not None:
                    feed(chunk)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError, RuntimeError) as exc:
        raise Damaged(f"{info.filename}: {exc}"[:200]) from exc
    except Exception as exc:  # zlib.error and the like
        if isinstance(exc, UnreadableFile):
            raise
        raise Damaged(f"{info.filename}: {exc}"[:200]) from exc


class _SheetScan:
    """The used range of one worksheet, as calamine will see it, from expat's start-tag events.

    Per cell the handler only keeps the cell's reference (when it has one); after each chunk the
    references are split and compared at once by Polars, which keeps the scan about as fast as
    calamine's own read. A cell without a reference takes the next column of its row, as calamine
    reads it, and is worked out one by one."""

    def __init__(self, sheet: str):
        self.sheet = sheet
        self.merges: set[tuple[int, int, int, int]] = set()
        # [row of the current <row> or last cell, column of the last cell, max row, max column]
        self._state = state = [0, 0, 0, 0]
        self._pending: list[str] = []
        pending_append = self._pending.append
        kinds: dict[str, str | None] = {}

        def start(name: str, attrs: list[str]) -> None:
            kind = kinds.get(name, 0)
            if kind is None:
                return
            if kind == 0:
                local = name.rpartition(":")[2]
                kind = kinds[name] = local if local in ("row", "c", "mergeCell") else None
                if kind is None:
                    return
            if kind == "c":
                ref = attrs[1] if attrs and attrs[0] == "r" else _attribute(attrs, "r")
                if ref:
                    pending_append(ref)
                else:  # no reference: the next column of the current row
                    self.flush()
                    state[1] += 1
                    state[0] = max(state[0], 1)
                    self._grow()
            elif kind == "row":
                r = _attribute(attrs, "r")
                if r and r.isascii() and r.isdigit() and len(r) <= 7:
                    state[0] = int(r)
                else:
                    self.flush()
                    state[0] += 1
                state[1] = 0  # a row without cells adds nothing to the range calamine builds
            else:
                self._merge(_attribute(attrs, "ref") or "")

        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.ordered_attributes = True  # [name, value, ...]: cheaper than a dict per element
        parser.StartElementHandler = start
        parser.StartDoctypeDeclHandler = self._doctype
        parser.EntityDeclHandler = self._doctype
        self._parser = parser

    def feed(self, chunk: bytes) -> None:
        try:
            # control characters are not XML, but some programs write them raw and calamine reads them
            self._parser.Parse(chunk.translate(_CONTROLS), False)
        except expat.ExpatError as exc:
            raise Damaged(f"{self.sheet}: {exc}"[:200]) from exc
        self.flush()

    def close(self) -> None:
        try:
            self._parser.Parse(b"", True)
        except expat.ExpatError as exc:
            raise Damaged(f"{self.sheet}: {exc}"[:200]) from exc
        self.flush()

    def flush(self) -> None:
        """Take in the references kept since the last flush: the largest row and column."""
        if not self._pending:
            return
        import polars as pl

        refs = pl.Series(self._pending, dtype=pl.String)
        self._pending.clear()
        parts = refs.str.extract_groups(r"^([A-Za-z]{1,3})([0-9]{1,7})$")
        letters = parts.struct.field("1").str.to_uppercase()
        rows = parts.struct.field("2").cast(pl.Int64)
        if letters.null_count():  # a reference calamine would not take: one by one
            for ref, col, row in zip(refs, letters, rows, strict=True):
                self._cell(ref, col, row)
            return
        width = letters.str.len_bytes()
        widest = cast(str, letters.filter(width == width.max()).max())  # a non-empty column of text
        state = self._state
        state[0], state[1] = rows[-1], column_number(letters[-1])
        state[2], state[3] = max(state[2], cast(int, rows.max())), max(state[3], column_number(widest))
        self._grow()

    def _cell(self, ref: str, letters: str | None, row: int | None) -> None:
        state = self._state
        if letters is None or row is None:
            state[1] += 1  # treated as a cell without a reference
            state[0] = max(state[0], 1)
        else:
            state[0], state[1] = row, column_number(letters)
        self._grow()

    def _doctype(self, *args) -> None:
        raise Damaged(f"{self.sheet}: DOCTYPE")

    def _merge(self, ref: str) -> None:
        first, _, last = ref.partition(":")
        a, b = _REF.match(first), _REF.match(last or first)
        if a and b:
            r0, c0 = int(a.group(2)) - 1, column_number(a.group(1)) - 1
            self.merges.add((r0, c0, int(b.group(2)) - 1, column_number(b.group(1)) - 1))

    def _grow(self) -> None:
        state = self._state
        state[2] = rows = max(state[2], state[0])
        state[3] = cols = max(state[3], state[1])
        if rows * max(cols, 1) > MAX_SHEET_CELLS or rows > MAX_ROWS or cols > MAX_COLUMNS:
            last = f"{column_letters(max(cols, 1))}{rows}"
            raise SheetTooLarge(self.sheet, last, rows * max(cols, 1))


def _attribute(attrs: list[str], name: str) -> str | None:
    for i in range(0, len(attrs) - 1, 2):
        if attrs[i] == name:
            return attrs[i + 1]
    return None


_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"


def _small_xml(book: zipfile.ZipFile, info: zipfile.ZipInfo | None):
    """A small part (workbook.xml, its relations) as an element tree, or None."""
    import xml.etree.ElementTree as ET

    if info is None or info.file_size > 64 * MB:
        return None
    chunks: list[bytes] = []
    _stream(book, info, chunks.append)
    data = b"".join(chunks)
    if b"<!DOCTYPE" in data.upper():
        raise Damaged(f"{info.filename}: DOCTYPE")
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        raise Damaged(f"{info.filename}: {exc}"[:200]) from exc


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _sheet_names(book: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo]) -> dict[str, str]:
    """Worksheet XML member (lower case) -> the sheet's name, from workbook.xml and its relations."""
    workbook, rels = _small_xml(book, names.get("xl/workbook.xml")), None
    if workbook is None:
        return {}
    rels = _small_xml(book, names.get("xl/_rels/workbook.xml.rels"))
    if rels is None:
        return {}
    targets = {}
    for rel in rels.iter():
        if _local(rel.tag) == "Relationship" and rel.get("Id") and rel.get("Target"):
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
            targets[rel.get("Id")] = path.lower()
    out = {}
    for sheet in workbook.iter():
        if _local(sheet.tag) != "sheet":
            continue
        rid = next((v for k, v in sheet.attrib.items() if _local(k) == "id"), None)
        if rid in targets and sheet.get("name") is not None:
            out[targets[rid]] = sheet.get("name", "")
    return out

"""Hostile workbooks of issue 17, built by the tests (never committed): small files that made the
reader allocate without bound. Each is a real workbook (xlsxwriter) whose first sheet's XML is
replaced by hand."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

UNIT_HEADER = ["Mã đơn vị", "Tên đơn vị", "Mã đơn vị cấp trên", "Cấp"]
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _header_row(quote: str = '"') -> str:
    cells = "".join(
        f"<c r={quote}{chr(65 + i)}1{quote} t={quote}inlineStr{quote}><is><t>{text}</t></is></c>"
        for i, text in enumerate(UNIT_HEADER)
    )
    return f"<row r={quote}1{quote}>{cells}</row>"


def _sheet_xml(rows: str, quote: str = '"') -> bytes:
    ns = _NS.replace('"', quote)
    return f"<?xml version={quote}1.0{quote} encoding={quote}UTF-8{quote}?><worksheet {ns}><sheetData>{rows}</sheetData></worksheet>".encode()


FAR_CORNER = {
    # a <row> without r, holding the far cell
    "row_without_r": _sheet_xml(
        _header_row() + '<row><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    ),
    # the cell's r after its t
    "c_t_before_r": _sheet_xml(
        _header_row() + '<row r="2"><c t="inlineStr" r="XFD1048576"><is><t>x</t></is></c></row>'
    ),
    # every attribute single-quoted
    "single_quotes": _sheet_xml(
        _header_row("'") + "<row r='1048576'><c r='XFD1048576' t='inlineStr'><is><t>x</t></is></c></row>", "'"
    ),
}


def _base_workbook() -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Đơn vị")
    sheet.write_row(0, 0, UNIT_HEADER)
    book.close()
    return buffer.getvalue()


def replace_sheet(data: bytes, sheet_xml: bytes) -> bytes:
    """The workbook with xl/worksheets/sheet1.xml replaced, deflate-compressed."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            part = sheet_xml if info.filename == "xl/worksheets/sheet1.xml" else src.read(info)
            dst.writestr(info.filename, part)
    return out.getvalue()


def far_corner(path: Path, variant: str) -> Path:
    """A 5 KB workbook whose unit sheet has a header row and one cell in XFD1048576."""
    path.write_bytes(replace_sheet(_base_workbook(), FAR_CORNER[variant]))
    return path


def whitespace_bomb(path: Path, gib: float = 1.5, *, declared: int | None = None) -> Path:
    """A small .xlsx (deflate, about 1 KB per MB inflated) whose unit sheet is `gib` GiB of
    whitespace after its header row. `declared`: the sheet's uncompressed size the zip headers
    state instead of the true one (a lying header)."""
    head, tail = _sheet_xml(_header_row() + "SPLIT").split(b"SPLIT")
    blank = b" " * (16 << 20)
    count = int(gib * (1 << 30)) // len(blank)
    # After a full flush deflate starts afresh, so every block of blanks compresses to the same bytes.
    squeeze = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = squeeze.compress(head) + squeeze.flush(zlib.Z_FULL_FLUSH)
    block = squeeze.compress(blank) + squeeze.flush(zlib.Z_FULL_FLUSH)
    last = squeeze.compress(tail) + squeeze.flush()
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(blank, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + count * len(blank) + len(tail)
    sheet = (first + block * count + last, crc, size if declared is None else declared)
    parts = []
    with zipfile.ZipFile(io.BytesIO(_base_workbook())) as src:
        for info in src.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                parts.append((info.filename, *sheet))
            else:
                raw = src.read(info)
                squeeze = zlib.compressobj(9, zlib.DEFLATED, -15)
                parts.append(
                    (info.filename, squeeze.compress(raw) + squeeze.flush(), zlib.crc32(raw), len(raw))
                )
    path.write_bytes(_zip(parts))
    return path


def lying_header(path: Path, gib: float = 1.5) -> Path:
    """The whitespace bomb whose zip headers (local and central) say the sheet inflates to 4 KB."""
    return whitespace_bomb(path, gib, declared=4096)


def _zip(parts: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of raw deflate members (name, compressed bytes, CRC-32, uncompressed size as stated)."""
    out = io.BytesIO()
    central = []
    for name, data, crc, size in parts:
        encoded = name.encode()
        offset = out.tell()
        out.write(
            struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded), 0)
        )
        out.write(encoded)
        out.write(data)
        central.append(
            struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(data), size,
                        len(encoded), 0, 0, 0, 0, 0, offset) + encoded
        )  # fmt: skip
    start = out.tell()
    for entry in central:
        out.write(entry)
    end = out.tell()
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), end - start, start, 0))
    return out.getvalue()

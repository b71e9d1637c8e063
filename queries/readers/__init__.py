"""Reading import files into raw grids of text: xlsx sheets through calamine, CSV with detection of
encoding and separator, then locating the table and its header row inside each grid, and taking
its data rows.

A grid is a Polars frame of String columns c0..cN, one row per sheet row from row 1, so that grid
row k is the row Excel shows as k + 1. Excel grids also carry, per column, the cell read as a
datetime (non-null only for number and date cells), which the value parsers use.

By stage (each module says more):

* `grid` (Grid, the suffixes read, the exceptions of an unreadable file);
* `excel` (read_excel: a workbook's sheets), `text` (CSV/text: encodings, separators, reading whole
  or in pieces), `nfc` (the fast NFC test of UTF-8 bytes), `prefetch` (the next piece read in a
  thread);
* `locate` (the header row, the table, the columns), `rows` (the data rows: blank, numbering,
  title and total rows).
"""

from __future__ import annotations

from queries.readers.excel import read_excel
from queries.readers.grid import (
    CELL_SUFFIX,
    EXCEL_SUFFIXES,
    HEADER_SCAN_ROWS,
    MAX_COLUMNS,
    TEXT_SUFFIXES,
    Grid,
    PasswordProtected,
    SheetTooLarge,
    TooManyColumns,
    UnreadableFile,
)
from queries.readers.locate import (
    HEADER_INDEX,
    Located,
    find_header,
    locate,
    match_header,
    table_for_file_name,
)
from queries.readers.nfc import unsafe_among
from queries.readers.prefetch import prefetch
from queries.readers.rows import (
    TOTAL_SCAN_COLUMNS,
    TOTAL_SCAN_TAIL,
    Body,
    BodyStream,
    body,
    content_mask,
    is_total_label,
    non_blank_row,
)
from queries.readers.text import (
    HEAD_BYTES,
    HEAD_CHARS,
    HEAD_LINES,
    SEPARATORS,
    Decoded,
    Reread,
    TextFile,
    decode,
    detect_separator,
    grid_pieces,
    open_text,
    read_csv,
)

__all__ = [
    "CELL_SUFFIX",
    "EXCEL_SUFFIXES",
    "HEADER_INDEX",
    "HEADER_SCAN_ROWS",
    "HEAD_BYTES",
    "HEAD_CHARS",
    "HEAD_LINES",
    "MAX_COLUMNS",
    "SEPARATORS",
    "TEXT_SUFFIXES",
    "TOTAL_SCAN_COLUMNS",
    "TOTAL_SCAN_TAIL",
    "Body",
    "BodyStream",
    "Decoded",
    "Grid",
    "Located",
    "PasswordProtected",
    "Reread",
    "SheetTooLarge",
    "TextFile",
    "TooManyColumns",
    "UnreadableFile",
    "body",
    "content_mask",
    "decode",
    "detect_separator",
    "find_header",
    "grid_pieces",
    "is_total_label",
    "locate",
    "match_header",
    "non_blank_row",
    "open_text",
    "prefetch",
    "read_csv",
    "read_excel",
    "table_for_file_name",
    "unsafe_among",
]

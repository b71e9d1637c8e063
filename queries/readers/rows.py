"""The data rows of a located table: blank rows, the column-numbering row and a trailing total
row are dropped, title rows above the header counted; a whole grid at once (body) or piece by
piece (BodyStream)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import polars as pl

from queries.readers.grid import CELL_SUFFIX
from queries.readers.locate import Located

# A total row's label. "Tổng cộng" / "Tổng số" (with their marks) may go on ("Tổng cộng toàn Khối");
# the short or unmarked labels must end there or go on with a number or bracket ("Tổng: 5",
# "TONG CONG (89)"), so that a unit named "Tổng công ty …" or "Tong Van Cong" is never taken for one.
_TOTAL_LONG = re.compile(r"(tổng cộng|tổng số)(?![^\W\d_])")
_TOTAL_SHORT = re.compile(r"(tổng|cộng|total|tong ?cong|tong ?so|tong|cong)\s*(?:$|[^\w\s]|\d)")
TOTAL_SCAN_COLUMNS = 3
TOTAL_SCAN_TAIL = 3  # a total row is one of the last rows with content


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

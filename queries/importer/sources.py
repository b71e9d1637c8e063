"""Opening the files: each one recognised (workbook or CSV), its tables and header rows located
(queries/readers/), its hash taken; the notices of reading a source's rows."""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from queries import readers, sandbox, template, vocab, xlsx_guard
from queries.importer import limits
from queries.importer.report import Notice, Problem


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
            for _ in readers.grid_pieces(text, limits.CHUNK_BYTES, hash_file=True):
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
    for _, piece in readers.grid_pieces(text, limits.CHUNK_BYTES, hash_file=False):
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

"""A folder or a .zip of the units' files, opened into one import set; and the result per file.

The files of a folder (and its subfolders) or of a .zip archive are imported as ONE set, all or
nothing, like files named one by one. Each keeps a name that says where it came from
("bao_cao_2024.zip/DBCS01/dang_ky.xlsx"). Only the kinds the importer reads are taken
(readers.EXCEL_SUFFIXES, readers.TEXT_SUFFIXES); other files are listed as skipped.

A .zip is unpacked with care, into a private folder and under names of our own (never the
member's path): a member whose name is absolute or climbs out (".."), a link, an encrypted
member, more than MAX_MEMBERS members, a member larger than MAX_MEMBER_BYTES or an archive
unpacking to more than MAX_TOTAL_BYTES is refused with a problem naming the archive and the
member. Sizes are counted on the bytes actually unpacked, not the sizes the archive declares.
"""

from __future__ import annotations

import stat
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import polars as pl

from queries import messages, readers
from queries.importer import ImportReport, Problem

MAX_MEMBERS = 2_000
MAX_MEMBER_BYTES = 256 << 20
MAX_TOTAL_BYTES = 2 << 30
READABLE = readers.EXCEL_SUFFIXES | readers.TEXT_SUFFIXES
ARCHIVE_SUFFIXES = {".zip"}


@dataclass
class Bundle:
    """The files to import, their display names, what was refused and what was skipped."""

    paths: list[Path] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _problem(name: str, code: str, **params: object) -> Problem:
    return Problem(name, None, None, None, None, code, params)


def _readable(name: str) -> bool:
    return PurePosixPath(name).suffix.lower() in READABLE


def _from_folder(folder: Path, shown: str, out: Bundle) -> None:
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()):
        relative = path.relative_to(folder).as_posix()
        if any(part.startswith(".") for part in PurePosixPath(relative).parts):
            continue  # hidden files (.DS_Store, editors' lock files ~$ are not hidden: skipped below)
        name = f"{shown}/{relative}"
        if _readable(relative) and not PurePosixPath(relative).name.startswith("~$"):
            out.paths.append(path)
            out.names.append(name)
        else:
            out.skipped.append(name)


def _unsafe(member: zipfile.ZipInfo) -> str | None:
    """Why a member may not be unpacked, or None."""
    name = member.filename.replace("\\", "/")
    parts = PurePosixPath(name).parts
    if name.startswith("/") or (parts and ":" in parts[0]) or ".." in parts:
        return "zip_unsafe_path"
    mode = member.external_attr >> 16
    if stat.S_ISLNK(mode):
        return "zip_unsafe_path"
    if member.flag_bits & 0x1:
        return "zip_encrypted"
    return None


def _from_zip(archive: Path, shown: str, workdir: Path, out: Bundle) -> None:
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        out.problems.append(_problem(shown, "zip_unreadable", detail=str(exc)[:200]))
        return
    with zf:
        members = [m for m in zf.infolist() if not m.is_dir()]
        if len(members) > MAX_MEMBERS:
            out.problems.append(_problem(shown, "zip_too_many", count=len(members), limit=MAX_MEMBERS))
            return
        total = 0
        for member in members:
            name = f"{shown}/{member.filename}"
            why = _unsafe(member)
            if why is not None:
                out.problems.append(_problem(name, why))
                continue
            base = PurePosixPath(member.filename.replace("\\", "/")).name
            if base.startswith(".") or base.startswith("~$") or member.filename.startswith("__MACOSX/"):
                continue
            if not _readable(member.filename):
                out.skipped.append(name)
                continue
            target = workdir / f"{len(out.paths):04d}{PurePosixPath(member.filename).suffix.lower()}"
            written = 0
            try:
                with zf.open(member) as src, open(target, "wb") as dst:
                    while block := src.read(1 << 20):
                        written += len(block)
                        total += len(block)
                        if written > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES:
                            break
                        dst.write(block)
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
                target.unlink(missing_ok=True)
                out.problems.append(_problem(name, "zip_unreadable", detail=str(exc)[:200]))
                continue
            if written > MAX_MEMBER_BYTES:
                target.unlink(missing_ok=True)
                out.problems.append(_problem(name, "zip_member_too_large", limit=MAX_MEMBER_BYTES >> 20))
                continue
            if total > MAX_TOTAL_BYTES:
                target.unlink(missing_ok=True)
                out.problems.append(_problem(shown, "zip_too_large", limit=MAX_TOTAL_BYTES >> 20))
                return
            out.paths.append(target)
            out.names.append(name)


def expand(items: Sequence[tuple[Path, str]], workdir: Path) -> Bundle:
    """The files to import from (path, display name) items: a file as it is, a folder's readable
    files, a .zip's readable members unpacked into `workdir` (which the caller removes)."""
    out = Bundle()
    for k, (path, shown) in enumerate(items):
        path = Path(path)
        if path.is_dir():
            _from_folder(path, shown.rstrip("/"), out)
        elif PurePosixPath(shown).suffix.lower() in ARCHIVE_SUFFIXES and path.is_file():
            folder = workdir / f"zip{k:03d}"
            folder.mkdir(parents=True, exist_ok=True)
            _from_zip(path, shown, folder, out)
        else:
            out.paths.append(path)
            out.names.append(shown)
    if not out.paths and not out.problems:
        out.problems.append(_problem(", ".join(s for _, s in items), "bundle_empty"))
    return out


def rejected(bundle: Bundle, dry_run: bool) -> ImportReport:
    """The report of a set refused before reading (an unsafe or broken archive): nothing written."""
    return ImportReport(problems=list(bundle.problems), dry_run=dry_run, files=list(bundle.names))


PER_FILE_SCHEMA = {
    "file": pl.String,
    "sha256": pl.String,
    "tables": pl.String,
    "rows": pl.Int64,
    "problems": pl.Int64,
}


def per_file(report: ImportReport, lang: str = "vi") -> pl.DataFrame:
    """One row per file of the set: its SHA-256, the tables read from it with their rows, and
    how many problems it has (problems not tied to a file are not counted here)."""
    rows = []
    hashes = report.file_hashes or [None] * len(report.files)
    for name, sha in zip(report.files, hashes, strict=False):
        tables = [n for n in report.notices if n.file == name and n.code == "table"]
        rows.append(
            {
                "file": name,
                "sha256": sha,
                "tables": ", ".join(
                    f"{messages.table_name(str(n.params.get('table')), lang)}" for n in tables
                ),
                "rows": sum(int(n.params.get("rows") or 0) for n in tables),
                "problems": sum(1 for p in report.problems if p.file == name),
            }
        )
    return pl.DataFrame(rows, schema=PER_FILE_SCHEMA) if rows else pl.DataFrame(schema=PER_FILE_SCHEMA)

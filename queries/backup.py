"""Backups of the database file and restoring one (`dvk backup`, `dvk restore`).

A backup is a byte copy of one version of the live file. Writes never change the live file, they
replace it (`queries/store.py`), so a file opened at one moment reads that version to its end: the
copy is taken from a file opened under the writer lock (`store.open_current`) and is the state
before an import or after it, never a mix, without holding up imports while it copies. The copy is
written beside its destination, fsynced, opened with DuckDB to check it is a DVK database, then
renamed into place, so a backup file that exists is a whole one.

A restore is a write like an import: the backup is copied beside the live file, brought to the
current schema and renamed over it (`store.write_transaction(db, base=backup)`); every running
dashboard follows the swap as it follows an import.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from queries import store, vocab

COPY_CHUNK = 16 * 1024 * 1024


class BackupError(Exception):
    """A message for the user, in Vietnamese and English."""

    def __init__(self, vi: str, en: str):
        super().__init__(en)
        self.vi, self.en = vi, en

    def message(self, lang: str = "vi") -> str:
        return self.en if lang == "en" else self.vi


@dataclass(frozen=True)
class Described:
    """What a database file holds: its schema version and the rows of each table."""

    path: Path
    schema_version: int
    rows: dict[str, int]
    size_bytes: int


def describe(path: str | os.PathLike) -> Described:
    """Open the file read-only and count its tables; BackupError when it is not a DVK database."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"Không có tệp {path}.", f"There is no file {path}.")
    try:
        con = store.connect_read_only(path)
    except duckdb.Error as exc:
        raise BackupError(
            f"{path} không phải là cơ sở dữ liệu DuckDB đọc được: {exc}",
            f"{path} is not a readable DuckDB database: {exc}",
        ) from exc
    try:
        version = store.schema_version(con)
        if version < 1:
            raise BackupError(f"{path} không chứa dữ liệu DVK.", f"{path} holds no DVK data.")
        if version > store.LATEST_VERSION:
            raise BackupError(
                f"{path} có lược đồ phiên bản {version}, mới hơn phần mềm này ({store.LATEST_VERSION}).",
                f"{path} has schema version {version}, newer than this software ({store.LATEST_VERSION}).",
            )
        rows = {}
        for table in vocab.TABLES:  # names from the vocabulary, not from the user
            rows[table.name] = int(con.execute(f"select count(*) from {table.name}").fetchall()[0][0])
    except duckdb.Error as exc:
        raise BackupError(f"Không đọc được {path}: {exc}", f"Cannot read {path}: {exc}") from exc
    finally:
        con.close()
    return Described(path, version, rows, path.stat().st_size)


def default_name(now: datetime | None = None) -> str:
    """The file name of a backup written into a folder: dvk-YYYYmmdd-HHMMSS.duckdb."""
    return f"dvk-{(now or datetime.now()):%Y%m%d-%H%M%S}.duckdb"


def backup(db_path: str | os.PathLike, out: str | os.PathLike, *, force: bool = False) -> Described:
    """Copy a consistent snapshot of the database to `out` (a file, or a folder to put a dated file in)."""
    db_path, out = Path(db_path), Path(out)
    if not db_path.is_file():
        raise BackupError(f"Chưa có cơ sở dữ liệu tại {db_path}.", f"There is no database at {db_path}.")
    if out.is_dir():
        out = out / default_name()
    if out.resolve() == db_path.resolve():
        raise BackupError(
            "Tệp sao lưu không được trùng với cơ sở dữ liệu đang dùng.",
            "The backup file must not be the live database.",
        )
    if out.exists() and not force:
        raise BackupError(
            f"Tệp {out} đã có; chọn tên khác hoặc thêm --force để ghi đè.",
            f"{out} already exists; choose another name or add --force to overwrite it.",
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.tmp-", dir=out.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as dst, store.open_current(db_path) as src:
            shutil.copyfileobj(src, dst, COPY_CHUNK)
            dst.flush()
            os.fsync(dst.fileno())
        described = describe(tmp)
        os.replace(tmp, out)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    with contextlib.suppress(OSError):
        dirfd = os.open(out.parent, os.O_RDONLY)
        try:
            os.fsync(dirfd)
        finally:
            os.close(dirfd)
    return Described(out, described.schema_version, described.rows, described.size_bytes)


def restore(db_path: str | os.PathLike, backup_file: str | os.PathLike) -> Described:
    """Put a backup in place of the live database, atomically; BackupError when it is not a DVK database."""
    db_path, backup_file = Path(db_path), Path(backup_file)
    if backup_file.exists() and db_path.exists() and backup_file.resolve() == db_path.resolve():
        raise BackupError(
            "Tệp cần khôi phục chính là cơ sở dữ liệu đang dùng.",
            "The file to restore is the live database itself.",
        )
    describe(backup_file)  # refuses anything that is not a DVK database, before touching the live one
    with store.write_transaction(db_path, base=backup_file):
        pass  # the copy is brought to the current schema, checkpointed and renamed into place
    return describe(db_path)

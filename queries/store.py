"""The DuckDB store: where the database lives, its versioned schema, and atomic writes.

Writes never touch the live file. A write copies the database to a temporary file beside it,
changes the copy inside one transaction, checkpoints and closes it, fsyncs it and then renames it
over the live file (`os.replace`, atomic on POSIX). Why:

* a crash or SIGKILL at any moment leaves either the old file or the new one, never a mix:
  the rename is the single commit point;
* DuckDB lets only one process open a file for writing, and not while another process holds it
  open at all; readers (the dashboard) keep their handle on the old file until they notice the
  swap (see `Snapshot`), so an import never waits for them and they never see half an import.
"""

from __future__ import annotations

import collections
import contextlib
import fcntl
import glob
import os
import shutil
import tempfile
import threading
import uuid
import weakref
from collections.abc import Callable, Hashable, Iterator
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, TypeVar

import duckdb

T = TypeVar("T")

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "dvk.duckdb"
SCHEMA_DIR = Path(__file__).resolve().parent / "sql" / "schema"
ENV_DB = "DVK_DB"


def resolve_path(cli_value: str | os.PathLike | None, env: str, default: Path) -> Path:
    """A file given on the command line first, then in the environment variable `env`, then `default`."""
    if cli_value:
        return Path(cli_value).expanduser().resolve()
    if os.environ.get(env):
        return Path(os.environ[env]).expanduser().resolve()
    return default


def resolve_db_path(cli_value: str | os.PathLike | None = None) -> Path:
    """The database path: `--db` first, then $DVK_DB, then data/dvk.duckdb."""
    return resolve_path(cli_value, ENV_DB, DEFAULT_DB)


def migrations() -> list[tuple[int, Path]]:
    """The schema files, as (version, path), in order."""
    found = []
    for path in sorted(SCHEMA_DIR.glob("*.sql")):
        found.append((int(path.name.split("_", 1)[0]), path))
    return found


LATEST_VERSION = migrations()[-1][0]


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The schema version recorded in the database, 0 for an empty one."""
    found = con.execute(
        "select count(*) from information_schema.tables where table_name = 'schema_version'"
    ).fetchone()
    assert found is not None  # an aggregate always gives a row
    if not found[0]:
        return 0
    row = con.execute("select max(version) from schema_version").fetchone()
    assert row is not None  # an aggregate always gives a row
    return int(row[0] or 0)


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply every schema file newer than the database's version; returns the new version."""
    con.execute(
        "create table if not exists schema_version (version integer not null, applied_at timestamp not null)"
    )
    current = schema_version(con)
    for version, path in migrations():
        if version > current:
            con.execute(path.read_text(encoding="utf-8"))
            con.execute("insert into schema_version values ($v, $t)", {"v": version, "t": datetime.now()})
            current = version
    return current


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


KeepHook = Callable[[Path], None]


@contextlib.contextmanager
def write_transaction(
    db_path: str | os.PathLike,
    *,
    base: Path | None = None,
    keep: KeepHook | None = None,
    locked: bool = False,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open a private copy of the database for writing; on success swap it in atomically.

    If the block raises, the copy is deleted and the live database is untouched. Every write
    records a new random id in db_version (see `read_version`). `base`: start from this file
    instead of the live one (an undo restores a kept version). `keep(live_path)` is called under
    the writer lock just before the swap, while the old file is still in place (history keeps it).
    `locked`: the caller already holds `writer_lock(db_path)`.
    """
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    if locked:
        yield from _write_copy(db_path, base, keep)
        return
    with writer_lock(db_path):
        yield from _write_copy(db_path, base, keep)


def read_version(con: duckdb.DuckDBPyConnection) -> str | None:
    """The db_version id of the database `con` reads (None before the first write that sets it)."""
    try:
        ((version,),) = con.execute("select max(version_id) from db_version").fetchall()
    except duckdb.CatalogException:
        return None
    return version


def previous_version(con: duckdb.DuckDBPyConnection) -> str | None:
    """In a write transaction: the db_version id of the database the copy was made from."""
    ((previous,),) = con.execute("select max(previous_id) from db_version").fetchall()
    return previous


def file_version(db_path: str | os.PathLike) -> str | None:
    """The db_version id of the database file (None if there is none)."""
    path = Path(db_path)
    if not path.exists():
        return None
    con = connect_read_only(path)
    try:
        return read_version(con)
    finally:
        con.close()


def open_current(db_path: str | os.PathLike) -> BinaryIO:
    """The database file as it is now, open for reading: a consistent snapshot to copy (a backup).

    Writes never change the live file, they replace it (see the module's docstring), so the open
    file keeps reading this version to the end even if an import lands meanwhile. It is opened
    under the writer lock, so never between a writer's WAL replay and its rename; the copy itself
    then holds up no import.
    """
    db_path = Path(db_path)
    with writer_lock(db_path):
        _recover_wal(db_path)
        return open(db_path, "rb")  # noqa: SIM115 (the caller closes it)


@contextlib.contextmanager
def writer_lock(db_path: Path) -> Iterator[None]:
    """One writer at a time: without it, two imports started together would each copy the same
    old file and the second swap would silently drop the first import.

    The lock is taken on the database's folder, so no lock file is left beside the database;
    databases sharing a folder merely take turns to write.
    """
    fd = os.open(db_path.parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _remove_stale_copies(db_path: Path) -> None:
    """Delete the copies of writers killed before their rename (SIGKILL, power cut): under the
    writer lock no other write is under way, so every copy there is stale, and each is as large as
    the database."""
    for stale in db_path.parent.glob(glob.escape(db_path.name) + ".tmp-*"):
        with contextlib.suppress(OSError):
            stale.unlink()


def remove_stale_copies(db_path: str | os.PathLike) -> bool:
    """At a start: delete the copies of writers killed before their rename, if no write is under
    way now (the writer lock is free); True when the folder was checked."""
    db_path = Path(db_path)
    try:
        fd = os.open(db_path.parent, os.O_RDONLY)
    except OSError:
        return False
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False  # a write is under way: its copy is not stale
        _remove_stale_copies(db_path)
        return True
    finally:
        os.close(fd)


def _write_copy(db_path: Path, base: Path | None = None, keep=None) -> Iterator[duckdb.DuckDBPyConnection]:
    _remove_stale_copies(db_path)
    fd, tmp_name = tempfile.mkstemp(prefix=db_path.name + ".tmp-", dir=db_path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # DuckDB must create the file itself
    try:
        if base is not None:
            shutil.copy2(base, tmp)
        elif db_path.exists():
            _recover_wal(db_path)
            shutil.copy2(db_path, tmp)
        con = duckdb.connect(str(tmp))
        try:
            migrate(con)
            con.execute("begin transaction")
            previous = read_version(con)
            con.execute("delete from db_version")
            con.execute(
                "insert into db_version values ($id, $at, $previous)",
                {"id": uuid.uuid4().hex, "at": datetime.now(), "previous": previous},
            )
            yield con
            con.execute("commit")
            con.execute("checkpoint")
        except BaseException:
            with contextlib.suppress(Exception):
                con.execute("rollback")
            raise
        finally:
            con.close()
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        if keep is not None and db_path.exists():
            keep(db_path)
        os.replace(tmp, db_path)
        _fsync_dir(db_path.parent)
    finally:
        for leftover in (tmp, Path(str(tmp) + ".wal")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


def _recover_wal(db_path: Path) -> None:
    """A live file never has a WAL in this design; one left by an outside writer is replayed first."""
    wal = Path(str(db_path) + ".wal")
    if wal.exists():
        duckdb.connect(str(db_path)).close()


def ensure_database(db_path: str | os.PathLike) -> Path:
    """Create the database with the latest schema, or migrate an older one, atomically."""
    db_path = Path(db_path)
    if db_path.exists():
        con = duckdb.connect(str(db_path), read_only=True)
        try:
            if schema_version(con) >= LATEST_VERSION:
                return db_path
        finally:
            con.close()
    with write_transaction(db_path):
        pass
    return db_path


CATALOG = "dvk"


def connect_read_only(db_path: str | os.PathLike) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the database file as it is now.

    The file is ATTACHed to a private in-memory instance rather than opened with
    `duckdb.connect(path)`: DuckDB caches instances by path, so after an atomic swap a plain
    connect would hand back the old file. Use `cursor_on` (or `Snapshot.cursor`) for cursors.
    """
    path = Path(db_path)
    if not path.exists():
        raise FileNotFoundError(path)
    con = duckdb.connect(":memory:")
    literal = str(path).replace("'", "''")  # ATTACH takes no bound parameters; a path, not user data
    con.execute(f"attach '{literal}' as {CATALOG} (read_only)")
    con.execute(f"use {CATALOG}")
    with _MEMO_LOCK:
        _MEMOS[con] = {}
    return con


# Facts about a read-only snapshot that cannot change while it is open (it never sees a write:
# writes replace the file, see the module's docstring), worked out once per connection and shared
# by its cursors: {connection: {name: value}} and {cursor: the same dict}. Weak keys: an entry goes
# away with its connection or cursor.
_MEMOS: weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, dict] = weakref.WeakKeyDictionary()
_CURSOR_MEMOS: weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, dict] = weakref.WeakKeyDictionary()
_MEMO_LOCK = threading.Lock()


def cursor_on(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A cursor of a `connect_read_only` connection, pointed at the attached database."""
    cur = con.cursor()
    cur.execute(f"use {CATALOG}")
    with _MEMO_LOCK:
        memo = _MEMOS.get(con)
        if memo is not None:
            _CURSOR_MEMOS[cur] = memo
    return cur


def snapshot_memo(cur: duckdb.DuckDBPyConnection) -> dict | None:
    """The memo of the read-only snapshot `cur` reads (a cursor from `cursor_on`), where facts
    that cannot change while it is open are kept; None for any other connection, which may see
    writes: its facts must be asked again each time."""
    with _MEMO_LOCK:
        return _CURSOR_MEMOS.get(cur)


def snapshot_kept(
    cur: duckdb.DuckDBPyConnection, name: str, key: Hashable, compute: Callable[[], T], size: int
) -> T:
    """`compute()` for `key`, kept in the memo of `cur`'s read-only snapshot under `name` (the
    `size` most recently used keys); on a connection that may see writes, computed every time."""
    memo = snapshot_memo(cur)
    if memo is None:
        return compute()
    with _MEMO_LOCK:  # the dashboard's sessions are threads sharing one snapshot
        kept = memo.setdefault(name, collections.OrderedDict())
        if key in kept:
            kept.move_to_end(key)
            return kept[key]
    value = compute()
    with _MEMO_LOCK:
        kept[key] = value
        while len(kept) > size:
            kept.popitem(last=False)
    return value


class Snapshot:
    """One read-only connection per process that follows atomic swaps of the database file.

    `cursor()` returns a fresh cursor on the current connection; when the file on disk has been
    replaced by a write (new inode or mtime), the connection is reopened first.
    """

    def __init__(self, db_path: str | os.PathLike):
        self.db_path = Path(db_path)
        self._stamp: tuple[int, int] | None = None
        self._con: duckdb.DuckDBPyConnection | None = None
        self._lock = threading.Lock()  # sessions are threads: one of them reopens, the others wait

    def _file_stamp(self) -> tuple[int, int]:
        st = os.stat(self.db_path)
        return (st.st_ino, st.st_mtime_ns)

    @property
    def stamp(self) -> tuple[int, int]:
        """Identifies the database version currently on disk (use it as a cache key)."""
        return self._file_stamp()

    def versioned_cursor(self) -> tuple[duckdb.DuckDBPyConnection, tuple[int, int]]:
        """A cursor on the newest committed database, and the version (stamp) it reads."""
        with self._lock:
            stamp = self._file_stamp()
            if self._con is None or stamp != self._stamp:
                # The old connection is not closed: cursors of other threads may still be reading
                # the previous snapshot; it goes away with its last cursor.
                self._con = connect_read_only(self.db_path)
                self._stamp = stamp
            return cursor_on(self._con), self._stamp

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor on the newest committed database."""
        return self.versioned_cursor()[0]

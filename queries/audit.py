"""The audit log: who imported or downloaded what, when, with which filters; logins too.

Why a JSON-lines file and not a DuckDB table:

* the dashboard opens the database read-only, and a download must still be recorded;
* imports replace the database file atomically (store.write_transaction: copy, change, rename),
  so a row written into the live file by anyone else would be lost at the next swap, and a
  failed import, which leaves the database untouched, would leave no trace either;
* an append-only text file outlives the database: rebuilding `dvk.duckdb` from the demo or
  restoring a backup does not erase who did what.

The file sits beside the database (`data/audit.jsonl` by default, `$DVK_AUDIT` overrides). Each
record is one line written with a single write() on a descriptor opened with O_APPEND, under an
exclusive flock: O_APPEND makes every write land at the end, the lock keeps records from several
processes (dashboard sessions, `dvk import`) from interleaving even when one is large.
Nothing is ever rewritten; rotation, if wanted, is an operator's job (move the file away).
"""

from __future__ import annotations

import dataclasses
import fcntl
import json
import os
from collections import deque
from datetime import UTC, datetime
from pathlib import Path

from queries.auth import User
from queries.store import resolve_db_path

ENV_AUDIT = "DVK_AUDIT"
AUDIT_FILE_NAME = "audit.jsonl"

ACTIONS = (
    "import",
    "download",
    "login",
    "login_failed",
    "login_throttled",  # an attempt refused unchecked: too many failures for the name or the client
    "logout",
    "user_add",
    "user_remove",
    "undo",
    "redo",
)


def resolve_audit_path(db_path: str | os.PathLike | None = None) -> Path:
    """The audit log: $DVK_AUDIT, else audit.jsonl beside the database (`--db`, $DVK_DB, data/)."""
    if os.environ.get(ENV_AUDIT):
        return Path(os.environ[ENV_AUDIT]).expanduser().resolve()
    return resolve_db_path(db_path).parent / AUDIT_FILE_NAME


def _jsonable(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    return str(value)


def _who(user: User | str | None) -> dict:
    if isinstance(user, User):
        return {"user": user.name, "role": user.role, "scope": user.unit}
    return {"user": user or None}


def record(
    action: str,
    user: User | str | None,
    *,
    log_path: str | os.PathLike | None = None,
    db_path: str | os.PathLike | None = None,
    **details: object,
) -> dict:
    """Append one record (time, action, user, role, scope, details such as what= and filters=).

    `user` is a User, or a bare name for failed logins. Details are stored as JSON; a Filters
    dataclass becomes an object. The log is `log_path`, else `resolve_audit_path(db_path)`.
    Returns the record as written.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}; expected one of {ACTIONS}")
    entry = {"ts": datetime.now(UTC).isoformat(timespec="milliseconds"), "action": action, **_who(user)}
    for key, value in details.items():
        if key in entry:
            raise ValueError(f"audit detail {key!r} would overwrite a standard field")
        entry[key] = value
    # ensure_ascii keeps every line pure ASCII: no encoding surprises for whoever greps the file.
    line = (json.dumps(entry, default=_jsonable, ensure_ascii=True, separators=(",", ":")) + "\n").encode()
    target = Path(log_path) if log_path is not None else resolve_audit_path(db_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o640)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            written = os.write(fd, line)
            while written < len(line):  # only on a full disk or a signal; still under the lock
                written += os.write(fd, line[written:])
            os.fsync(fd)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
    return json.loads(line)


def read_log(
    path: str | os.PathLike | None = None,
    limit: int | None = None,
    *,
    action: str | None = None,
    user: str | None = None,
) -> list[dict]:
    """The records in file order (oldest first), the last `limit` of them, optionally filtered.

    A line that is not valid JSON (a record cut short by a crash) comes back as
    {"action": "unreadable", "line": n, "raw": ...} rather than being skipped silently.
    """
    target = Path(path) if path is not None else resolve_audit_path()
    if not target.exists():
        return []
    kept: deque[dict] = deque(maxlen=limit if limit is not None and limit >= 0 else None)
    with open(target, "rb") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_SH)  # never read a record half-written
        try:
            for number, raw in enumerate(fh, start=1):
                if not raw.strip():
                    continue
                try:
                    entry = json.loads(raw)
                    if not isinstance(entry, dict):
                        raise ValueError("not an object")
                except ValueError:
                    entry = {
                        "action": "unreadable",
                        "line": number,
                        "raw": raw[:500].decode("utf-8", "replace"),
                    }
                if action is not None and entry.get("action") != action:
                    continue
                if user is not None and entry.get("user") != user:
                    continue
                kept.append(entry)
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
    return list(kept)

"""The import history and undo: every import keeps the database it replaced, an undo restores it.

Every write replaces the database file atomically (store.write_transaction) and records a new
random version id in db_version. An import or an undo passes `keeper(db_path)` as the write's
`keep` hook: just before the swap, the old file is hard-linked (a copy where links fail) into
`<database>.versions/` beside it, named by its version id. Only the newest `keep_count()` files
are kept (default 5, $DVK_KEEP_VERSIONS or --keep-versions).

Each step is a row of `lich_su` in the database it produced (and an import's units touched, rows
of `lich_su_don_vi`: a restored file holds those of the imports whose rows it holds) (who, when, files and their hashes,
counts by table, the version before and after). `undo` restores the version before the last
step, as a write like any other (the same lock, copy and rename), and carries the history
forward into the restored file with a row of its own, so `dvk history` shows both steps. Undoing
an undo restores what it undid: a redo. An undo refuses when the database was written by
something else since the last step (its version is not the step's), or when the version it needs
is no longer kept.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from queries import store

ENV_KEEP = "DVK_KEEP_VERSIONS"
KEEP_DEFAULT = 5
ACTION_IMPORT, ACTION_UNDO, ACTION_REDO = "import", "undo", "redo"


def keep_count(value: int | None = None) -> int:
    """How many previous database versions are kept: `value`, else $DVK_KEEP_VERSIONS, else 5."""
    if value is None:
        raw = os.environ.get(ENV_KEEP, "").strip()
        value = int(raw) if raw.isdigit() else KEEP_DEFAULT
    return max(int(value), 0)


def versions_dir(db_path: str | os.PathLike) -> Path:
    """The folder of the kept versions: `<database file name>.versions` beside it."""
    path = Path(db_path)
    return path.parent / (path.name + ".versions")


def kept_versions(db_path: str | os.PathLike) -> list[Path]:
    """The kept version files, oldest first."""
    folder = versions_dir(db_path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob("*.duckdb"))


def _version_file(db_path: Path, version_id: str) -> Path | None:
    for path in kept_versions(db_path):
        if path.stem.split("-", 1)[-1] == version_id:
            return path
    return None


def keeper(db_path: str | os.PathLike, keep: int | None = None) -> Callable[[Path], None]:
    """The `keep` hook of store.write_transaction: keep the file about to be replaced."""
    limit = keep_count(keep)

    def keep_live(live: Path) -> None:
        if limit == 0:
            return
        folder = versions_dir(live)
        folder.mkdir(exist_ok=True)
        version_id = store.file_version(live) or f"x{uuid.uuid4().hex}"
        target = folder / f"{datetime.now():%Y%m%d%H%M%S%f}-{version_id}.duckdb"
        try:
            os.link(live, target)  # the swap leaves this inode alone: a link costs nothing
        except OSError:
            shutil.copy2(live, target)
        for old in kept_versions(live)[:-limit]:
            with contextlib.suppress(OSError):
                old.unlink()

    return keep_live


@dataclass
class Step:
    """One row of lich_su."""

    step: int
    at: datetime
    action: str
    who: str | None
    import_id: int | None
    files: list[dict]
    counts: dict[str, dict]
    version_before: str | None
    version_after: str
    undoes: int | None


def steps(con: duckdb.DuckDBPyConnection) -> list[Step]:
    """The steps recorded in this database, oldest first (none before the import desk)."""
    try:
        rows = con.execute(
            "select step, step_at, action, who, import_id, files, counts, version_before, version_after, undoes"
            " from lich_su order by step"
        ).fetchall()
    except duckdb.CatalogException:
        return []
    return [
        Step(r[0], r[1], r[2], r[3], r[4], json.loads(r[5] or "[]"), json.loads(r[6] or "{}"), *r[7:])
        for r in rows
    ]


def _insert(con: duckdb.DuckDBPyConnection, step: Step) -> None:
    con.execute(
        "insert into lich_su values ($step, $at, $action, $who, $import_id, $files, $counts,"
        " $before, $after, $undoes)",
        {
            "step": step.step,
            "at": step.at,
            "action": step.action,
            "who": step.who,
            "import_id": step.import_id,
            "files": json.dumps(step.files, ensure_ascii=False),
            "counts": json.dumps(step.counts, ensure_ascii=False),
            "before": step.version_before,
            "after": step.version_after,
            "undoes": step.undoes,
        },
    )


def record_import(
    con: duckdb.DuckDBPyConnection,
    *,
    who: str | None,
    import_id: int,
    files: Sequence[tuple[str, str | None]],
    counts: Mapping[str, object],
    per_unit: Mapping[str, pl.DataFrame] | None = None,
) -> Step:
    """Inside an import's write transaction: its row of lich_su. `counts`: table -> TableCount."""
    ((last,),) = con.execute("select coalesce(max(step), 0) from lich_su").fetchall()
    step = Step(
        step=int(last) + 1,
        at=datetime.now(),
        action=ACTION_IMPORT,
        who=who,
        import_id=import_id,
        files=[{"name": name, "sha256": sha} for name, sha in files],
        counts={name: dict(vars(count)) for name, count in counts.items()},
        version_before=store.previous_version(con),
        version_after=store.read_version(con) or "",
        undoes=None,
    )
    _insert(con, step)
    for table_name, frame in (per_unit or {}).items():
        if frame.height:
            con.register("_per_unit", frame)
            try:
                con.execute(
                    "insert into lich_su_don_vi select $step, $table, ma_don_vi, n_new, n_changed from _per_unit",
                    {"step": step.step, "table": table_name},
                )
            finally:
                con.unregister("_per_unit")
    return step


@dataclass
class UndoResult:
    """What `undo` did: ok with the new step, or the reason it refused (a messages code)."""

    ok: bool
    code: str
    step: Step | None = None
    undone: Step | None = None


def undo(db_path: str | os.PathLike, who: str | None, keep: int | None = None) -> UndoResult:
    """Restore the database as it was before the last step (an undo of an undo is a redo)."""
    db_path = Path(db_path)
    if not db_path.exists():
        return UndoResult(False, "undo_nothing")
    with store.writer_lock(db_path):
        con = store.connect_read_only(db_path)
        try:
            history = steps(con)
            live_version = store.read_version(con)
        finally:
            con.close()
        if not history:
            return UndoResult(False, "undo_nothing")
        last = history[-1]
        if live_version != last.version_after:
            return UndoResult(False, "undo_changed_since", undone=last)
        base = _version_file(db_path, last.version_before or "")
        if base is None:
            return UndoResult(False, "undo_not_kept", undone=last)
        action = ACTION_REDO if last.action == ACTION_UNDO else ACTION_UNDO
        with store.write_transaction(db_path, base=base, keep=keeper(db_path, keep), locked=True) as w:
            w.execute("delete from lich_su")
            for old in history:
                _insert(w, old)
            step = Step(
                step=last.step + 1,
                at=datetime.now(),
                action=action,
                who=who,
                import_id=last.import_id,
                files=last.files,
                counts={},
                version_before=live_version,
                version_after=store.read_version(w) or "",
                undoes=last.step,
            )
            _insert(w, step)
    return UndoResult(True, action, step=step, undone=last)


def history_frame(con: duckdb.DuckDBPyConnection, db_path: str | os.PathLike | None = None) -> pl.DataFrame:
    """The steps, newest first: step, at, action, who, files (name and first 12 hex of SHA-256),
    counts by table (json), whether the version before it is still kept (can be undone to).

    Imports logged before the desk existed (nhat_ky_nhap only) come last, without a step."""
    kept = {p.stem.split("-", 1)[-1] for p in kept_versions(db_path)} if db_path else set()
    rows = []
    for s in reversed(steps(con)):
        rows.append(
            {
                "step": s.step,
                "at": s.at,
                "action": s.action,
                "who": s.who,
                "import_id": s.import_id,
                "files": "; ".join(f"{f['name']} ({(f.get('sha256') or '')[:12]})" for f in s.files),
                "counts": json.dumps(s.counts, ensure_ascii=False) if s.counts else None,
                "undoes": s.undoes,
                "kept": (s.version_before or "") in kept,
            }
        )
    first = min((s.import_id for s in steps(con) if s.import_id is not None), default=None)
    try:
        older = con.execute(
            """
            select import_id, min(imported_at),
                   string_agg(distinct file_name || ' (' || left(file_sha256, 12) || ')', '; '),
                   json_group_object(table_name, json_object('added', rows_added, 'updated', rows_updated))
            from nhat_ky_nhap where $first is null or import_id < $first
            group by import_id order by import_id desc
            """,
            {"first": first},
        ).fetchall()
    except duckdb.CatalogException:
        older = []
    for import_id, at, files, counts in older:
        rows.append(
            {
                "step": None,
                "at": at,
                "action": ACTION_IMPORT,
                "who": None,
                "import_id": import_id,
                "files": files,
                "counts": counts,
                "undoes": None,
                "kept": False,
            }
        )
    schema = pl.Schema(
        {
            "step": pl.Int64(),
            "at": pl.Datetime("us"),
            "action": pl.String(),
            "who": pl.String(),
            "import_id": pl.Int64(),
            "files": pl.String(),
            "counts": pl.String(),
            "undoes": pl.Int64(),
            "kept": pl.Boolean(),
        }
    )

    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)

"""`dvk backup --out FILE|FOLDER [--force]`: copy a consistent snapshot of the database."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from queries import backup, messages, store

HELP = "Sao lưu cơ sở dữ liệu (copy a consistent snapshot of the database; restore with `dvk restore`)."


def add_arguments(p: argparse.ArgumentParser) -> None:
    """--out, --force."""
    p.add_argument(
        "--out",
        required=True,
        metavar="FILE",
        help="backup file, or a folder to write dvk-YYYYmmdd-HHMMSS.duckdb into",
    )
    p.add_argument("--force", action="store_true", help="overwrite FILE if it exists")


def report(described: backup.Described, lang: str) -> str:
    """What the file holds, as one line: rows of each table and the size."""
    rows = ", ".join(
        f"{messages.table_name(name, lang)} {messages.count(n, lang)}" for name, n in described.rows.items()
    )
    mb = described.size_bytes / 1024**2
    size = f"{mb:,.1f} MB".replace(",", " ")
    if lang != "en":
        size = size.replace(".", ",")
    return f"{rows} ({size})"


def run_and_report(
    args: argparse.Namespace,
    act: Callable[[Path], backup.Described],
    done_vi: str,
    done_en: str,
    **names: object,
) -> int:
    """Run `act` on the database and print what it did (`done_vi` / `done_en` with {db}, {path},
    {report} and the `names`); 0 when done, 1 when refused (the reason on stderr)."""
    lang = args.lang
    db = store.resolve_db_path(args.db)
    try:
        done = act(db)
    except backup.BackupError as exc:
        print(exc.message(lang), file=sys.stderr)
        return 1
    print(
        (done_vi if lang == "vi" else done_en).format(
            db=db, path=done.path, report=report(done, lang), **names
        )
    )
    return 0


def run(args: argparse.Namespace) -> int:
    """Write the backup; 0 when written, 1 when refused."""
    return run_and_report(
        args,
        lambda db: backup.backup(db, args.out, force=args.force),
        "Đã sao lưu {db} → {path}: {report}.",
        "Backed up {db} → {path}: {report}.",
    )

"""`dvk restore FILE`: put a backup in place of the database, atomically (running dashboards follow)."""

from __future__ import annotations

import argparse
import sys

from queries import backup, store
from queries.commands.backup import report

HELP = "Khôi phục cơ sở dữ liệu từ bản sao lưu (restore the database from a `dvk backup` file)."


def add_arguments(p: argparse.ArgumentParser) -> None:
    """FILE."""
    p.add_argument("file", metavar="FILE", help="a file written by `dvk backup`")


def run(args: argparse.Namespace) -> int:
    """Restore; 0 when done, 1 when the file is refused (the live database is then untouched)."""
    lang = args.lang
    db = store.resolve_db_path(args.db)
    try:
        done = backup.restore(db, args.file)
    except backup.BackupError as exc:
        print(exc.message(lang), file=sys.stderr)
        return 1
    print(
        f"Đã khôi phục {db} từ {args.file}: {report(done, lang)}."
        if lang == "vi"
        else f"Restored {db} from {args.file}: {report(done, lang)}."
    )
    return 0

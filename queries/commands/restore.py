"""`dvk restore FILE`: put a backup in place of the database, atomically (running dashboards follow)."""

from __future__ import annotations

import argparse

from queries import backup
from queries.commands.backup import run_and_report

HELP = "Khôi phục cơ sở dữ liệu từ bản sao lưu (restore the database from a `dvk backup` file)."


def add_arguments(p: argparse.ArgumentParser) -> None:
    """FILE."""
    p.add_argument("file", metavar="FILE", help="a file written by `dvk backup`")


def run(args: argparse.Namespace) -> int:
    """Restore; 0 when done, 1 when the file is refused (the live database is then untouched)."""
    return run_and_report(
        args,
        lambda db: backup.restore(db, args.file),
        "Đã khôi phục {db} từ {file}: {report}.",
        "Restored {db} from {file}: {report}.",
        file=args.file,
    )

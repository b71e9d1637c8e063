"""`dvk import FILE... [--dry-run] [--errors-csv PATH]`: validate and import Excel/CSV files."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from queries import messages, store
from queries.importer import ImportReport, import_files

HELP = "Nhập tệp Excel/CSV theo mẫu (import template Excel/CSV files): tất cả hoặc không gì cả."
SCREEN_LIMIT = 200

STAGES = {
    "vi": {"read": "Đọc tệp", "check": "Kiểm tra bảng", "write": "Ghi bảng"},
    "en": {"read": "Reading files", "check": "Checking tables", "write": "Writing tables"},
}


def add_arguments(p: argparse.ArgumentParser) -> None:
    """FILE..., --dry-run, --errors-csv, --max-errors."""
    p.add_argument("files", nargs="+", metavar="FILE", help=".xlsx or .csv files (one import set)")
    p.add_argument("--dry-run", action="store_true", help="only check, write nothing (chỉ kiểm tra)")
    p.add_argument("--errors-csv", metavar="PATH", help="write every problem to this CSV (UTF-8 BOM)")
    p.add_argument(
        "--max-errors",
        type=int,
        default=SCREEN_LIMIT,
        metavar="N",
        help=f"problems printed on screen (default {SCREEN_LIMIT}); the rest are counted",
    )


class _StderrProgress:
    """One line per stage step on stderr, once the import has run for a moment (quiet for small files)."""

    def __init__(self, lang: str):
        self.lang = lang
        self.started = time.monotonic()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if time.monotonic() - self.started < 1.0:
            return
        label = STAGES[self.lang].get(stage, stage)
        print(f"{label}: {done}/{total}", file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    """Import the files; exit 0 when written (or checked clean with --dry-run), 1 when rejected."""
    lang = args.lang
    report = import_files(
        store.resolve_db_path(args.db),
        [Path(f) for f in args.files],
        dry_run=args.dry_run,
        progress=_StderrProgress(lang),
    )
    _print_report(report, lang, max(args.max_errors, 0))
    if args.errors_csv:
        path = Path(args.errors_csv)
        write_problems_csv(report, path, lang)
        n = messages.count(len(report.problems), lang)
        print(
            f"Đã ghi {n} lỗi vào {path}." if lang == "vi" else f"Wrote {n} problem(s) to {path}.",
            file=sys.stderr,
        )
    return 0 if report.ok else 1


def write_problems_csv(report: ImportReport, path: Path, lang: str = "vi") -> None:
    """Every problem as CSV (UTF-8 with BOM so Excel shows Vietnamese correctly)."""
    frame = report.problems_frame(lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.write_csv(path, include_bom=True)


def _print_report(report: ImportReport, lang: str, limit: int) -> None:
    vi = lang == "vi"
    for notice in report.notices:
        print(("Ghi chú: " if vi else "Note: ") + notice.message(lang))
    shown = report.problems[:limit]
    for problem in shown:
        print(("Lỗi: " if vi else "Problem: ") + problem.message(lang))
    rest = len(report.problems) - len(shown)
    if rest > 0:
        hint = " (dùng --errors-csv để xem tất cả)" if vi else " (use --errors-csv to see them all)"
        n = messages.count(rest, lang)
        print((f"... và {n} lỗi khác" if vi else f"... and {n} more problem(s)") + hint)
    print(report.summary(lang))

"""`dvk import FILE... [--dry-run] [--errors-csv PATH]`: validate and import Excel/CSV files."""

from __future__ import annotations

import argparse
import getpass
import sys
import tempfile
import time
from pathlib import Path

from queries import export, import_bundle, import_diff, messages, notices, store
from queries.commands import add_keep_versions
from queries.importer import ImportReport, import_files

HELP = "Nhập tệp Excel/CSV theo mẫu (import template Excel/CSV files): tất cả hoặc không gì cả."
SCREEN_LIMIT = 200

STAGES = {
    "vi": {"read": "Đọc tệp", "check": "Kiểm tra bảng", "write": "Ghi bảng"},
    "en": {"read": "Reading files", "check": "Checking tables", "write": "Writing tables"},
}


def add_arguments(p: argparse.ArgumentParser) -> None:
    """FILE..., --dry-run, --errors-csv, --max-errors."""
    p.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="Excel (.xlsx .xlsm .xls .xlsb .ods) or CSV files, folders or .zip archives of them (one import set)",
    )
    p.add_argument("--dry-run", action="store_true", help="only check, write nothing (chỉ kiểm tra)")
    p.add_argument("--errors-csv", metavar="PATH", help="write every problem to this CSV (UTF-8 BOM)")
    p.add_argument(
        "--changes-csv", metavar="PATH", help="write every changed field and missing record to this CSV"
    )
    p.add_argument(
        "--expect-version",
        metavar="ID",
        help="write only if the database is still the version a --dry-run reported (else exit 1)",
    )
    add_keep_versions(p, "previous databases kept for dvk undo")
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
    with tempfile.TemporaryDirectory(prefix="dvk-bundle-") as tmp:
        bundle = import_bundle.expand([(Path(f), Path(f).name or f) for f in args.files], Path(tmp))
        if bundle.problems:
            report = import_bundle.rejected(bundle, args.dry_run)
        else:
            report = import_files(
                store.resolve_db_path(args.db),
                bundle.paths,
                display_names=bundle.names,
                dry_run=args.dry_run,
                progress=_StderrProgress(lang),
                who=_who(),
                expect_version=args.expect_version,
                keep_versions=args.keep_versions,
            )
    for name in bundle.skipped:
        print(("Bỏ qua (không phải tệp Excel/CSV): " if lang == "vi" else "Skipped (not Excel/CSV): ") + name)
    if len(report.files) > 1:
        _print_per_file(report, lang)
    _print_report(report, lang, max(args.max_errors, 0))  # its summary is the last line
    if args.changes_csv and report.ok:
        path = Path(args.changes_csv)
        path.parent.mkdir(parents=True, exist_ok=True)
        changes = report.changes_frame()
        path.write_bytes(export.to_csv_bytes(import_diff.labelled_changes(changes, lang), lang))
        n = messages.count(changes.height, lang)
        print(
            f"Đã ghi {n} thay đổi vào {path}." if lang == "vi" else f"Wrote {n} change(s) to {path}.",
            file=sys.stderr,
        )
    if args.errors_csv:
        path = Path(args.errors_csv)
        write_problems_csv(report, path, lang)
        n = messages.count(len(report.problems), lang)
        print(
            f"Đã ghi {n} lỗi vào {path}." if lang == "vi" else f"Wrote {n} problem(s) to {path}.",
            file=sys.stderr,
        )
    return 0 if report.ok else 1


def _print_per_file(report: ImportReport, lang: str) -> None:
    vi = lang == "vi"
    print("Theo tệp:" if vi else "Per file:")
    for r in import_bundle.per_file(report, lang).iter_rows(named=True):
        sha = (r["sha256"] or "")[:12]
        state = (
            ("hợp lệ" if vi else "valid")
            if not r["problems"]
            else f"{messages.count(r['problems'], lang)} {'lỗi' if vi else 'problem(s)'}"
        )
        rows = messages.count(r["rows"], lang)
        print(f"  {r['file']} ({sha}): {r['tables'] or '—'}; {rows} {'dòng' if vi else 'rows'}; {state}")


def _who() -> str | None:
    """The operating-system user running `dvk import`, recorded in the history."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None


def write_problems_csv(report: ImportReport, path: Path, lang: str = "vi") -> None:
    """Every problem as CSV (UTF-8 with BOM so Excel shows Vietnamese correctly)."""
    frame = report.problems_frame(lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.write_csv(path, include_bom=True)


def _print_report(report: ImportReport, lang: str, limit: int) -> None:
    vi = lang == "vi"
    for group in notices.grouped(report.notices, lang).iter_rows(named=True):
        print(
            ("Ghi chú — " if vi else "Notes — ")
            + f"{group['kind']} ({messages.count(group['count'], lang)}):"
        )
        for text in group["messages"]:
            print("  " + text)
    shown = report.problems[:limit]
    for problem in shown:
        print(("Lỗi: " if vi else "Problem: ") + problem.message(lang))
    rest = len(report.problems) - len(shown)
    if rest > 0:
        hint = " (dùng --errors-csv để xem tất cả)" if vi else " (use --errors-csv to see them all)"
        n = messages.count(rest, lang)
        print((f"... và {n} lỗi khác" if vi else f"... and {n} more problem(s)") + hint)
    if report.ok:
        lines = import_diff.screen_lines(report.changes_frame(), lang)
        if lines:
            print("Thay đổi so với dữ liệu đã lưu:" if vi else "Changes to the stored data:")
            for line in lines:
                print("  " + line)
    print(report.summary(lang))
    if report.dry_run and report.ok and report.db_version:
        print(
            f"Phiên bản cơ sở dữ liệu: {report.db_version} (xác nhận: dvk import --expect-version {report.db_version} ...)"
            if vi
            else f"Database version: {report.db_version} (to confirm: dvk import --expect-version {report.db_version} ...)"
        )

"""`dvk history [--json]`: the imports, undos and redos, newest first (who, when, files, counts)."""

from __future__ import annotations

import argparse
import json
import sys

from queries import history, messages, store

HELP = "Lịch sử nhập dữ liệu, hoàn tác (history of imports and undos)."

ACTIONS = {
    "vi": {"import": "Nhập", "undo": "Hoàn tác", "redo": "Làm lại"},
    "en": {"import": "Import", "undo": "Undo", "redo": "Redo"},
}
COUNT_WORDS = {
    "vi": {"added": "mới", "changed": "thay đổi", "unchanged": "không đổi", "updated": "cập nhật"},
    "en": {"added": "added", "changed": "changed", "unchanged": "unchanged", "updated": "updated"},
}


def add_arguments(p: argparse.ArgumentParser) -> None:
    """--json."""
    p.add_argument("--json", action="store_true", help="print a JSON list instead of lines")


def counts_text(counts_json: str | None, lang: str) -> str:
    """ "Đăng ký: 3 mới, 1 thay đổi, 10 không đổi; ..." from a step's counts."""
    if not counts_json:
        return ""
    words = COUNT_WORDS["en" if lang == "en" else "vi"]
    parts = []
    for table, count in json.loads(counts_json).items():
        shown = [
            f"{messages.count(int(count[k]), lang)} {words[k]}"
            for k in ("added", "changed", "unchanged", "updated")
            if k in count and not (k == "updated" and "changed" in count)
        ]
        parts.append(f"{messages.table_name(table, lang)}: {', '.join(shown)}")
    return "; ".join(parts)


def action_text(row: dict, lang: str) -> str:
    """ "Nhập", or "Hoàn tác bước 3" (the step an undo or redo reverses)."""
    label = ACTIONS["en" if lang == "en" else "vi"][row["action"]]
    if row.get("undoes") is not None:
        label += (" step " if lang == "en" else " bước ") + str(row["undoes"])
    return label


def run(args: argparse.Namespace) -> int:
    """Print the history; 0, or 1 when there is no database."""
    lang = args.lang
    db_path = store.resolve_db_path(args.db)
    if not db_path.exists():
        print(
            f"Chưa có cơ sở dữ liệu {db_path}." if lang == "vi" else f"No database at {db_path}.",
            file=sys.stderr,
        )
        return 1
    con = store.connect_read_only(db_path)
    try:
        frame = history.history_frame(con, db_path)
    finally:
        con.close()
    if args.json:
        rows = [
            {**r, "at": r["at"].isoformat(timespec="seconds") if r["at"] else None,
             "counts": json.loads(r["counts"]) if r["counts"] else None}
            for r in frame.iter_rows(named=True)
        ]  # fmt: skip
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if frame.is_empty():
        print("Chưa có lần nhập nào." if lang == "vi" else "No import yet.")
        return 0
    for r in frame.iter_rows(named=True):
        step = f"#{r['step']}" if r["step"] is not None else "—"
        at = r["at"].strftime("%d/%m/%Y %H:%M:%S") if r["at"] else ""
        who = r["who"] or "?"
        print(f"{step} {at} {action_text(r, lang)} — {who}")
        if r["files"]:
            print(("   Tệp: " if lang == "vi" else "   Files: ") + r["files"])
        text = counts_text(r["counts"], lang)
        if text:
            print("   " + text)
    return 0

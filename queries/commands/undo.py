"""`dvk undo`: bring the database back to the state before the last import (undo of an undo: redo)."""

from __future__ import annotations

import argparse
import getpass
import sys

from queries import audit, history, messages, store
from queries.commands import add_keep_versions

HELP = "Hoàn tác lần nhập cuối cùng; chạy lại để làm lại (undo the last import; again to redo)."


def add_arguments(p: argparse.ArgumentParser) -> None:
    """--keep-versions."""
    add_keep_versions(p, "previous databases kept")


def result_message(result: history.UndoResult, lang: str, keep: int | None = None) -> str:
    """The sentence for what `history.undo` did or why it refused."""
    pair = messages.UNDO[result.code]
    what = ""
    if result.undone is not None:
        names = ", ".join(f["name"] for f in result.undone.files)
        action = {"import": ("nhập", "import"), "undo": ("hoàn tác", "undo"), "redo": ("làm lại", "redo")}
        what = action[result.undone.action][1 if lang == "en" else 0] + (f" {names}" if names else "")
    undone = result.undone.step if result.undone else ""
    redone = result.undone.undoes if result.undone and result.undone.undoes else ""
    text = pair[1 if lang == "en" else 0]
    return text.format(undone=undone, redone=redone, what=what, keep=history.keep_count(keep))


def run(args: argparse.Namespace) -> int:
    """Undo (or redo); 0 done, 1 refused."""
    db_path = store.resolve_db_path(args.db)
    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = None
    result = history.undo(db_path, who, args.keep_versions)
    message = result_message(result, args.lang, args.keep_versions)
    if result.ok:
        assert result.step is not None and result.undone is not None  # a step done undid one
        audit.record(
            result.code, who, db_path=db_path, step=result.step.step, undoes=result.undone.step, via="cli"
        )
        print(message)
        return 0
    print(message, file=sys.stderr)
    return 1

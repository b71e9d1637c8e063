"""One module per `dvk` sub-command; each defines HELP, add_arguments(parser) and run(args) -> exit code."""

from __future__ import annotations

import argparse

from queries.history import ENV_KEEP, KEEP_DEFAULT

# Order of the sub-commands in `dvk --help`.
COMMANDS = (
    "demo",
    "import",
    "history",
    "undo",
    "status",
    "template",
    "serve",
    "summary",
    "compare",
    "export",
    "report",
    "user",
    "backup",
    "restore",
)


def add_keep_versions(p: argparse.ArgumentParser, kept: str) -> None:
    """--keep-versions N: how many previous databases history keeps (`dvk import`, `dvk undo`)."""
    p.add_argument(
        "--keep-versions",
        type=int,
        metavar="N",
        help=f"{kept} (default ${ENV_KEEP} or {KEEP_DEFAULT})",
    )

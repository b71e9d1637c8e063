"""The `dvk` command: one entry point, a sub-command per task, exit codes 0 done / 1 rejected / 2 usage."""

from __future__ import annotations

import argparse
import importlib
import sys

from queries.commands import COMMANDS

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2


def _module(name: str):
    return importlib.import_module(f"queries.commands.{name.replace('import', 'import_')}")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command registered."""
    parser = argparse.ArgumentParser(
        prog="dvk",
        description='Thống kê phong trào thi đua "Dân vận khéo" (DVK movement statistics).',
    )
    # --db and --lang go before the command (`dvk --db x.duckdb import f.csv`) or after it; given
    # after, they win. SUPPRESS keeps the sub-command from resetting a value given before it.
    db_help = "DuckDB file (default: $DVK_DB or data/dvk.duckdb)"
    parser.add_argument("--db", metavar="PATH", help=db_help)
    parser.add_argument("--lang", choices=("vi", "en"), default="vi", help="message language (default vi)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        module = _module(name)
        p = sub.add_parser(name, help=module.HELP, description=module.HELP)
        p.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=db_help)
        p.add_argument(
            "--lang", choices=("vi", "en"), default=argparse.SUPPRESS, help="message language (default vi)"
        )
        module.add_arguments(p)
        p.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run `dvk` with these arguments; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args._run(args) or 0)
    except KeyboardInterrupt:
        print("Đã dừng." if args.lang == "vi" else "Interrupted.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

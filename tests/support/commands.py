"""A `dvk` subcommand parsed and run on its own (no subprocess), with the options the main parser
gives it."""

from __future__ import annotations

import argparse
from types import ModuleType

from queries.cli import main


def command_args(command: ModuleType, argv: list[str]) -> argparse.Namespace:
    """argv parsed as `command` (a module of queries.commands) parses it, with --db and --lang,
    the main parser's options, as in `dvk --db … --lang … <command>`."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--db")
    parser.add_argument("--lang", default="vi")
    command.add_arguments(parser)
    return parser.parse_args(argv)


def run_command(command: ModuleType, argv: list[str]) -> int:
    """The exit code of `command` run on argv."""
    return command.run(command_args(command, argv))


def run_dvk(capsys, *argv: str) -> tuple[int, str, str]:
    """`dvk ARGV...` run in this process: its exit code, stdout and stderr (captured by capsys)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err

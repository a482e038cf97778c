"""The ``hemojoint`` command: JSON in, JSON out.

Each subcommand module has ``register(subparsers)`` that adds its parser and sets
``handler``; a handler returns what to print as JSON (or a string to print as
is). Errors never show a traceback: invalid input exits 2 with one line on
stderr naming the field, the value and what is allowed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from importlib import import_module
from typing import Any, NoReturn

from hemojoint.cli.io import InputFileError
from hemojoint.domain.errors import DomainError

EXIT_INVALID_INPUT = 2


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_INVALID_INPUT, f"{self.prog}: {message}\n")


# Command -> the module that registers it. Only the module of the command being run
# is imported: statistics pulls in SciPy and the registry SQLAlchemy, and a command
# that needs neither should not wait for them (seconds on a slow machine).
COMMAND_MODULES = {
    "instruments": "score",
    "score": "score",
    "triage": "triage",
    "stats": "stats",
    "plan": "plan",
    "programme": "programme",
    "demo": "demo",
    "report": "report",
    "export": "export",
    **dict.fromkeys(("db", "centre", "user", "serve", "backup", "restore", "import"), "registry"),
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser for ``command`` (or for every command, for help and usage errors)."""
    parser = OneLineParser(prog="hemojoint", description=__doc__.splitlines()[0])
    subparsers = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    wanted = [COMMAND_MODULES[command]] if command in COMMAND_MODULES else COMMAND_MODULES.values()
    for name in dict.fromkeys(wanted):
        import_module(f"hemojoint.cli.{name}").register(subparsers)
    return parser


def _command_in(argv: Sequence[str]) -> str | None:
    return next((argument for argument in argv if not argument.startswith("-")), None)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(_command_in(arguments)).parse_args(arguments)
    try:
        output: Any = args.handler(args)
    except (DomainError, InputFileError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INVALID_INPUT
    text = output if isinstance(output, str) else json.dumps(output, indent=2, ensure_ascii=False)
    try:
        print(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (e.g. `hemojoint instruments | head`): not an error of ours.
        # Point stdout at devnull so the interpreter's final flush does not complain.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0

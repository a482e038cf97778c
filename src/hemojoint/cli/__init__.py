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
from typing import Any, NoReturn

from hemojoint.cli import registry, score, stats, triage
from hemojoint.cli.io import InputFileError
from hemojoint.domain.errors import DomainError

EXIT_INVALID_INPUT = 2


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_INVALID_INPUT, f"{self.prog}: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="hemojoint", description=__doc__.splitlines()[0])
    subparsers = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    for module in (score, triage, stats, registry):
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
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

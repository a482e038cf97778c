"""Reading the CLI's input files (a path, or ``-`` for standard input)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


class InputFileError(Exception):
    """The input file cannot be read or is not valid JSON/CSV."""


def read_text(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise InputFileError(f"{path}: no such file") from error
    except (OSError, UnicodeDecodeError) as error:
        raise InputFileError(f"{path}: cannot be read ({error})") from error


def read_json(path: str) -> Any:
    """Parse the JSON document at ``path``; errors name the file, line and column."""
    text = read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        where = "stdin" if path == "-" else path
        raise InputFileError(
            f"{where}: not valid JSON ({error.msg} at line {error.lineno} column {error.colno})"
        ) from error

"""Placeholder: registry commands are being written (issue 3)."""

from typing import Any


def register(subparsers: Any) -> None:
    pass

"""The permission matrix as the API serves it and as ``docs/permissions.md`` shows it.

The doc's table is generated here from :func:`hemojoint.domain.access.matrix_rows`
and a test compares the committed file with it, so the two cannot drift apart.
Regenerate with ``python -m hemojoint.services.permissions docs/permissions.md``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from hemojoint.domain.access import Role, matrix_rows
from hemojoint.schemas.admin import PermissionRow

TABLE_START = "<!-- permission-matrix:start (generated; do not edit by hand) -->"
TABLE_END = "<!-- permission-matrix:end -->"


def rows() -> list[PermissionRow]:
    """Every record type with the roles that may read it and those that may write it."""
    return [
        PermissionRow(
            record_type=record_type.value,
            read=[
                role for role in Role if role in readers or role in writers
            ],  # write implies read
            write=[role for role in Role if role in writers],
        )
        for record_type, readers, writers in matrix_rows()
    ]


def _cell(row: PermissionRow, role: Role) -> str:
    if role in row.write:
        return "RW"
    return "R" if role in row.read else "-"


def markdown_table() -> str:
    """The matrix as a Markdown table: one row per record type, one column per role."""
    header = ["record type", *(role.value for role in Role)]
    lines = [_line(header), _line(["---"] * len(header))]
    lines += [
        _line([f"`{row.record_type}`", *(_cell(row, role) for role in Role)]) for row in rows()
    ]
    return "\n".join(lines)


def _line(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def with_current_table(document: str) -> str:
    """``document`` with the text between the markers replaced by the current table."""
    head, start, rest = document.partition(TABLE_START)
    _old, end, tail = rest.partition(TABLE_END)
    if not start or not end:
        raise ValueError(f"the document lacks the markers {TABLE_START!r} and {TABLE_END!r}")
    return f"{head}{TABLE_START}\n{markdown_table()}\n{TABLE_END}{tail}"


if __name__ == "__main__":  # pragma: no cover - a maintainer's tool
    target = Path(sys.argv[1])
    target.write_text(with_current_table(target.read_text(encoding="utf-8")), encoding="utf-8")

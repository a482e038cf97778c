"""What every versioned, archivable record shares: version checks, archive and restore.

Why a shared helper: the registry has a dozen record types and the rules for
concurrency and archiving must be identical for all of them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, Protocol

from hemojoint.services.errors import ConflictError


class HasVersion(Protocol):
    id: int
    version: int


class Versioned(HasVersion, Protocol):
    archived_at: datetime | None
    archived_reason: str | None


def check_version(
    record: HasVersion, expected: int, render: Callable[[Any], Mapping[str, Any]]
) -> None:
    """Refuse a write based on an old version, returning the current record in the error."""
    if record.version != expected:
        raise ConflictError(
            f"version {expected} is stale: the record is at version {record.version}",
            current=dict(render(record)),
        )


def apply_changes(record: object, changes: Mapping[str, Any]) -> None:
    for name, value in changes.items():
        setattr(record, name, value)


def archive(record: Versioned, *, reason: str, now: datetime | None = None) -> None:
    if record.archived_at is not None:
        raise ConflictError("the record is already archived")
    record.archived_at = now or datetime.now(UTC)
    record.archived_reason = reason


def restore(record: Versioned) -> None:
    if record.archived_at is None:
        raise ConflictError("the record is not archived")
    record.archived_at = None
    record.archived_reason = None


def set_archived(record: Versioned, reason: str | None) -> None:
    """Archive with ``reason``, or restore when ``reason`` is None (one verb for both routes)."""
    if reason is None:
        restore(record)
    else:
        archive(record, reason=reason)

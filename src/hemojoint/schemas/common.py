"""Shapes shared by every resource: pages, versions, archive requests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

T = TypeVar("T")

MAX_PAGE_SIZE = 200


def _present(value: T | None) -> T:
    """In an update, omit a required field to keep it; an explicit null would erase it."""
    if value is None:
        raise ValueError("may be left out, but not null")
    return value


# For update fields whose column is required (pydantic skips validators on omitted fields).
NotNull = AfterValidator(_present)


class Strict(BaseModel):
    """Unknown fields are refused, so a typo is an error rather than silently ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class RecordRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    version: int
    created_at: datetime
    updated_at: datetime
    archived_at: datetime | None = None


class VersionedUpdate(Strict):
    """Every update names the version it was based on (optimistic concurrency)."""

    version: int = Field(ge=1, description="the version you read; a stale one gets 409")


class ArchiveRequest(Strict):
    version: int = Field(ge=1)
    reason: str = Field(min_length=1, max_length=500)


class RestoreRequest(Strict):
    version: int = Field(ge=1)


class PageOf(BaseModel, Generic[T]):
    items: list[T]
    total: int
    offset: int
    limit: int

    @classmethod
    def of(cls, page: Any, render: Callable[[Any], T]) -> PageOf[T]:
        """A repository page (items, total, offset, limit) with each item rendered."""
        items = [render(item) for item in page.items]
        return cls(items=items, total=page.total, offset=page.offset, limit=page.limit)

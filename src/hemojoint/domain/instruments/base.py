"""What every instrument shares: identity, provenance, status and the scorer shape.

Verified instruments declare their tables in their module and expose
``SCORER``. Provisional ones declare only the *shape* of their definition and
expose ``scorer(definition)``; the numbers come from a definition file
(``src/hemojoint/definitions/<code>.json``) that a centre may replace.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from hemojoint.domain.errors import DefinitionError

_IDENTITY_KEYS = ("code", "name", "version", "status", "source")


class Status(StrEnum):
    VERIFIED = "verified"
    PROVISIONAL = "provisional"


@dataclass(frozen=True)
class InstrumentInfo:
    """Identity and provenance of one instrument version."""

    code: str
    name: str
    version: str
    status: Status
    source: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "version": self.version,
            "status": self.status.value,
            "source": self.source,
        }

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> InstrumentInfo:
        """Read the identity block of a definition file.

        >>> InstrumentInfo.from_mapping({"code": "x", "name": "X", "version": "1",
        ...     "status": "provisional", "source": "a paper"}).status
        <Status.PROVISIONAL: 'provisional'>
        """
        missing = [key for key in _IDENTITY_KEYS if key not in data]
        if missing:
            raise DefinitionError(f"definition is missing {', '.join(missing)}")
        if data["status"] not in tuple(Status):
            allowed = ", ".join(Status)
            raise DefinitionError(f"status: {data['status']!r} is not one of {allowed}")
        return cls(
            code=str(data["code"]),
            name=str(data["name"]),
            version=str(data["version"]),
            status=Status(data["status"]),
            source=str(data["source"]),
        )


def provenance(info: InstrumentInfo) -> dict[str, Any]:
    """The keys every result's ``as_dict()`` starts with."""
    return {
        "instrument": info.code,
        "version": info.version,
        "status": info.status.value,
        "source": info.source,
    }


class ScoreResult(Protocol):
    """Every instrument result is a frozen dataclass that renders to plain JSON types."""

    def as_dict(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Scorer:
    """An instrument ready to score raw JSON-like input."""

    info: InstrumentInfo
    score_mapping: Callable[[Mapping[str, Any]], ScoreResult]

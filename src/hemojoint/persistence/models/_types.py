"""Column helpers shared by the model modules."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Enum


def code_enum(enum: type[StrEnum], name: str) -> Enum:
    """Store a StrEnum as its code in a VARCHAR with a CHECK constraint (same on both databases)."""
    return Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=40,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )

"""Queries behind a patient's full record: one query per section, by ``patient_id``.

Why columns rather than ORM objects: the full record is read often and a chart
holds years of infusions; selecting only the columns the response shows skips
the identity map and the large JSON documents (an assessment's raw items).
Archived rows are left out, as everywhere a list is shown without ``archived``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from hemojoint.persistence.base import Base


def newest_rows(
    session: Session,
    model: type[Base],
    columns: Sequence[str],
    *,
    patient_id: int,
    newest_first: Sequence[str],
    limit: int | None = None,
) -> Sequence[Row[Any]]:
    """The named ``columns`` of ``model``'s active rows for one patient, newest first.

    ``newest_first`` names the columns to sort by, descending; the id breaks ties
    so the order is stable on both databases.
    """
    table: Any = model
    order = [getattr(table, name).desc() for name in (*newest_first, "id")]
    query = (
        select(*(getattr(table, name) for name in columns))
        .where(table.patient_id == patient_id, table.archived_at.is_(None))
        .order_by(*order)
        .limit(limit)
    )
    return session.execute(query).all()


def count_rows(session: Session, model: type[Base], *, patient_id: int) -> int:
    """How many active rows of ``model`` belong to the patient."""
    table: Any = model
    query = select(func.count()).where(table.patient_id == patient_id, table.archived_at.is_(None))
    return session.scalar(query) or 0

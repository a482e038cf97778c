"""Queries about products, regimens, infusions and the weights dosing needs. Nothing commits."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from hemojoint.persistence.models import ProductRecord, WeightRecord


def get_centre_product(session: Session, centre_id: int, product_id: int) -> ProductRecord | None:
    """The product if it belongs to ``centre_id``; another centre's product is not found."""
    query = select(ProductRecord).where(
        ProductRecord.id == product_id, ProductRecord.centre_id == centre_id
    )
    return session.scalars(query).one_or_none()


def latest_weight_on_or_before(session: Session, patient_id: int, day: date) -> WeightRecord | None:
    """The newest weight measured on or before ``day`` that has not been archived."""
    query = (
        select(WeightRecord)
        .where(
            WeightRecord.patient_id == patient_id,
            WeightRecord.measured_date <= day,
            WeightRecord.archived_at.is_(None),
        )
        .order_by(WeightRecord.measured_date.desc(), WeightRecord.id.desc())
        .limit(1)
    )
    return session.scalars(query).first()

"""Consents: plain child records whose withdrawal cannot precede the consent."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from hemojoint.domain.access import RecordType
from hemojoint.domain.errors import FieldProblem, InvalidInputError
from hemojoint.persistence.models import ConsentRecord, PatientRecord
from hemojoint.schemas.consents import ConsentRead
from hemojoint.services.actor import Actor
from hemojoint.services.child_records import ChildKind


def check_dates(_session: Session, _patient: PatientRecord, record: Any, _actor: Actor) -> None:
    """Checked on the record after the change, so a partial update is judged as a whole."""
    given, withdrawn = record.given_date, record.withdrawn_date
    if withdrawn is not None and withdrawn < given:
        problem = FieldProblem.invalid(
            "withdrawn_date",
            withdrawn.isoformat(),
            f"on or after given_date ({given.isoformat()})",
            f"is before given_date {given.isoformat()}",
        )
        raise InvalidInputError.single(problem)


CONSENTS = ChildKind(
    entity="consent",
    model=ConsentRecord,
    record_type=RecordType.CONSENT,
    read_schema=ConsentRead,
    derive=check_dates,
    order_by=(ConsentRecord.given_date.desc(), ConsentRecord.id.desc()),
)

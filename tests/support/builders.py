"""Typed builders for test data: ``make_*`` returns an unsaved record, ``create_*`` saves it."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from hemojoint.domain.access import Role
from hemojoint.domain.patients import (
    HemophiliaType,
    PriorRegimen,
    Sex,
    severity_from_factor_activity,
)
from hemojoint.persistence.models import (
    ApiTokenRecord,
    CentreRecord,
    FamilyLinkRecord,
    PatientRecord,
    UserRecord,
)
from hemojoint.services.security import hash_password, new_token, token_digest

PASSWORD = "correct horse battery"
_PASSWORD_HASH = hash_password(PASSWORD)  # argon2 is slow on purpose: hash once per run
_numbers = itertools.count(1)


def create_centre(session: Session, **overrides: Any) -> CentreRecord:
    number = next(_numbers)
    centre = CentreRecord(**({"code": f"C{number}", "name": f"Centre {number}"} | overrides))
    session.add(centre)
    session.flush()
    return centre


def create_user(
    session: Session, *, role: Role, centre: CentreRecord, **overrides: Any
) -> UserRecord:
    number = next(_numbers)
    defaults = {
        "username": f"{role.value}{number}",
        "display_name": f"{role.value} {number}",
        "password_hash": _PASSWORD_HASH,
    }
    user = UserRecord(role=role, centre_id=centre.id, **(defaults | overrides))
    session.add(user)
    session.flush()
    return user


def make_patient(centre: CentreRecord, **overrides: Any) -> PatientRecord:
    number = next(_numbers)
    values: dict[str, Any] = {
        "record_number": f"R{number:05d}",
        "given_name": "Test",
        "family_name": f"Child {number}",
        "birth_date": date(2016, 5, 17),
        "sex": Sex.MALE,
        "hemophilia_type": HemophiliaType.A,
        "factor_activity_iu_dl": 0.5,
        "prior_regimen": PriorRegimen.PROPHYLAXIS,
    } | overrides
    values["severity"] = severity_from_factor_activity(values["factor_activity_iu_dl"])
    return PatientRecord(centre_id=centre.id, **values)


def create_patient(session: Session, centre: CentreRecord, **overrides: Any) -> PatientRecord:
    patient = make_patient(centre, **overrides)
    session.add(patient)
    session.flush()
    return patient


def link_family(
    session: Session, user: UserRecord, patient: PatientRecord, relationship: str = "parent"
) -> FamilyLinkRecord:
    link = FamilyLinkRecord(user_id=user.id, patient_id=patient.id, relationship=relationship)
    session.add(link)
    session.flush()
    return link


def create_token(session: Session, user: UserRecord) -> str:
    """An API token for ``user``, skipping the password round trip (fast matrix tests)."""
    token = new_token()
    session.add(
        ApiTokenRecord(
            token_hash=token_digest(token), prefix=token[:8], name="test", user_id=user.id
        )
    )
    session.flush()
    return token

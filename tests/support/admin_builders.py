"""Builders for administration tests: sessions, audit entries, patient history rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from hemojoint.persistence.models import (
    AuditEntryRecord,
    InhibitorResultRecord,
    PatientRecord,
    SessionRecord,
    UserRecord,
    WeightRecord,
)
from hemojoint.services.security import new_token, token_digest
from hemojoint.settings import Settings
from hemojoint.web.app import create_app


@dataclass(frozen=True)
class BrowserSession:
    cookie_value: str
    csrf_token: str
    record: SessionRecord


def create_session(
    session: Session, user: UserRecord, *, expires_at: datetime | None = None
) -> BrowserSession:
    """A browser session without a password round trip (argon2 is slow on purpose)."""
    cookie_value, csrf_token = new_token(), new_token()
    record = SessionRecord(
        token_hash=token_digest(cookie_value),
        csrf_token=csrf_token,
        user_id=user.id,
        expires_at=expires_at or datetime.now(UTC) + timedelta(hours=1),
    )
    session.add(record)
    session.flush()
    return BrowserSession(cookie_value, csrf_token, record)


def create_audit_entry(session: Session, **values: Any) -> AuditEntryRecord:
    entry = AuditEntryRecord(**({"action": "read", "entity": "patient"} | values))
    session.add(entry)
    session.flush()
    return entry


def create_weight(session: Session, patient: PatientRecord, recorder: UserRecord) -> WeightRecord:
    weight = WeightRecord(
        patient_id=patient.id,
        measured_date=date(2026, 1, 5),
        weight_kg=21.5,
        recorded_by_id=recorder.id,
    )
    session.add(weight)
    session.flush()
    return weight


def create_inhibitor_result(
    session: Session, patient: PatientRecord, recorder: UserRecord
) -> InhibitorResultRecord:
    result = InhibitorResultRecord(
        patient_id=patient.id,
        sample_date=date(2026, 1, 5),
        titre_bu_ml=0.0,
        positive=False,
        recorded_by_id=recorder.id,
    )
    session.add(result)
    session.flush()
    return result


def api_operations() -> set[tuple[str, str]]:
    """Every (METHOD, path) the API serves, e.g. ("POST", "/api/v1/patients").

    Read from the OpenAPI document: FastAPI nests included routers in ``app.routes``,
    while the published schema lists every operation flat.
    """
    app = create_app(Settings(database_url="sqlite://"))
    paths: dict[str, dict[str, Any]] = app.openapi()["paths"]
    return {(method.upper(), path) for path, methods in paths.items() for method in methods}

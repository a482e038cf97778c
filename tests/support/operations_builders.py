"""Databases of their own for operations tests (backup, restore, CLI), and data in every table.

The usual ``db`` fixture runs inside a rolled-back transaction; backup, restore
and CLI commands need committed data in a database nobody else uses, so these
helpers build a fresh, migrated one per test: a temp file on SQLite, a new
database on the PostgreSQL test server (dropped afterwards).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from hemojoint.domain.access import Role
from hemojoint.domain.anatomy import BleedSite
from hemojoint.domain.bleeds import BleedType
from hemojoint.persistence.db import make_engine
from hemojoint.persistence.migrate import upgrade
from hemojoint.persistence.models import (
    AdverseEventRecord,
    AlertRecord,
    ApiTokenRecord,
    AssessmentAmendmentRecord,
    AssessmentRecord,
    AuditEntryRecord,
    BleedRecord,
    ConsentRecord,
    EducationAssignmentRecord,
    InfusionRecord,
    InhibitorResultRecord,
    JointClearanceRecord,
    LoginAttemptRecord,
    MessageRecord,
    OnlineSessionRecord,
    PatientRecord,
    ProductRecord,
    RegimenRecord,
    SessionRecord,
    UserRecord,
    WeeklyReviewRecord,
    WeightRecord,
)
from tests.support.builders import create_centre, create_patient, create_user, link_family
from tests.support.programme_builders import (
    add_plan_version,
    create_action,
    create_check_in,
    create_enrolment,
    create_meeting,
    create_plan,
    create_session_log,
)

_database_numbers = itertools.count(1)

# Same backends as tests/conftest.py: PostgreSQL joins when the test server is configured.
BACKENDS = ["sqlite", "postgresql"] if os.environ.get("HEMOJOINT_TEST_POSTGRES_URL") else ["sqlite"]


@contextmanager
def fresh_database(backend: str, folder: Path, *, migrate: bool = True) -> Iterator[str]:
    """The URL of a brand-new database (migrated to head unless ``migrate=False``)."""
    if backend == "sqlite":
        url = f"sqlite:///{folder / f'fresh{next(_database_numbers)}.db'}"
        if migrate:
            upgrade(url)
        yield url
        return
    server_url = os.environ["HEMOJOINT_TEST_POSTGRES_URL"]
    name = f"hemojoint_ops_{os.getpid()}_{next(_database_numbers)}"
    _server_command(server_url, f'CREATE DATABASE "{name}"')
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    try:
        if migrate:
            upgrade(url)
        yield url
    finally:
        _server_command(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _server_command(server_url: str, statement: str) -> None:
    # CREATE/DROP DATABASE cannot run inside a transaction block.
    engine = make_engine(server_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(statement))
    engine.dispose()


AT = datetime(2024, 3, 5, 14, 30, 15, 123456, tzinfo=UTC)


def populate_every_table(session: Session) -> dict[str, Any]:
    """At least one row in every table, with non-trivial values (dates, JSON, enums, NULLs)."""
    centre = create_centre(session, code="OPS", name="Ops Centre")
    doctor = create_user(session, role=Role.HEMATOLOGIST, centre=centre)
    parent = create_user(session, role=Role.CAREGIVER, centre=centre)
    patient = create_patient(session, centre, record_number="OPS-1", given_name="Zoë")
    link_family(session, parent, patient)
    product = _add(
        session,
        ProductRecord(
            centre_id=centre.id,
            name="Factor VIII",
            factor="VIII",
            vial_sizes_iu=[250, 500, 1000],
            recovery_iu_dl_per_iu_kg=2.0,
            version=1,
        ),
    )
    bleed = _add(
        session,
        BleedRecord(
            patient_id=patient.id,
            site=next(iter(BleedSite)),
            bleed_type=next(iter(BleedType)),
            started_at=AT,
            findings=["swelling", "pain"],
            triage={"urgency": "urgent", "reasons": ["joint"]},
            urgency="urgent",
            hospital_days=2,
            femoral_neuropathy=True,
            neuropathy_recovery_date=date(2024, 5, 1),
            reported_by_id=parent.id,
            version=1,
        ),
    )
    assessment = _add(
        session,
        AssessmentRecord(
            patient_id=patient.id,
            instrument_code="hjhs",
            instrument_version="2.1",
            instrument_status="verified",
            assessed_date=date(2024, 2, 1),
            timepoint="baseline",
            assessor_id=doctor.id,
            raw={"left_knee": {"swelling": 1}},
            result={"total": 3.5, "joints": {"left_knee": 1}},
            total=3.5,
            version=2,
        ),
    )
    rows: list[Any] = [
        LoginAttemptRecord(username="x", address="10.0.0.1", attempted_at=AT, succeeded=False),
        SessionRecord(token_hash="s" * 64, csrf_token="c" * 64, user_id=doctor.id, expires_at=AT),
        ApiTokenRecord(token_hash="t" * 64, prefix="tttttttt", name="script", user_id=doctor.id),
        AssessmentAmendmentRecord(
            assessment_id=assessment.id,
            amended_by_id=doctor.id,
            reason="typo",
            previous_version=1,
            previous_assessed_date=date(2024, 1, 31),
            previous_timepoint="baseline",
            previous_raw={"left_knee": {"swelling": 2}},
            previous_result={"total": 4.0},
        ),
        ConsentRecord(
            patient_id=patient.id,
            kind="registry",
            given_by="Parent",
            given_date=date(2024, 1, 2),
            version=1,
        ),
        InhibitorResultRecord(
            patient_id=patient.id,
            sample_date=date(2024, 1, 3),
            titre_bu_ml=0.4,
            positive=False,
            recorded_by_id=doctor.id,
            version=1,
        ),
        WeightRecord(
            patient_id=patient.id,
            measured_date=date(2024, 1, 3),
            weight_kg=21.7,
            recorded_by_id=doctor.id,
            version=1,
        ),
        RegimenRecord(
            patient_id=patient.id,
            product_id=product.id,
            dose_iu=500,
            dose_iu_per_kg=23.04,
            infusions_per_week=3,
            weekdays=["mon", "wed", "fri"],
            start_date=date(2024, 1, 4),
            prescribed_by_id=doctor.id,
            version=1,
        ),
        InfusionRecord(
            patient_id=patient.id,
            product_id=product.id,
            lot="L-1",
            given_at=AT,
            dose_iu=500,
            dose_iu_per_kg=23.04,
            reason="bleed",
            bleed_id=bleed.id,
            recorded_by_id=parent.id,
            version=1,
        ),
        AlertRecord(
            patient_id=patient.id,
            bleed_id=bleed.id,
            urgency="urgent",
            reasons=[{"code": "joint_bleed_signs", "urgency": "urgent", "text": "Joint bleed."}],
            raised_at=AT,
            acknowledged_by_id=doctor.id,
            acknowledged_at=AT,
            acknowledgement_note="Seen; factor given at home — ünïcode",
            version=2,
        ),
        AuditEntryRecord(
            user_id=doctor.id,
            role="hematologist",
            action="read",
            entity="patient",
            entity_id=patient.id,
            patient_id=patient.id,
            address="10.0.0.2",
            detail={"note": "ünïcode"},
        ),
    ]
    session.add_all(rows)
    session.flush()
    regimen = next(row for row in rows if isinstance(row, RegimenRecord))
    _populate_programme(session, patient, (doctor, parent), assessment, regimen, bleed)
    return {"centre": centre, "patient": patient, "doctor": doctor}


def _populate_programme(
    session: Session,
    patient: PatientRecord,
    users: tuple[UserRecord, UserRecord],
    assessment: AssessmentRecord,
    regimen: RegimenRecord,
    bleed: BleedRecord,
) -> None:
    """The rehabilitation programme's tables (migration 0002), linked to the rows above."""
    doctor, parent = users
    enrolment = create_enrolment(
        session,
        patient,
        doctor,
        baseline_hjhs_id=assessment.id,
        regimen_id=regimen.id,
        eligibility={"outcome": "eligible", "failed": [], "as_of": "2024-01-05"},
    )
    plan = create_plan(session, enrolment, doctor)
    add_plan_version(session, plan, doctor, number=2, reason="goal: ankle flexion loss 1 -> 0")
    create_session_log(session, enrolment, parent, notes="tired — 累了", pain_score=2)
    create_check_in(session, enrolment, parent, note=None, replied_by_id=doctor.id, replied_at=AT)
    meeting = create_meeting(
        session, patient.centre_id, doctor, agenda=[{"patient_id": patient.id}]
    )
    create_action(session, meeting, patient, done_at=AT)
    rows: list[Any] = [
        WeeklyReviewRecord(
            enrolment_id=enrolment.id,
            week=1,
            decision="hold",
            paused_joints=["left_knee"],
            suggestions=["split_sessions"],
            reasons=[{"code": "pain", "value": 2}],
            reviewed_by_id=doctor.id,
        ),
        JointClearanceRecord(
            patient_id=patient.id,
            enrolment_id=enrolment.id,
            joint=BleedSite.LEFT_KNEE,
            bleed_id=bleed.id,
            cleared_by_id=doctor.id,
            cleared_at=AT,
        ),
        OnlineSessionRecord(
            enrolment_id=enrolment.id, week=1, scheduled_at=AT, therapist_id=doctor.id
        ),
        MessageRecord(patient_id=patient.id, author_id=parent.id, body="Is swelling normal?"),
        AdverseEventRecord(
            patient_id=patient.id,
            enrolment_id=enrolment.id,
            event_type="muscle_soreness",
            event_date=date(2024, 1, 9),
            related_to_session=True,
            description="Sore calf after heel raises",
            severity="mild",
            recorded_by_id=doctor.id,
        ),
        EducationAssignmentRecord(
            patient_id=patient.id, material_code="home_safety", assigned_by_id=doctor.id, read_at=AT
        ),
    ]
    session.add_all(rows)
    session.flush()


def _add(session: Session, record: Any) -> Any:
    session.add(record)
    session.flush()
    return record


def table_rows(database: Engine | str, table_name: str) -> list[dict[str, Any]]:
    """Every row of a table as plain dicts, in id order (an independent read for comparisons).

    Given a URL rather than an engine, the engine is made for this read and disposed.
    """
    engine = make_engine(database) if isinstance(database, str) else database
    with engine.connect() as connection:
        result = connection.execute(text(f"SELECT * FROM {table_name} ORDER BY id"))
        rows = [dict(row) for row in result.mappings()]
    if isinstance(database, str):
        engine.dispose()
    return rows

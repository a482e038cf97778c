"""Permission-matrix probes for the tele part of the rehabilitation programme (issue 4).

The matrix sends JSON, so the ``check_in`` write cell withdraws (archives) an upload, which
is also a write of that row type; the multipart upload itself has its own cells in
``tests/web/test_tele_api.py``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from hemojoint.persistence.models import (
    CheckInRecord,
    MessageRecord,
    OnlineSessionRecord,
    PatientRecord,
    ProgrammeEnrolmentRecord,
)
from hemojoint.persistence.repositories import rehab as rehab_repo
from tests.support.permission_world import Probe, Request, World, add
from tests.support.programme_builders import create_check_in, create_enrolment


def enrolment_of(world: World, patient: PatientRecord) -> ProgrammeEnrolmentRecord:
    """The child's running enrolment, made on first use (a child has at most one)."""
    running = rehab_repo.active_enrolment(world.db, patient.id)
    return running or create_enrolment(world.db, patient, world.author(patient))


def _check_in(world: World, patient: PatientRecord, **overrides: object) -> CheckInRecord:
    enrolment = enrolment_of(world, patient)
    return create_check_in(world.db, enrolment, world.author(patient), **overrides)


def _withdraw(world: World, patient: PatientRecord) -> Request:
    check_in = _check_in(world, patient)
    body = {"version": 1, "reason": "sent the wrong video"}
    return ("POST", f"/api/v1/check-ins/{check_in.id}/archive", body)


def _answered(world: World, patient: PatientRecord) -> str:
    reviewer = world.author(patient)
    check_in = _check_in(
        world,
        patient,
        reply="Good knee alignment; slow the descent.",
        replied_by_id=reviewer.id,
        replied_at=datetime(2026, 1, 8, 9, tzinfo=UTC),
    )
    return f"/api/v1/check-ins/{check_in.id}"


def _reply(world: World, patient: PatientRecord) -> Request:
    check_in = _check_in(world, patient)
    body = {"version": 1, "text": "Well done; keep the heel down."}
    return ("POST", f"/api/v1/check-ins/{check_in.id}/reply", body)


def _online_session(world: World, patient: PatientRecord) -> str:
    enrolment = enrolment_of(world, patient)
    record = OnlineSessionRecord(
        enrolment_id=enrolment.id, week=1, scheduled_at=datetime(2026, 1, 8, 10, tzinfo=UTC)
    )
    return f"/api/v1/online-sessions/{add(world, record).id}"


def _schedule(world: World, patient: PatientRecord) -> Request:
    enrolment = enrolment_of(world, patient)
    return ("POST", f"/api/v1/enrolments/{enrolment.id}/online-sessions/schedule", None)


def _thread(world: World, patient: PatientRecord) -> str:
    enrolment = enrolment_of(world, patient)
    message = MessageRecord(
        patient_id=patient.id,
        enrolment_id=enrolment.id,
        author_id=world.author(patient).id,
        body="Is swimming allowed this week?",
    )
    add(world, message)
    return f"/api/v1/enrolments/{enrolment.id}/messages"


def _message(world: World, patient: PatientRecord) -> Request:
    enrolment = enrolment_of(world, patient)
    body = {"body": "The left knee is warm after training; should we pause?"}
    return ("POST", f"/api/v1/enrolments/{enrolment.id}/messages", body)


PROBES: list[Probe] = [
    Probe(
        "check_in",
        ("POST", "/api/v1/check-ins/{check_in_id}/archive"),
        seed=lambda world, patient: f"/api/v1/check-ins/{_check_in(world, patient).id}",
        write=_withdraw,
    ),
    Probe(
        "check_in_review",
        ("POST", "/api/v1/check-ins/{check_in_id}/reply"),
        seed=_answered,
        write=_reply,
    ),
    Probe(
        "online_session",
        ("POST", "/api/v1/enrolments/{enrolment_id}/online-sessions/schedule"),
        seed=_online_session,
        write=_schedule,
    ),
    Probe(
        "message",
        ("POST", "/api/v1/enrolments/{enrolment_id}/messages"),
        seed=_thread,
        write=_message,
    ),
]

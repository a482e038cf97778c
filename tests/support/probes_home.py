"""Permission-matrix probes for the home part of the rehabilitation programme (issue 4):
home session logs, adverse events, education assignments and their read receipts."""

from __future__ import annotations

from datetime import date

from hemojoint.domain.access import Role
from hemojoint.persistence.models import AdverseEventRecord, PatientRecord
from tests.support.builders import create_user
from tests.support.home_builders import HOME_EXERCISES, create_assignment, enrol_with_plan
from tests.support.permission_world import Probe, World, add, child_probe
from tests.support.programme_builders import create_session_log


def _enrolment(world: World, patient: PatientRecord):
    return enrol_with_plan(world.db, patient, world.author(patient))


def _nurse(world: World, patient: PatientRecord):
    return create_user(world.db, role=Role.NURSE, centre=world.centre_of(patient))


def _seed_log(world: World, patient: PatientRecord) -> str:
    enrolment = _enrolment(world, patient)
    log = create_session_log(world.db, enrolment, world.author(patient), exercises={"bridge": True})
    return f"/api/v1/home-logs/{log.id}"


def _write_log(world: World, patient: PatientRecord):
    enrolment = _enrolment(world, patient)
    # Week 1's Tuesday home session of the builders' plan, every exercise done, no pain.
    body = {
        "session_date": "2026-01-06",
        "minutes": 45,
        "exercises": dict.fromkeys(HOME_EXERCISES, True),
        "pain_score": 0,
    }
    return ("POST", f"/api/v1/enrolments/{enrolment.id}/home-logs", body)


def _seed_adverse_event(world: World, patient: PatientRecord) -> AdverseEventRecord:
    record = AdverseEventRecord(
        patient_id=patient.id,
        event_type="pain",
        event_date=date(2026, 1, 6),
        related_to_session=True,
        description="Ankle pain after the home session",
        severity="mild",
        recorded_by_id=world.author(patient).id,
    )
    return add(world, record)


def _seed_assignment(world: World, patient: PatientRecord) -> str:
    assignment = create_assignment(world.db, patient, _nurse(world, patient))
    return f"/api/v1/education-assignments/{assignment.id}"


def _write_receipt(world: World, patient: PatientRecord):
    assignment = create_assignment(world.db, patient, _nurse(world, patient))
    return ("POST", f"/api/v1/education-assignments/{assignment.id}/read", None)


PROBES: list[Probe] = [
    Probe(
        "home_log",
        ("POST", "/api/v1/enrolments/{enrolment_id}/home-logs"),
        seed=_seed_log,
        write=_write_log,
    ),
    child_probe(
        "adverse_event",
        "adverse-events",
        _seed_adverse_event,
        lambda _w, _p: {
            "event_type": "muscle_bleed",
            "event_date": "2026-01-07",
            "related_to_session": False,
            "description": "Bruising of the thigh after a fall at school",
            "severity": "moderate",
        },
    ),
    Probe(
        "education",
        ("POST", "/api/v1/patients/{patient_id}/education"),
        seed=_seed_assignment,
        write=lambda _world, patient: (
            "POST",
            f"/api/v1/patients/{patient.id}/education",
            {"material_code": "muscle_bleed_signs"},
        ),
    ),
    Probe(
        "education_receipt",
        ("POST", "/api/v1/education-assignments/{assignment_id}/read"),
        seed=_seed_assignment,
        write=_write_receipt,
    ),
]

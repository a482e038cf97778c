"""Permission-matrix probes for the programme part of the rehabilitation programme (issue 4):
enrolments, plans, weekly reviews and joint clearances.

Only one enrolment of a child may be running, so what a probe seeds to read is a
completed enrolment, and what it writes against is a fresh running one.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from hemojoint.domain.anatomy import BleedSite
from hemojoint.domain.rehab.review import Decision
from hemojoint.persistence.models import (
    EnrolmentStatus,
    JointClearanceRecord,
    PatientRecord,
    ProgrammeEnrolmentRecord,
    RehabPlanRecord,
    WeeklyReviewRecord,
)
from tests.support.assessment_builders import create_assessment, hjhs_raw
from tests.support.permission_world import Probe, World, add
from tests.support.programme_builders import add_plan_version, create_enrolment, create_plan

START = date(2026, 1, 5)  # a Monday

# Every screening answer the programme wants (REFERENCE.md section 1's inclusion criteria met,
# no exclusion present); the inhibitor test is used when the registry holds none.
ELIGIBLE_FACTS: dict[str, Any] = {
    "follows_simple_training": True,
    "joint_bleed_imaging": {"modality": "ultrasound", "finding": "synovitis"},
    "joint_pain": True,
    "restricted_motion": True,
    "completes_12_weeks": True,
    "active_bleed_on_ultrasound": False,
    "severe_active_bleeding": False,
    "heart_liver_or_kidney_disease": False,
    "other_serious_condition": False,
    "inhibitor_tests": [{"tested_on": "2025-12-01", "result": "negative"}],
}


def enrolment_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "start_date": START.isoformat(),
        "candidate": ELIGIBLE_FACTS,
        "infusion_weekdays": ["mon", "wed", "fri"],
    }
    return body | overrides


# One week-1 session of each kind: enough for a weekly review to run.
MINIMAL_PLAN: dict[str, Any] = {
    "problems": [],
    "goals": [],
    "sessions": [
        {
            "date": "2026-01-05",
            "week": 1,
            "kind": kind,
            "minutes": minutes,
            "intensity_pct": pct,
            "on_infusion_day": kind == "hospital",
            "exercises": [],
        }
        for kind, minutes, pct in (("hospital", 60, 100), ("home", 45, 25))
    ],
}


def _finished(world: World, patient: PatientRecord) -> ProgrammeEnrolmentRecord:
    return create_enrolment(
        world.db,
        patient,
        world.author(patient),
        status=EnrolmentStatus.COMPLETED,
        ended_date=date(2026, 3, 29),
    )


def _running_with_hjhs(world: World, patient: PatientRecord) -> ProgrammeEnrolmentRecord:
    author = world.author(patient)
    hjhs = create_assessment(world.db, patient, author, raw=hjhs_raw({"left_ankle.swelling": 1}))
    return create_enrolment(world.db, patient, author, baseline_hjhs_id=hjhs.id)


def _seed_plan(world: World, patient: PatientRecord) -> str:
    enrolment = _finished(world, patient)
    create_plan(world.db, enrolment, world.author(patient))
    return f"/api/v1/enrolments/{enrolment.id}/plan"


def _seed_review(world: World, patient: PatientRecord) -> str:
    enrolment = _finished(world, patient)
    review = WeeklyReviewRecord(
        enrolment_id=enrolment.id,
        week=1,
        decision=Decision.PROGRESS,
        reviewed_by_id=world.author(patient).id,
    )
    add(world, review)
    return f"/api/v1/enrolments/{enrolment.id}/reviews"


def _write_review(world: World, patient: PatientRecord) -> tuple[str, str, dict[str, Any]]:
    enrolment = create_enrolment(world.db, patient, world.author(patient))
    plan = add(
        world, RehabPlanRecord(enrolment_id=enrolment.id, created_by_id=enrolment.enrolled_by_id)
    )
    add_plan_version(world.db, plan, world.author(patient), number=1, content=MINIMAL_PLAN)
    return ("POST", f"/api/v1/enrolments/{enrolment.id}/reviews", {"week": 1})


def _seed_clearance(world: World, patient: PatientRecord) -> str:
    clearance = JointClearanceRecord(
        patient_id=patient.id,
        joint=BleedSite.LEFT_ANKLE,
        cleared_by_id=world.author(patient).id,
        cleared_at=datetime(2026, 1, 20, 9, tzinfo=UTC),
    )
    add(world, clearance)
    return f"/api/v1/patients/{patient.id}/clearances"


PROBES: list[Probe] = [
    Probe(
        "enrolment",
        ("POST", "/api/v1/patients/{patient_id}/enrolments"),
        seed=lambda world, patient: f"/api/v1/enrolments/{_finished(world, patient).id}",
        write=lambda _world, patient: (
            "POST",
            f"/api/v1/patients/{patient.id}/enrolments",
            enrolment_body(),
        ),
    ),
    Probe(
        "rehab_plan",
        ("POST", "/api/v1/enrolments/{enrolment_id}/plan"),
        seed=_seed_plan,
        write=lambda world, patient: (
            "POST",
            f"/api/v1/enrolments/{_running_with_hjhs(world, patient).id}/plan",
            {},
        ),
    ),
    Probe(
        "weekly_review",
        ("POST", "/api/v1/enrolments/{enrolment_id}/reviews"),
        seed=_seed_review,
        write=_write_review,
    ),
    Probe(
        "clearance",
        ("POST", "/api/v1/patients/{patient_id}/clearances"),
        seed=_seed_clearance,
        write=lambda _world, patient: (
            "POST",
            f"/api/v1/patients/{patient.id}/clearances",
            {"joint": "left_ankle"},
        ),
    ),
]

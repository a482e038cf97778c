"""What the clinicians' record page shows beyond :func:`.patient_record.get`.

The full record (scope 404, role 403, one audit entry) comes from
:mod:`.patient_record`; this adds the joint instruments with their item scores
(the joint map and the joint history need them), plan changes, the message thread
and weekly adherence. Each is one query for the patient, never one per row, and
each is left out when the role may not read it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from hemojoint.domain.access import Action, RecordType, is_allowed, record_type_for_instrument
from hemojoint.domain.errors import InvalidInputError
from hemojoint.domain.rehab.adherence import AdherenceRules, WeekAdherence
from hemojoint.persistence.models import AssessmentRecord, ProgrammeEnrolmentRecord
from hemojoint.persistence.repositories import patient_list as queries
from hemojoint.services import adherence, audit, messages, patient_record
from hemojoint.services.actor import Actor
from hemojoint.services.errors import PermissionDeniedError
from hemojoint.services.patient_list_view import Enrolment, WeekBand, current_enrolments

# Instrument code -> the ultrasound tier's short label (domain.ultrasound_protocol.Tier).
ULTRASOUND_TIERS = {
    "pocus": "POCUS",
    "head_us": "HEAD-US",
    "head_us_c": "HEAD-US-C",
    "us_measurements": "mm",
}
JOINT_INSTRUMENTS = ("hjhs", *ULTRASOUND_TIERS)
TIMELINE_LIMIT = 12


@dataclass(frozen=True)
class RecordView:
    full: patient_record.FullRecord
    joint_assessments: list[AssessmentRecord]  # newest first
    enrolment: Enrolment
    plan_changes: list[dict[str, Any]]
    messages: list[Any]
    weekly_adherence: list[WeekAdherence]
    adherence_start: date | None


def record_view(
    session: Session, actor: Actor, *, patient_id: int, today: date, rules: AdherenceRules
) -> RecordView:
    full = patient_record.get(session, actor, patient_id=patient_id)
    joints = _joint_assessments(session, actor, patient_id)
    where, record = current_enrolments(session, [patient_id], today).get(
        patient_id, (Enrolment(WeekBand.NOT_ENROLLED), None)
    )
    weeks, start = _weekly_adherence(session, actor, record, today, rules)
    return RecordView(
        full,
        joints,
        where,
        _plan_changes(session, actor, patient_id),
        _messages(session, actor, record),
        weeks,
        start,
    )


def joint_history(
    session: Session, actor: Actor, *, patient_id: int
) -> tuple[patient_record.FullRecord, list[AssessmentRecord]]:
    """The record (for bleeds and the header) and every joint assessment, newest first."""
    full = patient_record.get(session, actor, patient_id=patient_id)
    return full, _joint_assessments(session, actor, patient_id)


def _joint_assessments(session: Session, actor: Actor, patient_id: int) -> list[AssessmentRecord]:
    readable = [
        code
        for code in JOINT_INSTRUMENTS
        if is_allowed(actor.role, Action.READ, record_type_for_instrument(code))
    ]
    found = list(queries.joint_assessments(session, patient_id, readable)) if readable else []
    if found:
        detail = {"assessment_ids": [item.id for item in found]}
        audit.record(
            session,
            actor,
            action="list",
            entity="assessment",
            patient_id=patient_id,
            detail=detail,
        )
    return found


def _plan_changes(session: Session, actor: Actor, patient_id: int) -> list[dict[str, Any]]:
    if not is_allowed(actor.role, Action.READ, RecordType.REHAB_PLAN):
        return []
    versions = queries.plan_versions_of_patient(session, patient_id, TIMELINE_LIMIT)
    return [
        {"created_at": version.created_at, "number": version.number, "reason": version.reason}
        for version, _enrolment_id in versions
    ]


def _messages(
    session: Session, actor: Actor, enrolment: ProgrammeEnrolmentRecord | None
) -> list[Any]:
    if enrolment is None or not is_allowed(actor.role, Action.READ, RecordType.MESSAGE):
        return []
    page = messages.thread(
        session, actor, enrolment_id=enrolment.id, offset=0, limit=TIMELINE_LIMIT
    )
    return list(page.items)


def _weekly_adherence(
    session: Session,
    actor: Actor,
    enrolment: ProgrammeEnrolmentRecord | None,
    today: date,
    rules: AdherenceRules,
) -> tuple[list[WeekAdherence], date | None]:
    if enrolment is None or not is_allowed(actor.role, Action.READ, RecordType.HOME_LOG):
        return [], None
    try:
        report = adherence.adherence(
            session, actor, enrolment_id=enrolment.id, today=today, through_week=None, rules=rules
        )
    except (InvalidInputError, PermissionDeniedError):  # no plan yet: no adherence to show
        return [], None
    return list(report.adherence.weeks), report.programme_start


def latest_per_joint(
    assessments: Sequence[AssessmentRecord], codes: Sequence[str]
) -> dict[str, AssessmentRecord]:
    """For each joint, the newest assessment of ``codes`` that examined it."""
    latest: dict[str, AssessmentRecord] = {}
    for item in assessments:  # newest first: the first one seen per joint wins
        if item.instrument_code in codes:
            for joint in _joints_of(item):
                latest.setdefault(joint, item)
    return latest


def _joints_of(item: AssessmentRecord) -> list[str]:
    joints = item.result.get("joint_totals") or item.result.get("joints") or {}
    return list(joints)

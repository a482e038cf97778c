"""The data of an individual patient report, for a clinic visit or a referral (issue 6).

One visible patient: out of scope is 404 exactly like a missing one, then the role
must read patients (403); both come from :func:`.patient_record.get`, which also
leaves the record-read audit entry. This adds one entry of its own naming the
report and the assessments whose joint scores it shows.

Each section follows the permission matrix as the full record does: a section the
role may not read is ``None`` (never shown as "none recorded"). Clinical rules come
from the domain: episodes by the 72-hour rule, ABR = episodes / (observed days /
365.25), target joints (REFERENCE.md section 2), the ultrasound tier
(``domain.ultrasound_protocol.Tier``). Provisional instrument versions are marked.

The bleed window is the 12 calendar months ending with ``today``:
``[add_months(today, -12) + 1 day, today + 1 day)`` (365 or 366 observed days).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Row
from sqlalchemy.orm import Session

from hemojoint.domain.access import Action, RecordType, is_allowed, record_type_for_instrument
from hemojoint.domain.anatomy import IndexJoint
from hemojoint.domain.bleeds import Episode, annualised_bleeding_rate, group_episodes
from hemojoint.domain.dates import add_months
from hemojoint.domain.errors import InvalidInputError
from hemojoint.domain.instruments.base import Status
from hemojoint.domain.patients import age_at
from hemojoint.domain.rehab.adherence import programme_week
from hemojoint.domain.target_joints import target_joints
from hemojoint.persistence import repositories
from hemojoint.persistence.models import AssessmentRecord, PatientRecord, ProductRecord
from hemojoint.persistence.repositories import patient_record as patient_rows
from hemojoint.persistence.repositories import rehab as rehab_repo
from hemojoint.services import adherence, audit, patient_record, programme
from hemojoint.services.actor import Actor
from hemojoint.services.errors import NotFoundError, PermissionDeniedError
from hemojoint.services.outcomes_ultrasound import TIER_OF

ENTITY = "patient_report"
HJHS = "hjhs"
CHOKLAT = "choklat"
ULTRASOUND = tuple(TIER_OF)  # the ultrasound instruments with a summed total (tiers 2 and 3)
WINDOW_MONTHS = 12
_ASSESSMENT_COLUMNS = (
    "id",
    "instrument_code",
    "instrument_version",
    "instrument_status",
    "assessed_date",
    "timepoint",
    "total",
    "result",
)


def patient_report_data(
    session: Session,
    actor: Actor,
    patient_id: int,
    *,
    today: date,
    definitions_dir: Path | None = None,
) -> dict[str, Any]:
    """Everything the patient report shows, as JSON types, read once and audited."""
    full = patient_record.get(session, actor, patient_id=patient_id)
    patient = full.patient
    exams = _assessments(session, actor, patient.id)
    data = {
        "today": today.isoformat(),
        "patient": _identity(patient, full.sections.get("inhibitor_results"), today),
        "joints": [joint.value for joint in IndexJoint],
        "hjhs": [_exam(row) for row in exams if row.instrument_code == HJHS],
        "ultrasound": [_exam(row) for row in exams if row.instrument_code in ULTRASOUND],
        "choklat": _latest_choklat(exams),
        "bleeds": None,
        "target_joints": None,
        "regimen": _regimen(session, full.sections.get("regimens"), today),
        "programme": _programme(session, actor, patient.id, today, definitions_dir),
    }
    if "bleeds" in full.sections:
        episodes = group_episodes(programme.patient_bleeds(session, patient.id))
        data["bleeds"] = _bleeds(episodes, today)
        data["target_joints"] = [period.as_dict() for period in target_joints(episodes, today)]
    audit.record(
        session,
        actor,
        action="read",
        entity=ENTITY,
        entity_id=patient.id,
        patient_id=patient.id,
        detail={"assessment_ids": [row.id for row in exams], "as_of": today.isoformat()},
    )
    return data


# --- identity -------------------------------------------------------------------------------------


def _identity(
    patient: PatientRecord, inhibitors: Sequence[Row[Any]] | None, today: date
) -> dict[str, Any]:
    return {
        "id": patient.id,
        "given_name": patient.given_name,
        "family_name": patient.family_name,
        "record_number": patient.record_number,
        "birth_date": patient.birth_date.isoformat(),
        "age": age_at(patient.birth_date, today).as_dict(),
        "hemophilia_type": patient.hemophilia_type.value,
        "severity": patient.severity.value,
        "factor_activity_iu_dl": patient.factor_activity_iu_dl,
        "inhibitor": _inhibitor(inhibitors),
        "synthetic": patient.synthetic,
    }


def _inhibitor(rows: Sequence[Row[Any]] | None) -> dict[str, Any] | None:
    """The newest result (rows come newest first); None when the role may not read them."""
    if rows is None:
        return None
    if not rows:
        return {"status": "not_tested", "sample_date": None, "titre_bu_ml": None}
    newest = rows[0]
    return {
        "status": "positive" if newest.positive else "negative",
        "sample_date": newest.sample_date.isoformat(),
        "titre_bu_ml": newest.titre_bu_ml,
    }


# --- assessments --------------------------------------------------------------------------------


def _assessments(session: Session, actor: Actor, patient_id: int) -> list[Row[Any]]:
    """The joint and quality-of-life assessments the role may read, oldest first."""
    codes = [code for code in (HJHS, CHOKLAT, *ULTRASOUND) if _may_read(actor, code)]
    rows = patient_rows.newest_rows(
        session,
        AssessmentRecord,
        _ASSESSMENT_COLUMNS,
        patient_id=patient_id,
        newest_first=("assessed_date",),
    )
    return [row for row in reversed(rows) if row.instrument_code in codes]


def _may_read(actor: Actor, code: str) -> bool:
    return is_allowed(actor.role, Action.READ, record_type_for_instrument(code))


def _exam(row: Row[Any]) -> dict[str, Any]:
    result: Mapping[str, Any] = row.result or {}
    tier = TIER_OF.get(row.instrument_code)
    return {
        "id": row.id,
        "date": row.assessed_date.isoformat(),
        "timepoint": row.timepoint,
        "instrument": row.instrument_code,
        "version": row.instrument_version,
        "status": row.instrument_status,
        "provisional": row.instrument_status == Status.PROVISIONAL.value,
        "tier": None if tier is None else tier.value,
        "tier_level": None if tier is None else tier.level,
        "total": row.total,
        # HJHS keeps a joint with a not-evaluable item as None (no joint total).
        "joint_totals": dict(result.get("joint_totals") or {}),
        "partial_total": result.get("partial_total"),
    }


def _latest_choklat(exams: Sequence[Row[Any]]) -> dict[str, Any] | None:
    found = [row for row in exams if row.instrument_code == CHOKLAT]
    return _exam(found[-1]) if found else None


# --- bleeds ---------------------------------------------------------------------------------------


def bleed_window(today: date) -> tuple[date, date]:
    """The 12 calendar months ending with ``today``, half-open (see the module docstring)."""
    return add_months(today, -WINDOW_MONTHS) + timedelta(days=1), today + timedelta(days=1)


def _bleeds(episodes: Sequence[Episode], today: date) -> dict[str, Any]:
    start, end = bleed_window(today)
    rate = annualised_bleeding_rate(episodes, start, end)
    inside = [e for e in episodes if start <= e.start.date() < end]
    return {**rate.as_dict(), "episodes": [episode.as_dict() for episode in inside]}


# --- prophylaxis ----------------------------------------------------------------------------------


def _regimen(
    session: Session, rows: Sequence[Row[Any]] | None, today: date
) -> dict[str, Any] | None:
    """The regimen in force today (newest start first wins); None when the role may not read."""
    if rows is None:
        return None
    current = next(
        (
            row
            for row in rows
            if row.start_date <= today and (row.end_date is None or row.end_date >= today)
        ),
        None,
    )
    if current is None:
        return {"current": None}
    product = repositories.get_by_id(session, ProductRecord, current.product_id)
    return {
        "current": {
            "product": product.name if product else None,
            "factor": product.factor if product else None,
            "dose_iu": current.dose_iu,
            "dose_iu_per_kg": current.dose_iu_per_kg,
            "infusions_per_week": current.infusions_per_week,
            "weekdays": list(current.weekdays),
            "start_date": current.start_date.isoformat(),
            "end_date": None if current.end_date is None else current.end_date.isoformat(),
        }
    }


# --- the programme --------------------------------------------------------------------------------


def _programme(
    session: Session, actor: Actor, patient_id: int, today: date, definitions_dir: Path | None
) -> dict[str, Any] | None:
    """The newest enrolment: status, week, adherence, goals; None when not readable."""
    if not is_allowed(actor.role, Action.READ, RecordType.ENROLMENT):
        return None
    enrolments = rehab_repo.patient_enrolments(session, patient_id)
    if not enrolments:
        return {"enrolled": False}
    enrolment = enrolments[0]
    week = min(max(programme_week(enrolment.start_date, today), 0), enrolment.weeks)
    return {
        "enrolled": True,
        "enrolment_id": enrolment.id,
        "status": enrolment.status.value,
        "start_date": enrolment.start_date.isoformat(),
        "weeks": enrolment.weeks,
        "week": week,
        "adherence": _adherence(session, actor, enrolment.id, today, definitions_dir),
        "goals": _goals(session, actor, enrolment.id),
    }


def _adherence(
    session: Session, actor: Actor, enrolment_id: int, today: date, definitions_dir: Path | None
) -> dict[str, Any] | None:
    if not is_allowed(actor.role, Action.READ, RecordType.HOME_LOG):
        return None
    rules = adherence.adherence_rules(definitions_dir)
    try:
        report = adherence.adherence(
            session, actor, enrolment_id=enrolment_id, today=today, through_week=None, rules=rules
        )
    except (InvalidInputError, PermissionDeniedError, NotFoundError):  # no plan: nothing to show
        return None
    overall = report.adherence.as_dict()
    return {
        "through_week": report.through_week,
        "overall": overall["overall"],
        "low_adherence": report.adherence.low_adherence,
        "rules_status": report.adherence.rules.info.status.value,
    }


def _goals(session: Session, actor: Actor, enrolment_id: int) -> list[dict[str, Any]] | None:
    if not is_allowed(actor.role, Action.READ, RecordType.REHAB_PLAN):
        return None
    plan = rehab_repo.plan_of_enrolment(session, enrolment_id)
    version = rehab_repo.current_plan_version(session, plan.id) if plan else None
    if version is None:
        return []
    return [dict(goal) for goal in version.content.get("goals") or []]

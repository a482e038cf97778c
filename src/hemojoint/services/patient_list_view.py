"""The clinicians' patient list: search, filters and the badges of one page of patients.

Scope and role as in :mod:`.patients` (the actor's own centre only; READ patient),
one audit entry naming the listed children. Each badge kind is one query for the
whole page, never one per patient:

- red flag: the most urgent open alert (:func:`.alerts.patients_with_open_alerts`),
  shown when it is an emergency or urgent one;
- new bleeds: bleeds that started in the last :data:`NEW_BLEED_DAYS` days;
- low adherence: the domain's low-adherence flag (provisional ``rehab_review_rules``
  definition) over the weeks completed of the current enrolment, as the MDT agenda reads it.

Programme week of a patient: their latest enrolment. Enrolled -> the week it is in
today (a child not started yet counts in weeks 1-4); completed, or past its last
week -> finished; withdrawn or none -> not enrolled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from hemojoint.domain.access import Action, RecordType, is_allowed
from hemojoint.domain.patients import Severity
from hemojoint.domain.rehab.adherence import AdherenceRules, programme_week
from hemojoint.persistence import repositories
from hemojoint.persistence.models import PatientRecord, ProgrammeEnrolmentRecord
from hemojoint.persistence.models.rehab import EnrolmentStatus
from hemojoint.persistence.repositories import patient_list as queries
from hemojoint.persistence.repositories import rehab as rehab_repo
from hemojoint.services import alerts, audit, home, mdt_agenda, patients
from hemojoint.services.actor import Actor

NEW_BLEED_DAYS = 7
RED_FLAG_URGENCIES = ("emergency", "urgent")


class WeekBand(StrEnum):
    NOT_ENROLLED = "not_enrolled"
    WEEKS_1_4 = "weeks_1_4"
    WEEKS_5_8 = "weeks_5_8"
    WEEKS_9_12 = "weeks_9_12"
    FINISHED = "finished"


@dataclass(frozen=True)
class ListFilters:
    search: str | None = None
    severity: Severity | None = None
    week_band: WeekBand | None = None
    alerts_only: bool = False


@dataclass(frozen=True)
class Enrolment:
    """Where a child is in the programme today."""

    band: WeekBand
    week: int | None = None  # the programme week while enrolled
    enrolment_id: int | None = None


@dataclass(frozen=True)
class Row:
    patient: PatientRecord
    enrolment: Enrolment
    red_flag: str | None = None  # "emergency" or "urgent"
    new_bleeds: int = 0
    low_adherence: bool = False


@dataclass(frozen=True)
class ListPage:
    rows: list[Row]
    total: int
    offset: int
    limit: int
    badges_shown: list[str] = field(default_factory=list)


def list_page(
    session: Session,
    actor: Actor,
    *,
    filters: ListFilters,
    offset: int,
    limit: int,
    now: datetime,
    rules: AdherenceRules,
) -> ListPage:
    actor.require(Action.READ, RecordType.PATIENT)
    today = now.astimezone(UTC).date()
    where = _conditions(session, actor, filters, today)
    order = [PatientRecord.family_name, PatientRecord.given_name, PatientRecord.id]
    page = repositories.page(
        session, PatientRecord, where, offset=offset, limit=limit, order_by=order
    )
    found: list[PatientRecord] = list(page.items)
    ids = [item.id for item in found]
    audit.record(
        session, actor, action="list", entity=patients.ENTITY, detail={"returned_ids": ids}
    )
    enrolments = current_enrolments(session, ids, today)
    rows = _rows(session, actor, found, enrolments, now, rules)
    return ListPage(rows, page.total, offset, limit)


def current_enrolments(
    session: Session, patient_ids: Sequence[int], today: date
) -> dict[int, tuple[Enrolment, ProgrammeEnrolmentRecord]]:
    latest: dict[int, ProgrammeEnrolmentRecord] = {}
    for record in queries.enrolments_of(session, patient_ids):
        latest[record.patient_id] = record  # oldest first: the last one wins
    return {pid: (where_in_programme(record, today), record) for pid, record in latest.items()}


def where_in_programme(record: ProgrammeEnrolmentRecord | None, today: date) -> Enrolment:
    if record is None or record.status is EnrolmentStatus.WITHDRAWN:
        return Enrolment(WeekBand.NOT_ENROLLED)
    if record.status is EnrolmentStatus.COMPLETED:
        return Enrolment(WeekBand.FINISHED, enrolment_id=record.id)
    week = max(1, programme_week(home.programme_start(record), today))
    if week > record.weeks:
        return Enrolment(WeekBand.FINISHED, enrolment_id=record.id)
    band = WeekBand.WEEKS_1_4 if week <= 4 else WeekBand.WEEKS_5_8
    return Enrolment(band if week <= 8 else WeekBand.WEEKS_9_12, week, record.id)


def _conditions(
    session: Session, actor: Actor, filters: ListFilters, today: date
) -> list[ColumnElement[bool]]:
    visible = repositories.visible_patient_ids(actor.viewer)
    conditions = list(
        patients.list_conditions(  # the same scope, archive and search rules as the API list
            actor, patients.PatientFilters(search=filters.search, severity=filters.severity)
        )
    )
    if filters.alerts_only:
        conditions.append(PatientRecord.id.in_(queries.patients_with_open_alerts()))
    if filters.week_band is not None:
        conditions.append(_in_band(session, visible, filters.week_band, today))
    return conditions


def _in_band(session: Session, visible: object, band: WeekBand, today: date) -> ColumnElement[bool]:
    """Patients in ``band``: one query over the enrolments of the centre's patients."""
    latest: dict[int, ProgrammeEnrolmentRecord] = {}
    for record in queries.enrolments_of(session, visible):  # type: ignore[arg-type]
        latest[record.patient_id] = record
    in_band = [pid for pid, rec in latest.items() if where_in_programme(rec, today).band is band]
    if band is WeekBand.NOT_ENROLLED:
        enrolled = [pid for pid in latest if pid not in in_band]
        return PatientRecord.id.not_in(enrolled)
    return PatientRecord.id.in_(in_band)


def _rows(
    session: Session,
    actor: Actor,
    found: list[PatientRecord],
    enrolments: dict[int, tuple[Enrolment, ProgrammeEnrolmentRecord]],
    now: datetime,
    rules: AdherenceRules,
) -> list[Row]:
    ids = [item.id for item in found]
    flags = _red_flags(session, actor, ids)
    bleeds = _new_bleeds(session, actor, ids, now)
    low = _low_adherence(session, actor, enrolments, now.astimezone(UTC).date(), rules)
    not_enrolled = Enrolment(WeekBand.NOT_ENROLLED)
    return [
        Row(
            item,
            enrolments[item.id][0] if item.id in enrolments else not_enrolled,
            flags.get(item.id),
            bleeds.get(item.id, 0),
            item.id in low,
        )
        for item in found
    ]


def _red_flags(session: Session, actor: Actor, ids: list[int]) -> dict[int, str]:
    if not ids or not is_allowed(actor.role, Action.READ, RecordType.ALERT):
        return {}
    highest = alerts.patients_with_open_alerts(session, actor, ids)
    return {pid: urgency for pid, urgency in highest.items() if urgency in RED_FLAG_URGENCIES}


def _new_bleeds(session: Session, actor: Actor, ids: list[int], now: datetime) -> dict[int, int]:
    if not is_allowed(actor.role, Action.READ, RecordType.BLEED):
        return {}
    since = now - timedelta(days=NEW_BLEED_DAYS)
    return queries.bleed_counts_since(session, ids, since)


def _low_adherence(
    session: Session,
    actor: Actor,
    enrolments: dict[int, tuple[Enrolment, ProgrammeEnrolmentRecord]],
    today: date,
    rules: AdherenceRules,
) -> set[int]:
    if not is_allowed(actor.role, Action.READ, RecordType.HOME_LOG):
        return set()
    active = {
        record.id: record
        for where, record in enrolments.values()
        if where.band not in (WeekBand.NOT_ENROLLED, WeekBand.FINISHED)
    }
    plans = queries.current_plan_contents(session, list(active))
    logs = rehab_repo.logs_of_enrolments(session, list(plans))
    return {
        active[eid].patient_id
        for eid, content in plans.items()
        # The same reading of the rule as the MDT agenda's.
        if mdt_agenda.low_adherence(active[eid], content, logs[eid], today, rules)
    }

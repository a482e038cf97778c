"""The MDT agenda of a centre, gathered from the registry and built by the domain.

The children are those of the centre with a running enrolment. For each, the domain
(:mod:`hemojoint.domain.rehab.mdt`) is given the bleeds since the previous meeting and
their triage, the low-adherence flag of :mod:`~hemojoint.domain.rehab.adherence` over
the current plan and the home logs, and the goals that
:func:`~hemojoint.domain.rehab.goals.goal_progress` finds not progressing against the
latest HJHS after the baseline one. Order and omission are the domain's.

hemojoint's readings, stated so the team can check them:

- "since the previous meeting": the centre's last meeting before ``as_of``; without one,
  the 14 days before ``as_of`` (one meeting interval);
- a bleed's day is the UTC calendar day of ``started_at``;
- adherence is read as the home training service reads it (:mod:`.home`: weeks from the
  first infusion day on or after the start, the current plan version), over the weeks
  completed before ``as_of``; a logged exercise no longer in the current plan is left out
  of the exercise count (the low flag counts sessions, so it does not depend on it);
- the next case discussions fall every 14 days from that same first day;
- goals are judged only when the enrolment links a baseline HJHS and a later HJHS (up to
  ``as_of``) exists; a goal item not evaluable (NE) in either is not judged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session

from hemojoint.domain.anatomy import IndexJoint
from hemojoint.domain.instruments import hjhs
from hemojoint.domain.rehab import mdt
from hemojoint.domain.rehab.adherence import (
    AdherenceRules,
    HomeSessionLog,
    measure_adherence,
    programme_week,
)
from hemojoint.domain.rehab.goals import HJHS_PREFIX, GoalProgress, goal_progress
from hemojoint.domain.rehab.joint_status import RecentBleed
from hemojoint.domain.rehab.model import (
    GOAL_WEEKS,
    PROGRAMME_WEEKS,
    Goal,
    GoalTerm,
    ProblemCode,
)
from hemojoint.domain.rehab.schedule import DAYS_PER_WEEK
from hemojoint.domain.triage import triage_mapping
from hemojoint.persistence import repositories
from hemojoint.persistence.models import (
    AssessmentRecord,
    BleedRecord,
    HomeSessionLogRecord,
    MdtMeetingRecord,
    PatientRecord,
    ProgrammeEnrolmentRecord,
)
from hemojoint.persistence.repositories import assessments as assessment_queries
from hemojoint.persistence.repositories import mdt as mdt_queries
from hemojoint.persistence.repositories import rehab as rehab_queries
from hemojoint.services import home

HJHS_CODE = "hjhs"


@dataclass(frozen=True)
class Agenda:
    """The agenda on ``as_of`` with, per child on it, their enrolment and next meeting date."""

    as_of: date
    since: date
    previous_meeting: MdtMeetingRecord | None
    items: tuple[mdt.AgendaItem, ...]
    enrolments: Mapping[int, ProgrammeEnrolmentRecord]  # patient id -> running enrolment

    def next_meeting_date(self, patient_id: int) -> date | None:
        return next_meeting(self.enrolments[patient_id], self.as_of)

    @property
    def earliest_next_meeting(self) -> date | None:
        dates = [next_meeting(item, self.as_of) for item in self.enrolments.values()]
        return min((day for day in dates if day is not None), default=None)

    def items_as_dicts(self) -> list[dict[str, Any]]:
        """The items as the API and the meeting snapshot show them."""
        return [self._item_dict(item) for item in self.items]

    def _item_dict(self, item: mdt.AgendaItem) -> dict[str, Any]:
        enrolment = self.enrolments[item.patient_id]
        upcoming = self.next_meeting_date(item.patient_id)
        return item.as_dict() | {
            "enrolment_id": enrolment.id,
            "programme_start_date": home.programme_start(enrolment).isoformat(),
            "next_meeting_date": upcoming.isoformat() if upcoming else None,
        }


def next_meeting(enrolment: ProgrammeEnrolmentRecord, as_of: date) -> date | None:
    """The child's first case discussion on or after ``as_of`` (none once the programme ends).

    Counted from day 1 of week 1 (the first hospital session), as the programme's weeks are.
    """
    if enrolment.weeks < 2:  # shorter than one meeting interval: no discussion falls in it
        return None
    dates = mdt.meeting_dates(home.programme_start(enrolment), enrolment.weeks)
    return next((day for day in dates if day >= as_of), None)


def build(
    session: Session, *, centre_id: int, as_of: date, adherence_rules: AdherenceRules
) -> Agenda:
    previous = mdt_queries.previous_meeting(session, centre_id, as_of)
    since = previous.meeting_date if previous else as_of - timedelta(days=mdt.MEETING_INTERVAL_DAYS)
    enrolments = rehab_queries.centre_active_enrolments(session, centre_id)
    bleeds = _bleeds_by_patient(session, centre_id, since)
    logs = rehab_queries.logs_of_enrolments(session, [item.id for item in enrolments])
    children = [
        _summary(
            session,
            enrolment,
            bleeds.get(enrolment.patient_id, []),
            logs[enrolment.id],
            as_of,
            adherence_rules,
        )
        for enrolment in enrolments
    ]
    items = mdt.build_agenda(children, since=since, as_of=as_of)
    by_patient = {enrolment.patient_id: enrolment for enrolment in enrolments}
    return Agenda(as_of, since, previous, items, by_patient)


def _bleeds_by_patient(
    session: Session, centre_id: int, since: date
) -> dict[int, list[BleedRecord]]:
    grouped: dict[int, list[BleedRecord]] = {}
    start = datetime.combine(since, time.min, tzinfo=UTC)
    for bleed in mdt_queries.centre_bleeds_since(session, centre_id, start):
        grouped.setdefault(bleed.patient_id, []).append(bleed)
    return grouped


def _summary(
    session: Session,
    enrolment: ProgrammeEnrolmentRecord,
    bleeds: Sequence[BleedRecord],
    logs: Sequence[HomeSessionLogRecord],
    as_of: date,
    rules: AdherenceRules,
) -> mdt.ChildSummary:
    patient = repositories.get_by_id(session, PatientRecord, enrolment.patient_id)
    if patient is None:  # the foreign key makes this impossible; for mypy
        raise LookupError(f"enrolment {enrolment.id} names no patient")
    content = _current_plan(session, enrolment.id)
    return mdt.ChildSummary(
        patient_id=patient.id,
        label=patient.record_number,
        bleeds=tuple(RecentBleed(bleed.site, _day(bleed.started_at)) for bleed in bleeds),
        triages=tuple(_triage(bleed) for bleed in bleeds),
        low_adherence=low_adherence(enrolment, content, logs, as_of, rules),
        goals_not_progressing=_goals_not_progressing(session, enrolment, content, as_of),
    )


def _day(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


def _triage(bleed: BleedRecord) -> mdt.TriageEvent:
    # Recomputed by the domain from what was reported, exactly as the bleeds service stores it.
    result = triage_mapping({"site": bleed.site.value, "findings": list(bleed.findings)})
    return mdt.TriageEvent(_day(bleed.started_at), result)


def _current_plan(session: Session, enrolment_id: int) -> Mapping[str, Any]:
    plan = rehab_queries.plan_of_enrolment(session, enrolment_id)
    version = rehab_queries.current_plan_version(session, plan.id) if plan else None
    return version.content if version else {}


# --- adherence -----------------------------------------------------------------------------


def low_adherence(
    enrolment: ProgrammeEnrolmentRecord,
    content: Mapping[str, Any],
    logs: Sequence[HomeSessionLogRecord],
    as_of: date,
    rules: AdherenceRules,
) -> bool:
    """The domain's low flag over the current plan, as the home training service reads it."""
    first_day = home.programme_start(enrolment)
    # Only the weeks completed before as_of: the current week may still be logged.
    through = min(programme_week(first_day, as_of) - 1, enrolment.weeks, PROGRAMME_WEEKS)
    if through < 1 or not content:
        return False
    plan = home.CurrentPlan(0, first_day, home.plan_sessions(content, first_day))
    last_day = first_day + timedelta(days=DAYS_PER_WEEK * through - 1)
    counted = [
        _domain_log(log, plan.home_codes(programme_week(first_day, log.session_date)))
        for log in logs
        if first_day <= log.session_date <= last_day
    ]
    result = measure_adherence(
        plan.sessions, counted, start_date=first_day, through_week=through, rules=rules
    )
    return result.low_adherence


def _domain_log(log: HomeSessionLogRecord, prescribed: set[str]) -> HomeSessionLog:
    """The log as the domain reads it, counting only exercises the current plan prescribes."""
    logged = home.domain_log(log)
    done = {code: flag for code, flag in logged.exercises_done.items() if code in prescribed}
    return replace(logged, exercises_done=done)


# --- goals ---------------------------------------------------------------------------------


def _goals_not_progressing(
    session: Session,
    enrolment: ProgrammeEnrolmentRecord,
    content: Mapping[str, Any],
    as_of: date,
) -> tuple[Goal, ...]:
    baseline = _baseline_hjhs(session, enrolment)
    latest = _latest_hjhs(session, enrolment.patient_id, baseline, as_of) if baseline else None
    if baseline is None or latest is None:
        return ()
    before, now = _hjhs_values(baseline), _hjhs_values(latest)
    flagged = []
    for data in content.get("goals", []):
        goal = _hjhs_goal(data, before)
        current = now.get(goal.measure) if goal else None
        if goal is None or current is None:
            continue
        if goal_progress(goal, current) is GoalProgress.NOT_PROGRESSING:
            flagged.append(goal)
    return tuple(flagged)


def _baseline_hjhs(
    session: Session, enrolment: ProgrammeEnrolmentRecord
) -> AssessmentRecord | None:
    if enrolment.baseline_hjhs_id is None:
        return None
    return repositories.get_by_id(session, AssessmentRecord, enrolment.baseline_hjhs_id)


def _latest_hjhs(
    session: Session, patient_id: int, baseline: AssessmentRecord, as_of: date
) -> AssessmentRecord | None:
    conditions = [
        AssessmentRecord.patient_id == patient_id,
        AssessmentRecord.archived_at.is_(None),
        *assessment_queries.filter_conditions(
            instrument_code=HJHS_CODE,
            assessed_from=baseline.assessed_date + timedelta(days=1),
            assessed_to=as_of,
        ),
    ]
    order = [AssessmentRecord.assessed_date.desc(), AssessmentRecord.id.desc()]
    page = repositories.page(
        session, AssessmentRecord, conditions, offset=0, limit=1, order_by=order
    )
    return page.items[0] if page.items else None


def _hjhs_values(assessment: AssessmentRecord) -> dict[str, int]:
    """``{"hjhs.left_ankle.flexion_loss": 2, "hjhs.gait": 1, ...}``; NE items left out."""
    examination = hjhs.parse_input(assessment.raw)
    return {
        f"{HJHS_PREFIX}.{field}": value
        for field, value in examination.entries()
        if isinstance(value, int)
    }


def _hjhs_goal(data: Mapping[str, Any], baseline: Mapping[str, int]) -> Goal | None:
    """A goal of the plan measured with HJHS; the baseline HJHS fills a missing baseline.

    Goals on other measures (ultrasound, pain score) are not judged here: only HJHS is
    compared. A goal the plan stored without term, problem or target cannot be judged.
    """
    measure = data.get("measure")
    if not isinstance(measure, str) or not measure.startswith(f"{HJHS_PREFIX}."):
        return None
    try:
        term = GoalTerm(data["term"])
        problem = ProblemCode(data["problem"])
        joint = IndexJoint(data["joint"]) if data.get("joint") else None
        target = data["target"]
    except (KeyError, TypeError, ValueError):
        return None
    if isinstance(target, bool) or not isinstance(target, int | float):
        return None
    start_value = data.get("baseline")
    return Goal(
        term=term,
        problem=problem,
        joint=joint,
        measure=measure,
        baseline=baseline.get(measure) if start_value is None else start_value,
        target=target,
        due_week=int(data.get("due_week") or GOAL_WEEKS[term]),
    )

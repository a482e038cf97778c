"""Adherence to the home programme (issue 4): the caregivers' logs against the current plan.

The domain measures it (:func:`~hemojoint.domain.rehab.adherence.measure_adherence`):
sessions, minutes and exercises done of those the current plan version prescribes
at home, per programme week and overall, with the provisional low-adherence rule
of the ``rehab_review_rules`` definition. A plan must exist (422 naming it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from hemojoint.definitions import load_definition
from hemojoint.domain.access import Action, RecordType
from hemojoint.domain.errors import FieldProblem, InvalidInputError
from hemojoint.domain.rehab.adherence import (
    Adherence,
    AdherenceRules,
    measure_adherence,
    programme_week,
)
from hemojoint.domain.rehab.home_logs import HomeSessionLog
from hemojoint.domain.rehab.model import PROGRAMME_WEEKS
from hemojoint.domain.rehab.schedule import DAYS_PER_WEEK
from hemojoint.persistence.models import HomeSessionLogRecord, ProgrammeEnrolmentRecord
from hemojoint.persistence.repositories import rehab as rehab_repo
from hemojoint.services import audit
from hemojoint.services.actor import Actor
from hemojoint.services.home import CurrentPlan, domain_log, require_plan, visible_enrolment


@dataclass(frozen=True)
class AdherenceReport:
    enrolment_id: int
    plan_version: int
    programme_start: date
    as_of: date
    through_week: int | None
    adherence: Adherence
    # Codes a log recorded that the current plan version no longer prescribes that week
    # (the plan was edited after the log); they are left out of the measurement.
    not_in_current_plan: list[dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "enrolment_id": self.enrolment_id,
            "plan_version": self.plan_version,
            "programme_start": self.programme_start.isoformat(),
            "as_of": self.as_of.isoformat(),
            "through_week": self.through_week,
            **self.adherence.as_dict(),
            "not_in_current_plan": self.not_in_current_plan,
        }


def adherence_rules(definitions_dir: Path | None) -> AdherenceRules:
    return AdherenceRules.from_mapping(load_definition("rehab_review_rules", definitions_dir))


def adherence(
    session: Session,
    actor: Actor,
    *,
    enrolment_id: int,
    today: date,
    through_week: int | None,
    rules: AdherenceRules,
) -> AdherenceReport:
    """Adherence per week and overall, through ``through_week`` (default: the weeks completed).

    With no week completed yet and none asked for, no week is assessed (all ratios 0 of 0).
    """
    enrolment = visible_enrolment(session, actor, enrolment_id)
    actor.require(Action.READ, RecordType.HOME_LOG)
    plan = require_plan(session, enrolment)
    last_week = min(enrolment.weeks, PROGRAMME_WEEKS)
    weeks = _weeks_to_assess(plan.first_day, today, through_week, last_week)
    result, skipped = _measure(session, enrolment, plan, weeks, rules)
    audit.record(
        session,
        actor,
        action="read",
        entity="adherence",
        entity_id=enrolment.id,
        patient_id=enrolment.patient_id,
    )
    return AdherenceReport(
        enrolment.id, plan.version, plan.first_day, today, weeks or None, result, skipped
    )


def _weeks_to_assess(first_day: date, today: date, asked: int | None, last_week: int) -> int:
    if asked is None:
        completed = programme_week(first_day, today) - 1
        return max(0, min(completed, last_week))
    if not 1 <= asked <= last_week:
        problem = FieldProblem.out_of_range("through_week", asked, 1, last_week)
        raise InvalidInputError.single(problem)
    return asked


def _measure(
    session: Session,
    enrolment: ProgrammeEnrolmentRecord,
    plan: CurrentPlan,
    weeks: int,
    rules: AdherenceRules,
) -> tuple[Adherence, list[dict[str, Any]]]:
    if weeks == 0:
        return Adherence(rules, (), ()), []
    last_day = plan.first_day + timedelta(days=DAYS_PER_WEEK * weeks - 1)
    records = rehab_repo.session_logs(
        session, enrolment.id, from_date=plan.first_day, to_date=last_day
    )
    logs, skipped = _logs_in_current_plan(records, plan)
    measured = measure_adherence(
        plan.sessions, logs, start_date=plan.first_day, through_week=weeks, rules=rules
    )
    return measured, skipped


def _logs_in_current_plan(
    records: Sequence[HomeSessionLogRecord], plan: CurrentPlan
) -> tuple[list[HomeSessionLog], list[dict[str, Any]]]:
    logs, skipped = [], []
    for record in records:
        prescribed = plan.home_codes(programme_week(plan.first_day, record.session_date))
        dropped = sorted(code for code in record.exercises if code not in prescribed)
        if dropped:
            skipped.append({"log_id": record.id, "codes": dropped})
        kept = {code: done for code, done in record.exercises.items() if code in prescribed}
        log = domain_log(record)
        logs.append(replace(log, exercises_done=kept))
    return logs, skipped

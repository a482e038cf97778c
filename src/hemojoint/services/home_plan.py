"""The family's printable home plan of an enrolment: who may print it, which weeks, which format.

Access as for the plan itself: the enrolment's child must be visible to the actor
(family linked to the child, staff of the child's centre), else 404 as if absent;
then the role must be allowed to read rehab plans. The current (newest) plan version
is printed; each print leaves an audit entry naming the version, language, format
and weeks.

Weeks: ``all`` (the default), ``current`` (the programme week of ``today``: week 1
before the programme starts, the last week after it ends) or a week number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path

from sqlalchemy.orm import Session

from hemojoint.definitions import load_definition
from hemojoint.domain.access import Action, RecordType
from hemojoint.domain.errors import FieldProblem
from hemojoint.domain.rehab.adherence import programme_week
from hemojoint.domain.rehab.library import ExerciseLibrary
from hemojoint.domain.validation import fail
from hemojoint.persistence import repositories
from hemojoint.persistence.models import CentreRecord, PatientRecord, ProgrammeEnrolmentRecord
from hemojoint.reports.home_plan import (
    HomePlanSource,
    programme_first_day,
    render_html,
    render_pdf,
)
from hemojoint.reports.labels import Language
from hemojoint.services import audit, plans, programme
from hemojoint.services.actor import Actor
from hemojoint.services.errors import NotFoundError

ENTITY = "home_plan"
ALL_WEEKS = "all"
CURRENT_WEEK = "current"


class OutputFormat(StrEnum):
    HTML = "html"
    PDF = "pdf"


MEDIA_TYPES = {OutputFormat.HTML: "text/html; charset=utf-8", OutputFormat.PDF: "application/pdf"}


@dataclass(frozen=True)
class HomePlanDocument:
    body: bytes
    media_type: str
    filename: str


def render(
    session: Session,
    actor: Actor,
    *,
    enrolment_id: int,
    language: Language,
    output: OutputFormat,
    week: str,
    definitions_dir: Path | None,
    today: date,
) -> HomePlanDocument:
    """The current plan version of the enrolment as an HTML page or an A4 PDF."""
    enrolment = programme.get_visible(session, actor, enrolment_id)
    actor.require(Action.READ, RecordType.REHAB_PLAN)
    version = plans.current_version(session, enrolment)
    source = _source(session, enrolment, version.number, version.content, definitions_dir, today)
    weeks = _weeks(week, source, today)
    audit.record(
        session,
        actor,
        action="read",
        entity=ENTITY,
        entity_id=enrolment.id,
        patient_id=enrolment.patient_id,
        detail={
            "plan_version": version.number,
            "language": language.value,
            "format": output.value,
            "weeks": list(weeks) if weeks is not None else ALL_WEEKS,
        },
    )
    if output is OutputFormat.PDF:
        body = render_pdf(source, language, weeks)
    else:
        body = render_html(source, language, weeks).encode("utf-8")
    name = f"home-plan-{enrolment.id}-v{version.number}-{language.value}.{output.value}"
    return HomePlanDocument(body, MEDIA_TYPES[output], name)


def _source(
    session: Session,
    enrolment: ProgrammeEnrolmentRecord,
    version_number: int,
    content: dict[str, object],
    definitions_dir: Path | None,
    today: date,
) -> HomePlanSource:
    patient = repositories.get_by_id(session, PatientRecord, enrolment.patient_id)
    if patient is None:  # the enrolment's foreign key makes this a bug, not a user error
        raise NotFoundError("patient", enrolment.patient_id)
    centre = repositories.get_by_id(session, CentreRecord, patient.centre_id)
    library = ExerciseLibrary.from_mapping(load_definition("exercise_library", definitions_dir))
    return HomePlanSource(
        child_first_name=patient.given_name,
        centre_name=centre.name if centre else "",
        contact_line=centre.contact_line if centre else None,
        programme_weeks=enrolment.weeks,
        plan_version=version_number,
        plan_content=content,
        library=library,
        printed_on=today,
    )


def _weeks(choice: str, source: HomePlanSource, today: date) -> tuple[int, ...] | None:
    """The week numbers to print (None: every week); anything else is refused naming ``week``."""
    last = source.programme_weeks
    if choice == ALL_WEEKS:
        return None
    if choice == CURRENT_WEEK:
        first_day = programme_first_day(source.plan_content) or today
        return (min(max(programme_week(first_day, today), 1), last),)
    if choice.isdigit() and 1 <= int(choice) <= last:
        return (int(choice),)
    allowed = f"{ALL_WEEKS}, {CURRENT_WEEK} or 1-{last}"
    raise fail(FieldProblem.invalid("week", choice, allowed, f"is not {allowed}"))

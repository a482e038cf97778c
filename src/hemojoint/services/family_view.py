"""What the family pages read: a caregiver's children, the child's programme and today's exercises.

Reads only; scope (404 for a child not linked to the user), role and audit come from
the services this module calls (``patients``, ``home``), plus one audit entry for the
plan read here. Writes go through the owning services (home, bleeds, check_ins, messages).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from sqlalchemy.orm import Session

from hemojoint.definitions import load_definition
from hemojoint.domain.access import Action, RecordType
from hemojoint.domain.rehab.adherence import programme_week
from hemojoint.domain.rehab.exercise import GAME_VARIANT_MAX_AGE_YEARS, Exercise, Text
from hemojoint.domain.rehab.library import ExerciseLibrary
from hemojoint.domain.rehab.model import PlannedSession, SessionKind, Variant
from hemojoint.persistence import repositories
from hemojoint.persistence.models import CentreRecord, PatientRecord, ProgrammeEnrolmentRecord
from hemojoint.persistence.repositories import rehab as rehab_repo
from hemojoint.services import audit, home, patients
from hemojoint.services.actor import Actor
from hemojoint.services.errors import NotFoundError
from hemojoint.services.home import CurrentPlan

MAX_CHILDREN = 50  # a family is linked to a handful of children; the list is one page


@cache
def exercise_library(definitions_dir: Path | None) -> ExerciseLibrary:
    """The library (a centre's copy if present), parsed once per folder."""
    return ExerciseLibrary.from_mapping(load_definition("exercise_library", definitions_dir))


def children(session: Session, actor: Actor) -> Sequence[PatientRecord]:
    """The children linked to the family user (the patients service scopes the list)."""
    page = patients.list_(
        session, actor, filters=patients.PatientFilters(), offset=0, limit=MAX_CHILDREN
    )
    return list(page.items)


def age_years(birth_date: date, on: date) -> int:
    """Whole years of age on ``on`` (a birthday counts on its own day)."""
    before_birthday = (on.month, on.day) < (birth_date.month, birth_date.day)
    return on.year - birth_date.year - int(before_birthday)


@dataclass(frozen=True)
class FamilyChild:
    patient: PatientRecord
    enrolment: ProgrammeEnrolmentRecord | None  # the running one, else the newest
    age_years: int

    @property
    def small(self) -> bool:
        """Aged 7 or younger: exercises are shown as games (REFERENCE.md section 1)."""
        return self.age_years <= GAME_VARIANT_MAX_AGE_YEARS


def child(session: Session, actor: Actor, patient_id: int, today: date) -> FamilyChild:
    """The child if linked to ``actor`` (404 otherwise, as if absent), with the enrolment."""
    patient = patients.get(session, actor, patient_id=patient_id)
    enrolment = rehab_repo.active_enrolment(session, patient.id)
    if enrolment is None:
        enrolments = rehab_repo.patient_enrolments(session, patient.id)
        enrolment = enrolments[0] if enrolments else None
    return FamilyChild(patient, enrolment, age_years(patient.birth_date, today))


def plan_of(session: Session, actor: Actor, family_child: FamilyChild) -> CurrentPlan | None:
    """The current plan version the family follows (None before the therapist makes one)."""
    enrolment = family_child.enrolment
    if enrolment is None:
        return None
    actor.require(Action.READ, RecordType.REHAB_PLAN)
    plan = home.current_plan(session, enrolment)
    detail = {"plan_version": plan.version if plan else None, "view": "family_today"}
    audit.record(
        session,
        actor,
        action="read",
        entity="rehab_plan",
        entity_id=enrolment.id,
        patient_id=enrolment.patient_id,
        detail=detail,
    )
    return plan


@dataclass(frozen=True)
class TodayExercise:
    """One prescribed exercise as the family sees it, in the page's language."""

    code: str
    category: str
    name: str
    instructions: str
    game: str | None  # the game or parent-child play variant, for a small child
    sets: int
    reps: int | None
    hold_seconds: int | None
    minutes: int | None


def home_sessions_on(plan: CurrentPlan, day: date) -> list[PlannedSession]:
    return [session for session in plan.on(day) if session.kind is SessionKind.HOME]


def exercises_of(
    sessions: Sequence[PlannedSession], library: ExerciseLibrary, language: str, small: bool
) -> list[TodayExercise]:
    """The exercises of ``sessions`` (each code once) with the library's texts."""
    seen: dict[str, TodayExercise] = {}
    for planned_session in sessions:
        for planned in planned_session.exercises:
            if planned.code in seen:
                continue
            entry = library.get(planned.code) if planned.code in library else None
            game_wanted = small or planned.variant is Variant.GAME
            seen[planned.code] = TodayExercise(
                code=planned.code,
                category=entry.category.value if entry else "other",
                name=_text(entry.name, language) if entry else planned.code,
                instructions=_text(entry.instructions, language) if entry else "",
                game=_game(entry, language) if entry and game_wanted else None,
                sets=planned.sets,
                reps=planned.reps,
                hold_seconds=planned.hold_seconds,
                minutes=planned.minutes,
            )
    return list(seen.values())


def week_home_codes(plan: CurrentPlan, day: date) -> list[str]:
    """The codes prescribed at home in the programme week of ``day`` (what a log may name)."""
    week = programme_week(plan.first_day, day)
    return sorted(plan.home_codes(week))


def _text(text: Text, language: str) -> str:
    return text.zh_hans if language == "zh-Hans" else text.en


def _game(entry: Exercise, language: str) -> str | None:
    return _text(entry.game_variant, language) if entry.game_variant else None


def centre_contact(session: Session, patient: PatientRecord) -> tuple[str, str | None]:
    """The child's centre: its name and the line families call (None when not set)."""
    centre = repositories.get_by_id(session, CentreRecord, patient.centre_id)
    if centre is None:  # the foreign key makes this a bug, not a user error
        raise NotFoundError("centre", patient.centre_id)
    return centre.name, centre.contact_line

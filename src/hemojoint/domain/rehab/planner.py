"""The plan generator: from a child's findings to 12 weeks of dosed sessions.

Steps (issue 4 "Programme and plan"; REFERENCE.md section 1):

1. Problems from the findings (:func:`~.problems.derive_problems`) and default goals
   (:func:`~.goals.default_goals`).
2. The calendar (:func:`~.schedule.build_schedule`): one 60-minute hospital session a
   week on an infusion day at 100 %, five 45-minute home sessions a week at the week's
   home intensity (25 % rising to 75 %), never more than two sessions a day.
3. Exercises per session (:mod:`.selection`), with the child's age on the session's
   date (game variants at 7 or younger) and the joint statuses on that date
   (:func:`~.joint_status.joint_statuses`): a bleed pauses loading of its joint for
   the rules' ``bleed_pause_days`` from its start, unless a hematologist cleared it.
4. The hospital session gets the full-level set (resisted exercises included) that
   fits 60 minutes; each home session of that week the same content, dosed at home
   intensity, without what is unsuitable that day or needs equipment the family lacks
   (``home_equipment``; ``None`` = all), fitted to 45 minutes.

Warnings say what a therapist should look at: a regimen other than the programme's,
an age outside the programme's 4 to 18, joints whose loading is paused on the first
session day, problems no session could address, a missing warm-up or cool-down.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from hemojoint.domain.anatomy import IndexJoint
from hemojoint.domain.bleeds import BleedEpisode
from hemojoint.domain.eligibility import MAX_AGE_YEARS, MIN_AGE_YEARS
from hemojoint.domain.errors import FieldProblem
from hemojoint.domain.instruments.hjhs import HjhsInput, NotEvaluableItem
from hemojoint.domain.patients import HemophiliaType, age_at
from hemojoint.domain.prophylaxis import PROGRAMME_INFUSIONS_PER_WEEK, Weekday, parse_weekdays
from hemojoint.domain.rehab.exercise import Category, Equipment
from hemojoint.domain.rehab.goals import default_goals
from hemojoint.domain.rehab.joint_status import JointStatus, RehabRules, joint_statuses
from hemojoint.domain.rehab.library import ExerciseLibrary
from hemojoint.domain.rehab.model import (
    PROGRAMME_WEEKS,
    Goal,
    PlannedExercise,
    PlannedSession,
    Problem,
    SessionKind,
)
from hemojoint.domain.rehab.plan_request import UltrasoundFindings
from hemojoint.domain.rehab.problems import derive_problems
from hemojoint.domain.rehab.schedule import ScheduledSession, build_schedule
from hemojoint.domain.rehab.selection import (
    Choice,
    SessionContext,
    addresses,
    candidates,
    compose,
)
from hemojoint.domain.validation import ProblemCollector, enum_value, fail


@dataclass(frozen=True)
class Plan:
    """A generated 12-week plan with its problems, goals, sessions and what to check."""

    start_date: date
    problems: tuple[Problem, ...]
    goals: tuple[Goal, ...]
    sessions: tuple[PlannedSession, ...]
    warnings: tuple[str, ...]
    not_evaluable: tuple[NotEvaluableItem, ...]
    sources: Mapping[str, Mapping[str, Any]]  # provenance of the library and the rules

    def as_dict(self) -> dict[str, Any]:
        return {
            "start_date": self.start_date.isoformat(),
            "weeks": PROGRAMME_WEEKS,
            "problems": [problem.as_dict() for problem in self.problems],
            "goals": [goal.as_dict() for goal in self.goals],
            "sessions": [session.as_dict() for session in self.sessions],
            "warnings": list(self.warnings),
            "not_evaluable": [
                {"field": item.field, "reason": item.reason} for item in self.not_evaluable
            ],
            "sources": {name: dict(info) for name, info in self.sources.items()},
        }


@dataclass(frozen=True)
class _Child:
    """What session choices depend on, fixed for the whole plan."""

    birth_date: date
    problems: tuple[Problem, ...]
    hjhs_input: HjhsInput
    ultrasound: UltrasoundFindings | None
    bleeds: tuple[BleedEpisode, ...]
    cleared_joints: Mapping[IndexJoint, date]
    home_equipment: Collection[Equipment] | None


def generate_plan(
    *,
    birth_date: date,
    start_date: date,
    hemophilia_type: HemophiliaType | str,
    infusion_weekdays: Iterable[Weekday | str],
    hjhs_input: HjhsInput,
    ultrasound: UltrasoundFindings | None,
    recent_bleeds: Sequence[BleedEpisode],
    library: ExerciseLibrary,
    rules: RehabRules,
    as_of: date | None = None,
    home_weekdays: Iterable[Weekday | str] | None = None,
    home_equipment: Collection[Equipment] | None = None,
    cleared_joints: Mapping[IndexJoint, date] | None = None,
) -> Plan:
    """Generate the 12-week plan (steps in the module docstring).

    ``as_of`` (default ``start_date``) is the day the plan is made: bleeds must have
    started by then. ``cleared_joints``: per joint, the date a hematologist cleared it
    for loading after a bleed. ``home_weekdays``: the days the family trains at home
    (default every day). ``library`` and ``rules`` are the parsed provisional
    definitions ``exercise_library`` and ``rehab_rules``.
    """
    kind, days = _check(birth_date, start_date, hemophilia_type, infusion_weekdays)
    made_on = start_date if as_of is None else as_of
    _check_bleeds(recent_bleeds, made_on)
    schedule = build_schedule(start_date, days, home_weekdays=home_weekdays)
    found = derive_problems(
        hjhs_items=hjhs_input,
        ultrasound_joints=ultrasound.joints if ultrasound else None,
        ultrasound_instrument=ultrasound.instrument if ultrasound else None,
        recent_bleeds=recent_bleeds,
    )
    child = _Child(
        birth_date,
        found.problems,
        hjhs_input,
        ultrasound,
        tuple(recent_bleeds),
        dict(cleared_joints or {}),
        home_equipment,
    )
    sessions = _plan_sessions(schedule, child, library, rules)
    warnings = _warnings(child, kind, days, start_date, sessions, library, rules)
    return Plan(
        start_date,
        found.problems,
        default_goals(found.problems),
        sessions,
        warnings,
        found.not_evaluable,
        {"exercise_library": library.info.as_dict(), "rehab_rules": rules.info.as_dict()},
    )


def _check(
    birth_date: date,
    start_date: date,
    hemophilia_type: object,
    infusion_weekdays: Iterable[Weekday | str],
) -> tuple[HemophiliaType, tuple[Weekday, ...]]:
    problems = ProblemCollector()
    kind = problems.check(enum_value, "hemophilia_type", hemophilia_type, HemophiliaType)
    days = problems.check(parse_weekdays, infusion_weekdays, "infusion_weekdays")
    problems.check(age_at, birth_date, start_date)
    problems.raise_if_any()
    if kind is None or days is None:  # narrowed for mypy; raised above
        raise fail(FieldProblem.missing("hemophilia_type", "A or B"))
    return kind, days


def _check_bleeds(bleeds: Sequence[BleedEpisode], as_of: date) -> None:
    problems = ProblemCollector()
    for position, bleed in enumerate(bleeds):
        if bleed.start.date() > as_of:
            field = f"recent_bleeds[{position}].start"
            why = f"is after {as_of.isoformat()}, the day the plan is made"
            problems.add(FieldProblem.invalid(field, bleed.start.date().isoformat(), "past", why))
    problems.raise_if_any()


def _statuses(child: _Child, day: date, rules: RehabRules) -> dict[IndexJoint, JointStatus]:
    return joint_statuses(
        ultrasound_joints=child.ultrasound.joints if child.ultrasound else None,
        hjhs=child.hjhs_input,
        recent_bleeds=child.bleeds,
        cleared_joints=child.cleared_joints,
        as_of=day,
        rules=rules,
    )


def _context(child: _Child, session: ScheduledSession, rules: RehabRules) -> SessionContext:
    equipment = None if session.kind is SessionKind.HOSPITAL else child.home_equipment
    age = age_at(child.birth_date, session.date).years
    return SessionContext(age, _statuses(child, session.date, rules), equipment)


def _plan_sessions(
    schedule: Sequence[ScheduledSession],
    child: _Child,
    library: ExerciseLibrary,
    rules: RehabRules,
) -> tuple[PlannedSession, ...]:
    hospital_content: dict[int, list[Choice]] = {}
    for session in schedule:  # hospital sessions first: home sessions copy their content
        if session.kind is SessionKind.HOSPITAL:
            context = _context(child, session, rules)
            chosen = compose(
                library,
                candidates(library, child.problems, context),
                context,
                session.intensity_pct,
                session.minutes,
            )
            hospital_content[session.week] = [choice for choice, _ in chosen]
    return tuple(
        _planned(session, _exercises(session, child, library, rules, hospital_content))
        for session in schedule
    )


def _exercises(
    session: ScheduledSession,
    child: _Child,
    library: ExerciseLibrary,
    rules: RehabRules,
    hospital_content: Mapping[int, Sequence[Choice]],
) -> tuple[PlannedExercise, ...]:
    context = _context(child, session, rules)
    frame = (Category.WARM_UP, Category.COOL_DOWN)
    content = [c for c in hospital_content[session.week] if c.exercise.category not in frame]
    chosen = compose(library, content, context, session.intensity_pct, session.minutes)
    return tuple(planned for _, planned in chosen)


def _planned(session: ScheduledSession, exercises: tuple[PlannedExercise, ...]) -> PlannedSession:
    return PlannedSession(
        date=session.date,
        week=session.week,
        kind=session.kind,
        minutes=session.minutes,
        intensity_pct=session.intensity_pct,
        on_infusion_day=session.on_infusion_day,
        exercises=exercises,
    )


def _warnings(
    child: _Child,
    kind: HemophiliaType,
    days: Sequence[Weekday],
    start_date: date,
    sessions: Sequence[PlannedSession],
    library: ExerciseLibrary,
    rules: RehabRules,
) -> tuple[str, ...]:
    return (
        *_regimen_warnings(kind, days),
        *_age_warnings(child.birth_date, start_date),
        *_paused_warnings(_statuses(child, sessions[0].date, rules), rules),
        *_frame_warnings(sessions, library),
        *_unaddressed_warnings(child.problems, sessions, library),
    )


def _regimen_warnings(kind: HemophiliaType, days: Sequence[Weekday]) -> list[str]:
    expected = PROGRAMME_INFUSIONS_PER_WEEK[kind]
    if len(days) == expected:
        return []
    return [
        f"infusion_weekdays: {len(days)} a week differs from the programme's {expected} for "
        f"hemophilia {kind.value}; confirm it is a documented exception"
    ]


def _age_warnings(birth_date: date, start_date: date) -> list[str]:
    years = age_at(birth_date, start_date).years
    if MIN_AGE_YEARS <= years <= MAX_AGE_YEARS:
        return []
    return [
        f"age {years} at the start is outside the programme's "
        f"{MIN_AGE_YEARS} to {MAX_AGE_YEARS} years"
    ]


def _paused_warnings(statuses: Mapping[IndexJoint, JointStatus], rules: RehabRules) -> list[str]:
    warnings = []
    for joint, status in statuses.items():
        for evidence in status.bleed_evidence:
            until = date.fromisoformat(str(evidence.value)) + timedelta(rules.bleed_pause_days)
            warnings.append(
                f"{joint.value}: loading paused for a bleed ({evidence.text}) until "
                f"{until.isoformat()} unless a hematologist clears it earlier"
            )
    return warnings


def _frame_warnings(sessions: Sequence[PlannedSession], library: ExerciseLibrary) -> list[str]:
    found = []
    for category in (Category.WARM_UP, Category.COOL_DOWN):
        codes = {exercise.code for exercise in library.in_category(category)}
        missing = [s for s in sessions if not any(e.code in codes for e in s.exercises)]
        if missing:
            found.append(
                f"{len(missing)} sessions have no suitable {category.value.replace('_', '-')} "
                f"exercise (first {missing[0].date.isoformat()})"
            )
    return found


def _unaddressed_warnings(
    problems: Sequence[Problem], sessions: Sequence[PlannedSession], library: ExerciseLibrary
) -> list[str]:
    """Problems that no exercise of any session addresses (contraindications, age, time)."""
    done = [
        (library.get(planned.code), planned.joints)
        for session in sessions
        for planned in session.exercises
    ]
    return [
        f"{problem.code.value}{f' at {problem.joint.value}' if problem.joint else ''}: "
        "no session has a suitable exercise for it; the therapist should choose one"
        for problem in problems
        if not any(addresses(exercise, joints, problem) for exercise, joints in done)
    ]

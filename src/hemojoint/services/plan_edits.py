"""A therapist's edit of a plan version's content: goals, and exercises per session.

Each change is checked by the domain before anything is written:

- goals through :func:`hemojoint.domain.rehab.goals.edit_goal` (target within the
  measure's range and not above baseline, due week 1-12);
- an added exercise must exist in the library and be suitable for the child on every
  selected session's date (:func:`hemojoint.domain.rehab.library.suitable`: age, active
  synovitis, severe damage, a bleed not yet cleared); it is dosed like the generator
  does (:func:`~hemojoint.domain.rehab.selection.dose`) unless a dose is given, and
  goes before the cool-down;
- removing or re-dosing an exercise must find it in at least one selected session.

Every problem is reported at once, each named by its place in the request
(``add_exercises[0].code``, ``goals[2].target``), so nothing half-applied is saved.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from hemojoint.domain.anatomy import IndexJoint
from hemojoint.domain.bleeds import BleedEpisode
from hemojoint.domain.errors import FieldProblem, InvalidInputError
from hemojoint.domain.instruments.hjhs import HjhsInput
from hemojoint.domain.patients import age_at
from hemojoint.domain.rehab.exercise import Category, Exercise, JointKind, Sides
from hemojoint.domain.rehab.goals import edit_goal
from hemojoint.domain.rehab.joint_status import RehabRules, joint_statuses
from hemojoint.domain.rehab.library import ExerciseLibrary, suitable
from hemojoint.domain.rehab.model import Goal, GoalTerm, ProblemCode
from hemojoint.domain.rehab.plan_request import UltrasoundFindings
from hemojoint.domain.rehab.selection import Choice, dose
from hemojoint.domain.validation import ProblemCollector, fail
from hemojoint.schemas.programme import (
    Dose,
    ExerciseAdd,
    ExerciseDose,
    ExerciseRemove,
    GoalEdit,
    PlanEdit,
    SessionSelector,
)

Session = dict[str, Any]  # one session of a plan version's content (PlannedSession.as_dict())


@dataclass(frozen=True)
class EditContext:
    """The child's findings and the definitions an edit is checked against."""

    birth_date: date
    hjhs_input: HjhsInput
    ultrasound: UltrasoundFindings | None
    bleeds: tuple[BleedEpisode, ...]
    cleared_joints: Mapping[IndexJoint, date]
    library: ExerciseLibrary
    rules: RehabRules


def apply(content: Mapping[str, Any], edit: PlanEdit, context: EditContext) -> dict[str, Any]:
    """The new content: a deep copy of ``content`` with every change of ``edit`` applied."""
    new = copy.deepcopy(dict(content))
    problems = ProblemCollector()
    for position, goal_edit in enumerate(edit.goals):
        problems.check(_edit_goal, new["goals"], position, goal_edit)
    steps = (
        ("add_exercises", edit.add_exercises, _add),
        ("remove_exercises", edit.remove_exercises, _remove),
        ("dose_exercises", edit.dose_exercises, _redose),
    )
    for name, changes, step in steps:
        for position, change in enumerate(changes):
            path = f"{name}[{position}]"
            sessions = problems.check(_selected, new["sessions"], path, change)
            if sessions:
                problems.check(step, sessions, path, change, context)
    problems.raise_if_any()
    return new


def summary(edit: PlanEdit) -> dict[str, Any]:
    """What changed, for the audit trail."""
    return {
        "goals": [change.index for change in edit.goals],
        "added": [change.code for change in edit.add_exercises],
        "removed": [change.code for change in edit.remove_exercises],
        "dosed": [change.code for change in edit.dose_exercises],
    }


# --- goals --------------------------------------------------------------------------------------


def _goal(data: Mapping[str, Any]) -> Goal:
    joint = data.get("joint")
    return Goal(
        term=GoalTerm(data["term"]),
        problem=ProblemCode(data["problem"]),
        joint=IndexJoint(joint) if joint else None,
        measure=data["measure"],
        baseline=data.get("baseline"),
        target=data["target"],
        due_week=data["due_week"],
    )


def _edit_goal(goals: list[dict[str, Any]], position: int, change: GoalEdit) -> None:
    path = f"goals[{position}]"
    if change.index >= len(goals):
        allowed = f"0-{len(goals) - 1}" if goals else "none: the plan has no goals"
        raise fail(FieldProblem.invalid(f"{path}.index", change.index, allowed, "is no goal"))
    try:
        edited = edit_goal(
            _goal(goals[change.index]), target=change.target, due_week=change.due_week
        )
    except InvalidInputError as error:
        raise InvalidInputError(_under(path, problem) for problem in error.problems) from None
    goals[change.index] = edited.as_dict()


# --- exercises ----------------------------------------------------------------------------------


def _selected(sessions: list[Session], path: str, selector: SessionSelector) -> list[Session]:
    chosen = [
        session
        for session in sessions
        if (selector.weeks is None or session["week"] in selector.weeks)
        and (selector.kinds is None or session["kind"] in selector.kinds)
        and (selector.dates is None or date.fromisoformat(session["date"]) in selector.dates)
    ]
    if not chosen:
        why = "select no session of the plan"
        raise fail(FieldProblem.invalid(path, "weeks, kinds, dates", "at least one session", why))
    return chosen


def _exercise(path: str, code: str, library: ExerciseLibrary) -> Exercise:
    if code not in library:
        raise fail(FieldProblem.not_one_of(f"{path}.code", code, library.codes))
    return library.get(code)


def _joints(
    path: str, exercise: Exercise, given: Sequence[IndexJoint] | None
) -> tuple[IndexJoint, ...]:
    kinds = set(exercise.joint_kinds)
    every = tuple(joint for joint in IndexJoint if JointKind(joint.kind) in kinds)
    if given is None:
        return every
    wrong = [joint.value for joint in given if joint not in every]
    if wrong:
        allowed = ", ".join(joint.value for joint in every) or "none"
        raise fail(FieldProblem.invalid(f"{path}.joints", wrong, allowed, "are not worked by it"))
    return tuple(joint for joint in IndexJoint if joint in given)


def _add(sessions: list[Session], path: str, change: ExerciseAdd, context: EditContext) -> None:
    exercise = _exercise(path, change.code, context.library)
    joints = _joints(path, exercise, change.joints)
    _refuse_unsuitable(sessions, path, exercise, joints, context)
    problems = ProblemCollector()
    for session in sessions:
        if any(item["code"] == exercise.code for item in session["exercises"]):
            why = f"is already in the session of {session['date']}: change its dose instead"
            problems.add(FieldProblem.invalid(f"{path}.code", exercise.code, "a new exercise", why))
    problems.raise_if_any()
    for session in sessions:
        age = age_at(context.birth_date, date.fromisoformat(session["date"])).years
        planned = dose(Choice(exercise, joints), session["intensity_pct"], age).as_dict()
        _set_dose(planned, change.dose)
        session["exercises"].insert(_before_cool_down(session, context.library), planned)


def _refuse_unsuitable(
    sessions: list[Session],
    path: str,
    exercise: Exercise,
    joints: tuple[IndexJoint, ...],
    context: EditContext,
) -> None:
    """Every distinct reason the exercise does not suit the child, with its first date."""
    side = joints[0].side if exercise.sides is Sides.ONE and len(joints) == 1 else None
    reasons: dict[str, str] = {}
    for session in sessions:
        day = date.fromisoformat(session["date"])
        ok, why = suitable(
            exercise,
            age_years=age_at(context.birth_date, day).years,
            joint_statuses=_statuses(context, day),
            side=side,
        )
        for reason in why if not ok else ():
            reasons.setdefault(reason, session["date"])
    if reasons:
        raise InvalidInputError(
            FieldProblem.invalid(
                f"{path}.code",
                exercise.code,
                "an exercise suitable for the child",
                f"is not suitable (from {first}): {reason}",
            )
            for reason, first in reasons.items()
        )


def _statuses(context: EditContext, day: date) -> Mapping[IndexJoint, Any]:
    return joint_statuses(
        ultrasound_joints=context.ultrasound.joints if context.ultrasound else None,
        hjhs=context.hjhs_input,
        recent_bleeds=context.bleeds,
        cleared_joints=context.cleared_joints,
        as_of=day,
        rules=context.rules,
    )


def _before_cool_down(session: Session, library: ExerciseLibrary) -> int:
    cool_down = {exercise.code for exercise in library.in_category(Category.COOL_DOWN)}
    places = [i for i, item in enumerate(session["exercises"]) if item["code"] in cool_down]
    return places[0] if places else len(session["exercises"])


def _remove(
    sessions: list[Session], path: str, change: ExerciseRemove, _context: EditContext
) -> None:
    _require_present(sessions, path, change.code)
    for session in sessions:
        session["exercises"] = [e for e in session["exercises"] if e["code"] != change.code]


def _redose(
    sessions: list[Session], path: str, change: ExerciseDose, _context: EditContext
) -> None:
    _require_present(sessions, path, change.code)
    for session in sessions:
        for item in session["exercises"]:
            if item["code"] == change.code:
                _set_dose(item, change.dose)


def _require_present(sessions: list[Session], path: str, code: str) -> None:
    if not any(item["code"] == code for session in sessions for item in session["exercises"]):
        why = "is in none of the selected sessions"
        raise fail(FieldProblem.invalid(f"{path}.code", code, "an exercise of the sessions", why))


def _set_dose(planned: dict[str, Any], given: Dose | None) -> None:
    if given is not None:
        planned.update(given.model_dump(exclude_none=True))


def _under(path: str, problem: FieldProblem) -> FieldProblem:
    field = f"{path}.{problem.field}"
    return FieldProblem(field, problem.value, problem.allowed, f"{path}.{problem.message}")

"""Choosing, dosing and timing a session's exercises from the library.

Rules (issue 4 "Programme and plan"; REFERENCE.md section 1), applied per session with
the child's age and joint statuses on the session's date:

- Warm-up first and cool-down stretching last, every session (the first suitable
  exercise of each category, in library order), at the full dose whatever the
  intensity: they prepare and settle the joints, they are not training load.
- For each problem, in problem-list order: the library exercises whose purpose names
  it. A joint's problem takes exercises that work that joint's kind, checked on that
  side; a child-level problem (gait, balance, posture) takes them checked on both sides.
  Restricted motion adds parent-applied stretching and traction for the joint's kind;
  balance and posture add posture, weight-shift and sensory-integration exercises.
- Every exercise passes :func:`~.library.suitable` (age bounds; no loading of a joint
  whose loading is paused for a bleed; no high impact or heavy loading with active
  synovitis; low impact only with severe damage; the exercise's own contraindications).
- Variant: ``game`` for a child aged 7 or younger (:meth:`~.library.Exercise.variant_for`).
- A progression chain starts at its first suitable stage (isometric before dynamic
  strength, static before dynamic balance): a choice is dropped when another suitable
  choice for the same problem progresses to it. The weekly review moves the child on.
- Priority: problems take turns (round robin: every problem's first exercise before
  any problem's second), and an exercise is added while the session's minutes allow.
- Dose: sets as in the library; reps, hold seconds and minutes of time-based exercises
  ``x intensity / 100`` rounded half up, at least 1.

Minutes of an exercise (hemojoint's estimate for fitting sessions, not a clinical
number): a time-based exercise takes its minutes; otherwise each set takes
``reps x (SECONDS_PER_REP + hold_seconds)`` (or one hold when there are no reps),
with ``rest_seconds`` between sets and ``CHANGEOVER_SECONDS`` to explain and set up,
rounded up to whole minutes and doubled when a one-side exercise is done on both sides.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import zip_longest

from hemojoint.domain.anatomy import IndexJoint, Side
from hemojoint.domain.rehab.exercise import Category, Equipment, Exercise, JointKind, Sides
from hemojoint.domain.rehab.joint_status import JointStatus
from hemojoint.domain.rehab.library import ExerciseLibrary, suitable
from hemojoint.domain.rehab.model import PlannedExercise, Problem, ProblemCode

# hemojoint's timing estimate (module docstring): a controlled repetition, and the
# time to explain an exercise and get into position.
SECONDS_PER_REP = 4
CHANGEOVER_SECONDS = 30
FULL_INTENSITY_PCT = 100
# Equipment every home has: the child's own body, a chair, a wall, a towel.
ALWAYS_AVAILABLE = frozenset(
    {Equipment.NONE, Equipment.BODY_WEIGHT, Equipment.CHAIR, Equipment.WALL, Equipment.TOWEL}
)
EXTRA_CATEGORIES: Mapping[ProblemCode, tuple[Category, ...]] = {
    ProblemCode.RESTRICTED_MOTION: (Category.PARENT_STRETCH, Category.PARENT_TRACTION),
    ProblemCode.BALANCE: (
        Category.POSTURE,
        Category.WEIGHT_SHIFT,
        Category.SENSORY_INTEGRATION,
    ),
    ProblemCode.POSTURE: (Category.POSTURE, Category.WEIGHT_SHIFT, Category.SENSORY_INTEGRATION),
}
FRAME_CATEGORIES = (Category.WARM_UP, Category.COOL_DOWN)


@dataclass(frozen=True)
class Choice:
    """An exercise picked for a session, and the joints it is done for."""

    exercise: Exercise
    joints: tuple[IndexJoint, ...]


@dataclass(frozen=True)
class SessionContext:
    """What a session's choice depends on."""

    age_years: int
    statuses: Mapping[IndexJoint, JointStatus]
    equipment: Collection[Equipment] | None  # None: everything is at hand


def available(exercise: Exercise, equipment: Collection[Equipment] | None) -> bool:
    """Whether every piece of the exercise's equipment is at hand (``None``: all is)."""
    if equipment is None:
        return True
    return all(item in ALWAYS_AVAILABLE or item in equipment for item in exercise.equipment)


def allowed(choice: Choice, context: SessionContext) -> bool:
    """Suitable for the child on the day (:func:`~.library.suitable`) and equipment at hand."""
    exercise, joints = choice.exercise, choice.joints
    side = joints[0].side if exercise.sides is Sides.ONE and len(joints) == 1 else None
    checked = _checked_joints(exercise.joint_kinds, side if exercise.sides is Sides.ONE else None)
    relevant = tuple(status for j in checked if (status := context.statuses.get(j)) is not None)
    return _suitable_ok(exercise, context.age_years, side, relevant) and available(
        exercise, context.equipment
    )


@lru_cache(maxsize=64)
def _checked_joints(kinds: tuple[JointKind, ...], side: Side | None) -> tuple[IndexJoint, ...]:
    """The joints :func:`~.library.suitable` looks at for these kinds (one side or both)."""
    return tuple(joint for kind in kinds for joint in kind.index_joints(side))


# A plan asks the same question thousands of times (every session re-checks the same
# exercises for the same age and joint statuses), so the verdict is memoised. The key is
# everything suitable() reads: the exercise (by value), the age, the side and the
# statuses of exactly the joints it checks, so a cached answer is the uncached one.
@lru_cache(maxsize=8192)
def _suitable_ok(
    exercise: Exercise, age_years: int, side: Side | None, relevant: tuple[JointStatus, ...]
) -> bool:
    statuses = {status.joint: status for status in relevant}
    ok, _ = suitable(exercise, age_years=age_years, joint_statuses=statuses, side=side)
    return ok


def _all_joints(exercise: Exercise) -> tuple[IndexJoint, ...]:
    kinds = set(exercise.joint_kinds)
    return tuple(joint for joint in IndexJoint if JointKind(joint.kind) in kinds)


def _serves(exercise: Exercise, problem: Problem) -> bool:
    """Purpose (or extra category) matches, and a joint's problem: the exercise works its kind."""
    if exercise.category in FRAME_CATEGORIES:
        return False
    extra = EXTRA_CATEGORIES.get(problem.code, ())
    if problem.code not in exercise.purpose and exercise.category not in extra:
        return False
    return problem.joint is None or JointKind(problem.joint.kind) in exercise.joint_kinds


def addresses(exercise: Exercise, joints: Collection[IndexJoint], problem: Problem) -> bool:
    """Whether ``exercise`` done for ``joints`` works on ``problem``."""
    return _serves(exercise, problem) and (problem.joint is None or problem.joint in joints)


def _problem_exercises(library: ExerciseLibrary, problem: Problem) -> list[Exercise]:
    return [exercise for exercise in library.exercises if _serves(exercise, problem)]


def _choice_for(exercise: Exercise, problem: Problem) -> Choice:
    if problem.joint is not None and exercise.sides is Sides.ONE:
        return Choice(exercise, (problem.joint,))
    return Choice(exercise, _all_joints(exercise))


def candidates(
    library: ExerciseLibrary, problems: Sequence[Problem], context: SessionContext
) -> list[Choice]:
    """Every suitable choice for the problems, in priority order (round robin), each once.

    An exercise picked for several problems appears once, at its first place, for the
    joints of all of them (a one-side exercise for the left ankle and for both ankles
    is done on both).
    """
    per_problem = [_first_stages(library, problem, context) for problem in problems]
    ordered = [choice for row in zip_longest(*per_problem) for choice in row if choice]
    merged: dict[str, Choice] = {}
    for choice in ordered:
        code = choice.exercise.code
        joints = set(choice.joints) | set(merged[code].joints if code in merged else ())
        merged[code] = Choice(choice.exercise, tuple(j for j in IndexJoint if j in joints))
    return list(merged.values())


def _first_stages(
    library: ExerciseLibrary, problem: Problem, context: SessionContext
) -> list[Choice]:
    """The problem's suitable choices, each progression chain from its first suitable stage."""
    found = [
        choice
        for exercise in _problem_exercises(library, problem)
        if allowed(choice := _choice_for(exercise, problem), context)
    ]
    # The weekly review moves a child on (isometric -> dynamic, static -> dynamic balance).
    later = {choice.exercise.progresses_to for choice in found}
    return [choice for choice in found if choice.exercise.code not in later]


def frame(library: ExerciseLibrary, category: Category, context: SessionContext) -> Choice | None:
    """The first suitable warm-up (or cool-down) exercise, or None when none suits."""
    for exercise in library.in_category(category):
        choice = Choice(exercise, _all_joints(exercise))
        if allowed(choice, context):
            return choice
    return None


def scaled(value: int | None, intensity_pct: int) -> int | None:
    """``value x intensity_pct / 100`` rounded half up, at least 1 (None stays None).

    >>> scaled(10, 25), scaled(10, 75), scaled(2, 25), scaled(None, 50), scaled(5, 30)
    (3, 8, 1, None, 2)
    """
    if value is None:
        return None
    return max(1, (2 * value * intensity_pct + FULL_INTENSITY_PCT) // (2 * FULL_INTENSITY_PCT))


def dose(choice: Choice, intensity_pct: int, age_years: int) -> PlannedExercise:
    """The planned exercise at ``intensity_pct`` of the library's hospital-level dose."""
    exercise, base = choice.exercise, choice.exercise.dosage
    pct = FULL_INTENSITY_PCT if exercise.category in FRAME_CATEGORIES else intensity_pct
    return PlannedExercise(
        code=exercise.code,
        variant=exercise.variant_for(age_years),
        joints=choice.joints,
        sets=base.sets,
        reps=scaled(base.reps, pct),
        hold_seconds=scaled(base.hold_seconds, pct),
        minutes=scaled(base.minutes, pct),
    )


def estimated_minutes(planned: PlannedExercise, exercise: Exercise) -> int:
    """Whole minutes a planned exercise takes (estimate in the module docstring).

    >>> from hemojoint.domain.rehab.model import Variant
    >>> lib_free = PlannedExercise("x", Variant.STANDARD, (), 2, 10, None, None)
    >>> # 2 sets x 10 reps x 4 s + 1 rest of 60 s + 30 s changeover = 170 s -> 3 min
    >>> estimated_minutes(lib_free, _example(rest_seconds=60))
    3
    """
    sides = 2 if exercise.sides is Sides.ONE and len(planned.joints) > 1 else 1
    if planned.minutes is not None:
        return planned.minutes * sides
    hold = planned.hold_seconds or 0
    per_set = planned.reps * (SECONDS_PER_REP + hold) if planned.reps else hold
    seconds = planned.sets * per_set + (planned.sets - 1) * exercise.dosage.rest_seconds
    return -(-(seconds + CHANGEOVER_SECONDS) // 60) * sides


def compose(
    library: ExerciseLibrary,
    choices: Sequence[Choice],
    context: SessionContext,
    intensity_pct: int,
    budget_minutes: int,
) -> tuple[tuple[Choice, PlannedExercise], ...]:
    """Warm-up, as many ``choices`` as fit (in order, skipping what does not), cool-down.

    The exercises' estimated minutes sum to at most ``budget_minutes``; a choice no
    longer suitable or available in ``context`` is left out.
    """
    ends = [frame(library, category, context) for category in FRAME_CATEGORIES]
    warm_up, cool_down = [
        [(choice, dose(choice, intensity_pct, context.age_years))] if choice else []
        for choice in ends
    ]
    used = sum(estimated_minutes(p, c.exercise) for c, p in (*warm_up, *cool_down))
    middle = []
    for choice in choices:
        if not allowed(choice, context):
            continue
        planned = dose(choice, intensity_pct, context.age_years)
        minutes = estimated_minutes(planned, choice.exercise)
        if used + minutes <= budget_minutes:
            middle.append((choice, planned))
            used += minutes
    return (*warm_up, *middle, *cool_down)


def _example(rest_seconds: int) -> Exercise:
    """A minimal exercise for the doctests."""
    from hemojoint.domain.rehab.exercise import Dosage, Impact, LoadingLevel, Position, Text

    return Exercise(
        "x", Category.ISOMETRIC_STRENGTH, Text("x", "x"), (), (), Sides.BOTH, Position.SITTING,
        (), LoadingLevel.LIGHT, Impact.NONE, Text("", ""), Dosage(2, 10, None, None, rest_seconds),
        Text("", ""), None, 4, 18, (), None,
    )  # fmt: skip

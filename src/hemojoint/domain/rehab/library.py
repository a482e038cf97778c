"""The exercise library: its shape, lookup, and whether an exercise suits a child today.

The library is our own content (``definitions/exercise_library.json``, PROVISIONAL
until the centre's physiotherapists review it), in English and Simplified Chinese.
Its vocabulary (``Exercise`` and its parts) is in :mod:`.exercise`, re-exported
here; :mod:`._exercise_parse` checks a file against it.

:func:`suitable` applies issue 4's contraindication rules to the joints an exercise
loads, using each joint's :class:`~.joint_status.JointStatus`:

- active synovitis: no high-impact and no heavy loading;
- severe cartilage or bone damage: low impact at most;
- a bleed in progress not yet cleared by a hematologist: nothing loading the joint;
- the exercise's own contraindications, on every joint it works;
- the child's age within the exercise's bounds.

Programme rule (REFERENCE.md section 1, verified): children aged 7 or younger get
the same content as games or parent-child play, so every exercise open to them
has a game variant.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from hemojoint.domain.anatomy import IndexJoint, Side
from hemojoint.domain.errors import FieldProblem
from hemojoint.domain.instruments.base import InstrumentInfo
from hemojoint.domain.rehab._exercise_parse import parse_library
from hemojoint.domain.rehab.exercise import (
    GAME_VARIANT_MAX_AGE_YEARS,
    LANGUAGES,
    Category,
    Dosage,
    Equipment,
    Exercise,
    Impact,
    JointKind,
    JointLoad,
    LoadingLevel,
    Position,
    Sides,
    Text,
    WorkedJoint,
)
from hemojoint.domain.rehab.joint_status import Condition, JointStatus
from hemojoint.domain.rehab.model import ProblemCode
from hemojoint.domain.validation import fail

# Issue 4: with severe cartilage or bone damage, "low-impact only".
_LOW_IMPACT: Collection[Impact] = (Impact.NONE, Impact.LOW)

__all__ = [
    "GAME_VARIANT_MAX_AGE_YEARS",
    "LANGUAGES",
    "Category",
    "Dosage",
    "Equipment",
    "Exercise",
    "ExerciseLibrary",
    "Impact",
    "JointKind",
    "JointLoad",
    "LoadingLevel",
    "Position",
    "Sides",
    "Text",
    "WorkedJoint",
    "suitable",
]


@dataclass(frozen=True)
class ExerciseLibrary:
    """The parsed, validated library with its provenance (status provisional)."""

    info: InstrumentInfo
    notes: str
    exercises: tuple[Exercise, ...]

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> ExerciseLibrary:
        """Parse and check a library; every problem is reported at once as a
        :class:`~hemojoint.domain.errors.DefinitionError` naming the exercise code and field
        (``exercises.quad_set.impact: 'extreme' is not one of none, low, moderate, high``).
        """
        info, notes, exercises = parse_library(data)
        return cls(info=info, notes=notes, exercises=exercises)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(exercise.code for exercise in self.exercises)

    def __contains__(self, code: object) -> bool:
        return code in self.codes

    def get(self, code: str) -> Exercise:
        """The exercise ``code``; an unknown code raises InvalidInputError naming ``exercise``."""
        for exercise in self.exercises:
            if exercise.code == code:
                return exercise
        raise fail(FieldProblem.not_one_of("exercise", code, self.codes))

    def for_problem(self, problem: ProblemCode) -> tuple[Exercise, ...]:
        return tuple(exercise for exercise in self.exercises if problem in exercise.purpose)

    def in_category(self, category: Category) -> tuple[Exercise, ...]:
        return tuple(exercise for exercise in self.exercises if exercise.category is category)


def suitable(
    exercise: Exercise,
    *,
    age_years: int,
    joint_statuses: Mapping[IndexJoint, JointStatus],
    side: Side | None = None,
) -> tuple[bool, tuple[str, ...]]:
    """Whether ``exercise`` may be given to this child now, and every reason it may not.

    Joints checked: those of the exercise's joint kinds on ``side`` (for a one-side
    exercise) or on both sides (``side=None``, or an exercise that works both sides
    together). A joint missing from ``joint_statuses`` has no known condition.
    Rules (issue 4): see the module docstring.

    >>> from hemojoint.domain.rehab.model import Evidence, EvidenceSource
    >>> swollen = JointStatus(IndexJoint.LEFT_KNEE,
    ...     synovitis_evidence=(Evidence(EvidenceSource.HJHS, "left_knee.swelling", 2),))
    >>> hop = Exercise("hop", Category.DYNAMIC_BALANCE, Text("Hop", "跳"), (ProblemCode.BALANCE,),
    ...     (WorkedJoint(JointKind.KNEE, JointLoad.WEIGHT_BEARING),), Sides.BOTH, Position.STANDING,
    ...     (Equipment.NONE,), LoadingLevel.MODERATE, Impact.HIGH, Text("a", "甲"),
    ...     Dosage(2, 10, None, None, 60), Text("b", "乙"), None, 6, 18, (), Text("c", "丙"))
    >>> suitable(hop, age_years=5, joint_statuses={IndexJoint.LEFT_KNEE: swollen})
    (False, ('age 5 is below the minimum 6', \
'left_knee: high impact with active synovitis (left_knee.swelling = 2)'))
    """
    reasons = [*_age_reasons(exercise, age_years)]
    for kind in exercise.joint_kinds:
        sides_checked = side if exercise.sides is Sides.ONE else None
        for joint in kind.index_joints(sides_checked):
            status = joint_statuses.get(joint)
            if status is not None:
                reasons.extend(_joint_reasons(exercise, kind, status))
    return (not reasons, tuple(reasons))


def _age_reasons(exercise: Exercise, age_years: int) -> list[str]:
    if age_years < exercise.min_age_years:
        return [f"age {age_years} is below the minimum {exercise.min_age_years}"]
    if age_years > exercise.max_age_years:
        return [f"age {age_years} is above the maximum {exercise.max_age_years}"]
    return []


def _joint_reasons(exercise: Exercise, kind: JointKind, status: JointStatus) -> list[str]:
    joint = status.joint.value
    reasons = [
        f"{joint}: {exercise.code} is contraindicated with {condition.value.replace('_', ' ')}"
        f" ({_because(status, condition)})"
        for condition in exercise.contraindications
        if condition in status.conditions
    ]
    if kind in exercise.loaded_kinds:
        reasons.extend(f"{joint}: {rule}" for rule in _load_rules(exercise, status))
    return reasons


def _load_rules(exercise: Exercise, status: JointStatus) -> list[str]:
    """Issue 4's rules for a joint the exercise loads."""
    broken = []
    if status.active_synovitis:
        why = _because(status, Condition.ACTIVE_SYNOVITIS)
        if exercise.impact is Impact.HIGH:
            broken.append(f"high impact with active synovitis ({why})")
        if exercise.loading is LoadingLevel.HEAVY:
            broken.append(f"heavy loading with active synovitis ({why})")
    if status.severe_damage and exercise.impact not in _LOW_IMPACT:
        why = _because(status, Condition.SEVERE_DAMAGE)
        broken.append(f"{exercise.impact.value} impact with severe damage, low only ({why})")
    if status.loading_paused:
        why = _because(status, Condition.LOADING_PAUSED)
        broken.append(f"loads a joint paused for a bleed until a hematologist clears it ({why})")
    return broken


def _because(status: JointStatus, condition: Condition) -> str:
    return "; ".join(item.text for item in status.evidence_for(condition))

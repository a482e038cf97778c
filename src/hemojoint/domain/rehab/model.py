"""The programme's shared vocabulary: problems with their evidence, goals, sessions, plans."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from hemojoint.domain.anatomy import IndexJoint

PROGRAMME_WEEKS = 12


class ProblemCode(StrEnum):
    """The problems the plan addresses (REFERENCE.md section 1, "Problems the plan addresses")."""

    SWELLING = "swelling"
    MUSCLE_ATROPHY = "muscle_atrophy"  # muscle atrophy and joint stability
    RESTRICTED_MOTION = "restricted_motion"
    PAIN = "pain"
    WEAKNESS = "weakness"
    GAIT = "gait"
    BALANCE = "balance"  # balance, coordination and proprioception
    POSTURE = "posture"


class EvidenceSource(StrEnum):
    HJHS = "hjhs"
    ULTRASOUND = "ultrasound"
    BLEEDS = "bleeds"
    AGE = "age"


@dataclass(frozen=True)
class Evidence:
    """One finding that raised a problem, e.g. ``left_ankle.flexion_loss = 2`` from HJHS."""

    source: EvidenceSource
    field: str
    value: Any

    @property
    def text(self) -> str:
        """``left_ankle.flexion_loss = 2`` (HJHS) or ``left_ankle synovitis = 2 on ultrasound``."""
        if self.source is EvidenceSource.ULTRASOUND:
            joint, _, item = self.field.partition(".")
            return f"{joint} {item} = {self.value} on ultrasound"
        return f"{self.field} = {self.value}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source.value,
            "field": self.field,
            "value": self.value,
            "text": self.text,
        }


@dataclass(frozen=True)
class Problem:
    """A problem for one joint (or the whole child when ``joint`` is None), with its evidence."""

    code: ProblemCode
    joint: IndexJoint | None
    evidence: tuple[Evidence, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code.value,
            "joint": self.joint.value if self.joint else None,
            "evidence": [item.as_dict() for item in self.evidence],
        }


class GoalTerm(StrEnum):
    SHORT = "short"  # 4 weeks
    LONG = "long"  # 12 weeks


GOAL_WEEKS = {GoalTerm.SHORT: 4, GoalTerm.LONG: PROGRAMME_WEEKS}


@dataclass(frozen=True)
class Goal:
    """A target on the item that raised the problem, e.g. HJHS flexion loss 2 -> 1."""

    term: GoalTerm
    problem: ProblemCode
    joint: IndexJoint | None
    measure: str  # e.g. "hjhs.left_ankle.flexion_loss", "hjhs.gait", "pain_score"
    baseline: float | None
    target: float
    due_week: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "term": self.term.value,
            "problem": self.problem.value,
            "joint": self.joint.value if self.joint else None,
            "measure": self.measure,
            "baseline": self.baseline,
            "target": self.target,
            "due_week": self.due_week,
        }


class SessionKind(StrEnum):
    HOSPITAL = "hospital"
    HOME = "home"


class Variant(StrEnum):
    STANDARD = "standard"
    GAME = "game"  # the same content as a game or parent-child play, for children aged 7 or younger


@dataclass(frozen=True)
class PlannedExercise:
    code: str
    variant: Variant
    joints: tuple[IndexJoint, ...]
    sets: int
    reps: int | None
    hold_seconds: int | None
    minutes: int | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "variant": self.variant.value,
            "joints": [joint.value for joint in self.joints],
            "sets": self.sets,
            "reps": self.reps,
            "hold_seconds": self.hold_seconds,
            "minutes": self.minutes,
        }


@dataclass(frozen=True)
class PlannedSession:
    date: date
    week: int
    kind: SessionKind
    minutes: int
    intensity_pct: int  # of the hospital level
    on_infusion_day: bool
    exercises: tuple[PlannedExercise, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "week": self.week,
            "kind": self.kind.value,
            "minutes": self.minutes,
            "intensity_pct": self.intensity_pct,
            "on_infusion_day": self.on_infusion_day,
            "exercises": [exercise.as_dict() for exercise in self.exercises],
        }

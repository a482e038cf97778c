"""The exercise library's vocabulary: categories, joints and loads, texts, dosage, ``Exercise``.

What an exercise says is data (``definitions/exercise_library.json``); this module
declares its shape. Parsing is in :mod:`._exercise_parse`, lookup and the
contraindication rules in :mod:`.library`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from hemojoint.domain.anatomy import IndexJoint, Side
from hemojoint.domain.rehab.joint_status import Condition
from hemojoint.domain.rehab.model import ProblemCode, Variant

# REFERENCE.md section 1: "Children aged 7 or younger get the same content as games
# or parent-child play."
GAME_VARIANT_MAX_AGE_YEARS = 7
LANGUAGES = ("en", "zh-Hans")


class Category(StrEnum):
    WARM_UP = "warm_up"
    COOL_DOWN = "cool_down"  # post-session stretching
    PARENT_STRETCH = "parent_stretch"  # stretching applied by a parent
    PARENT_TRACTION = "parent_traction"  # gentle traction applied by a parent
    POSTURE = "posture"  # corrective sitting and standing
    WEIGHT_SHIFT = "weight_shift"
    SENSORY_INTEGRATION = "sensory_integration"  # balance, coordination, proprioception games
    ISOMETRIC_STRENGTH = "isometric_strength"  # first stage of strengthening
    DYNAMIC_STRENGTH = "dynamic_strength"  # after isometric
    RANGE_OF_MOTION = "range_of_motion"
    GAIT = "gait"
    STATIC_BALANCE = "static_balance"  # first stage of balance training
    DYNAMIC_BALANCE = "dynamic_balance"  # after static


class JointKind(StrEnum):
    ELBOW = "elbow"
    KNEE = "knee"
    ANKLE = "ankle"

    def index_joints(self, side: Side | None = None) -> tuple[IndexJoint, ...]:
        """The index joints of this kind, on ``side`` or on both sides.

        >>> JointKind.KNEE.index_joints(Side.LEFT)
        (<IndexJoint.LEFT_KNEE: 'left_knee'>,)
        """
        sides = (side,) if side else tuple(Side)
        return tuple(IndexJoint(f"{each.value}_{self.value}") for each in sides)


class JointLoad(StrEnum):
    """How an exercise loads a joint it works."""

    NONE = "none"  # moved without load (active range of motion)
    WEIGHT_BEARING = "weight_bearing"
    RESISTED = "resisted"  # against a muscle contraction, band, sandbag or a hand
    STRETCH = "stretch"  # sustained stretch or traction

    @property
    def loads(self) -> bool:
        return self is not JointLoad.NONE


class Position(StrEnum):
    SUPINE = "supine"
    PRONE = "prone"
    SIDE_LYING = "side_lying"
    LONG_SITTING = "long_sitting"
    SITTING = "sitting"
    KNEELING = "kneeling"
    QUADRUPED = "quadruped"
    STANDING = "standing"
    WALKING = "walking"


class Equipment(StrEnum):
    NONE = "none"
    BODY_WEIGHT = "body_weight"
    RESISTANCE_BAND = "resistance_band"
    SANDBAG = "sandbag"
    BALL = "ball"
    BEAN_BAG = "bean_bag"
    BALANCE_CUSHION = "balance_cushion"
    STEP = "step"
    CHAIR = "chair"
    TOWEL = "towel"
    MAT = "mat"
    WALL = "wall"
    CONES = "cones"


class LoadingLevel(StrEnum):
    NONE = "none"
    LIGHT = "light"
    MODERATE = "moderate"
    HEAVY = "heavy"


class Impact(StrEnum):
    NONE = "none"
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"


class Sides(StrEnum):
    BOTH = "both"  # both sides work together (a squat, walking)
    ONE = "one"  # done one side at a time; the plan says which


@dataclass(frozen=True)
class Text:
    """One text in every library language."""

    en: str
    zh_hans: str

    def as_dict(self) -> dict[str, str]:
        return {"en": self.en, "zh-Hans": self.zh_hans}


@dataclass(frozen=True)
class WorkedJoint:
    kind: JointKind
    load: JointLoad

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind.value, "load": self.load.value}


@dataclass(frozen=True)
class Dosage:
    """The hospital-level dose; at least one of ``reps``, ``hold_seconds`` or ``minutes``."""

    sets: int
    reps: int | None
    hold_seconds: int | None
    minutes: int | None
    rest_seconds: int

    def as_dict(self) -> dict[str, int | None]:
        return {
            "sets": self.sets,
            "reps": self.reps,
            "hold_seconds": self.hold_seconds,
            "minutes": self.minutes,
            "rest_seconds": self.rest_seconds,
        }


@dataclass(frozen=True)
class Exercise:
    """One library exercise (see ``definitions/exercise_library.json``)."""

    code: str
    category: Category
    name: Text
    purpose: tuple[ProblemCode, ...]
    joints: tuple[WorkedJoint, ...]
    sides: Sides
    position: Position
    equipment: tuple[Equipment, ...]
    loading: LoadingLevel
    impact: Impact
    instructions: Text
    dosage: Dosage
    progression: Text
    progresses_to: str | None
    min_age_years: int
    max_age_years: int
    contraindications: tuple[Condition, ...]
    game_variant: Text | None

    @property
    def joint_kinds(self) -> tuple[JointKind, ...]:
        return tuple(joint.kind for joint in self.joints)

    @property
    def loaded_kinds(self) -> tuple[JointKind, ...]:
        """The joint kinds this exercise bears weight on, resists, stretches or tractions."""
        return tuple(joint.kind for joint in self.joints if joint.load.loads)

    def variant_for(self, age_years: int) -> Variant:
        """``game`` for a child aged 7 or younger (REFERENCE.md section 1), else ``standard``."""
        if age_years <= GAME_VARIANT_MAX_AGE_YEARS and self.game_variant is not None:
            return Variant.GAME
        return Variant.STANDARD

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "category": self.category.value,
            "name": self.name.as_dict(),
            "purpose": [problem.value for problem in self.purpose],
            "joints": [joint.as_dict() for joint in self.joints],
            "sides": self.sides.value,
            "position": self.position.value,
            "equipment": [item.value for item in self.equipment],
            "loading": self.loading.value,
            "impact": self.impact.value,
            "instructions": self.instructions.as_dict(),
            "dosage": self.dosage.as_dict(),
            "progression": self.progression.as_dict(),
            "progresses_to": self.progresses_to,
            "min_age_years": self.min_age_years,
            "max_age_years": self.max_age_years,
            "contraindications": [condition.value for condition in self.contraindications],
            "game_variant": self.game_variant.as_dict() if self.game_variant else None,
        }

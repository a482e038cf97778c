"""HEAD-US: Haemophilia Early Arthropathy Detection with UltraSound (ultrasound tier 2).

Martinoli C, Della Casa Alberighi O, Di Minno G, et al. Development and definition of a
simplified scanning procedure and scoring method for Haemophilia Early Arthropathy
Detection with Ultrasound (HEAD-US). Thromb Haemost 2013;109(6):1170-1179.
Items as in REFERENCE.md section 3 "HEAD-US".

Per joint (higher is worse): synovitis 0-2, cartilage 0-4 on the target surface,
subchondral bone 0-2; joint 0-8. Any subset of the six index joints may be scored;
the total is the sum over the joints scored (six joints: 0-48). Doppler is not part
of HEAD-US.

This module also holds what every joint-by-joint ultrasound scorer shares: the
``{"joints": {...}}`` input reader and the summed result (used by HEAD-US-C).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from hemojoint.domain.anatomy import IndexJoint
from hemojoint.domain.errors import FieldProblem
from hemojoint.domain.instruments.base import InstrumentInfo, Scorer, Status, provenance
from hemojoint.domain.validation import (
    ProblemCollector,
    enum_value,
    fail,
    int_in_range,
    join_path,
    no_unknown_keys,
    require_key,
    require_mapping,
)

T = TypeVar("T")

INFO = InstrumentInfo(
    code="head_us",
    name="HEAD-US (Haemophilia Early Arthropathy Detection with UltraSound)",
    version="2013",
    status=Status.VERIFIED,
    source="Martinoli C et al. Thromb Haemost 2013;109(6):1170-1179",
)


@dataclass(frozen=True)
class ItemRange:
    """One whole-number item and its allowed points ``low..high``."""

    code: str
    low: int
    high: int


ITEMS: tuple[ItemRange, ...] = (
    ItemRange("synovitis", 0, 2),  # absent or minimal / mild-moderate / severe
    ItemRange("cartilage", 0, 4),  # normal / <25 % / up to 50 % / >50 % / complete loss
    ItemRange("bone", 0, 2),  # normal / mild irregularity / deranged bone
)
JOINT_MAX = sum(item.high for item in ITEMS)


def parse_items(field_path: str, data: object, items: Sequence[ItemRange]) -> dict[str, int]:
    """Check one joint's item points against ``items``; every problem is reported at once.

    >>> parse_items("left_ankle", {"synovitis": 1, "cartilage": 5, "bone": 3}, ITEMS)
    Traceback (most recent call last):
    ...
    hemojoint.domain.errors.InvalidInputError: left_ankle.cartilage: 5 is outside 0-4; \
left_ankle.bone: 3 is outside 0-2
    """
    record = require_mapping(field_path, data)
    problems = ProblemCollector()
    problems.check(no_unknown_keys, field_path, record, [item.code for item in items])
    values: dict[str, int] = {}
    for item in items:
        path = join_path(field_path, item.code)
        if item.code not in record:
            expected = f"a whole number {item.low}-{item.high}"
            problems.add(FieldProblem.missing(path, expected))
            continue
        value = problems.check(int_in_range, path, record[item.code], item.low, item.high)
        if value is not None:
            values[item.code] = value
    problems.raise_if_any()
    return values


def parse_joint(field_path: str, data: object) -> dict[str, int]:
    """One joint's HEAD-US items (synovitis 0-2, cartilage 0-4, bone 0-2).

    >>> parse_joint("left_knee", {"synovitis": 2, "cartilage": 4, "bone": 2})
    {'synovitis': 2, 'cartilage': 4, 'bone': 2}
    """
    return parse_items(field_path, data, ITEMS)


def parse_joint_map(data: object, parse: Callable[[str, Any], T]) -> dict[IndexJoint, T]:
    """Read ``{"joints": {joint: ...}}`` with any non-empty subset of the six index joints.

    Each joint's data goes to ``parse(joint_code, value)``, so errors read
    ``left_ankle.cartilage: ...``. Joints come back in the HJHS form's order.

    >>> parse_joint_map({"joints": {"left_hip": {}}}, parse_joint)
    Traceback (most recent call last):
    ...
    hemojoint.domain.errors.InvalidInputError: joints.left_hip: 'left_hip' is not one of \
left_elbow, right_elbow, left_knee, right_knee, left_ankle, right_ankle
    """
    record = require_mapping("input", data)
    no_unknown_keys("", record, ["joints"])
    joints = require_mapping("joints", require_key(record, "joints", "", "an object of joints"))
    if not joints:
        allowed = ", ".join(joint.value for joint in IndexJoint)
        raise fail(
            FieldProblem.invalid("joints", {}, allowed, f"is empty; expected any of {allowed}")
        )
    problems = ProblemCollector()
    parsed: dict[IndexJoint, T] = {}
    for key, value in joints.items():
        joint = problems.check(enum_value, join_path("joints", str(key)), key, IndexJoint)
        if joint is not None:
            result = problems.check(parse, joint.value, value)
            if result is not None:
                parsed[joint] = result
    problems.raise_if_any()
    return {joint: parsed[joint] for joint in IndexJoint if joint in parsed}


@dataclass(frozen=True)
class JointSumResult:
    """Per-joint sums of item points, their total and what could not be scored.

    A joint with missing standard views (``missing_views``) has no total, and then
    the exam has no total either: an unseen joint is never counted as normal.
    ``views_recorded`` is False when scoring from item values alone.
    """

    info: InstrumentInfo
    joint_totals: Mapping[IndexJoint, int | None]
    joint_max: int
    missing_views: Mapping[IndexJoint, tuple[str, ...]] = field(default_factory=dict)
    views_recorded: bool = False

    @property
    def joints_scored(self) -> tuple[IndexJoint, ...]:
        return tuple(joint for joint, total in self.joint_totals.items() if total is not None)

    @property
    def total(self) -> int | None:
        if self.missing_views:
            return None
        return sum(total for total in self.joint_totals.values() if total is not None)

    @property
    def max_possible(self) -> int | None:
        return None if self.total is None else self.joint_max * len(self.joints_scored)

    def as_dict(self) -> dict[str, Any]:
        return {
            **provenance(self.info),
            "total": self.total,
            "max_possible": self.max_possible,
            "joint_totals": {joint.value: total for joint, total in self.joint_totals.items()},
            "joints_scored": [joint.value for joint in self.joints_scored],
            "views_recorded": self.views_recorded,
            "incomplete_joints": {
                joint.value: list(views) for joint, views in self.missing_views.items()
            },
        }


def sum_joints(
    info: InstrumentInfo,
    joints: Mapping[IndexJoint, Mapping[str, int]],
    joint_max: int,
    missing_views: Mapping[IndexJoint, Sequence[str]] | None = None,
) -> JointSumResult:
    """Sum validated item points per joint; ``missing_views=None`` means views not recorded."""
    missing = {joint: tuple(views) for joint, views in (missing_views or {}).items() if views}
    totals = {
        joint: None if joint in missing else sum(items.values()) for joint, items in joints.items()
    }
    return JointSumResult(
        info, totals, joint_max, missing, views_recorded=missing_views is not None
    )


def score(
    joints: Mapping[IndexJoint, Mapping[str, int]],
    missing_views: Mapping[IndexJoint, Sequence[str]] | None = None,
) -> JointSumResult:
    """HEAD-US per joint (0-8) and total over the joints given (8 points per joint).

    ``joints`` holds items already checked by :func:`parse_joint`. Rule: joint total
    = synovitis + cartilage + bone (Martinoli 2013; REFERENCE.md "HEAD-US").

    >>> result = score({IndexJoint.LEFT_ANKLE: {"synovitis": 1, "cartilage": 2, "bone": 1}})
    >>> result.total, result.max_possible
    (4, 8)
    """
    return sum_joints(INFO, joints, JOINT_MAX, missing_views)


def score_mapping(data: Mapping[str, Any]) -> JointSumResult:
    """Score the CLI input ``{"joints": {"left_ankle": {"synovitis": 1, ...}, ...}}``.

    >>> score_mapping({"joints": {"right_knee": {"synovitis": 2, "cartilage": 4, "bone": 2},
    ...     "left_ankle": {"synovitis": 0, "cartilage": 0, "bone": 0}}}).as_dict()["joint_totals"]
    {'right_knee': 8, 'left_ankle': 0}
    """
    return score(parse_joint_map(data, parse_joint))


SCORER = Scorer(INFO, score_mapping)

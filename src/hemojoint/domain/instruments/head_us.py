"""HEAD-US: Haemophilia Early Arthropathy Detection with UltraSound (ultrasound tier 2).

Martinoli C, Della Casa Alberighi O, Di Minno G, et al. Development and definition of a
simplified scanning procedure and scoring method for Haemophilia Early Arthropathy
Detection with Ultrasound (HEAD-US). Thromb Haemost 2013;109(6):1170-1179.
Items as in REFERENCE.md section 3 "HEAD-US".

Per joint (higher is worse): synovitis 0-2, cartilage 0-4 on the target surface,
subchondral bone 0-2; joint 0-8. Any subset of the six index joints may be scored;
the total is the sum over the joints scored (six joints: 0-48). Doppler is not part
of HEAD-US.

The ``{"joints": {...}}`` reader and the summed result are shared with the other
joint-by-joint scorers (:mod:`._shared`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from hemojoint.domain.anatomy import IndexJoint
from hemojoint.domain.instruments._shared import (
    ItemRange,
    JointSumResult,
    parse_items,
    parse_joint_map,
    sum_joints,
)
from hemojoint.domain.instruments.base import InstrumentInfo, Scorer, Status

INFO = InstrumentInfo(
    code="head_us",
    name="HEAD-US (Haemophilia Early Arthropathy Detection with UltraSound)",
    version="2013",
    status=Status.VERIFIED,
    source="Martinoli C et al. Thromb Haemost 2013;109(6):1170-1179",
)


ITEMS: tuple[ItemRange, ...] = (
    ItemRange("synovitis", 0, 2),  # absent or minimal / mild-moderate / severe
    ItemRange("cartilage", 0, 4),  # normal / <25 % / up to 50 % / >50 % / complete loss
    ItemRange("bone", 0, 2),  # normal / mild irregularity / deranged bone
)
JOINT_MAX = sum(item.high for item in ITEMS)


def parse_joint(field_path: str, data: object) -> dict[str, int]:
    """One joint's HEAD-US items (synovitis 0-2, cartilage 0-4, bone 0-2).

    >>> parse_joint("left_knee", {"synovitis": 2, "cartilage": 4, "bone": 2})
    {'synovitis': 2, 'cartilage': 4, 'bone': 2}
    >>> parse_joint("left_ankle", {"synovitis": 1, "cartilage": 5, "bone": 3})
    Traceback (most recent call last):
    ...
    hemojoint.domain.errors.InvalidInputError: left_ankle.cartilage: 5 is outside 0-4; \
left_ankle.bone: 3 is outside 0-2
    """
    return parse_items(field_path, data, ITEMS)


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

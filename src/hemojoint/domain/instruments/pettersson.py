"""Pettersson radiographic score of hemophilic arthropathy (higher is worse).

Reference: Pettersson H, Ahlberg A, Nilsson IM. A radiologic classification of
hemophilic arthropathy. Clin Orthop Relat Res 1980;(149):153-159. Items and
ranges as in hemojoint REFERENCE.md section 3.

Eight findings per joint, joint 0-13; the six index joints give 0-78. Any subset
of the six joints may be scored (an X-ray is often taken of one joint only); the
total is then over the joints given, which the result lists.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any

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

INFO = InstrumentInfo(
    code="pettersson",
    name="Pettersson score (radiographic)",
    version="1980",
    status=Status.VERIFIED,
    source="Pettersson H, Ahlberg A, Nilsson IM. Clin Orthop Relat Res 1980;(149):153-159",
)


class PetterssonItem(StrEnum):
    OSTEOPOROSIS = "osteoporosis"
    ENLARGED_EPIPHYSIS = "enlarged_epiphysis"
    IRREGULAR_SUBCHONDRAL_SURFACE = "irregular_subchondral_surface"
    JOINT_SPACE_NARROWING = "joint_space_narrowing"
    SUBCHONDRAL_CYSTS = "subchondral_cysts"
    MARGINAL_EROSIONS = "marginal_erosions"
    INCONGRUENCE = "incongruence"
    DEFORMITY = "deformity"


# Highest score of each item (all start at 0); they add up to the joint maximum 13.
ITEM_MAXIMA: Mapping[PetterssonItem, int] = MappingProxyType(
    {
        PetterssonItem.OSTEOPOROSIS: 1,
        PetterssonItem.ENLARGED_EPIPHYSIS: 1,
        PetterssonItem.IRREGULAR_SUBCHONDRAL_SURFACE: 2,
        PetterssonItem.JOINT_SPACE_NARROWING: 2,
        PetterssonItem.SUBCHONDRAL_CYSTS: 2,
        PetterssonItem.MARGINAL_EROSIONS: 1,
        PetterssonItem.INCONGRUENCE: 2,
        PetterssonItem.DEFORMITY: 2,
    }
)
JOINT_MAX = sum(ITEM_MAXIMA.values())


@dataclass(frozen=True)
class PetterssonResult:
    """Item scores per joint scored; totals are derived from them."""

    items: Mapping[IndexJoint, Mapping[PetterssonItem, int]]

    @property
    def joint_totals(self) -> dict[IndexJoint, int]:
        return {joint: sum(scores.values()) for joint, scores in self.items.items()}

    @property
    def total(self) -> int:
        return sum(self.joint_totals.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            **provenance(INFO),
            "total": self.total,
            "joint_totals": {joint.value: value for joint, value in self.joint_totals.items()},
            "joints_scored": [joint.value for joint in self.items],
            "items": {
                joint.value: {item.value: value for item, value in scores.items()}
                for joint, scores in self.items.items()
            },
        }


def score_mapping(data: Mapping[str, Any]) -> PetterssonResult:
    """Score ``{"joints": {"left_knee": {"osteoporosis": 1, ...}, ...}}``.

    Each given joint needs all eight items: osteoporosis 0-1, enlarged_epiphysis
    0-1, irregular_subchondral_surface 0-2, joint_space_narrowing 0-2,
    subchondral_cysts 0-2, marginal_erosions 0-1, incongruence 0-2, deformity
    0-2. Joint total 0-13; total over the six index joints 0-78. Every invalid
    item is reported at once.

    >>> knee = {item.value: 0 for item in PetterssonItem} | {"osteoporosis": 1, "deformity": 2}
    >>> result = score_mapping({"joints": {"left_knee": knee}})
    >>> result.total, result.as_dict()["joints_scored"]
    (3, ['left_knee'])
    """
    data = require_mapping("input", data)
    no_unknown_keys("", data, ["joints"])
    raw_joints = require_mapping("joints", require_key(data, "joints", "", "an object of joints"))
    if not raw_joints:
        allowed = ", ".join(joint.value for joint in IndexJoint)
        raise fail(FieldProblem.invalid("joints", {}, allowed, f"is empty; give any of {allowed}"))
    problems = ProblemCollector()
    items = {}
    for key, raw in raw_joints.items():
        joint = problems.check(enum_value, join_path("joints", str(key)), key, IndexJoint)
        if joint is None:
            continue
        scores = problems.check(_joint_items, joint.value, raw)
        if scores is not None:
            items[joint] = scores
    problems.raise_if_any()
    # Report joints in the form's order, whatever order the input used.
    ordered = {joint: MappingProxyType(items[joint]) for joint in IndexJoint if joint in items}
    return PetterssonResult(MappingProxyType(ordered))


def _joint_items(joint: str, raw: object) -> dict[PetterssonItem, int]:
    values = require_mapping(joint, raw)
    no_unknown_keys(joint, values, [item.value for item in PetterssonItem])
    problems = ProblemCollector()
    scores = {}
    for item in PetterssonItem:
        value = problems.check(_item_score, joint, values, item)
        if value is not None:
            scores[item] = value
    problems.raise_if_any()
    return scores


def _item_score(joint: str, values: Mapping[str, Any], item: PetterssonItem) -> int:
    high = ITEM_MAXIMA[item]
    value = require_key(values, item.value, joint, f"0-{high}")
    return int_in_range(join_path(joint, item.value), value, 0, high)


SCORER = Scorer(INFO, score_mapping)

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
from hemojoint.domain.instruments._shared import ItemRange, parse_graded_items, parse_joint_map
from hemojoint.domain.instruments.base import InstrumentInfo, Scorer, Status, provenance

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
_ITEM_RANGES = tuple(ItemRange(item.value, 0, ITEM_MAXIMA[item]) for item in PetterssonItem)


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
    items = parse_joint_map(data, _joint_items, empty_prompt="give")
    # MappingProxyType: a result's item scores cannot be changed after scoring.
    return PetterssonResult(
        MappingProxyType({joint: MappingProxyType(scores) for joint, scores in items.items()})
    )


def _joint_items(joint: str, raw: object) -> dict[PetterssonItem, int]:
    scores = parse_graded_items(joint, raw, _ITEM_RANGES)
    return {PetterssonItem(code): value for code, value in scores.items()}


SCORER = Scorer(INFO, score_mapping)

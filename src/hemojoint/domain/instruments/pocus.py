"""Point-of-care ultrasound findings per joint (ultrasound tier 1).

Bakeer N et al., global survey and consensus on musculoskeletal ultrasound in
haemophilia, Res Pract Thromb Haemost (RPTH) 2021; REFERENCE.md section 3
"Tiered ultrasound": tier 1 records, per joint, effusion/hemarthrosis yes/no and
synovial hypertrophy yes/no. There is no numeric total; the result counts joints.

A finding is ``True``, ``False`` or, only when projected from a tier that cannot
tell (HEAD-US has no effusion item), ``None`` for unknown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from hemojoint.domain.anatomy import IndexJoint
from hemojoint.domain.errors import FieldProblem
from hemojoint.domain.instruments._shared import (
    FieldRule,
    blank_incomplete,
    incomplete_joints,
    parse_fields,
    parse_joint_map,
    views_summary,
)
from hemojoint.domain.instruments.base import InstrumentInfo, Scorer, Status, provenance
from hemojoint.domain.validation import fail

INFO = InstrumentInfo(
    code="pocus",
    name="Point-of-care ultrasound findings (tier 1)",
    version="2021",
    status=Status.VERIFIED,
    source="Bakeer N et al. Res Pract Thromb Haemost 2021 (tiered ultrasound consensus)",
)

FINDINGS: tuple[str, ...] = ("effusion", "synovial_hypertrophy")


@dataclass(frozen=True)
class PocusFindings:
    """Tier-1 findings of one joint; ``None`` means unknown."""

    effusion: bool | None
    synovial_hypertrophy: bool | None

    def as_dict(self) -> dict[str, bool | None]:
        return {"effusion": self.effusion, "synovial_hypertrophy": self.synovial_hypertrophy}


def yes_no(field_path: str, value: object) -> bool:
    """Return ``value`` if it is ``true`` or ``false`` (1, 0 and "yes" are refused).

    >>> yes_no("left_knee.effusion", 1)
    Traceback (most recent call last):
    ...
    hemojoint.domain.errors.InvalidInputError: left_knee.effusion: 1 is not true or false
    """
    if not isinstance(value, bool):
        raise fail(FieldProblem.wrong_type(field_path, value, "true or false"))
    return value


def parse_joint(field_path: str, data: object) -> PocusFindings:
    """One joint's findings: ``{"effusion": bool, "synovial_hypertrophy": bool}``, both required.

    >>> parse_joint("left_knee", {"effusion": True, "synovial_hypertrophy": False})
    PocusFindings(effusion=True, synovial_hypertrophy=False)
    """
    rules = dict.fromkeys(FINDINGS, FieldRule("true or false", yes_no))
    return PocusFindings(**parse_fields(field_path, data, rules))


def from_head_us(items: Mapping[str, int]) -> PocusFindings:
    """Project HEAD-US items to tier 1.

    Rule: synovial hypertrophy = synovitis >= 1 (HEAD-US synovitis 0 is "absent or
    minimal"); effusion is unknown because HEAD-US has no effusion item
    (REFERENCE.md "HEAD-US" lists only synovitis, cartilage and bone).

    >>> from_head_us({"synovitis": 1, "cartilage": 0, "bone": 0})
    PocusFindings(effusion=None, synovial_hypertrophy=True)
    """
    return PocusFindings(effusion=None, synovial_hypertrophy=items["synovitis"] >= 1)


def finding_changes(before: PocusFindings, after: PocusFindings) -> dict[str, str | None]:
    """Per finding: ``new``, ``resolved``, ``unchanged``, or ``None`` when either is unknown.

    >>> finding_changes(PocusFindings(True, None), PocusFindings(False, True))
    {'effusion': 'resolved', 'synovial_hypertrophy': None}
    """
    old, new = before.as_dict(), after.as_dict()
    return {finding: _change(old[finding], new[finding]) for finding in FINDINGS}


def _change(before: bool | None, after: bool | None) -> str | None:
    if before is None or after is None:
        return None
    if before == after:
        return "unchanged"
    return "new" if after else "resolved"


@dataclass(frozen=True)
class PocusResult:
    """Findings per joint (``None`` for a joint missing required views) and counts."""

    joints: Mapping[IndexJoint, PocusFindings | None]
    missing_views: Mapping[IndexJoint, tuple[str, ...]] = field(default_factory=dict)
    views_recorded: bool = False

    def count(self, finding: str, value: bool | None) -> int:
        """Joints whose ``finding`` equals ``value`` (an incomplete joint counts as unknown)."""
        return sum(
            1
            for findings in self.joints.values()
            if (None if findings is None else findings.as_dict()[finding]) is value
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            **provenance(INFO),
            "joints": {
                joint.value: None if findings is None else findings.as_dict()
                for joint, findings in self.joints.items()
            },
            "joints_examined": [joint.value for joint in self.joints],
            "counts": {finding: self.count(finding, True) for finding in FINDINGS},
            "unknown": {finding: self.count(finding, None) for finding in FINDINGS},
            **views_summary(self.missing_views, self.views_recorded),
        }


def score(
    joints: Mapping[IndexJoint, PocusFindings],
    missing_views: Mapping[IndexJoint, Sequence[str]] | None = None,
) -> PocusResult:
    """Count joints with each finding; ``missing_views=None`` means views were not recorded.

    >>> result = score({IndexJoint.LEFT_KNEE: PocusFindings(True, True),
    ...                 IndexJoint.RIGHT_KNEE: PocusFindings(False, True)})
    >>> result.as_dict()["counts"]
    {'effusion': 1, 'synovial_hypertrophy': 2}
    """
    missing = incomplete_joints(missing_views)
    shown = blank_incomplete(joints, missing)
    return PocusResult(shown, missing, views_recorded=missing_views is not None)


def score_mapping(data: Mapping[str, Any]) -> PocusResult:
    """Score ``{"joints": {"left_knee": {"effusion": true, "synovial_hypertrophy": false}}}``."""
    return score(parse_joint_map(data, parse_joint))


SCORER = Scorer(INFO, score_mapping)

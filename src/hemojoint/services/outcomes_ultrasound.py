"""Ultrasound totals of a cohort compared at each patient's highest common tier (issue 6).

A patient examined with HEAD-US (tier 2) at one timepoint and HEAD-US-C (tier 3)
at the other is compared at HEAD-US: the HEAD-US-C joints are projected down by
the definition's ``head_us_projection`` (the domain's tier-3 -> tier-2 rule, the
one :func:`hemojoint.domain.ultrasound.project` applies), and both exams are then
summed with the HEAD-US scorer. The tier is
:func:`hemojoint.domain.ultrasound.highest_common_tier`.

Like :func:`hemojoint.domain.ultrasound.compare`, only joints examined at both
timepoints count, so the two totals always cover the same joints. A pair is
excluded only when it truly cannot be compared:

- ``ultrasound_no_common_joints``: no joint was examined at both timepoints;
- ``ultrasound_not_projectable``: a stored exam no longer fits the current
  HEAD-US-C definition (a centre replaced it), so it cannot be projected.

With several ultrasound exams at one timepoint the highest tier counts, since it
can always be projected down to meet the other timepoint.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hemojoint.definitions import load_definition
from hemojoint.domain.anatomy import IndexJoint
from hemojoint.domain.errors import InvalidInputError
from hemojoint.domain.instruments import head_us
from hemojoint.domain.instruments._shared import parse_joint_map
from hemojoint.domain.instruments.head_us_c import HeadUsCDefinition
from hemojoint.domain.ultrasound import highest_common_tier
from hemojoint.domain.ultrasound_protocol import Tier
from hemojoint.persistence.models import AssessmentRecord

TIER_OF = {"head_us": Tier.HEAD_US, "head_us_c": Tier.HEAD_US_C}
# Highest tier first: the exam that can meet any other one.
ULTRASOUND_CODES = ("head_us_c", "head_us")
NO_COMMON_JOINTS = "ultrasound_no_common_joints"
NOT_PROJECTABLE = "ultrasound_not_projectable"


def load_head_us_c(definitions_dir: Path | None = None) -> HeadUsCDefinition:
    """The HEAD-US-C definition in force (a centre's copy in ``definitions_dir`` wins)."""
    return HeadUsCDefinition.from_mapping(load_definition("head_us_c", definitions_dir))


@dataclass(frozen=True)
class UltrasoundComparison:
    """One patient's ultrasound totals at the tier both exams support (or why not)."""

    baseline_instrument: str | None
    follow_up_instrument: str | None
    tier: Tier | None = None
    joints: tuple[IndexJoint, ...] = ()
    baseline: float | None = None
    follow_up: float | None = None
    excluded: str | None = None

    def as_dict(self, patient: str) -> dict[str, Any]:
        return {
            "patient": patient,
            "baseline_instrument": self.baseline_instrument,
            "follow_up_instrument": self.follow_up_instrument,
            "tier": None if self.tier is None else self.tier.value,
            "joints": [joint.value for joint in self.joints],
            "excluded": self.excluded,
        }


def highest_exam(assessments: Mapping[str, AssessmentRecord]) -> AssessmentRecord | None:
    return next((assessments[code] for code in ULTRASOUND_CODES if code in assessments), None)


def compare_exams(
    before: AssessmentRecord | None,
    after: AssessmentRecord | None,
    definition: HeadUsCDefinition,
) -> UltrasoundComparison:
    codes = UltrasoundComparison(_code(before), _code(after))
    if before is None or after is None:
        # One timepoint only: its own total, so the analysis names what is missing.
        return UltrasoundComparison(
            codes.baseline_instrument,
            codes.follow_up_instrument,
            baseline=None if before is None else before.total,
            follow_up=None if after is None else after.total,
        )
    tier = highest_common_tier(TIER_OF[before.instrument_code], TIER_OF[after.instrument_code])
    try:
        old = joint_totals_at(before, tier, definition)
        new = joint_totals_at(after, tier, definition)
    except InvalidInputError:
        return UltrasoundComparison(*_pair_codes(codes), tier=tier, excluded=NOT_PROJECTABLE)
    common = tuple(joint for joint in IndexJoint if joint in old and joint in new)
    if not common:
        return UltrasoundComparison(*_pair_codes(codes), tier=tier, excluded=NO_COMMON_JOINTS)
    return UltrasoundComparison(
        *_pair_codes(codes),
        tier=tier,
        joints=common,
        baseline=float(sum(old[joint] for joint in common)),
        follow_up=float(sum(new[joint] for joint in common)),
    )


def joint_totals_at(
    record: AssessmentRecord, tier: Tier, definition: HeadUsCDefinition
) -> dict[IndexJoint, int]:
    """Each scored joint's total with the exam projected to ``tier`` (its own or lower)."""
    own = TIER_OF[record.instrument_code]
    parse = head_us.parse_joint if own is Tier.HEAD_US else definition.parse_joint
    joints = parse_joint_map(record.raw, parse)
    if own is Tier.HEAD_US_C and tier is Tier.HEAD_US:
        joints = {joint: definition.to_head_us(items) for joint, items in joints.items()}
    scored = head_us.score(joints) if tier is Tier.HEAD_US else definition.score(joints)
    return {joint: total for joint, total in scored.joint_totals.items() if total is not None}


def tier_summary(
    comparisons: Sequence[tuple[str, UltrasoundComparison]], excluded: set[str]
) -> dict[str, Any]:
    """The tier the outcome was compared at and each patient's tier, for the JSON report."""
    compared = [
        item.tier.value
        for patient, item in comparisons
        if item.tier is not None and patient not in excluded
    ]
    counts = dict(Counter(compared))
    single = next(iter(counts)) if len(counts) == 1 else ("mixed" if counts else None)
    return {
        "comparison_tier": single,
        "comparison_tier_counts": counts,
        "comparisons": [
            item.as_dict(patient)
            for patient, item in comparisons
            if item.baseline_instrument or item.follow_up_instrument
        ],
    }


def _code(record: AssessmentRecord | None) -> str | None:
    return None if record is None else record.instrument_code


def _pair_codes(codes: UltrasoundComparison) -> tuple[str | None, str | None]:
    return codes.baseline_instrument, codes.follow_up_instrument

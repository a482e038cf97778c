"""Ultrasound measurements per joint in millimetres (ultrasound tier 4).

Bakeer N et al., Res Pract Thromb Haemost (RPTH) 2021, tiered ultrasound consensus;
REFERENCE.md section 3 "Tiered ultrasound": tier 4 records measurements in mm to
0.1 (synovial/capsular distension, cartilage thickness, osteochondral change length),
JADE-like, with no summed total. Each measurement is >= 0 with at most one decimal.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal
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
    code="us_measurements",
    name="Ultrasound measurements in mm (tier 4)",
    version="2021",
    status=Status.VERIFIED,
    source="Bakeer N et al. Res Pract Thromb Haemost 2021 (tiered ultrasound consensus)",
)

MM_ALLOWED = "a number of mm >= 0 with at most one decimal"


@dataclass(frozen=True)
class Measurements:
    """One joint's tier-4 measurements, each in mm to 0.1."""

    synovial_distension_mm: float
    cartilage_thickness_mm: float
    osteochondral_change_mm: float

    def as_dict(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in MEASUREMENTS}


MEASUREMENTS: tuple[str, ...] = tuple(item.name for item in fields(Measurements))


def millimetres(field_path: str, value: object) -> float:
    """Return ``value`` in mm if it is a finite number >= 0 with at most one decimal.

    >>> millimetres("left_knee.cartilage_thickness_mm", 1.2)
    1.2
    >>> millimetres("left_knee.cartilage_thickness_mm", 1.25)
    Traceback (most recent call last):
    ...
    hemojoint.domain.errors.InvalidInputError: left_knee.cartilage_thickness_mm: 1.25 has more \
than one decimal place; measurements are in mm to 0.1
    """
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise fail(FieldProblem.wrong_type(field_path, value, MM_ALLOWED))
    if value < 0:
        raise fail(
            FieldProblem.invalid(field_path, value, MM_ALLOWED, "is negative; mm must be >= 0")
        )
    exponent = Decimal(repr(value)).as_tuple().exponent
    if isinstance(exponent, int) and exponent < -1:
        why = "has more than one decimal place; measurements are in mm to 0.1"
        raise fail(FieldProblem.invalid(field_path, value, MM_ALLOWED, why))
    return float(value)


def parse_joint(field_path: str, data: object) -> Measurements:
    """One joint's three measurements, all required (0.0 when nothing is measurable).

    >>> parse_joint("left_knee", {"synovial_distension_mm": 4.5,
    ...     "cartilage_thickness_mm": 2, "osteochondral_change_mm": 0.0}).as_dict()
    {'synovial_distension_mm': 4.5, 'cartilage_thickness_mm': 2.0, 'osteochondral_change_mm': 0.0}
    """
    rules = dict.fromkeys(MEASUREMENTS, FieldRule(MM_ALLOWED, millimetres))
    return Measurements(**parse_fields(field_path, data, rules))


def change_mm(before: Measurements, after: Measurements) -> dict[str, float]:
    """Per measurement, after minus before in mm, rounded to 0.1 (binary floats drift).

    >>> change_mm(Measurements(4.5, 2.0, 0.0), Measurements(1.2, 2.1, 0.0))
    {'synovial_distension_mm': -3.3, 'cartilage_thickness_mm': 0.1, 'osteochondral_change_mm': 0.0}
    """
    old, new = before.as_dict(), after.as_dict()
    return {name: round(new[name] - old[name], 1) for name in MEASUREMENTS}


@dataclass(frozen=True)
class MeasurementResult:
    """Measurements per joint (``None`` for a joint missing required views); no total."""

    joints: Mapping[IndexJoint, Measurements | None]
    missing_views: Mapping[IndexJoint, tuple[str, ...]] = field(default_factory=dict)
    views_recorded: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            **provenance(INFO),
            "joints": {
                joint.value: None if values is None else values.as_dict()
                for joint, values in self.joints.items()
            },
            "joints_measured": [
                joint.value for joint, values in self.joints.items() if values is not None
            ],
            **views_summary(self.missing_views, self.views_recorded),
        }


def score(
    joints: Mapping[IndexJoint, Measurements],
    missing_views: Mapping[IndexJoint, Sequence[str]] | None = None,
) -> MeasurementResult:
    """Collect measurements per joint; deliberately no summed total (tier 4 is JADE-like).

    >>> score({IndexJoint.LEFT_ANKLE: Measurements(1.0, 0.9, 0.0)}).as_dict()["joints_measured"]
    ['left_ankle']
    """
    missing = incomplete_joints(missing_views)
    shown = blank_incomplete(joints, missing)
    return MeasurementResult(shown, missing, views_recorded=missing_views is not None)


def score_mapping(data: Mapping[str, Any]) -> MeasurementResult:
    """Score ``{"joints": {"left_knee": {"synovial_distension_mm": 4.5, ...}}}``."""
    return score(parse_joint_map(data, parse_joint))


SCORER = Scorer(INFO, score_mapping)

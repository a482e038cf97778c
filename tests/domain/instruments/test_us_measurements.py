"""Ultrasound measurements (tier 4).

Expected values come from REFERENCE.md section 3 "Tiered ultrasound": measurements
in mm to 0.1 (synovial/capsular distension, cartilage thickness, osteochondral
change length), JADE-like, no summed total. Millimetres cannot be negative.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hemojoint.domain.errors import InvalidInputError
from hemojoint.domain.instruments.us_measurements import (
    SCORER,
    Measurements,
    change_mm,
    millimetres,
    score_mapping,
)

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "score"
FIELD = "left_knee.cartilage_thickness_mm"


def measured(**values: Any) -> dict[str, Any]:
    zero = {"synovial_distension_mm": 0, "cartilage_thickness_mm": 0, "osteochondral_change_mm": 0}
    return zero | values


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, 0.0), (0.0, 0.0), (0.1, 0.1), (2, 2.0), (2.3, 2.3), (12.0, 12.0)],
    ids=["zero-int", "zero-float", "just-above-zero", "whole-mm", "one-decimal", "trailing-zero"],
)
def test_mm_to_one_decimal_at_or_above_zero_is_accepted(value: float, expected: float) -> None:
    assert millimetres(FIELD, value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-0.1, r"-0\.1 is negative; mm must be >= 0$"),
        (-1, r"-1 is negative; mm must be >= 0$"),
        (0.05, r"0\.05 has more than one decimal place; measurements are in mm to 0\.1$"),
        (2.25, r"2\.25 has more than one decimal place; measurements are in mm to 0\.1$"),
        (True, r"True is not a number of mm >= 0 with at most one decimal$"),
        ("2.3", r"'2\.3' is not a number of mm >= 0 with at most one decimal$"),
        (float("nan"), r"nan is not a number of mm >= 0 with at most one decimal$"),
    ],
    ids=[
        "just-below-zero",
        "negative",
        "two-decimals-small",
        "two-decimals",
        "bool",
        "text",
        "nan",
    ],
)
def test_negative_or_too_precise_mm_is_refused(value: Any, message: str) -> None:
    with pytest.raises(InvalidInputError, match=rf"^left_knee\.cartilage_thickness_mm: {message}"):
        score_mapping({"joints": {"left_knee": measured(cartilage_thickness_mm=value)}})


def test_every_measurement_is_required_and_all_problems_reported() -> None:
    data = {"joints": {"left_knee": {"synovial_distension_mm": -2, "cartilage_thickness_mm": 1.25}}}
    with pytest.raises(InvalidInputError) as caught:
        score_mapping(data)
    assert [problem.field for problem in caught.value.problems] == [
        "left_knee.synovial_distension_mm",
        "left_knee.cartilage_thickness_mm",
        "left_knee.osteochondral_change_mm",
    ]


def test_result_lists_measurements_without_a_total() -> None:
    data = {
        "joints": {"left_ankle": measured(synovial_distension_mm=4.5, osteochondral_change_mm=3.2)}
    }
    out = score_mapping(data).as_dict()
    assert out["joints"] == {
        "left_ankle": {
            "synovial_distension_mm": 4.5,
            "cartilage_thickness_mm": 0.0,
            "osteochondral_change_mm": 3.2,
        }
    }
    assert out["joints_measured"] == ["left_ankle"]
    assert "total" not in out
    assert out["views_recorded"] is False


def test_change_is_after_minus_before_to_one_decimal() -> None:
    # Hand arithmetic: 1.2 - 4.5 = -3.3; 2.1 - 2.0 = 0.1; 0.3 - 0.0 = 0.3 (floats would drift).
    before = Measurements(4.5, 2.0, 0.0)
    after = Measurements(1.2, 2.1, 0.3)
    assert change_mm(before, after) == {
        "synovial_distension_mm": -3.3,
        "cartilage_thickness_mm": 0.1,
        "osteochondral_change_mm": 0.3,
    }


def test_example_file_scores() -> None:
    data = json.loads((EXAMPLES / "us_measurements.json").read_text(encoding="utf-8"))
    assert SCORER.score_mapping(data).as_dict()["joints_measured"] == ["left_knee", "left_ankle"]

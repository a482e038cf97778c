"""FISH (Functional Independence Score in Hemophilia).

Expected values come from REFERENCE.md section 3 (eight activities, each 1-4,
total 8-32) and from hand sums shown in the comments.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hemojoint.domain.errors import InvalidInputError
from hemojoint.domain.instruments.fish import SCORER, score_mapping

ACTIVITIES = [
    "eating_grooming",
    "bathing",
    "dressing",
    "chair_transfer",
    "squatting",
    "walking",
    "step_climbing",
    "running",
]
EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "score"


def grades(value: int = 4, **overrides: Any) -> dict[str, Any]:
    return {"activities": dict.fromkeys(ACTIVITIES, value) | overrides}


def test_there_are_eight_activities() -> None:
    assert len(score_mapping(grades()).activities) == 8


@pytest.mark.parametrize(
    ("activity", "value"),
    [(activity, value) for activity in ACTIVITIES for value in (1, 4)],
    ids=[f"{activity}-at-{value}" for activity in ACTIVITIES for value in (1, 4)],
)
def test_grade_range_ends_are_accepted(activity: str, value: int) -> None:
    # The other seven are 2: total = 14 + value.
    assert score_mapping(grades(2, **{activity: value})).total == 14 + value


@pytest.mark.parametrize(
    ("activity", "value"),
    [(activity, value) for activity in ACTIVITIES for value in (0, 5)],
    ids=[f"{activity}-at-{value}" for activity in ACTIVITIES for value in (0, 5)],
)
def test_grade_outside_range_is_refused(activity: str, value: int) -> None:
    with pytest.raises(
        InvalidInputError, match=rf"^activities\.{activity}: {value} is outside 1-4$"
    ):
        score_mapping(grades(**{activity: value}))


def test_maximum_is_32() -> None:
    assert score_mapping(grades(4)).total == 32


def test_minimum_is_8() -> None:
    assert score_mapping(grades(1)).total == 8


def test_hand_example() -> None:
    # The shipped example (examples/score/fish.json): 4 + 4 + 4 + 4 + 2 + 4 + 3 + 3 = 28.
    data = json.loads((EXAMPLES / "fish.json").read_text(encoding="utf-8"))
    result = SCORER.score_mapping(data).as_dict()
    assert result["total"] == 28
    assert result["activities"]["squatting"] == 2
    assert result["instrument"] == "fish"
    assert result["status"] == "verified"


def test_missing_activity_is_refused() -> None:
    data = grades()
    del data["activities"]["running"]
    with pytest.raises(InvalidInputError, match=r"^activities\.running: is missing; expected 1-4$"):
        score_mapping(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (grades(swimming=4), r"^activities\.swimming: 'swimming' is not one of eating_grooming"),
        ({}, r"^activities: is missing"),
        ({"activities": [4] * 8}, r"^activities: \[4, 4, 4, 4, 4, 4, 4, 4\] is not an object"),
        (grades() | {"total": 32}, r"^total: 'total' is not one of activities"),
        (grades(walking=None), r"^activities\.walking: null is outside 1-4"),
    ],
    ids=["unknown-activity", "no-activities", "not-object", "unknown-key", "null-grade"],
)
def test_shape_errors(data: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        score_mapping(data)


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(InvalidInputError) as caught:
        score_mapping(grades(bathing=0, running=7))
    fields = [problem.field for problem in caught.value.problems]
    assert fields == ["activities.bathing", "activities.running"]


def test_result_is_frozen() -> None:
    result = score_mapping(grades())
    with pytest.raises(AttributeError):
        result.activities = {}  # type: ignore[misc]
    with pytest.raises(TypeError):
        result.activities[next(iter(result.activities))] = 1  # type: ignore[index]

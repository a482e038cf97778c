"""Pettersson X-ray score.

Expected values come from the item ranges in REFERENCE.md section 3 (restated
below, not read from the module) and from hand sums shown in the comments.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hemojoint.domain.errors import InvalidInputError
from hemojoint.domain.instruments.pettersson import SCORER, score_mapping

# REFERENCE.md section 3: item -> highest score (all items start at 0).
REFERENCE_MAXIMA = {
    "osteoporosis": 1,
    "enlarged_epiphysis": 1,
    "irregular_subchondral_surface": 2,
    "joint_space_narrowing": 2,
    "subchondral_cysts": 2,
    "marginal_erosions": 1,
    "incongruence": 2,
    "deformity": 2,
}
JOINTS = ["left_elbow", "right_elbow", "left_knee", "right_knee", "left_ankle", "right_ankle"]
EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "score"


def joint(**items: Any) -> dict[str, Any]:
    return dict.fromkeys(REFERENCE_MAXIMA, 0) | items


@pytest.mark.parametrize(
    ("item", "value"),
    [(item, value) for item, high in REFERENCE_MAXIMA.items() for value in (0, high)],
    ids=[f"{item}-at-{v}" for item, high in REFERENCE_MAXIMA.items() for v in (0, high)],
)
def test_item_range_ends_are_accepted(item: str, value: int) -> None:
    result = score_mapping({"joints": {"left_knee": joint(**{item: value})}})
    assert result.total == value


@pytest.mark.parametrize(
    ("item", "value"),
    [(item, value) for item, high in REFERENCE_MAXIMA.items() for value in (-1, high + 1)],
    ids=[f"{item}-at-{v}" for item, high in REFERENCE_MAXIMA.items() for v in (-1, high + 1)],
)
def test_item_outside_range_is_refused(item: str, value: int) -> None:
    high = REFERENCE_MAXIMA[item]
    with pytest.raises(
        InvalidInputError, match=rf"^left_ankle\.{item}: {value} is outside 0-{high}$"
    ):
        score_mapping({"joints": {"left_ankle": joint(**{item: value})}})


def test_joint_maximum_is_13_and_total_maximum_78() -> None:
    worst = joint(**REFERENCE_MAXIMA)
    result = score_mapping({"joints": dict.fromkeys(JOINTS, worst)}).as_dict()
    assert result["joint_totals"] == dict.fromkeys(JOINTS, 13)
    assert result["total"] == 78


def test_all_normal_scores_zero() -> None:
    result = score_mapping({"joints": {name: joint() for name in JOINTS}})
    assert result.total == 0


def test_hand_example_subset_of_joints() -> None:
    # The shipped example (examples/score/pettersson.json), by hand:
    #  left_knee   1 + 1 + 1 + 1 + 0 + 0 + 0 + 0 = 4
    #  right_ankle 1 + 0 + 2 + 1 + 1 + 1 + 0 + 1 = 7      total 11
    data = json.loads((EXAMPLES / "pettersson.json").read_text(encoding="utf-8"))
    result = SCORER.score_mapping(data).as_dict()
    assert result["total"] == 11
    assert result["joint_totals"] == {"left_knee": 4, "right_ankle": 7}
    assert result["joints_scored"] == ["left_knee", "right_ankle"]
    assert result["instrument"] == "pettersson"


def test_joints_are_reported_in_form_order() -> None:
    data = {"joints": {"right_ankle": joint(), "left_elbow": joint(deformity=1)}}
    assert score_mapping(data).as_dict()["joints_scored"] == ["left_elbow", "right_ankle"]


def test_missing_item_is_refused() -> None:
    items = joint()
    del items["incongruence"]
    with pytest.raises(
        InvalidInputError, match=r"^right_knee\.incongruence: is missing; expected 0-2$"
    ):
        score_mapping({"joints": {"right_knee": items}})


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"joints": {"left_hip": joint()}},
            r"^joints\.left_hip: 'left_hip' is not one of left_elbow",
        ),
        ({"joints": {"left_knee": joint(cysts=1)}}, r"^left_knee\.cysts: 'cysts' is not one of"),
        ({"joints": {}}, r"^joints: \{\} is empty; give any of left_elbow"),
        ({}, r"^joints: is missing"),
        ({"joints": {}, "gait": 1}, r"^gait: 'gait' is not one of joints"),
        (
            {"joints": {"left_knee": joint(deformity=None)}},
            r"^left_knee\.deformity: null is outside 0-2",
        ),
    ],
    ids=[
        "unknown-joint",
        "unknown-item",
        "no-joints",
        "joints-missing",
        "unknown-key",
        "null-item",
    ],
)
def test_shape_errors(data: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        score_mapping(data)


def test_every_problem_is_reported_at_once() -> None:
    data = {"joints": {"left_knee": joint(osteoporosis=2), "right_knee": joint(deformity=3)}}
    with pytest.raises(InvalidInputError) as caught:
        score_mapping(data)
    fields = [problem.field for problem in caught.value.problems]
    assert fields == ["left_knee.osteoporosis", "right_knee.deformity"]


def test_result_is_frozen() -> None:
    result = score_mapping({"joints": {"left_knee": joint()}})
    with pytest.raises(AttributeError):
        result.items = {}  # type: ignore[misc]
    with pytest.raises(TypeError):
        result.items[next(iter(result.items))] = {}  # type: ignore[index]

"""HEAD-US (Martinoli 2013).

Expected values come from REFERENCE.md section 3 "HEAD-US" (restated below, not
read from the module): synovitis 0-2, cartilage 0-4, bone 0-2, joint 0-8, total =
sum over the joints scored; and from hand sums in the comments.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hemojoint.domain.anatomy import IndexJoint
from hemojoint.domain.errors import InvalidInputError
from hemojoint.domain.instruments.head_us import SCORER, score, score_mapping

# REFERENCE.md "HEAD-US": item -> (lowest, highest).
REFERENCE_RANGES = {"synovitis": (0, 2), "cartilage": (0, 4), "bone": (0, 2)}
EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "score"


def joint(**items: Any) -> dict[str, Any]:
    return dict.fromkeys(REFERENCE_RANGES, 0) | items


IN_RANGE = [
    (item, value)
    for item, (low, high) in REFERENCE_RANGES.items()
    for value in sorted({low, low + 1, high - 1, high})
]
OUT_OF_RANGE = [
    (item, value) for item, (low, high) in REFERENCE_RANGES.items() for value in (low - 1, high + 1)
]


@pytest.mark.parametrize(("item", "value"), IN_RANGE, ids=[f"{i}-{v}" for i, v in IN_RANGE])
def test_item_values_at_and_inside_the_range_ends_are_accepted(item: str, value: int) -> None:
    result = score_mapping({"joints": {"left_knee": joint(**{item: value})}})
    assert result.joint_totals == {IndexJoint.LEFT_KNEE: value}


@pytest.mark.parametrize(("item", "value"), OUT_OF_RANGE, ids=[f"{i}-{v}" for i, v in OUT_OF_RANGE])
def test_item_values_just_outside_the_range_are_refused(item: str, value: int) -> None:
    low, high = REFERENCE_RANGES[item]
    with pytest.raises(
        InvalidInputError, match=rf"^left_ankle\.{item}: {value} is outside {low}-{high}$"
    ):
        score_mapping({"joints": {"left_ankle": joint(**{item: value})}})


def test_issue_example_cartilage_five_message() -> None:
    # Issue 2: "Field paths in errors like `left_ankle.cartilage: 5 is outside 0-4`".
    with pytest.raises(InvalidInputError, match=r"^left_ankle\.cartilage: 5 is outside 0-4$"):
        score_mapping({"joints": {"left_ankle": joint(cartilage=5)}})


def test_every_problem_is_reported_at_once() -> None:
    data = {
        "joints": {
            "left_ankle": {"synovitis": 3, "cartilage": 1},
            "right_knee": joint(bone="2"),
            "left_hip": joint(),
        }
    }
    with pytest.raises(InvalidInputError) as caught:
        score_mapping(data)
    messages = [problem.message for problem in caught.value.problems]
    assert messages == [
        "left_ankle.synovitis: 3 is outside 0-2",
        "left_ankle.bone: is missing; expected a whole number 0-2",
        "right_knee.bone: '2' is outside 0-2",
        "joints.left_hip: 'left_hip' is not one of left_elbow, right_elbow, left_knee, "
        "right_knee, left_ankle, right_ankle",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, r"^joints: is missing"),
        ({"joints": {}}, r"^joints: \{\} is empty"),
        ({"joints": []}, r"^joints: \[\] is not an object$"),
        ({"joints": {"left_knee": joint()}, "gait": 0}, r"^gait: 'gait' is not one of joints$"),
        (
            {"joints": {"left_knee": joint(doppler=1)}},
            r"^left_knee\.doppler: 'doppler' is not one of",
        ),
        (
            {"joints": {"left_knee": joint(synovitis=True)}},
            r"^left_knee\.synovitis: True is outside 0-2$",
        ),
    ],
    ids=[
        "no-joints",
        "empty-joints",
        "joints-not-object",
        "unknown-top-key",
        "unknown-item",
        "boolean",
    ],
)
def test_malformed_input_is_refused_with_the_field_named(
    data: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidInputError, match=message):
        score_mapping(data)


def test_joint_and_total_are_sums_over_the_joints_scored() -> None:
    # Issue 2 example joint: 1 + 2 + 1 = 4; worst joint 2 + 4 + 2 = 8 (REFERENCE.md joint 0-8).
    data = {
        "joints": {
            "left_ankle": {"synovitis": 1, "cartilage": 2, "bone": 1},
            "right_knee": {"synovitis": 2, "cartilage": 4, "bone": 2},
        }
    }
    out = score_mapping(data).as_dict()
    assert out["joint_totals"] == {"right_knee": 8, "left_ankle": 4}  # HJHS form order
    assert out["total"] == 12
    assert out["joints_scored"] == ["right_knee", "left_ankle"]
    assert out["max_possible"] == 16  # 8 per joint scored


def test_six_worst_joints_reach_48() -> None:
    # REFERENCE.md: six joints 0-48.
    worst = {code.value: {"synovitis": 2, "cartilage": 4, "bone": 2} for code in IndexJoint}
    result = score_mapping({"joints": worst})
    assert (result.total, result.max_possible) == (48, 48)


def test_item_values_alone_say_views_were_not_recorded() -> None:
    out = score_mapping({"joints": {"left_knee": joint()}}).as_dict()
    assert out["views_recorded"] is False
    assert out["incomplete_joints"] == {}
    assert (out["instrument"], out["status"]) == ("head_us", "verified")


def test_a_joint_missing_views_has_no_total_and_neither_has_the_exam() -> None:
    # Issue 2: an exam missing a required view is incomplete, not scored as normal.
    joints = {IndexJoint.LEFT_KNEE: joint(synovitis=1), IndexJoint.RIGHT_KNEE: joint(cartilage=2)}
    result = score(joints, {IndexJoint.RIGHT_KNEE: ["knee_femoral_trochlea"]})
    out = result.as_dict()
    assert out["joint_totals"] == {"left_knee": 1, "right_knee": None}
    assert out["total"] is None
    assert out["max_possible"] is None
    assert out["joints_scored"] == ["left_knee"]
    assert out["incomplete_joints"] == {"right_knee": ["knee_femoral_trochlea"]}
    assert out["views_recorded"] is True


def test_example_file_scores() -> None:
    data = json.loads((EXAMPLES / "head_us.json").read_text(encoding="utf-8"))
    assert SCORER.score_mapping(data).as_dict()["total"] is not None

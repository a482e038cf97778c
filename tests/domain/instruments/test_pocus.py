"""Point-of-care ultrasound findings (tier 1).

Expected values come from REFERENCE.md section 3 "Tiered ultrasound": per joint
effusion/hemarthrosis yes/no and synovial hypertrophy yes/no, no numeric total;
and for the HEAD-US projection from REFERENCE.md "HEAD-US" (synovitis 0 = absent or
minimal; no effusion item) with the rule synovial hypertrophy = synovitis >= 1.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hemojoint.domain.anatomy import IndexJoint
from hemojoint.domain.errors import InvalidInputError
from hemojoint.domain.instruments.pocus import (
    SCORER,
    PocusFindings,
    finding_changes,
    from_head_us,
    score,
    score_mapping,
)

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "score"


def test_counts_joints_with_each_finding_and_has_no_total() -> None:
    data = {
        "joints": {
            "left_knee": {"effusion": True, "synovial_hypertrophy": True},
            "right_knee": {"effusion": False, "synovial_hypertrophy": True},
            "left_ankle": {"effusion": False, "synovial_hypertrophy": False},
        }
    }
    out = score_mapping(data).as_dict()
    assert out["counts"] == {"effusion": 1, "synovial_hypertrophy": 2}
    assert out["unknown"] == {"effusion": 0, "synovial_hypertrophy": 0}
    assert out["joints_examined"] == ["left_knee", "right_knee", "left_ankle"]
    assert "total" not in out
    assert (out["instrument"], out["views_recorded"]) == ("pocus", False)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (1, r"^left_knee\.effusion: 1 is not true or false$"),
        ("yes", r"^left_knee\.effusion: 'yes' is not true or false$"),
        (None, r"^left_knee\.effusion: null is not true or false$"),
    ],
    ids=["one", "yes", "null"],
)
def test_findings_must_be_booleans(value: Any, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        score_mapping({"joints": {"left_knee": {"effusion": value, "synovial_hypertrophy": False}}})


def test_missing_and_unknown_findings_are_all_reported() -> None:
    data = {"joints": {"left_knee": {"blood": True}}}
    with pytest.raises(InvalidInputError) as caught:
        score_mapping(data)
    assert [problem.message for problem in caught.value.problems] == [
        "left_knee.blood: 'blood' is not one of effusion, synovial_hypertrophy",
        "left_knee.effusion: is missing; expected true or false",
        "left_knee.synovial_hypertrophy: is missing; expected true or false",
    ]


@pytest.mark.parametrize(
    ("synovitis", "hypertrophy"),
    [(0, False), (1, True), (2, True)],
    ids=["synovitis-0-below", "synovitis-1-at", "synovitis-2-above"],
)
def test_head_us_projection_cut_point_and_unknown_effusion(
    synovitis: int, hypertrophy: bool
) -> None:
    found = from_head_us({"synovitis": synovitis, "cartilage": 4, "bone": 2})
    assert found == PocusFindings(effusion=None, synovial_hypertrophy=hypertrophy)


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (True, True, "unchanged"),
        (False, False, "unchanged"),
        (False, True, "new"),
        (True, False, "resolved"),
        (None, True, None),
        (True, None, None),
    ],
    ids=["yes-yes", "no-no", "new", "resolved", "unknown-before", "unknown-after"],
)
def test_finding_changes(before: bool | None, after: bool | None, expected: str | None) -> None:
    changes = finding_changes(PocusFindings(before, False), PocusFindings(after, False))
    assert changes == {"effusion": expected, "synovial_hypertrophy": "unchanged"}


def test_incomplete_joint_has_no_findings_and_counts_as_unknown() -> None:
    joints = {
        IndexJoint.LEFT_KNEE: PocusFindings(False, False),
        IndexJoint.RIGHT_KNEE: PocusFindings(True, True),
    }
    out = score(joints, {IndexJoint.LEFT_KNEE: ("knee_suprapatellar_recess",)}).as_dict()
    assert out["joints"]["left_knee"] is None  # not "normal"
    assert out["counts"] == {"effusion": 1, "synovial_hypertrophy": 1}
    assert out["unknown"] == {"effusion": 1, "synovial_hypertrophy": 1}
    assert out["incomplete_joints"] == {"left_knee": ["knee_suprapatellar_recess"]}


def test_example_file_scores() -> None:
    data = json.loads((EXAMPLES / "pocus.json").read_text(encoding="utf-8"))
    assert SCORER.score_mapping(data).as_dict()["counts"]["effusion"] == 1

"""HJHS 2.1: item table, parsing, NE rule, totals, subscores and the item helpers.

Every expected value below comes from REFERENCE.md section 3, "HJHS 2.1" (item ranges,
joint total 0-20, total 0-124, the goniometry and manual-muscle-test rules, the NE rule
and the subscores), worked by hand, never from running the code.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hemojoint.domain.anatomy import IndexJoint
from hemojoint.domain.errors import InvalidInputError
from hemojoint.domain.instruments import hjhs
from hemojoint.domain.instruments.base import Status
from hemojoint.domain.instruments.hjhs import (
    INFO,
    SCORER,
    HjhsItem,
    NotEvaluable,
    parse_input,
    score,
)
from hemojoint.domain.instruments.hjhs_items import (
    loss_vs_age_norm_score,
    loss_vs_other_side_score,
    motion_loss_from_goniometry,
    motion_loss_score,
    strength_from_mmt,
)

EXAMPLE_FILE = Path(__file__).resolve().parents[3] / "examples" / "score" / "hjhs.json"

# REFERENCE.md section 3: item ranges (all start at 0).
REFERENCE_ITEM_MAX = {
    "swelling": 3,
    "swelling_duration": 1,
    "muscle_atrophy": 2,
    "crepitus": 2,
    "flexion_loss": 3,
    "extension_loss": 3,
    "joint_pain": 2,
    "strength": 4,
}
JOINTS = [
    "left_elbow",
    "right_elbow",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
]


def healthy_joint(**overrides: Any) -> dict[str, Any]:
    return {**dict.fromkeys(REFERENCE_ITEM_MAX, 0), **overrides}


def make_input(gait: Any = 0, **joints: Any) -> dict[str, Any]:
    """A full HJHS input, every item 0 unless a joint is given."""
    return {"joints": {name: joints.get(name, healthy_joint()) for name in JOINTS}, "gait": gait}


# Hand-worked example (REFERENCE.md section 3 sums):
#   left_elbow  0+0+0+0+0+1+0+0 = 1   (extension_loss 1)
#   right_elbow all 0           = 0
#   left_knee   2+1+1+1+2+1+1+2 = 11
#   right_knee  1+0+0+0+1+0+0+1 = 3
#   left_ankle  0+0+1+0+0+0+0+0 = 1   (muscle_atrophy 1)
#   right_ankle 3+1+2+2+3+3+2+4 = 20  (every item at its maximum)
#   gait 2;  total = 1+0+11+3+1+20+2 = 38
# Subscores over the six joints:
#   swelling (swelling+duration)   = 3 (LK) + 1 (RK) + 4 (RA)             = 8
#   muscle (atrophy+strength)      = 3 (LK) + 1 (RK) + 1 (LA) + 6 (RA)    = 11
#   motion (flexion+extension)     = 1 (LE) + 3 (LK) + 1 (RK) + 6 (RA)    = 11
#   crepitus = 1 (LK) + 2 (RA) = 3;  pain = 1 (LK) + 2 (RA) = 3;  gait = 2
#   8 + 11 + 11 + 3 + 3 + 2 = 38, the total again.
HAND_JOINTS: dict[str, dict[str, Any]] = {
    "left_elbow": healthy_joint(extension_loss=1),
    "left_knee": {
        "swelling": 2,
        "swelling_duration": 1,
        "muscle_atrophy": 1,
        "crepitus": 1,
        "flexion_loss": 2,
        "extension_loss": 1,
        "joint_pain": 1,
        "strength": 2,
    },
    "right_knee": healthy_joint(swelling=1, flexion_loss=1, strength=1),
    "left_ankle": healthy_joint(muscle_atrophy=1),
    "right_ankle": dict(REFERENCE_ITEM_MAX),
}
HAND_JOINT_TOTALS = {
    "left_elbow": 1,
    "right_elbow": 0,
    "left_knee": 11,
    "right_knee": 3,
    "left_ankle": 1,
    "right_ankle": 20,
}
HAND_SUBSCORES = {"swelling": 8, "muscle": 11, "motion": 11, "crepitus": 3, "pain": 3, "gait": 2}


def hand_input(**item_overrides: Any) -> dict[str, Any]:
    """The hand-worked example; ``left_knee__flexion_loss="NE"`` replaces one item."""
    joints = {name: dict(items) for name, items in HAND_JOINTS.items()}
    gait = item_overrides.pop("gait", 2)
    for key, value in item_overrides.items():
        joint, item = key.split("__")
        joints[joint][item] = value
    return make_input(gait, **joints)


# --- the instrument table -------------------------------------------------------------


def test_info_identifies_hjhs_2_1_as_verified() -> None:
    assert (INFO.code, INFO.version, INFO.status) == ("hjhs", "2.1", Status.VERIFIED)
    assert SCORER.info is INFO


def test_item_table_matches_reference_ranges() -> None:
    assert {item.value: high for item, high in hjhs.ITEM_MAX.items()} == REFERENCE_ITEM_MAX
    assert [joint.value for joint in IndexJoint] == JOINTS


def test_maxima_match_reference() -> None:
    # REFERENCE.md: joint total 0-20, gait 0-4, total 0-124.
    assert (hjhs.JOINT_TOTAL_MAX, hjhs.GAIT_MAX, hjhs.TOTAL_MAX) == (20, 4, 124)


# --- goniometry: REFERENCE.md "Against the other side (loss L in whole degrees):
#     L < 5 -> 0; 5-10 -> 1; 11-20 -> 2; > 20 -> 3" -----------------------------------

OTHER_SIDE_TABLE = [
    (0, 0),
    (4, 0),
    (5, 1),
    (6, 1),
    (9, 1),
    (10, 1),
    (11, 2),
    (12, 2),
    (19, 2),
    (20, 2),
    (21, 3),
    (22, 3),
    (180, 3),
]


@pytest.mark.parametrize(
    ("loss_deg", "expected"), OTHER_SIDE_TABLE, ids=[f"L={row[0]}" for row in OTHER_SIDE_TABLE]
)
def test_loss_vs_other_side_cut_points(loss_deg: int, expected: int) -> None:
    assert loss_vs_other_side_score(loss_deg) == expected


# --- goniometry: REFERENCE.md "Against age norms (degrees outside the normal range D):
#     0 -> 0; 1-4 -> 1; 5-10 -> 2; > 10 -> 3" ----------------------------------------

AGE_NORM_TABLE = [
    (0, 0),
    (1, 1),
    (2, 1),
    (3, 1),
    (4, 1),
    (5, 2),
    (6, 2),
    (9, 2),
    (10, 2),
    (11, 3),
    (12, 3),
    (180, 3),
]


@pytest.mark.parametrize(
    ("deg_outside", "expected"), AGE_NORM_TABLE, ids=[f"D={row[0]}" for row in AGE_NORM_TABLE]
)
def test_loss_vs_age_norm_cut_points(deg_outside: int, expected: int) -> None:
    assert loss_vs_age_norm_score(deg_outside) == expected


# REFERENCE.md: "scored both ways and the worse kept".
WORSE_KEPT_TABLE = [
    (4, 0, 0, "both-0"),
    (5, 0, 1, "side-1-norm-0"),
    (4, 1, 1, "side-0-norm-1"),
    (10, 5, 2, "side-1-norm-2"),
    (21, 1, 3, "side-3-norm-1"),
    (11, 11, 3, "side-2-norm-3"),
    (20, 10, 2, "both-2"),
]


@pytest.mark.parametrize(
    ("loss_deg", "deg_outside", "expected"),
    [row[:3] for row in WORSE_KEPT_TABLE],
    ids=[row[3] for row in WORSE_KEPT_TABLE],
)
def test_motion_loss_keeps_the_worse(loss_deg: int, deg_outside: int, expected: int) -> None:
    assert motion_loss_score(loss_deg, deg_outside) == expected


# L = other side minus measured (if positive), D = shortfall below the normal low;
# each scored by the two REFERENCE.md rules above and the worse kept.
GONIOMETRY_TABLE = [
    (125, 140, (135, 150), 2, "L15-D10"),
    (140, 146, (130, 150), 1, "L6-D0-side-wins"),
    (128, 130, (135, 150), 2, "L2-D7-norm-wins"),
    (150, 140, (135, 150), 0, "better-than-other-side"),
    (160, 160, (135, 150), 0, "beyond-normal-high-is-not-loss"),
    (-5, 5, (0, 10), 2, "negative-reading-L10-D5"),
    (100, 130, (135, 150), 3, "L30-D35"),
]


@pytest.mark.parametrize(
    ("measured", "other", "normal", "expected"),
    [row[:4] for row in GONIOMETRY_TABLE],
    ids=[row[4] for row in GONIOMETRY_TABLE],
)
def test_motion_loss_from_goniometry(
    measured: int, other: int, normal: tuple[int, int], expected: int
) -> None:
    assert motion_loss_from_goniometry(measured, other, normal) == expected


BAD_DEGREES = [
    (-1, r"^loss_deg: -1 is outside 0-180$", "negative"),
    (181, r"^loss_deg: 181 is outside 0-180$", "above-180"),
    (7.5, r"^loss_deg: 7.5 is not whole degrees$", "fraction"),
    (True, r"^loss_deg: True is not whole degrees$", "boolean"),
    ("5", r"^loss_deg: '5' is not whole degrees$", "text"),
]


@pytest.mark.parametrize(
    ("value", "message"), [row[:2] for row in BAD_DEGREES], ids=[row[2] for row in BAD_DEGREES]
)
def test_goniometry_refuses_bad_degrees(value: Any, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        loss_vs_other_side_score(value)


def test_age_norm_refuses_negative_degrees() -> None:
    with pytest.raises(InvalidInputError, match=r"^deg_outside: -2 is outside 0-180$"):
        loss_vs_age_norm_score(-2)


def test_motion_loss_names_the_bad_argument() -> None:
    with pytest.raises(InvalidInputError, match=r"^deg_outside_age_norm: 2.5 is not whole"):
        motion_loss_score(3, 2.5)  # type: ignore[arg-type]


def test_goniometry_refuses_inverted_normal_range() -> None:
    with pytest.raises(InvalidInputError, match=r"^normal_range_deg: .* low 150 above high 135"):
        motion_loss_from_goniometry(140, 140, (150, 135))


def test_goniometry_accepts_whole_float_degrees() -> None:
    # JSON may carry 12.0; it is a whole number of degrees (12 -> 2 by the other-side rule).
    assert loss_vs_other_side_score(12.0) == 2  # type: ignore[arg-type]


# --- manual muscle test: REFERENCE.md "5 -> 0; 4 (and 4+, 4-) -> 1; 3+ or 3 -> 2;
#     3-, 2+, 2, 2- -> 3; 1 or 0 -> 4" -------------------------------------------------

MMT_TABLE = [
    ("5", 0),
    ("4+", 1),
    ("4", 1),
    ("4-", 1),
    ("3+", 2),
    ("3", 2),
    ("3-", 3),
    ("2+", 3),
    ("2", 3),
    ("2-", 3),
    ("1", 4),
    ("0", 4),
]


@pytest.mark.parametrize(("grade", "expected"), MMT_TABLE, ids=[row[0] for row in MMT_TABLE])
def test_strength_from_every_mmt_grade(grade: str, expected: int) -> None:
    assert strength_from_mmt(grade) == expected


@pytest.mark.parametrize(
    "grade",
    ["5+", "5-", "1+", "1-", "0+", "6", "", " 4", "4 ", "four", 4, None],
    ids=lambda grade: repr(grade),
)
def test_strength_refuses_unknown_grades(grade: Any) -> None:
    allowed = "5, 4\\+, 4, 4-, 3\\+, 3, 3-, 2\\+, 2, 2-, 1, 0$"
    with pytest.raises(InvalidInputError, match=rf"^mmt_grade: .* is not one of {allowed}"):
        strength_from_mmt(grade)


# --- item ranges: REFERENCE.md ranges, tested at -1, 0, max and max + 1 ----------------


@pytest.mark.parametrize("item", list(REFERENCE_ITEM_MAX), ids=str)
def test_item_range_ends_are_accepted(item: str) -> None:
    high = REFERENCE_ITEM_MAX[item]
    for value in (0, high):
        parsed = parse_input(make_input(left_knee=healthy_joint(**{item: value})))
        assert parsed.joints[IndexJoint.LEFT_KNEE][HjhsItem(item)] == value


@pytest.mark.parametrize("item", list(REFERENCE_ITEM_MAX), ids=str)
@pytest.mark.parametrize("offset", ["below", "above"])
def test_item_out_of_range_is_refused_with_field(item: str, offset: str) -> None:
    high = REFERENCE_ITEM_MAX[item]
    value = -1 if offset == "below" else high + 1
    message = rf"^left_knee\.{item}: {value} is outside 0-{high}$"
    with pytest.raises(InvalidInputError, match=message):
        parse_input(make_input(left_knee=healthy_joint(**{item: value})))


@pytest.mark.parametrize(("value", "accepted"), [(-1, False), (0, True), (4, True), (5, False)])
def test_gait_range_ends(value: int, accepted: bool) -> None:
    if accepted:
        assert parse_input(make_input(gait=value)).gait == value
    else:
        with pytest.raises(InvalidInputError, match=rf"^gait: {value} is outside 0-4$"):
            parse_input(make_input(gait=value))


@pytest.mark.parametrize(
    "value",
    ["2", 1.5, True, None, "ne", [1]],
    ids=["text", "fraction", "bool", "null", "ne", "list"],
)
def test_item_of_wrong_type_is_refused(value: Any) -> None:
    message = r"^right_elbow\.crepitus: .* is not a whole number 0-2 or 'NE'$"
    with pytest.raises(InvalidInputError, match=message):
        parse_input(make_input(right_elbow=healthy_joint(crepitus=value)))


def test_whole_float_item_is_accepted() -> None:
    parsed = parse_input(make_input(right_elbow=healthy_joint(crepitus=2.0)))
    assert parsed.joints[IndexJoint.RIGHT_ELBOW][HjhsItem.CREPITUS] == 2


# --- shape: missing and unknown fields, every problem at once ---------------------------


def test_missing_item_is_named() -> None:
    joint = healthy_joint()
    del joint["strength"]
    with pytest.raises(
        InvalidInputError, match=r"^right_ankle\.strength: is missing; expected 0-4"
    ):
        parse_input(make_input(right_ankle=joint))


def test_missing_joint_is_named() -> None:
    data = make_input()
    del data["joints"]["left_ankle"]
    with pytest.raises(InvalidInputError, match=r"^left_ankle: is missing"):
        parse_input(data)


def test_missing_gait_and_joints_are_named() -> None:
    with pytest.raises(InvalidInputError, match=r"^joints: is missing.*; gait: is missing"):
        parse_input({})


def test_unknown_joint_item_and_key_are_refused() -> None:
    data = make_input(left_knee=healthy_joint(effusion=1))
    data["joints"]["left_hip"] = healthy_joint()
    data["notes"] = "x"
    with pytest.raises(InvalidInputError) as caught:
        parse_input(data)
    fields = [problem.field for problem in caught.value.problems]
    assert fields == ["notes", "left_hip", "left_knee.effusion"]
    assert "left_hip: 'left_hip' is not one of left_elbow, right_elbow" in str(caught.value)


def test_every_problem_is_reported_at_once() -> None:
    data = make_input(gait=9, left_elbow=healthy_joint(swelling=4), right_knee="bad")
    del data["joints"]["right_ankle"]["joint_pain"]
    with pytest.raises(InvalidInputError) as caught:
        parse_input(data)
    assert [problem.field for problem in caught.value.problems] == [
        "left_elbow.swelling",
        "right_knee",
        "right_ankle.joint_pain",
        "gait",
    ]


@pytest.mark.parametrize("data", [[], "x", None], ids=["list", "text", "null"])
def test_input_must_be_an_object(data: Any) -> None:
    with pytest.raises(InvalidInputError, match=r"^input: .* is not an object$"):
        parse_input(data)


def test_joints_must_be_an_object() -> None:
    with pytest.raises(InvalidInputError, match=r"^joints: \[\] is not an object$"):
        parse_input({"joints": [], "gait": 0})


# --- NE: its own value, never 0, never missing ------------------------------------------


def test_ne_forms_parse_to_not_evaluable() -> None:
    data = make_input(
        gait={"value": "NE", "reason": "  in wheelchair "},
        left_knee=healthy_joint(swelling="NE"),
    )
    parsed = parse_input(data)
    assert parsed.joints[IndexJoint.LEFT_KNEE][HjhsItem.SWELLING] == NotEvaluable(None)
    assert parsed.gait == NotEvaluable("in wheelchair")


def test_ne_without_reason_refused_when_required() -> None:
    data = make_input(left_knee=healthy_joint(swelling="NE"), gait={"value": "NE"})
    with pytest.raises(InvalidInputError) as caught:
        parse_input(data, require_ne_reason=True)
    messages = [problem.message for problem in caught.value.problems]
    assert messages[0].startswith("left_knee.swelling: 'NE' needs a reason")
    assert messages[1].startswith("gait.reason: is missing")


def test_ne_with_reason_accepted_when_required() -> None:
    data = make_input(left_knee=healthy_joint(swelling={"value": "NE", "reason": "in cast"}))
    parsed = parse_input(data, require_ne_reason=True)
    assert parsed.joints[IndexJoint.LEFT_KNEE][HjhsItem.SWELLING] == NotEvaluable("in cast")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"value": 2}, r"^gait\.value: 2 is not one of NE$"),
        ({"reason": "x"}, r"^gait\.value: null is not one of NE$"),
        ({"value": "NE", "reason": "  "}, r"^gait\.reason: '  ' is not non-empty text$"),
        ({"value": "NE", "reason": 3}, r"^gait\.reason: 3 is not non-empty text$"),
        ({"value": "NE", "why": "x"}, r"^gait\.why: 'why' is not one of value, reason$"),
    ],
    ids=["number-in-object", "no-value", "blank-reason", "number-reason", "unknown-key"],
)
def test_bad_ne_objects_are_refused(value: Any, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        parse_input(make_input(gait=value))


# --- scoring: the hand-worked example and the NE rule -----------------------------------


def test_hand_worked_example() -> None:
    result = score(parse_input(hand_input()))
    assert {joint.value: total for joint, total in result.joint_totals.items()} == HAND_JOINT_TOTALS
    assert result.gait == 2
    assert result.total == 38
    assert {sub.value: value for sub, value in result.subscores.items()} == HAND_SUBSCORES
    assert result.not_evaluable == ()
    assert (result.partial_total, result.partial_total_items) == (38, 49)


def test_all_zero_scores_zero_and_all_max_scores_124() -> None:
    assert score(parse_input(make_input())).total == 0
    worst = make_input(4, **{name: dict(REFERENCE_ITEM_MAX) for name in JOINTS})
    assert score(parse_input(worst)).total == 124


def test_ne_item_blanks_its_joint_total_and_motion_subscore_only() -> None:
    # left_knee.flexion_loss (2 in the hand example) becomes NE.
    data = hand_input(left_knee__flexion_loss={"value": "NE", "reason": "knee in splint"})
    result = score(parse_input(data))
    expected_joints = {**HAND_JOINT_TOTALS, "left_knee": None}
    assert {joint.value: total for joint, total in result.joint_totals.items()} == expected_joints
    assert result.total is None
    assert {sub.value: value for sub, value in result.subscores.items()} == {
        **HAND_SUBSCORES,
        "motion": None,
    }
    # 38 minus the NE item's 2, over 48 of 49 items.
    assert (result.partial_total, result.partial_total_items) == (36, 48)


def test_ne_gait_blanks_gait_and_total_only() -> None:
    result = score(parse_input(hand_input(gait="NE")))
    assert result.gait is None
    assert result.total is None
    assert {joint.value: total for joint, total in result.joint_totals.items()} == HAND_JOINT_TOTALS
    assert {sub.value: value for sub, value in result.subscores.items()} == {
        **HAND_SUBSCORES,
        "gait": None,
    }
    assert (result.partial_total, result.partial_total_items) == (36, 48)


def test_two_ne_items_are_listed_in_form_order_with_reasons() -> None:
    data = hand_input(
        right_ankle__strength="NE",
        left_knee__flexion_loss={"value": "NE", "reason": "knee in splint"},
    )
    result = score(parse_input(data))
    out = result.as_dict()
    assert out["not_evaluable"] == ["left_knee.flexion_loss", "right_ankle.strength"]
    assert out["not_evaluable_reasons"] == {
        "left_knee.flexion_loss": "knee in splint",
        "right_ankle.strength": None,
    }
    assert out["subscores"]["muscle"] is None
    assert out["subscores"]["swelling"] == 8
    # 38 - 2 (left knee flexion) - 4 (right ankle strength) = 32 over 47 items.
    assert (out["partial_total"], out["partial_total_items"]) == (32, 47)
    assert out["partial_total_note"].startswith("PARTIAL: sum of the 47 of 49 items")


def test_all_ne_has_no_partial_total() -> None:
    data = make_input("NE", **{name: dict.fromkeys(REFERENCE_ITEM_MAX, "NE") for name in JOINTS})
    result = score(parse_input(data))
    assert (result.total, result.partial_total, result.partial_total_items) == (None, None, 0)
    assert len(result.not_evaluable) == 49
    assert set(result.subscores.values()) == {None}


def test_as_dict_is_plain_json_with_provenance() -> None:
    out = SCORER.score_mapping(hand_input()).as_dict()
    assert json.loads(json.dumps(out)) == out
    assert out["instrument"] == "hjhs"
    assert (out["version"], out["status"]) == ("2.1", "verified")
    assert out["total"] == 38
    assert out["total_max"] == 124
    assert out["joint_totals"] == HAND_JOINT_TOTALS
    assert out["subscores"] == HAND_SUBSCORES
    assert (out["gait"], out["not_evaluable"], out["not_evaluable_reasons"]) == (2, [], {})
    assert out["partial_total"] == 38
    assert "equals the total" in out["partial_total_note"]


def test_result_is_frozen() -> None:
    result = score(parse_input(make_input()))
    with pytest.raises(AttributeError):
        result.total = 5  # type: ignore[misc]
    with pytest.raises(TypeError):
        result.joint_totals[IndexJoint.LEFT_KNEE] = 3  # type: ignore[index]


def test_shipped_example_scores_as_worked_by_hand() -> None:
    # examples/score/hjhs.json: right_elbow 1 (crepitus); left_knee 1+1+1 = 3;
    # right_ankle 2+1+1+1+1+0+1+1 = 8; other joints 0; gait 1; total 0+1+3+0+0+8+1 = 13.
    out = SCORER.score_mapping(json.loads(EXAMPLE_FILE.read_text(encoding="utf-8"))).as_dict()
    assert out["joint_totals"] == {
        "left_elbow": 0,
        "right_elbow": 1,
        "left_knee": 3,
        "right_knee": 0,
        "left_ankle": 0,
        "right_ankle": 8,
    }
    assert out["total"] == 13

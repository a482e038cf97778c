"""The problem list (issue 4, "Problem list derived from the findings").

Expected values come from the rules written in issue 4 and the module docstring of
``hemojoint.domain.rehab.problems`` (any abnormal grade raises the problem the item names;
0 is normal on every HJHS 2.1 and HEAD-US item, REFERENCE.md section 3), worked by hand.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from hemojoint.domain.anatomy import BleedSite, IndexJoint
from hemojoint.domain.bleeds import BleedEpisode, BleedType
from hemojoint.domain.errors import InvalidInputError
from hemojoint.domain.instruments.hjhs import HjhsInput, NotEvaluableItem, parse_input, score
from hemojoint.domain.rehab.model import Evidence, EvidenceSource, Problem, ProblemCode
from hemojoint.domain.rehab.problems import ProblemList, derive_problems
from hemojoint.domain.ultrasound_protocol import Tier

ITEMS = (
    "swelling",
    "swelling_duration",
    "muscle_atrophy",
    "crepitus",
    "flexion_loss",
    "extension_loss",
    "joint_pain",
    "strength",
)
HJHS = EvidenceSource.HJHS
US = EvidenceSource.ULTRASOUND
LE, LK, RK, LA, RA = (
    IndexJoint.LEFT_ELBOW,
    IndexJoint.LEFT_KNEE,
    IndexJoint.RIGHT_KNEE,
    IndexJoint.LEFT_ANKLE,
    IndexJoint.RIGHT_ANKLE,
)


def hjhs_items(gait: Any = 0, **joints: dict[str, Any]) -> HjhsInput:
    """A parsed HJHS examination: every item 0 unless overridden per joint."""
    healthy = dict.fromkeys(ITEMS, 0)
    data = {
        "joints": {joint.value: {**healthy, **joints.get(joint.value, {})} for joint in IndexJoint},
        "gait": gait,
    }
    return parse_input(data)


def bleed(site: BleedSite, day: int = 1) -> BleedEpisode:
    return BleedEpisode(site, datetime(2025, 12, day, 9), None, BleedType.SPONTANEOUS)


def summary(found: ProblemList) -> list[tuple[str, str | None, list[str]]]:
    return [
        (p.code.value, p.joint.value if p.joint else None, [e.text for e in p.evidence])
        for p in found.problems
    ]


# Joint-level rules at the cut-point, on an elbow so balance/posture (lower limb) stay out.
@pytest.mark.parametrize(
    ("item", "value", "code"),
    [
        ("swelling", 0, None),
        ("swelling", 1, ProblemCode.SWELLING),
        ("swelling_duration", 0, None),
        ("swelling_duration", 1, ProblemCode.SWELLING),
        ("muscle_atrophy", 0, None),
        ("muscle_atrophy", 1, ProblemCode.MUSCLE_ATROPHY),
        ("flexion_loss", 0, None),
        ("flexion_loss", 1, ProblemCode.RESTRICTED_MOTION),
        ("extension_loss", 0, None),
        ("extension_loss", 1, ProblemCode.RESTRICTED_MOTION),
        ("joint_pain", 0, None),
        ("joint_pain", 1, ProblemCode.PAIN),
        ("strength", 0, None),
        ("strength", 1, ProblemCode.WEAKNESS),
        ("crepitus", 2, None),  # crepitus names no problem of the programme
    ],
    ids=[
        "swelling-0",
        "swelling-1",
        "duration-0",
        "duration-1",
        "atrophy-0",
        "atrophy-1",
        "flexion-0",
        "flexion-1",
        "extension-0",
        "extension-1",
        "pain-0",
        "pain-1",
        "strength-0",
        "strength-1",
        "crepitus-max",
    ],
)
def test_joint_rule_cut_points(item: str, value: int, code: ProblemCode | None) -> None:
    found = derive_problems(hjhs_items=hjhs_items(left_elbow={item: value}))
    expected = (
        () if code is None else (Problem(code, LE, (Evidence(HJHS, f"left_elbow.{item}", value),)),)
    )
    assert found.problems == expected


@pytest.mark.parametrize(
    ("gait", "codes"),
    [(0, []), (1, ["gait", "posture"])],  # posture: gait >= 1
    ids=["gait-0", "gait-1"],
)
def test_gait_cut_point(gait: int, codes: list[str]) -> None:
    found = derive_problems(hjhs_items=hjhs_items(gait=gait))
    assert [p.code.value for p in found.problems] == codes
    assert all(p.joint is None for p in found.problems)
    assert [e.text for p in found.problems for e in p.evidence] == ["gait = 1"] * len(codes)


def test_evidence_text_matches_issue_4() -> None:
    # Issue 4's examples: `left_ankle.flexion_loss = 2`, `left_ankle synovitis = 2 on ultrasound`.
    found = derive_problems(
        hjhs_items=hjhs_items(left_ankle={"flexion_loss": 2}),
        ultrasound_joints={LA: {"synovitis": 2, "cartilage": 0, "bone": 0}},
        ultrasound_instrument=Tier.HEAD_US,
    )
    assert found.of(ProblemCode.SWELLING)[0].evidence[0].text == (
        "left_ankle synovitis = 2 on ultrasound"
    )
    assert found.of(ProblemCode.RESTRICTED_MOTION)[0].evidence[0].text == (
        "left_ankle.flexion_loss = 2"
    )


@pytest.mark.parametrize(
    ("instrument", "items", "texts"),
    [
        (Tier.HEAD_US, {"synovitis": 0, "cartilage": 4, "bone": 2}, []),
        (Tier.HEAD_US, {"synovitis": 1, "cartilage": 0, "bone": 0}, ["synovitis = 1"]),
        (Tier.HEAD_US_C, {"effusion": 0, "synovial_hyperplasia": 0, "synovial_vascularity": 2}, []),
        (Tier.HEAD_US_C, {"effusion": 1, "synovial_hyperplasia": 0}, ["effusion = 1"]),
        (Tier.HEAD_US_C, {"effusion": 0, "synovial_hyperplasia": 1}, ["synovial_hyperplasia = 1"]),
        (
            Tier.HEAD_US_C,
            {"effusion": 1, "synovial_hyperplasia": 2},
            ["effusion = 1", "synovial_hyperplasia = 2"],
        ),
    ],
    ids=[
        "head-us-synovitis-0",
        "head-us-synovitis-1",
        "head-us-c-none-vascularity-only",
        "head-us-c-effusion-1",
        "head-us-c-hyperplasia-1",
        "head-us-c-both",
    ],
)
def test_ultrasound_swelling_cut_points(
    instrument: Tier, items: dict[str, int], texts: list[str]
) -> None:
    found = derive_problems(ultrasound_joints={LE: items}, ultrasound_instrument=instrument)
    expected = [("swelling", "left_elbow", [f"left_elbow {t} on ultrasound" for t in texts])]
    assert summary(found) == (expected if texts else [])


def test_swelling_evidence_lists_hjhs_then_ultrasound() -> None:
    found = derive_problems(
        hjhs_items=hjhs_items(left_elbow={"swelling": 2, "swelling_duration": 1}),
        ultrasound_joints={LE: {"synovitis": 2, "cartilage": 1, "bone": 0}},
        ultrasound_instrument=Tier.HEAD_US,
    )
    assert summary(found) == [
        (
            "swelling",
            "left_elbow",
            [
                "left_elbow.swelling = 2",
                "left_elbow.swelling_duration = 1",
                "left_elbow synovitis = 2 on ultrasound",
            ],
        )
    ]


# Balance: any knee/ankle problem, or a recent lower-limb joint bleed (hip, knee, ankle).
@pytest.mark.parametrize(
    ("site", "raised"),
    [
        (BleedSite.LEFT_ANKLE, True),
        (BleedSite.RIGHT_KNEE, True),
        (BleedSite.LEFT_HIP, True),
        (BleedSite.LEFT_ELBOW, False),
        (BleedSite.LEFT_CALF, False),  # a muscle bleed, not a joint bleed
        (BleedSite.LEFT_ILIOPSOAS, False),
    ],
    ids=["ankle", "knee", "hip", "elbow", "calf-muscle", "iliopsoas"],
)
def test_balance_from_recent_bleeds(site: BleedSite, raised: bool) -> None:
    found = derive_problems(recent_bleeds=[bleed(site)])
    expected = [("balance", None, [f"{site.value}.bleed_start = 2025-12-01"])]
    assert summary(found) == (expected if raised else [])


@pytest.mark.parametrize(
    ("joint", "item", "codes"),
    [
        ("left_knee", "joint_pain", ["pain", "balance"]),
        ("right_ankle", "swelling", ["swelling", "balance"]),
        ("left_knee", "extension_loss", ["restricted_motion", "balance", "posture"]),
        ("right_ankle", "muscle_atrophy", ["muscle_atrophy", "balance", "posture"]),
        ("left_knee", "strength", ["weakness", "balance"]),
        ("left_elbow", "flexion_loss", ["restricted_motion"]),
        ("right_elbow", "muscle_atrophy", ["muscle_atrophy"]),
    ],
    ids=[
        "knee-pain",
        "ankle-swelling",
        "knee-extension",
        "ankle-atrophy",
        "knee-weakness",
        "elbow-flexion",
        "elbow-atrophy",
    ],
)
def test_balance_and_posture_from_joint_problems(joint: str, item: str, codes: list[str]) -> None:
    found = derive_problems(hjhs_items=hjhs_items(**{joint: {item: 1}}))
    assert [p.code.value for p in found.problems] == codes
    # The child-level problems point to the same finding.
    assert {e.text for p in found.problems for e in p.evidence} == {f"{joint}.{item} = 1"}


def test_ne_raises_nothing_and_is_listed() -> None:
    ne = {"value": "NE", "reason": "in cast"}
    found = derive_problems(hjhs_items=hjhs_items(gait="NE", left_knee={"swelling": ne}))
    assert found.problems == ()
    assert found.not_evaluable == (
        NotEvaluableItem("left_knee.swelling", "in cast"),
        NotEvaluableItem("gait", None),
    )


def test_ne_item_does_not_hide_ultrasound_evidence() -> None:
    found = derive_problems(
        hjhs_items=hjhs_items(left_elbow={"swelling": "NE"}),
        ultrasound_joints={LE: {"synovitis": 1, "cartilage": 0, "bone": 0}},
        ultrasound_instrument=Tier.HEAD_US,
    )
    assert summary(found) == [
        ("swelling", "left_elbow", ["left_elbow synovitis = 1 on ultrasound"])
    ]
    assert [item.field for item in found.not_evaluable] == ["left_elbow.swelling"]


def test_order_is_problem_code_then_joint() -> None:
    found = derive_problems(
        hjhs_items=hjhs_items(
            gait=2,
            right_ankle={"joint_pain": 2, "flexion_loss": 1},
            left_elbow={"joint_pain": 1, "swelling": 1},
            left_knee={"strength": 2, "flexion_loss": 3},
        ),
        recent_bleeds=[bleed(BleedSite.RIGHT_KNEE, 3), bleed(BleedSite.LEFT_ANKLE, 1)],
    )
    assert [(p.code.value, p.joint.value if p.joint else None) for p in found.problems] == [
        ("swelling", "left_elbow"),
        ("restricted_motion", "left_knee"),
        ("restricted_motion", "right_ankle"),
        ("pain", "left_elbow"),
        ("pain", "right_ankle"),
        ("weakness", "left_knee"),
        ("gait", None),
        ("balance", None),
        ("posture", None),
    ]
    # Balance: lower-limb problems in joint order (each finding once), then bleeds by date.
    assert [e.text for e in found.of(ProblemCode.BALANCE)[0].evidence] == [
        "left_knee.flexion_loss = 3",
        "left_knee.strength = 2",
        "right_ankle.flexion_loss = 1",
        "right_ankle.joint_pain = 2",
        "left_ankle.bleed_start = 2025-12-01",
        "right_knee.bleed_start = 2025-12-03",
    ]
    # Posture: gait, then lower-limb restricted motion / atrophy.
    assert [e.text for e in found.of(ProblemCode.POSTURE)[0].evidence] == [
        "gait = 2",
        "left_knee.flexion_loss = 3",
        "right_ankle.flexion_loss = 1",
    ]


def test_no_findings_no_problems() -> None:
    assert derive_problems() == ProblemList((), ())
    assert derive_problems(hjhs_items=hjhs_items(), age_years=6).problems == ()


def test_matching_score_is_accepted() -> None:
    items = hjhs_items(left_knee={"strength": 1})
    found = derive_problems(hjhs=score(items), hjhs_items=items)
    assert [p.code for p in found.problems] == [ProblemCode.WEAKNESS, ProblemCode.BALANCE]


def test_as_dict() -> None:
    found = derive_problems(hjhs_items=hjhs_items(left_elbow={"joint_pain": "NE", "strength": 4}))
    assert found.as_dict() == {
        "problems": [
            {
                "code": "weakness",
                "joint": "left_elbow",
                "evidence": [
                    {
                        "source": "hjhs",
                        "field": "left_elbow.strength",
                        "value": 4,
                        "text": "left_elbow.strength = 4",
                    }
                ],
            }
        ],
        "not_evaluable": [{"field": "left_elbow.joint_pain", "reason": None}],
    }


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"hjhs": score(hjhs_items())},
            r"hjhs_items: is missing; expected the HJHS items hjhs was scored from",
        ),
        (
            {"hjhs": score(hjhs_items(gait=1)), "hjhs_items": hjhs_items()},
            r"hjhs: 'HjhsResult' is not the score of hjhs_items",
        ),
        (
            {"ultrasound_joints": {LA: {"synovitis": 1, "cartilage": 0, "bone": 0}}},
            r"ultrasound_instrument: null is not one of head_us, head_us_c",
        ),
        (
            {
                "ultrasound_joints": {LA: {"synovial_hypertrophy": True}},
                "ultrasound_instrument": Tier.POCUS,
            },
            r"ultrasound_instrument: 'pocus' is not one of head_us, head_us_c",
        ),
        (
            {
                "ultrasound_joints": {LA: {"synovitis": 3, "cartilage": 0, "bone": 0}},
                "ultrasound_instrument": Tier.HEAD_US,
            },
            r"ultrasound\.left_ankle\.synovitis: 3 is outside 0-2",
        ),
        (
            {"ultrasound_joints": {LA: {"effusion": 1}}, "ultrasound_instrument": Tier.HEAD_US_C},
            r"ultrasound\.left_ankle\.synovial_hyperplasia: is missing",
        ),
        (
            {
                "ultrasound_joints": {LA: {"effusion": -1, "synovial_hyperplasia": 0}},
                "ultrasound_instrument": Tier.HEAD_US_C,
            },
            r"ultrasound\.left_ankle\.effusion: -1 is not a whole number >= 0",
        ),
        (
            {
                "ultrasound_joints": {"left_hip": {"synovitis": 1, "cartilage": 0, "bone": 0}},
                "ultrasound_instrument": Tier.HEAD_US,
            },
            r"ultrasound\.left_hip: 'left_hip' is not one of left_elbow",
        ),
        ({"age_years": -1}, r"age_years: -1 is not whole years, 0 or more"),
    ],
    ids=[
        "score-without-items",
        "score-of-other-items",
        "ultrasound-without-instrument",
        "pocus-instrument",
        "head-us-out-of-range",
        "head-us-c-missing-item",
        "head-us-c-negative",
        "unknown-joint",
        "negative-age",
    ],
)
def test_invalid_input(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        derive_problems(**kwargs)

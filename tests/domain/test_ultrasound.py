"""Ultrasound exams: tiers, standard views, completeness, projection and comparison.

Expected values come from REFERENCE.md section 3:
- "Tiered ultrasound" (Bakeer et al. 2021): tiers (1) point-of-care findings,
  (2) HEAD-US, (3) HEAD-US-C, (4) measurements in mm; exam types point-of-care
  (bedside, treating clinician) and full diagnostic (imaging specialists).
- "HEAD-US": standard views elbow anterior radial and coronoid recesses, knee
  suprapatellar recess, ankle anterior tibiotalar recess; target surfaces elbow
  anterior distal humerus, knee femoral trochlea, ankle anterior talar dome; items
  synovitis 0-2, cartilage 0-4, bone 0-2, no effusion item.
- Issue 2 projection rule: HEAD-US -> point-of-care synovial hypertrophy =
  synovitis >= 1, effusion unknown.
Joint totals below are hand sums of the item values written in each test.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from hemojoint.definitions import load_definition
from hemojoint.domain.anatomy import IndexJoint
from hemojoint.domain.errors import DefinitionError, InvalidInputError
from hemojoint.domain.instruments.head_us_c import HeadUsCDefinition
from hemojoint.domain.instruments.pocus import PocusFindings
from hemojoint.domain.ultrasound import (
    ExamType,
    JointRecord,
    OperatorRole,
    UltrasoundExam,
    UltrasoundRules,
    compare,
    highest_common_tier,
    is_complete,
    missing_views,
    parse_exam,
    project,
    score_exam,
)
from hemojoint.domain.ultrasound_protocol import Tier, UsProtocol

# REFERENCE.md "HEAD-US": recess views (effusion, synovium) and target surfaces.
RECESSES = {
    "elbow": ["elbow_anterior_radial_recess", "elbow_anterior_coronoid_recess"],
    "knee": ["knee_suprapatellar_recess"],
    "ankle": ["ankle_anterior_tibiotalar_recess"],
}
SURFACES = {
    "elbow": ["elbow_anterior_distal_humerus"],
    "knee": ["knee_femoral_trochlea"],
    "ankle": ["ankle_anterior_talar_dome"],
}
ALL_VIEWS = {kind: RECESSES[kind] + SURFACES[kind] for kind in RECESSES}
HEAD_US_C_ZERO = {
    "effusion": 0,
    "synovial_hyperplasia": 0,
    "synovial_vascularity": 0,
    "hemosiderin": 0,
    "cartilage": 0,
    "bone": 0,
}
MM_ZERO = {"synovial_distension_mm": 0, "cartilage_thickness_mm": 0, "osteochondral_change_mm": 0}


@pytest.fixture(scope="module")
def rules() -> UltrasoundRules:
    return UltrasoundRules(
        head_us_c=HeadUsCDefinition.from_mapping(load_definition("head_us_c")),
        protocol=UsProtocol.from_mapping(load_definition("us_protocol")),
    )


def exam_data(tier: str, joints: dict[str, Any], **header: Any) -> dict[str, Any]:
    base = {
        "exam_type": "full_diagnostic",
        "operator_role": "radiologist",
        "exam_date": "2024-03-01",
        "tier": tier,
        "joints": joints,
    }
    return base | header


def entry(
    joint: str, findings: dict[str, Any], views: list[str] | None = None, **extra: Any
) -> Any:
    kind = joint.split("_", 1)[1]
    return {"views": ALL_VIEWS[kind] if views is None else views, "findings": findings} | extra


# --- tiers ------------------------------------------------------------------------


def test_tiers_are_ordered_one_to_four() -> None:
    assert [(tier.value, tier.level) for tier in Tier] == [
        ("pocus", 1),
        ("head_us", 2),
        ("head_us_c", 3),
        ("measurement", 4),
    ]


@pytest.mark.parametrize(
    ("first", "second", "common"),
    [
        (Tier.HEAD_US_C, Tier.HEAD_US, Tier.HEAD_US),
        (Tier.HEAD_US, Tier.HEAD_US_C, Tier.HEAD_US),
        (Tier.MEASUREMENT, Tier.HEAD_US_C, Tier.HEAD_US_C),
        (Tier.MEASUREMENT, Tier.MEASUREMENT, Tier.MEASUREMENT),
        (Tier.POCUS, Tier.MEASUREMENT, Tier.POCUS),
    ],
    ids=["c-vs-us", "us-vs-c", "mm-vs-c", "mm-vs-mm", "pocus-vs-mm"],
)
def test_highest_common_tier_is_the_lower_one(first: Tier, second: Tier, common: Tier) -> None:
    assert highest_common_tier(first, second) is common


# --- protocol and completeness ------------------------------------------------------


def test_protocol_lists_the_reference_views_and_is_provisional(rules: UltrasoundRules) -> None:
    protocol = rules.protocol
    assert protocol.info.status.value == "provisional"
    for joint in IndexJoint:
        assert list(protocol.view_codes(joint)) == ALL_VIEWS[joint.kind]


@pytest.mark.parametrize(
    ("tier", "required"),
    [(Tier.POCUS, RECESSES), (Tier.HEAD_US, ALL_VIEWS), (Tier.MEASUREMENT, ALL_VIEWS)],
    ids=["pocus-recesses-only", "head-us-all", "measurement-all"],
)
def test_required_views_grow_with_the_tier(
    rules: UltrasoundRules, tier: Tier, required: dict[str, list[str]]
) -> None:
    for joint in IndexJoint:
        assert list(rules.protocol.missing_views(joint, tier, frozenset())) == required[joint.kind]


def test_complete_head_us_c_exam_is_scored(rules: UltrasoundRules) -> None:
    worked = HEAD_US_C_ZERO | {
        "synovial_hyperplasia": 2,
        "synovial_vascularity": 2,
        "cartilage": 3,
        "bone": 2,
    }
    data = exam_data("head_us_c", {"left_ankle": entry("left_ankle", worked)})
    exam = parse_exam(data, rules)
    assert (exam.exam_type, exam.operator_role, exam.exam_date) == (
        ExamType.FULL_DIAGNOSTIC,
        OperatorRole.RADIOLOGIST,
        date(2024, 3, 1),
    )
    out = score_exam(exam, rules).as_dict()
    assert out["complete"] is True
    assert out["score"]["total"] == 9  # worked example 2 + 2 + 3 + 2
    assert out["score"]["views_recorded"] is True
    assert out["protocol"]["code"] == "us_protocol"


def test_missing_view_marks_joint_and_exam_incomplete_not_normal(rules: UltrasoundRules) -> None:
    joints = {
        "left_knee": entry("left_knee", {"synovitis": 0, "cartilage": 0, "bone": 0}),
        "right_knee": entry(
            "right_knee", {"synovitis": 0, "cartilage": 0, "bone": 0}, ["knee_suprapatellar_recess"]
        ),
    }
    exam = parse_exam(exam_data("head_us", joints), rules)
    assert missing_views(exam, rules.protocol) == {
        IndexJoint.RIGHT_KNEE: ("knee_femoral_trochlea",)
    }
    assert is_complete(exam, rules.protocol) is False
    out = score_exam(exam, rules).as_dict()
    assert out["complete"] is False
    assert out["score"]["joint_totals"] == {"left_knee": 0, "right_knee": None}
    assert out["score"]["total"] is None
    assert out["score"]["incomplete_joints"] == {"right_knee": ["knee_femoral_trochlea"]}


def test_point_of_care_exam_needs_only_the_recess_views(rules: UltrasoundRules) -> None:
    findings = {"effusion": True, "synovial_hypertrophy": False}
    joints = {"left_elbow": entry("left_elbow", findings, RECESSES["elbow"])}
    data = exam_data("pocus", joints, exam_type="point_of_care", operator_role="hematologist")
    exam = parse_exam(data, rules)
    assert is_complete(exam, rules.protocol)
    out = score_exam(exam, rules).as_dict()
    assert out["score"]["counts"] == {"effusion": 1, "synovial_hypertrophy": 0}


# --- projection ------------------------------------------------------------------


@pytest.fixture
def measurement_exam(rules: UltrasoundRules) -> UltrasoundExam:
    items = HEAD_US_C_ZERO | {"effusion": 1, "synovial_hyperplasia": 1, "cartilage": 2}
    mm = MM_ZERO | {"synovial_distension_mm": 4.5}
    joints = {"left_knee": entry("left_knee", items, measurements=mm)}
    return parse_exam(exam_data("measurement", joints), rules)


def test_measurement_exam_carries_its_head_us_c_items(
    rules: UltrasoundRules, measurement_exam: UltrasoundExam
) -> None:
    out = score_exam(measurement_exam, rules).as_dict()
    assert out["score"]["joints"]["left_knee"]["synovial_distension_mm"] == 4.5
    projected = project(measurement_exam, Tier.HEAD_US_C, rules)
    # effusion 1 + hyperplasia 1 + cartilage 2 = 4
    assert score_exam(projected, rules).as_dict()["score"]["joint_totals"] == {"left_knee": 4}


@pytest.mark.parametrize(
    ("tier", "expected"),
    [
        (Tier.HEAD_US, {"synovitis": 1, "cartilage": 2, "bone": 0}),
        (Tier.POCUS, PocusFindings(effusion=True, synovial_hypertrophy=True)),
    ],
    ids=["to-head-us", "to-pocus"],
)
def test_measurement_exam_projects_to_every_lower_tier(
    rules: UltrasoundRules, measurement_exam: UltrasoundExam, tier: Tier, expected: Any
) -> None:
    # Via its HEAD-US-C items: hyperplasia -> synovitis; effusion 1 -> effusion yes.
    projected = project(measurement_exam, tier, rules)
    assert projected.tier is tier
    assert projected.joints[IndexJoint.LEFT_KNEE].findings == expected


@pytest.mark.parametrize(
    ("synovitis", "hypertrophy"),
    [(0, False), (1, True), (2, True)],
    ids=["synovitis-0", "synovitis-1", "synovitis-2"],
)
def test_head_us_projects_to_pocus_with_unknown_effusion(
    rules: UltrasoundRules, synovitis: int, hypertrophy: bool
) -> None:
    items = {"synovitis": synovitis, "cartilage": 1, "bone": 0}
    exam = parse_exam(exam_data("head_us", {"left_knee": entry("left_knee", items)}), rules)
    findings = project(exam, Tier.POCUS, rules).joints[IndexJoint.LEFT_KNEE].findings
    assert findings == PocusFindings(effusion=None, synovial_hypertrophy=hypertrophy)


def test_projection_rechecks_views_at_the_lower_tier(rules: UltrasoundRules) -> None:
    # Without the trochlea a knee is incomplete for HEAD-US-C but complete at tier 1.
    joints = {"left_knee": entry("left_knee", HEAD_US_C_ZERO, RECESSES["knee"])}
    exam = parse_exam(exam_data("head_us_c", joints), rules)
    assert not is_complete(exam, rules.protocol)
    assert is_complete(project(exam, Tier.POCUS, rules), rules.protocol)


def test_projection_upwards_is_refused(rules: UltrasoundRules) -> None:
    items = {"synovitis": 0, "cartilage": 0, "bone": 0}
    exam = parse_exam(exam_data("head_us", {"left_knee": entry("left_knee", items)}), rules)
    with pytest.raises(
        InvalidInputError, match=r"^tier: 'head_us_c' is above the exam's tier head_us"
    ):
        project(exam, Tier.HEAD_US_C, rules)


# --- comparison ------------------------------------------------------------------


def test_head_us_c_against_head_us_compares_at_head_us(rules: UltrasoundRules) -> None:
    before_items = HEAD_US_C_ZERO | {
        "effusion": 1,
        "synovial_hyperplasia": 2,
        "synovial_vascularity": 2,
        "cartilage": 3,
        "bone": 2,
    }
    before = parse_exam(
        exam_data(
            "head_us_c",
            {
                "left_ankle": entry("left_ankle", before_items),
                "right_ankle": entry("right_ankle", HEAD_US_C_ZERO),
                "left_knee": entry("left_knee", HEAD_US_C_ZERO),
            },
        ),
        rules,
    )
    after = parse_exam(
        exam_data(
            "head_us",
            {
                "left_ankle": entry("left_ankle", {"synovitis": 1, "cartilage": 3, "bone": 2}),
                "right_ankle": entry(
                    "right_ankle", {"synovitis": 0, "cartilage": 0, "bone": 0}, RECESSES["ankle"]
                ),
                "left_elbow": entry("left_elbow", {"synovitis": 0, "cartilage": 0, "bone": 0}),
            },
            exam_date="2024-06-01",
        ),
        rules,
    )
    out = compare(before, after, rules).as_dict()
    assert (out["tier"], out["before_tier"], out["after_tier"]) == (
        "head_us",
        "head_us_c",
        "head_us",
    )
    # HEAD-US of the before exam: synovitis 2 + cartilage 3 + bone 2 = 7 (Doppler, effusion dropped);
    # after: 1 + 3 + 2 = 6.
    assert out["joints"]["left_ankle"] == {"tier": "head_us", "before": 7, "after": 6, "change": -1}
    # The right ankle lacks its talar dome view afterwards: unknown, never "0".
    assert out["joints"]["right_ankle"] == {
        "tier": "head_us",
        "before": 0,
        "after": None,
        "change": None,
    }
    assert out["not_compared"] == ["left_elbow", "left_knee"]


def test_head_us_against_pocus_compares_findings(rules: UltrasoundRules) -> None:
    before = parse_exam(
        exam_data(
            "head_us",
            {"left_knee": entry("left_knee", {"synovitis": 2, "cartilage": 0, "bone": 0})},
        ),
        rules,
    )
    after_findings = {"effusion": False, "synovial_hypertrophy": False}
    after = parse_exam(exam_data("pocus", {"left_knee": entry("left_knee", after_findings)}), rules)
    joint = compare(before, after, rules).as_dict()["joints"]["left_knee"]
    assert joint == {
        "tier": "pocus",
        "before": {"effusion": None, "synovial_hypertrophy": True},
        "after": {"effusion": False, "synovial_hypertrophy": False},
        "change": {"effusion": None, "synovial_hypertrophy": "resolved"},
    }


def test_two_measurement_exams_compare_mm(
    rules: UltrasoundRules, measurement_exam: UltrasoundExam
) -> None:
    mm = MM_ZERO | {"synovial_distension_mm": 1.2, "cartilage_thickness_mm": 0.1}
    later = parse_exam(
        exam_data(
            "measurement", {"left_knee": entry("left_knee", HEAD_US_C_ZERO, measurements=mm)}
        ),
        rules,
    )
    joint = compare(measurement_exam, later, rules).as_dict()["joints"]["left_knee"]
    # 1.2 - 4.5 = -3.3; 0.1 - 0 = 0.1
    assert joint["change"] == {
        "synovial_distension_mm": -3.3,
        "cartilage_thickness_mm": 0.1,
        "osteochondral_change_mm": 0.0,
    }


# --- input errors ------------------------------------------------------------------


def test_every_header_problem_is_reported_at_once(rules: UltrasoundRules) -> None:
    data = exam_data(
        "tier5", {}, exam_type="bedside", operator_role="nurse", exam_date="01/03/2024"
    )
    with pytest.raises(InvalidInputError) as caught:
        parse_exam(data, rules)
    assert [problem.field for problem in caught.value.problems] == [
        "exam_type",
        "operator_role",
        "exam_date",
        "tier",
    ]
    assert caught.value.problems[0].message == (
        "exam_type: 'bedside' is not one of point_of_care, full_diagnostic"
    )


@pytest.mark.parametrize(
    ("joints", "message"),
    [
        (
            {"left_knee": entry("left_knee", HEAD_US_C_ZERO, ["knee_posterior_recess"])},
            r"^left_knee\.views\[0\]: 'knee_posterior_recess' is not one of knee_suprapatellar_recess, knee_femoral_trochlea$",
        ),
        (
            {"left_knee": {"findings": HEAD_US_C_ZERO}},
            r"^left_knee\.views: is missing",
        ),
        (
            {"left_knee": entry("left_knee", HEAD_US_C_ZERO | {"synovial_vascularity": 3})},
            r"^left_knee\.findings\.synovial_vascularity: 3 is outside 0-2$",
        ),
        (
            {"left_knee": entry("left_knee", HEAD_US_C_ZERO, measurements=MM_ZERO)},
            r"^left_knee\.measurements: 'measurements' is not one of views, findings$",
        ),
    ],
    ids=["unknown-view", "views-missing", "item-out-of-range", "measurements-below-tier-4"],
)
def test_joint_problems_name_the_path(
    rules: UltrasoundRules, joints: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidInputError, match=message):
        parse_exam(exam_data("head_us_c", joints), rules)


def test_measurement_tier_needs_measurements(rules: UltrasoundRules) -> None:
    joints = {"left_knee": entry("left_knee", HEAD_US_C_ZERO)}
    with pytest.raises(InvalidInputError, match=r"^left_knee\.measurements: is missing"):
        parse_exam(exam_data("measurement", joints), rules)


def test_exam_with_findings_of_another_tier_cannot_be_built() -> None:
    # A programming error, not user input: parse_exam never builds one.
    record = JointRecord(frozenset(), {"synovitis": 0, "cartilage": 0, "bone": 0})
    with pytest.raises(TypeError, match="PocusFindings"):
        UltrasoundExam(
            ExamType.POINT_OF_CARE,
            OperatorRole.THERAPIST,
            date(2024, 1, 1),
            Tier.POCUS,
            {IndexJoint.LEFT_KNEE: record},
        )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("drop-ankle", r"no views for \['ankle'\]"),
        ("unknown-kind", r"joint_kinds\.hip: 'hip' is not one of"),
        ("bad-tier", r"joint_kinds\.knee\[0\]\.required_from: 'tier1' is not one of"),
        ("duplicate-view", r"joint_kinds\.knee needs unique views"),
    ],
    ids=["drop-ankle", "unknown-kind", "bad-tier", "duplicate-view"],
)
def test_malformed_protocol_is_refused(change: str, message: str) -> None:
    data = copy.deepcopy(load_definition("us_protocol"))
    kinds = data["joint_kinds"]
    if change == "drop-ankle":
        del kinds["ankle"]
    elif change == "unknown-kind":
        kinds["hip"] = kinds["knee"]
    elif change == "bad-tier":
        kinds["knee"][0]["required_from"] = "tier1"
    else:
        kinds["knee"].append(kinds["knee"][0])
    with pytest.raises(DefinitionError, match=rf"^us_protocol definition: {message}"):
        UsProtocol.from_mapping(data)

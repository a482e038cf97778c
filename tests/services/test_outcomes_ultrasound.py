"""Ultrasound outcome compared at each patient's highest common tier (SQLite and PostgreSQL).

Expected totals by hand from the rules:
- HEAD-US joint = synovitis + cartilage + bone (Martinoli 2013; REFERENCE.md "HEAD-US").
- HEAD-US-C joint = sum of its six items; HEAD-US-C -> HEAD-US by the packaged
  head_us_c.json ``head_us_projection``: synovitis <- synovial_hyperplasia (0,1,2 ->
  0,1,2), cartilage <- cartilage, bone <- bone (same points); effusion, vascularity
  and hemosiderin have no HEAD-US counterpart.
- Two exams are compared at the lower of their tiers (REFERENCE.md "Tiered
  ultrasound": comparable across tiers), over the joints examined in both.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from hemojoint.domain.access import Role
from hemojoint.domain.ultrasound_protocol import Tier
from hemojoint.persistence.models import AssessmentRecord
from hemojoint.schemas.assessments import Timepoint
from hemojoint.services.outcomes import CohortFilter, outcomes_report
from hemojoint.services.outcomes_report_data import outcomes_report_data
from hemojoint.services.outcomes_ultrasound import compare_exams, load_head_us_c
from tests.support.assessment_builders import create_assessment
from tests.support.builders import create_centre, create_patient, create_user
from tests.support.programme_builders import create_enrolment

DEFINITIONS = Path(__file__).resolve().parents[2] / "src" / "hemojoint" / "definitions"
START = date(2026, 3, 2)
WEEK_12 = START + timedelta(weeks=12)


def head_us(**joints: tuple[int, int, int]) -> dict[str, Any]:
    names = ("synovitis", "cartilage", "bone")
    return {"joints": {joint: dict(zip(names, v, strict=True)) for joint, v in joints.items()}}


def head_us_c(**joints: tuple[int, int, int, int, int, int]) -> dict[str, Any]:
    names = ("effusion", "synovial_hyperplasia", "synovial_vascularity", "hemosiderin")
    names += ("cartilage", "bone")
    return {"joints": {joint: dict(zip(names, v, strict=True)) for joint, v in joints.items()}}


# record number -> (baseline instrument, raw), (week-12 instrument, raw)
EXAMS: dict[str, tuple[tuple[str, dict[str, Any]], tuple[str, dict[str, Any]]]] = {
    # US-1: HEAD-US -> HEAD-US-C, compared at HEAD-US over left_knee (right_ankle only at
    # baseline). Baseline left_knee 2+3+1 = 6. Week 12 left_knee HEAD-US-C items
    # (1,1,2,1,3,1) = 9 at its own tier; projected: synovitis 1 + cartilage 3 + bone 1 = 5.
    "US-1": (
        ("head_us", head_us(left_knee=(2, 3, 1), right_ankle=(1, 1, 0))),
        ("head_us_c", head_us_c(left_knee=(1, 1, 2, 1, 3, 1))),
    ),
    # US-2: HEAD-US-C both times, compared at HEAD-US-C: left_ankle 1+2+2+1+2+1 = 9 -> 0+1+1+0+2+1 = 5.
    "US-2": (
        ("head_us_c", head_us_c(left_ankle=(1, 2, 2, 1, 2, 1))),
        ("head_us_c", head_us_c(left_ankle=(0, 1, 1, 0, 2, 1))),
    ),
    # US-3: HEAD-US-C -> HEAD-US, compared at HEAD-US: baseline right_knee (1,2,1,0,2,2)
    # projected: synovitis 2 + cartilage 2 + bone 2 = 6; week 12 right_knee 1+2+2 = 5.
    "US-3": (
        ("head_us_c", head_us_c(right_knee=(1, 2, 1, 0, 2, 2))),
        ("head_us", head_us(right_knee=(1, 2, 2))),
    ),
    # US-4: no joint examined at both timepoints: truly incomparable, excluded.
    "US-4": (
        ("head_us", head_us(left_elbow=(1, 1, 1))),
        ("head_us", head_us(right_elbow=(0, 0, 0))),
    ),
}


def record(code: str, raw: dict[str, Any], total: float | None = None) -> AssessmentRecord:
    return AssessmentRecord(instrument_code=code, raw=raw, total=total)


@pytest.mark.parametrize(
    ("name", "tier", "joints", "totals"),
    [
        ("US-1", Tier.HEAD_US, ["left_knee"], (6.0, 5.0)),
        ("US-2", Tier.HEAD_US_C, ["left_ankle"], (9.0, 5.0)),
        ("US-3", Tier.HEAD_US, ["right_knee"], (6.0, 5.0)),
    ],
    ids=["head_us-then-head_us_c", "head_us_c-both", "head_us_c-then-head_us"],
)
def test_exams_are_compared_at_their_highest_common_tier(
    name: str, tier: Tier, joints: list[str], totals: tuple[float, float]
) -> None:
    (code_before, before), (code_after, after) = EXAMS[name]
    compared = compare_exams(
        record(code_before, before), record(code_after, after), load_head_us_c()
    )
    assert compared.tier is tier
    assert [joint.value for joint in compared.joints] == joints
    assert (compared.baseline, compared.follow_up) == totals
    assert compared.excluded is None


def test_exams_without_a_common_joint_are_excluded() -> None:
    (code_before, before), (code_after, after) = EXAMS["US-4"]
    compared = compare_exams(
        record(code_before, before), record(code_after, after), load_head_us_c()
    )
    assert (compared.excluded, compared.baseline, compared.follow_up) == (
        "ultrasound_no_common_joints",
        None,
        None,
    )


def test_an_exam_the_current_definition_cannot_read_is_not_projectable() -> None:
    # A centre replaced head_us_c.json: the stored exam has an item it no longer knows.
    stored = head_us_c(left_knee=(0, 1, 0, 0, 1, 0))
    stored["joints"]["left_knee"]["old_item"] = 1
    compared = compare_exams(
        record("head_us", head_us(left_knee=(1, 1, 0))),
        record("head_us_c", stored),
        load_head_us_c(),
    )
    assert (compared.excluded, compared.tier) == ("ultrasound_not_projectable", Tier.HEAD_US)


def test_one_timepoint_only_keeps_its_total_for_the_missing_reason() -> None:
    compared = compare_exams(
        record("head_us", head_us(left_knee=(1, 1, 0)), 2.0), None, load_head_us_c()
    )
    assert (compared.baseline, compared.follow_up, compared.tier) == (2.0, None, None)


@pytest.fixture
def report(sessions: sessionmaker[Session]) -> dict[str, Any]:
    with sessions() as session:
        centre = create_centre(session, code="USC1")
        staff = create_user(session, role=Role.THERAPIST, centre=centre)
        for number, ((code_before, before), (code_after, after)) in EXAMS.items():
            patient = create_patient(session, centre, record_number=number)
            create_enrolment(session, patient, staff, start_date=START)
            for code, raw, day, timepoint in (
                (code_before, before, START, Timepoint.BASELINE),
                (code_after, after, WEEK_12, Timepoint.WEEK_12),
            ):
                create_assessment(
                    session,
                    patient,
                    staff,
                    instrument_code=code,
                    raw=raw,
                    assessed_date=day,
                    timepoint=timepoint,
                )
        return outcomes_report(session, CohortFilter(centre_code="USC1"))


def test_the_outcome_says_which_tier_each_patient_was_compared_at(
    report: dict[str, Any],
) -> None:
    entry = next(item for item in report["outcomes"] if item["outcome"] == "ultrasound_total")
    # US-1..3 compared (n 3); US-4 excluded with the reason.
    assert entry["n"] == 3
    assert entry["excluded"] == [{"patient": "US-4", "reason": "ultrasound_no_common_joints"}]
    assert entry["comparison_tier"] == "mixed"
    assert entry["comparison_tier_counts"] == {"head_us": 2, "head_us_c": 1}
    tiers = {item["patient"]: item["tier"] for item in entry["comparisons"]}
    assert tiers == {"US-1": "head_us", "US-2": "head_us_c", "US-3": "head_us", "US-4": "head_us"}
    # Paired totals by hand (above): baseline 6, 9, 6 -> follow-up 5, 5, 5.
    # Baseline mean 7, follow-up mean 5 (whatever the descriptive form chosen, mean of
    # the differences -1, -4, -1 is -2).
    assert entry["baseline"]["mean"] == pytest.approx(7.0)
    assert entry["follow_up"]["mean"] == pytest.approx(5.0)


def test_a_centre_s_own_head_us_c_definition_is_used_by_the_report(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    # The centre maps synovial hyperplasia 1 to HEAD-US synovitis 2 (ours maps it to 1).
    # US-1 week 12 (hyperplasia 1, cartilage 3, bone 1) then projects to 2 + 3 + 1 = 6,
    # not 5; its baseline stays 2 + 3 + 1 = 6 (HEAD-US, no projection).
    definition = json.loads((DEFINITIONS / "head_us_c.json").read_text())
    definition["head_us_projection"]["synovitis"]["points"]["1"] = 2
    (tmp_path / "head_us_c.json").write_text(json.dumps(definition))
    with sessions() as session:
        centre = create_centre(session, code="USC2")
        staff = create_user(session, role=Role.THERAPIST, centre=centre)
        patient = create_patient(session, centre, record_number="US-1")
        create_enrolment(session, patient, staff, start_date=START)
        (code_before, before), (code_after, after) = EXAMS["US-1"]
        for code, raw, day, timepoint in (
            (code_before, before, START, Timepoint.BASELINE),
            (code_after, after, WEEK_12, Timepoint.WEEK_12),
        ):
            create_assessment(session, patient, staff, instrument_code=code, raw=raw,
                              assessed_date=day, timepoint=timepoint)  # fmt: skip
        cohort = CohortFilter(centre_code="USC2")
        ours = outcomes_report_data(session, cohort).pairs["ultrasound_total"]
        theirs = outcomes_report_data(session, cohort, definitions_dir=tmp_path)
    assert ours == [(6.0, 5.0)]
    assert theirs.pairs["ultrasound_total"] == [(6.0, 6.0)]
    entry = next(e for e in theirs.report["outcomes"] if e["outcome"] == "ultrasound_total")
    assert (entry["n"], entry["comparison_tier"]) == (1, "head_us")

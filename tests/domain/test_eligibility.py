"""Eligibility for the 12-week programme: every criterion of REFERENCE.md section 1."""

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest

from hemojoint.domain.anatomy import BleedSite
from hemojoint.domain.bleeds import BleedEpisode, BleedType
from hemojoint.domain.eligibility import (
    Candidate,
    Criterion,
    ImagingConfirmation,
    ImagingFinding,
    ImagingModality,
    InhibitorResult,
    InhibitorTest,
    Outcome,
    check_eligibility,
)
from hemojoint.domain.errors import InvalidInputError
from hemojoint.domain.patients import HemophiliaType

AS_OF = date(2024, 3, 1)
NEGATIVE = InhibitorResult.NEGATIVE
POSITIVE = InhibitorResult.POSITIVE


def knee_bleed(days_before_as_of: int) -> BleedEpisode:
    start = datetime.combine(AS_OF - timedelta(days=days_before_as_of), time(9))
    return BleedEpisode(BleedSite.LEFT_KNEE, start, None, BleedType.SPONTANEOUS)


def make_candidate(**overrides: Any) -> Candidate:
    """A child who meets every criterion on AS_OF, unless overridden."""
    fields: dict[str, Any] = {
        "birth_date": date(2014, 5, 20),
        "hemophilia_type": HemophiliaType.A,
        "inhibitor_tests": (InhibitorTest(date(2024, 1, 10), NEGATIVE),),
        "follows_simple_training": True,
        "joint_bleed_imaging": ImagingConfirmation(
            ImagingModality.ULTRASOUND, ImagingFinding.SYNOVITIS
        ),
        "joint_pain": True,
        "restricted_motion": True,
        "completes_12_weeks": True,
        "active_bleed_on_ultrasound": False,
        "severe_active_bleeding": False,
        "bleeds": (knee_bleed(60),),
        "heart_liver_or_kidney_disease": False,
        "other_serious_condition": False,
    }
    return Candidate(**{**fields, **overrides})


def failed_codes(candidate: Candidate) -> list[tuple[Criterion, Outcome]]:
    return [(item.criterion, item.outcome) for item in check_eligibility(candidate, AS_OF).failed]


def test_the_baseline_candidate_is_eligible() -> None:
    result = check_eligibility(make_candidate(), AS_OF)
    assert result.eligible
    assert result.as_dict() == {"eligible": True, "failed": []}


# Ages on AS_OF (2024-03-01) counted by hand. Reading of "age 4 to 18" (documented in
# eligibility.py): completed years 4 to 18, so from the 4th birthday to the day before the 19th.
@pytest.mark.parametrize(
    ("birth_date", "eligible"),
    [
        (date(2020, 3, 2), False),  # 3 years 11 months: 4th birthday tomorrow
        (date(2020, 3, 1), True),  # 4 years 0 months: 4th birthday today
        (date(2006, 3, 1), True),  # 18 years 0 months
        (date(2005, 3, 2), True),  # 18 years 11 months: 19th birthday tomorrow
        (date(2005, 3, 1), False),  # 19 years 0 months
    ],
    ids=["3y11m", "4y0m", "18y0m", "18y11m", "19y0m"],
)
def test_age_bounds(birth_date: date, eligible: bool) -> None:
    result = check_eligibility(make_candidate(birth_date=birth_date), AS_OF)
    assert result.eligible is eligible
    if not eligible:
        assert [item.criterion for item in result.failed] == [Criterion.AGE]


def test_age_explanation_gives_the_age() -> None:
    result = check_eligibility(make_candidate(birth_date=date(2020, 3, 2)), AS_OF)
    assert result.failed[0].explanation == "age 3 years 11 months is outside 4 to 18 years"


def test_a_birth_date_after_as_of_is_invalid_input() -> None:
    with pytest.raises(InvalidInputError, match="^birth_date: '2024-03-02' is after as_of"):
        check_eligibility(make_candidate(birth_date=date(2024, 3, 2)), AS_OF)


# Reading documented in eligibility.py: the latest bleed must have started at least
# 28 days (4 weeks) before AS_OF; 28 days ago passes, 27 fails. A bleed after AS_OF is
# not yet known on AS_OF.
@pytest.mark.parametrize(
    ("days_ago", "eligible"),
    [(0, False), (27, False), (28, True), (29, True), (-1, True)],
    ids=["today", "27-days", "28-days", "29-days", "after-as-of"],
)
def test_no_bleed_in_the_last_4_weeks(days_ago: int, eligible: bool) -> None:
    candidate = make_candidate(bleeds=(knee_bleed(90), knee_bleed(days_ago)))
    result = check_eligibility(candidate, AS_OF)
    assert result.eligible is eligible
    if not eligible:
        assert [item.criterion for item in result.failed] == [Criterion.NO_BLEED_IN_4_WEEKS]


def test_recent_bleed_explanation_names_the_days() -> None:
    result = check_eligibility(make_candidate(bleeds=(knee_bleed(27),)), AS_OF)
    expected = "a bleed started 27 days before 2024-03-01; at least 28 are needed"
    assert result.failed[0].explanation == expected


# Each criterion of REFERENCE.md section 1 failing alone, unmet (a wrong answer) or
# not confirmed (unknown, None).
SINGLE_FAILURES = [
    ({"birth_date": None}, Criterion.AGE, Outcome.NOT_CONFIRMED),
    ({"hemophilia_type": None}, Criterion.HEMOPHILIA_DIAGNOSIS, Outcome.NOT_CONFIRMED),
    ({"inhibitor_tests": ()}, Criterion.INHIBITOR_NEGATIVE, Outcome.NOT_CONFIRMED),
    (
        {"inhibitor_tests": (InhibitorTest(date(2024, 2, 1), POSITIVE),)},
        Criterion.INHIBITOR_NEGATIVE,
        Outcome.NOT_MET,
    ),
    ({"follows_simple_training": False}, Criterion.FOLLOWS_TRAINING, Outcome.NOT_MET),
    ({"follows_simple_training": None}, Criterion.FOLLOWS_TRAINING, Outcome.NOT_CONFIRMED),
    ({"joint_bleed_imaging": None}, Criterion.JOINT_BLEED_CONFIRMED, Outcome.NOT_CONFIRMED),
    (
        {"joint_pain": False, "restricted_motion": False},
        Criterion.JOINT_SYMPTOMS,
        Outcome.NOT_MET,
    ),
    (
        {"joint_pain": False, "restricted_motion": None},
        Criterion.JOINT_SYMPTOMS,
        Outcome.NOT_CONFIRMED,
    ),
    ({"completes_12_weeks": False}, Criterion.COMPLETES_12_WEEKS, Outcome.NOT_MET),
    ({"completes_12_weeks": None}, Criterion.COMPLETES_12_WEEKS, Outcome.NOT_CONFIRMED),
    (
        {"active_bleed_on_ultrasound": True},
        Criterion.NO_ACTIVE_BLEED_ON_ULTRASOUND,
        Outcome.NOT_MET,
    ),
    (
        {"active_bleed_on_ultrasound": None},
        Criterion.NO_ACTIVE_BLEED_ON_ULTRASOUND,
        Outcome.NOT_CONFIRMED,
    ),
    ({"severe_active_bleeding": True}, Criterion.NO_SEVERE_ACTIVE_BLEEDING, Outcome.NOT_MET),
    (
        {"severe_active_bleeding": None},
        Criterion.NO_SEVERE_ACTIVE_BLEEDING,
        Outcome.NOT_CONFIRMED,
    ),
    ({"bleeds": None}, Criterion.NO_BLEED_IN_4_WEEKS, Outcome.NOT_CONFIRMED),
    ({"heart_liver_or_kidney_disease": True}, Criterion.NO_ORGAN_DISEASE, Outcome.NOT_MET),
    (
        {"heart_liver_or_kidney_disease": None},
        Criterion.NO_ORGAN_DISEASE,
        Outcome.NOT_CONFIRMED,
    ),
    ({"other_serious_condition": True}, Criterion.NO_OTHER_SERIOUS_CONDITION, Outcome.NOT_MET),
    (
        {"other_serious_condition": None},
        Criterion.NO_OTHER_SERIOUS_CONDITION,
        Outcome.NOT_CONFIRMED,
    ),
]


@pytest.mark.parametrize(
    ("overrides", "criterion", "outcome"),
    SINGLE_FAILURES,
    ids=[
        "age-unknown",
        "diagnosis-unknown",
        "inhibitor-never-tested",
        "inhibitor-positive",
        "training-no",
        "training-unknown",
        "imaging-unknown",
        "symptoms-neither",
        "symptoms-unknown",
        "12-weeks-no",
        "12-weeks-unknown",
        "active-bleed-us-yes",
        "active-bleed-us-unknown",
        "severe-bleeding-yes",
        "severe-bleeding-unknown",
        "bleed-history-unknown",
        "organ-disease-yes",
        "organ-disease-unknown",
        "serious-condition-yes",
        "serious-condition-unknown",
    ],
)
def test_each_criterion_fails_alone(
    overrides: dict[str, Any], criterion: Criterion, outcome: Outcome
) -> None:
    result = check_eligibility(make_candidate(**overrides), AS_OF)
    assert not result.eligible
    assert [(item.criterion, item.outcome) for item in result.failed] == [(criterion, outcome)]
    if outcome is Outcome.NOT_CONFIRMED:
        assert result.failed[0].explanation == f"not confirmed: {criterion.requirement}"


# One symptom is enough (REFERENCE.md: "joint pain or restricted motion").
@pytest.mark.parametrize(
    ("joint_pain", "restricted_motion"),
    [(True, False), (False, True), (True, None), (None, True)],
    ids=["pain-only", "motion-only", "pain-motion-unknown", "motion-pain-unknown"],
)
def test_one_symptom_is_enough(joint_pain: bool | None, restricted_motion: bool | None) -> None:
    candidate = make_candidate(joint_pain=joint_pain, restricted_motion=restricted_motion)
    assert check_eligibility(candidate, AS_OF).eligible


# The latest inhibitor test on or before AS_OF decides; a later one is not known yet.
@pytest.mark.parametrize(
    ("tests", "eligible"),
    [
        (
            (InhibitorTest(date(2023, 1, 1), POSITIVE), InhibitorTest(date(2024, 1, 1), NEGATIVE)),
            True,
        ),
        (
            (InhibitorTest(date(2023, 1, 1), NEGATIVE), InhibitorTest(date(2024, 1, 1), POSITIVE)),
            False,
        ),
        (
            (InhibitorTest(date(2024, 1, 1), NEGATIVE), InhibitorTest(date(2024, 1, 1), POSITIVE)),
            False,
        ),
        (
            (InhibitorTest(date(2024, 1, 1), NEGATIVE), InhibitorTest(date(2024, 3, 2), POSITIVE)),
            True,
        ),
        ((InhibitorTest(date(2024, 3, 1), POSITIVE),), False),
        ((InhibitorTest(date(2024, 3, 2), NEGATIVE),), False),
    ],
    ids=[
        "positive-then-negative",
        "negative-then-positive",
        "same-day-conflict",
        "positive-after-as-of-ignored",
        "positive-on-as-of",
        "only-test-after-as-of",
    ],
)
def test_latest_inhibitor_test_decides(tests: tuple[InhibitorTest, ...], eligible: bool) -> None:
    result = check_eligibility(make_candidate(inhibitor_tests=tests), AS_OF)
    assert result.eligible is eligible
    assert all(item.criterion is Criterion.INHIBITOR_NEGATIVE for item in result.failed)


def test_several_failures_are_all_named_in_criterion_order() -> None:
    candidate = make_candidate(
        birth_date=date(2005, 3, 1),
        inhibitor_tests=(InhibitorTest(date(2024, 2, 1), POSITIVE),),
        bleeds=(knee_bleed(10),),
        other_serious_condition=None,
    )
    assert failed_codes(candidate) == [
        (Criterion.AGE, Outcome.NOT_MET),
        (Criterion.INHIBITOR_NEGATIVE, Outcome.NOT_MET),
        (Criterion.NO_BLEED_IN_4_WEEKS, Outcome.NOT_MET),
        (Criterion.NO_OTHER_SERIOUS_CONDITION, Outcome.NOT_CONFIRMED),
    ]


def test_nothing_known_fails_every_criterion_as_not_confirmed() -> None:
    unknown = make_candidate(
        **{name: None for name in Candidate.__dataclass_fields__ if name != "inhibitor_tests"},
        inhibitor_tests=(),
    )
    assert failed_codes(unknown) == [(criterion, Outcome.NOT_CONFIRMED) for criterion in Criterion]


def test_criterion_codes_are_stable() -> None:
    # Stored and sent to other tools: renaming one is a breaking change.
    assert [criterion.value for criterion in Criterion] == [
        "age_4_to_18",
        "hemophilia_diagnosis",
        "inhibitor_negative",
        "follows_simple_training",
        "joint_bleed_confirmed_by_imaging",
        "joint_pain_or_restricted_motion",
        "completes_12_weeks",
        "no_active_bleed_on_ultrasound",
        "no_severe_active_bleeding",
        "no_bleed_in_last_4_weeks",
        "no_heart_liver_or_kidney_disease",
        "no_other_serious_condition",
    ]


def test_result_as_dict() -> None:
    result = check_eligibility(make_candidate(completes_12_weeks=False), AS_OF)
    assert result.as_dict() == {
        "eligible": False,
        "failed": [
            {
                "criterion": "completes_12_weeks",
                "outcome": "not_met",
                "explanation": "not met: able to complete the 12 weeks",
            }
        ],
    }

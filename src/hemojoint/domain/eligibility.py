"""Eligibility for the 12-week individualised rehabilitation programme.

Reference: ``REFERENCE.md`` section 1 (inclusion and exclusion criteria of the
seed study). Every criterion is checked and every failure is returned, never
just the first. A value that is not known (``None``) fails as "not confirmed":
eligibility is never assumed.

Readings written down so they can be checked:

- "Age 4 to 18": completed years 4 to 18 inclusive, i.e. from the 4th birthday
  up to the day before the 19th (18 years 11 months is in, 19 years 0 months is
  out). Age is computed by :func:`~hemojoint.domain.patients.age_at`.
- "No new bleed for at least 4 weeks" (inclusion) and "any bleed in the last 4
  weeks" (exclusion) are one criterion: every reported bleed starting on or
  before ``as_of`` must have started at least 28 days before it (a bleed 28
  days ago passes, 27 days ago fails). Rebleeds count: the raw reports are used.
- Negative inhibitor: the latest inhibitor test on or before ``as_of`` is
  negative; if several tests share that date, any positive one fails.
- Organ disease (heart, liver, kidney) and other serious conditions are two
  criteria, so a clinician sees which one failed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from hemojoint.domain.bleeds import BleedEpisode
from hemojoint.domain.patients import HemophiliaType, age_at

MIN_AGE_YEARS = 4
MAX_AGE_YEARS = 18
BLEED_FREE_DAYS = 28


class Criterion(StrEnum):
    """Stable codes of the programme's criteria; ``requirement`` says each in English."""

    AGE = "age_4_to_18"
    HEMOPHILIA_DIAGNOSIS = "hemophilia_diagnosis"
    INHIBITOR_NEGATIVE = "inhibitor_negative"
    FOLLOWS_TRAINING = "follows_simple_training"
    JOINT_BLEED_CONFIRMED = "joint_bleed_confirmed_by_imaging"
    JOINT_SYMPTOMS = "joint_pain_or_restricted_motion"
    COMPLETES_12_WEEKS = "completes_12_weeks"
    NO_ACTIVE_BLEED_ON_ULTRASOUND = "no_active_bleed_on_ultrasound"
    NO_SEVERE_ACTIVE_BLEEDING = "no_severe_active_bleeding"
    NO_BLEED_IN_4_WEEKS = "no_bleed_in_last_4_weeks"
    NO_ORGAN_DISEASE = "no_heart_liver_or_kidney_disease"
    NO_OTHER_SERIOUS_CONDITION = "no_other_serious_condition"

    @property
    def requirement(self) -> str:
        return _REQUIREMENTS[self]


_REQUIREMENTS: dict[Criterion, str] = {
    Criterion.AGE: "aged 4 to 18 years (up to the day before the 19th birthday)",
    Criterion.HEMOPHILIA_DIAGNOSIS: "diagnosed with hemophilia A or B",
    Criterion.INHIBITOR_NEGATIVE: "latest inhibitor test negative",
    Criterion.FOLLOWS_TRAINING: "able to follow simple training",
    Criterion.JOINT_BLEED_CONFIRMED: (
        "previous joint bleed confirmed by MRI or ultrasound as synovitis or hemophilic arthropathy"
    ),
    Criterion.JOINT_SYMPTOMS: "joint pain or restricted motion",
    Criterion.COMPLETES_12_WEEKS: "able to complete the 12 weeks",
    Criterion.NO_ACTIVE_BLEED_ON_ULTRASOUND: "no active bleed on ultrasound",
    Criterion.NO_SEVERE_ACTIVE_BLEEDING: "no severe active bleeding",
    Criterion.NO_BLEED_IN_4_WEEKS: "no bleed in the 4 weeks (28 days) before enrolment",
    Criterion.NO_ORGAN_DISEASE: "no significant heart, liver or kidney disease",
    Criterion.NO_OTHER_SERIOUS_CONDITION: "no other serious condition",
}


class InhibitorResult(StrEnum):
    NEGATIVE = "negative"
    POSITIVE = "positive"


@dataclass(frozen=True)
class InhibitorTest:
    tested_on: date
    result: InhibitorResult


class ImagingModality(StrEnum):
    MRI = "mri"
    ULTRASOUND = "ultrasound"


class ImagingFinding(StrEnum):
    SYNOVITIS = "synovitis"
    HEMOPHILIC_ARTHROPATHY = "hemophilic_arthropathy"


@dataclass(frozen=True)
class ImagingConfirmation:
    """How a previous joint bleed was confirmed (only the modalities the protocol accepts)."""

    modality: ImagingModality
    finding: ImagingFinding


@dataclass(frozen=True, kw_only=True)
class Candidate:
    """What the MDT knows about a child at screening; ``None`` means not known.

    ``bleeds`` are the reported bleeds (``None``: bleed history not known; an
    empty tuple: none reported). ``inhibitor_tests`` empty means never tested.
    """

    birth_date: date | None
    hemophilia_type: HemophiliaType | None
    inhibitor_tests: tuple[InhibitorTest, ...]
    follows_simple_training: bool | None
    joint_bleed_imaging: ImagingConfirmation | None
    joint_pain: bool | None
    restricted_motion: bool | None
    completes_12_weeks: bool | None
    active_bleed_on_ultrasound: bool | None
    severe_active_bleeding: bool | None
    bleeds: tuple[BleedEpisode, ...] | None
    heart_liver_or_kidney_disease: bool | None
    other_serious_condition: bool | None


class Outcome(StrEnum):
    NOT_MET = "not_met"
    NOT_CONFIRMED = "not_confirmed"


@dataclass(frozen=True)
class FailedCriterion:
    """One failed criterion: its code, whether it is unmet or unknown, and why."""

    criterion: Criterion
    outcome: Outcome
    explanation: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "criterion": self.criterion.value,
            "outcome": self.outcome.value,
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class EligibilityResult:
    """Eligible when no criterion failed; ``failed`` is in :class:`Criterion` order."""

    failed: tuple[FailedCriterion, ...]

    @property
    def eligible(self) -> bool:
        return not self.failed

    def as_dict(self) -> dict[str, Any]:
        return {"eligible": self.eligible, "failed": [item.as_dict() for item in self.failed]}


Check = Callable[[Candidate, date], FailedCriterion | None]


def check_eligibility(candidate: Candidate, as_of: date) -> EligibilityResult:
    """Check every inclusion and exclusion criterion of the programme on ``as_of``.

    Returns every failed criterion with a stable code and an English
    explanation; unknown values fail as not confirmed (``REFERENCE.md`` §1).

    >>> child = Candidate(birth_date=date(2012, 5, 1), hemophilia_type=HemophiliaType.A,
    ...     inhibitor_tests=(InhibitorTest(date(2024, 1, 10), InhibitorResult.NEGATIVE),),
    ...     follows_simple_training=True, joint_bleed_imaging=None, joint_pain=True,
    ...     restricted_motion=None, completes_12_weeks=True, active_bleed_on_ultrasound=False,
    ...     severe_active_bleeding=False, bleeds=(), heart_liver_or_kidney_disease=False,
    ...     other_serious_condition=False)
    >>> result = check_eligibility(child, as_of=date(2024, 3, 1))
    >>> result.eligible, [item.criterion.value for item in result.failed]
    (False, ['joint_bleed_confirmed_by_imaging'])
    """
    found = (check(candidate, as_of) for check in _CHECKS)
    return EligibilityResult(tuple(item for item in found if item is not None))


def _not_confirmed(criterion: Criterion) -> FailedCriterion:
    return FailedCriterion(
        criterion, Outcome.NOT_CONFIRMED, f"not confirmed: {criterion.requirement}"
    )


def _not_met(criterion: Criterion, why: str) -> FailedCriterion:
    return FailedCriterion(criterion, Outcome.NOT_MET, why)


def _check_age(candidate: Candidate, as_of: date) -> FailedCriterion | None:
    if candidate.birth_date is None:
        return _not_confirmed(Criterion.AGE)
    age = age_at(candidate.birth_date, as_of)
    if MIN_AGE_YEARS <= age.years <= MAX_AGE_YEARS:
        return None
    why = f"age {age.years} years {age.months} months is outside 4 to 18 years"
    return _not_met(Criterion.AGE, why)


def _check_diagnosis(candidate: Candidate, as_of: date) -> FailedCriterion | None:
    if candidate.hemophilia_type is None:
        return _not_confirmed(Criterion.HEMOPHILIA_DIAGNOSIS)
    return None


def _check_inhibitor(candidate: Candidate, as_of: date) -> FailedCriterion | None:
    known = [test for test in candidate.inhibitor_tests if test.tested_on <= as_of]
    if not known:
        return _not_confirmed(Criterion.INHIBITOR_NEGATIVE)
    latest_day = max(test.tested_on for test in known)
    latest = {test.result for test in known if test.tested_on == latest_day}
    if InhibitorResult.POSITIVE in latest:
        why = f"the latest inhibitor test ({latest_day.isoformat()}) is positive"
        return _not_met(Criterion.INHIBITOR_NEGATIVE, why)
    return None


def _check_recent_bleeds(candidate: Candidate, as_of: date) -> FailedCriterion | None:
    if candidate.bleeds is None:
        return _not_confirmed(Criterion.NO_BLEED_IN_4_WEEKS)
    cutoff = as_of - timedelta(days=BLEED_FREE_DAYS)
    recent = [
        bleed.start.date() for bleed in candidate.bleeds if cutoff < bleed.start.date() <= as_of
    ]
    if not recent:
        return None
    days_ago = (as_of - max(recent)).days
    why = f"a bleed started {days_ago} days before {as_of.isoformat()}; at least 28 are needed"
    return _not_met(Criterion.NO_BLEED_IN_4_WEEKS, why)


def _check_imaging(candidate: Candidate, as_of: date) -> FailedCriterion | None:
    # The types admit only MRI/ultrasound and synovitis/arthropathy: present means met.
    if candidate.joint_bleed_imaging is None:
        return _not_confirmed(Criterion.JOINT_BLEED_CONFIRMED)
    return None


def _check_symptoms(candidate: Candidate, as_of: date) -> FailedCriterion | None:
    answers = (candidate.joint_pain, candidate.restricted_motion)
    if True in answers:
        return None
    if None in answers:
        return _not_confirmed(Criterion.JOINT_SYMPTOMS)
    return _not_met(Criterion.JOINT_SYMPTOMS, "neither joint pain nor restricted motion")


def _needs(criterion: Criterion, read: Callable[[Candidate], bool | None], wanted: bool) -> Check:
    """A check that a yes/no answer is the wanted one; unknown is not confirmed."""

    def check(candidate: Candidate, as_of: date) -> FailedCriterion | None:
        answer = read(candidate)
        if answer is None:
            return _not_confirmed(criterion)
        if answer is wanted:
            return None
        return _not_met(criterion, f"not met: {criterion.requirement}")

    return check


_CHECKS: tuple[Check, ...] = (
    _check_age,
    _check_diagnosis,
    _check_inhibitor,
    _needs(Criterion.FOLLOWS_TRAINING, lambda c: c.follows_simple_training, True),
    _check_imaging,
    _check_symptoms,
    _needs(Criterion.COMPLETES_12_WEEKS, lambda c: c.completes_12_weeks, True),
    _needs(Criterion.NO_ACTIVE_BLEED_ON_ULTRASOUND, lambda c: c.active_bleed_on_ultrasound, False),
    _needs(Criterion.NO_SEVERE_ACTIVE_BLEEDING, lambda c: c.severe_active_bleeding, False),
    _check_recent_bleeds,
    _needs(Criterion.NO_ORGAN_DISEASE, lambda c: c.heart_liver_or_kidney_disease, False),
    _needs(Criterion.NO_OTHER_SERIOUS_CONDITION, lambda c: c.other_serious_condition, False),
)

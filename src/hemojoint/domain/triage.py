"""Bleed triage: from a structured bleed report to an urgency with every reason.

Source: REFERENCE.md section 4 (iliopsoas hemorrhage and femoral neuropathy;
Panuwannakorn et al., Int J Hematol 2023) and its list of other emergencies by
site. The rules name signs, not numbers, so nothing here is provisional.

The software flags and routes; it never replaces the clinician's judgement, and
every result says so. English texts live in the tables at the end of the module,
keyed by stable codes, so that a gettext catalogue can translate them later.

Safety choices (err towards the higher urgency, because missing an iliopsoas or
head bleed is the harm this module exists to prevent):

- any femoral nerve sign is an emergency, even without a reported pain site:
  femoral neuropathy is the complication that makes an iliopsoas bleed an
  emergency (28 of 44 iliopsoas bleeds in the case series);
- a severe headache is an emergency on its own; vomiting alone is not.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from hemojoint.domain.anatomy import BleedSite, SiteKind
from hemojoint.domain.errors import FieldProblem, InvalidInputError
from hemojoint.domain.validation import (
    ProblemCollector,
    fail,
    no_unknown_keys,
    require_key,
    require_list,
    require_mapping,
)

UNKNOWN_SITE = "unknown"


class Finding(StrEnum):
    """Symptoms and signs a family or clinician can report (REFERENCE.md section 4)."""

    GROIN_PAIN = "groin_pain"
    LOWER_ABDOMINAL_PAIN = "lower_abdominal_pain"
    HIP_PAIN = "hip_pain"
    BACK_PAIN = "back_pain"
    THIGH_PAIN = "thigh_pain"
    HIP_HELD_FLEXED = "hip_held_flexed"
    PAIN_ON_HIP_EXTENSION = "pain_on_hip_extension"
    PAIN_ON_HIP_ROTATION = "pain_on_hip_rotation"
    LIMP_OR_CANNOT_STAND_STRAIGHT = "limp_or_cannot_stand_straight"
    THIGH_NUMBNESS = "thigh_numbness"
    KNEE_EXTENSION_WEAKNESS = "knee_extension_weakness"
    KNEE_GIVING_WAY = "knee_giving_way"
    REDUCED_KNEE_REFLEX = "reduced_knee_reflex"
    PALLOR_OR_DIZZINESS = "pallor_or_dizziness"
    FAST_HEART_RATE = "fast_heart_rate"
    HEAD_INJURY = "head_injury"
    SEVERE_HEADACHE = "severe_headache"
    VOMITING = "vomiting"
    NECK_SWELLING = "neck_swelling"
    THROAT_SWELLING_OR_DIFFICULTY_SWALLOWING = "throat_swelling_or_difficulty_swallowing"
    ABDOMINAL_PAIN = "abdominal_pain"
    BLOOD_IN_STOOL_OR_VOMIT = "blood_in_stool_or_vomit"
    TENSE_SWOLLEN_LIMB = "tense_swollen_limb"
    JOINT_SWELLING = "joint_swelling"
    JOINT_PAIN = "joint_pain"
    JOINT_WARMTH = "joint_warmth"
    REDUCED_MOTION = "reduced_motion"


class Urgency(StrEnum):
    """Ordered from most to least urgent."""

    EMERGENCY = "emergency"
    URGENT = "urgent"
    ROUTINE = "routine"


class Suspected(StrEnum):
    ILIOPSOAS_BLEED = "iliopsoas_bleed"
    HIP_JOINT_BLEED = "hip_joint_bleed"
    JOINT_BLEED = "joint_bleed"
    MUSCLE_BLEED = "muscle_bleed"
    HEAD_OR_NECK_BLEED = "head_or_neck_bleed"
    ABDOMINAL_BLEED = "abdominal_bleed"
    COMPARTMENT_SYNDROME = "compartment_syndrome"
    SKIN_OR_MUCOSAL_BLEED = "skin_or_mucosal_bleed"
    UNCLEAR = "unclear"


class Reason(StrEnum):
    """Why a report got its urgency; each has one urgency and one text (tables below)."""

    ILIOPSOAS_WITH_FEMORAL_NERVE_SIGNS = "iliopsoas_with_femoral_nerve_signs"
    HEAD_BLEED_SIGNS = "head_bleed_signs"
    NECK_OR_THROAT_BLEED_SIGNS = "neck_or_throat_bleed_signs"
    ABDOMINAL_OR_GI_BLEED_SIGNS = "abdominal_or_gi_bleed_signs"
    COMPARTMENT_SIGNS = "compartment_signs"
    LARGE_BLOOD_LOSS_SIGNS = "large_blood_loss_signs"
    ILIOPSOAS_BLEED_SUSPECTED = "iliopsoas_bleed_suspected"
    HIP_JOINT_BLEED_SUSPECTED = "hip_joint_bleed_suspected"
    HIP_THIGH_OR_BACK_PAIN = "hip_thigh_or_back_pain"
    JOINT_BLEED_SIGNS = "joint_bleed_signs"
    NO_RED_FLAGS = "no_red_flags"

    @property
    def urgency(self) -> Urgency:
        return REASONS[self][0]

    @property
    def text(self) -> str:
        return REASONS[self][1]


# The finding groups of REFERENCE.md section 4.
FEMORAL_NERVE_SIGNS = frozenset(
    {Finding.THIGH_NUMBNESS, Finding.KNEE_EXTENSION_WEAKNESS, Finding.KNEE_GIVING_WAY,
     Finding.REDUCED_KNEE_REFLEX}
)  # fmt: skip
ILIOPSOAS_POINTERS = frozenset(
    {Finding.GROIN_PAIN, Finding.LOWER_ABDOMINAL_PAIN, Finding.HIP_HELD_FLEXED,
     Finding.PAIN_ON_HIP_EXTENSION, Finding.LIMP_OR_CANNOT_STAND_STRAIGHT}
)  # fmt: skip
HEAD_SIGNS = frozenset({Finding.HEAD_INJURY, Finding.SEVERE_HEADACHE})
NECK_SIGNS = frozenset({Finding.NECK_SWELLING, Finding.THROAT_SWELLING_OR_DIFFICULTY_SWALLOWING})
ABDOMINAL_SIGNS = frozenset({Finding.ABDOMINAL_PAIN, Finding.BLOOD_IN_STOOL_OR_VOMIT})
BLOOD_LOSS_SIGNS = frozenset({Finding.PALLOR_OR_DIZZINESS, Finding.FAST_HEART_RATE})
JOINT_SIGNS = frozenset(
    {Finding.JOINT_SWELLING, Finding.JOINT_PAIN, Finding.JOINT_WARMTH, Finding.REDUCED_MOTION}
)
HIP_SITES = frozenset({BleedSite.LEFT_HIP, BleedSite.RIGHT_HIP})
THIGH_SITES = frozenset({BleedSite.LEFT_THIGH, BleedSite.RIGHT_THIGH})
HEAD_SITES = frozenset({BleedSite.HEAD})
NECK_SITES = frozenset({BleedSite.NECK, BleedSite.THROAT})
SKIN_OR_MUCOSAL_SITES = frozenset({BleedSite.SKIN, BleedSite.MOUTH, BleedSite.NOSE})


@dataclass(frozen=True)
class BleedReport:
    """Where the bleed is (``None`` when unknown) and the findings reported."""

    site: BleedSite | None
    findings: frozenset[Finding]

    def has_any(self, group: Iterable[Finding]) -> bool:
        return not self.findings.isdisjoint(group)

    def site_in(self, sites: Iterable[BleedSite]) -> bool:
        return self.site is not None and self.site in frozenset(sites)

    @classmethod
    def from_mapping(cls, data: object) -> BleedReport:
        """Parse ``{"site": SITE, "findings": [CODE, ...]}``, reporting every problem at once.

        SITE is a :class:`BleedSite` code or ``"unknown"``; each CODE a :class:`Finding`,
        listed once.

        >>> BleedReport.from_mapping({"site": "left_ankle", "findings": ["joint_swelling"]}).site
        <BleedSite.LEFT_ANKLE: 'left_ankle'>
        >>> BleedReport.from_mapping({"site": "unknown", "findings": ["vomiting", "vomiting"]})
        Traceback (most recent call last):
        ...
        hemojoint.domain.errors.InvalidInputError: findings[1]: 'vomiting' repeats findings[0]
        """
        mapping = require_mapping("report", data)
        problems = ProblemCollector()
        problems.check(no_unknown_keys, "", mapping, ("site", "findings"))
        site = problems.check(_parse_site, mapping)
        findings = problems.check(_parse_findings, mapping)
        problems.raise_if_any()
        return cls(site=site, findings=frozenset(findings or ()))


def _parse_site(mapping: Mapping[str, Any]) -> BleedSite | None:
    allowed = [*(site.value for site in BleedSite), UNKNOWN_SITE]
    value = require_key(mapping, "site", "", f"one of {', '.join(allowed)}")
    if value == UNKNOWN_SITE:
        return None
    if value in allowed:
        return BleedSite(value)
    raise fail(FieldProblem.not_one_of("site", value, allowed))


def _parse_findings(mapping: Mapping[str, Any]) -> list[Finding]:
    """Each finding a known code, listed once (a repeat is probably a typo for another)."""
    items = require_list("findings", require_key(mapping, "findings", "", "a list of codes"))
    allowed = [finding.value for finding in Finding]
    problems: list[FieldProblem] = []
    for index, item in enumerate(items):
        field = f"findings[{index}]"
        if item not in allowed:
            problems.append(FieldProblem.not_one_of(field, item, allowed))
        elif items.index(item) < index:
            why = f"repeats findings[{items.index(item)}]"
            problems.append(FieldProblem.invalid(field, item, "each code once", why))
    if problems:
        raise InvalidInputError(problems)
    return [Finding(item) for item in items]


@dataclass(frozen=True)
class TriageResult:
    """The urgency, every reason for it and the suspected kinds of bleed (most serious first)."""

    urgency: Urgency
    reasons: tuple[Reason, ...]
    suspected: tuple[Suspected, ...]

    @property
    def advice(self) -> str:
        return ADVICE_TEXT[self.urgency]

    def as_dict(self) -> dict[str, Any]:
        return {
            "urgency": self.urgency.value,
            "reasons": [
                {"code": reason.value, "urgency": reason.urgency.value, "text": reason.text}
                for reason in self.reasons
            ],
            "suspected": [suspect.value for suspect in self.suspected],
            "advice": self.advice,
            "disclaimer": DISCLAIMER_TEXT,
        }


def triage(report: BleedReport) -> TriageResult:
    """Triage a bleed report into ``emergency``, ``urgent`` or ``routine`` with every reason.

    Rules (REFERENCE.md section 4): femoral nerve signs (with or without groin,
    lower abdominal, hip, thigh or back pain or an iliopsoas site), head, neck,
    throat or abdominal/GI bleeding, compartment signs and signs of large blood
    loss are emergencies. A suspected iliopsoas bleed without nerve signs (groin
    or lower abdominal pain, hip held flexed, pain on hip extension or a limp,
    with hip rotation comparatively painless) and a joint bleed are urgent; a
    hip that also hurts on rotation, without nerve signs, is a hip joint bleed.
    Anything else is routine. Every matching reason is listed, most urgent first.

    >>> result = triage(BleedReport(None, frozenset({Finding.GROIN_PAIN, Finding.THIGH_NUMBNESS})))
    >>> result.urgency, result.suspected
    (<Urgency.EMERGENCY: 'emergency'>, (<Suspected.ILIOPSOAS_BLEED: 'iliopsoas_bleed'>,))
    >>> triage(BleedReport(BleedSite.SKIN, frozenset())).reasons
    (<Reason.NO_RED_FLAGS: 'no_red_flags'>,)
    """
    matches = [
        *_hip_region(report),
        *_head_and_neck(report),
        *_abdomen(report),
        *_compartment_and_blood_loss(report),
    ]
    matches.extend(_joint(report, already=[suspect for _, suspect in matches]))
    matches.sort(key=lambda match: list(Urgency).index(match[0].urgency))
    reasons = tuple(reason for reason, _ in matches) or (Reason.NO_RED_FLAGS,)
    return TriageResult(reasons[0].urgency, reasons, _suspected(report, matches))


def triage_mapping(data: object) -> TriageResult:
    """Validate a JSON-like report (see :meth:`BleedReport.from_mapping`) and triage it.

    >>> triage_mapping({"site": "right_hip", "findings": ["pain_on_hip_rotation"]}).suspected
    (<Suspected.HIP_JOINT_BLEED: 'hip_joint_bleed'>,)
    """
    return triage(BleedReport.from_mapping(data))


Match = tuple[Reason, Suspected | None]


def _hip_region(report: BleedReport) -> list[Match]:
    """Iliopsoas versus hip joint (REFERENCE.md section 4): nerve signs decide first."""
    is_iliopsoas_site = report.site is not None and report.site.is_iliopsoas
    if report.has_any(FEMORAL_NERVE_SIGNS):
        return [(Reason.ILIOPSOAS_WITH_FEMORAL_NERVE_SIGNS, Suspected.ILIOPSOAS_BLEED)]
    if is_iliopsoas_site:
        return [(Reason.ILIOPSOAS_BLEED_SUSPECTED, Suspected.ILIOPSOAS_BLEED)]
    # A hip joint bleed hurts in every direction, including rotation.
    if report.site_in(HIP_SITES) or Finding.PAIN_ON_HIP_ROTATION in report.findings:
        return [(Reason.HIP_JOINT_BLEED_SUSPECTED, Suspected.HIP_JOINT_BLEED)]
    if report.has_any(ILIOPSOAS_POINTERS):
        return [(Reason.ILIOPSOAS_BLEED_SUSPECTED, Suspected.ILIOPSOAS_BLEED)]
    # Thigh pain from a reported thigh muscle bleed is explained by that site.
    thigh_pain = Finding.THIGH_PAIN in report.findings and not report.site_in(THIGH_SITES)
    if thigh_pain or report.has_any({Finding.HIP_PAIN, Finding.BACK_PAIN}):
        return [(Reason.HIP_THIGH_OR_BACK_PAIN, None)]
    return []


def _head_and_neck(report: BleedReport) -> list[Match]:
    matches: list[Match] = []
    if report.site_in(HEAD_SITES) or report.has_any(HEAD_SIGNS):
        matches.append((Reason.HEAD_BLEED_SIGNS, Suspected.HEAD_OR_NECK_BLEED))
    if report.site_in(NECK_SITES) or report.has_any(NECK_SIGNS):
        matches.append((Reason.NECK_OR_THROAT_BLEED_SIGNS, Suspected.HEAD_OR_NECK_BLEED))
    return matches


def _abdomen(report: BleedReport) -> list[Match]:
    if report.site_in({BleedSite.ABDOMEN}) or report.has_any(ABDOMINAL_SIGNS):
        return [(Reason.ABDOMINAL_OR_GI_BLEED_SIGNS, Suspected.ABDOMINAL_BLEED)]
    return []


def _compartment_and_blood_loss(report: BleedReport) -> list[Match]:
    matches: list[Match] = []
    if Finding.TENSE_SWOLLEN_LIMB in report.findings:
        matches.append((Reason.COMPARTMENT_SIGNS, Suspected.COMPARTMENT_SYNDROME))
    if report.has_any(BLOOD_LOSS_SIGNS):
        # Blood loss says how much, not where: it adds no suspected site.
        matches.append((Reason.LARGE_BLOOD_LOSS_SIGNS, None))
    return matches


def _joint(report: BleedReport, already: list[Suspected | None]) -> list[Match]:
    """A joint bleed other than a hip joint bleed already reported."""
    other_joint_site = report.site is not None and report.site.is_joint
    other_joint_site = other_joint_site and not report.site_in(HIP_SITES)
    signs_unexplained = report.has_any(JOINT_SIGNS) and Suspected.HIP_JOINT_BLEED not in already
    if other_joint_site or signs_unexplained:
        return [(Reason.JOINT_BLEED_SIGNS, Suspected.JOINT_BLEED)]
    return []


def _suspected(report: BleedReport, matches: list[Match]) -> tuple[Suspected, ...]:
    """Suspects from the reasons (most urgent first), then the reported site's own kind."""
    ordered = [suspect for _, suspect in matches if suspect is not None]
    site_suspect = _site_suspect(report.site)
    if site_suspect is not None:
        ordered.append(site_suspect)
    return tuple(dict.fromkeys(ordered)) or (Suspected.UNCLEAR,)


def _site_suspect(site: BleedSite | None) -> Suspected | None:
    if site is None or site is BleedSite.OTHER:
        return None
    if site.is_iliopsoas:
        return Suspected.ILIOPSOAS_BLEED
    if site in HIP_SITES:
        return Suspected.HIP_JOINT_BLEED
    if site in SKIN_OR_MUCOSAL_SITES:
        return Suspected.SKIN_OR_MUCOSAL_BLEED
    by_kind = {SiteKind.JOINT: Suspected.JOINT_BLEED, SiteKind.MUSCLE: Suspected.MUSCLE_BLEED}
    return by_kind.get(site.kind)  # head, neck, throat, abdomen: a reason already named them


# English source texts keyed by code (a gettext catalogue will translate them later),
# with the urgency each reason carries (REFERENCE.md section 4).
REASONS: Mapping[Reason, tuple[Urgency, str]] = {
    Reason.ILIOPSOAS_WITH_FEMORAL_NERVE_SIGNS: (Urgency.EMERGENCY,
        "Femoral nerve signs (numbness or tingling of the front or inner thigh, weakness "
        "straightening the knee, knee giving way or a reduced knee reflex) suggest an "
        "iliopsoas bleed pressing on the nerve, especially with groin pain and a hip held bent."),
    Reason.HEAD_BLEED_SIGNS: (Urgency.EMERGENCY,
        "A bleed in the head, a head injury or a severe headache (especially with vomiting) "
        "can mean bleeding inside the skull."),
    Reason.NECK_OR_THROAT_BLEED_SIGNS: (Urgency.EMERGENCY,
        "A bleed or swelling in the neck or throat, or difficulty swallowing, "
        "can block the airway."),
    Reason.ABDOMINAL_OR_GI_BLEED_SIGNS: (Urgency.EMERGENCY,
        "Abdominal pain, a bleed in the abdomen, or blood in the stool or vomit "
        "can mean bleeding inside the abdomen or gut."),
    Reason.COMPARTMENT_SIGNS: (Urgency.EMERGENCY,
        "A tense, swollen limb can mean a bleed is raising the pressure in a muscle "
        "compartment, which can damage nerves and blood vessels."),
    Reason.LARGE_BLOOD_LOSS_SIGNS: (Urgency.EMERGENCY,
        "Pallor, dizziness or a fast heart rate can be signs of large blood loss."),
    Reason.ILIOPSOAS_BLEED_SUSPECTED: (Urgency.URGENT,
        "The report points to an iliopsoas bleed (iliopsoas site, groin or lower abdominal "
        "pain, hip held bent, pain when the hip is straightened or a limp, with hip rotation "
        "not reported as painful). No femoral nerve signs were reported: if the front of the "
        "thigh goes numb or the knee gets weak, it becomes an emergency."),
    Reason.HIP_JOINT_BLEED_SUSPECTED: (Urgency.URGENT,
        "Hip pain that also hurts on rotation, without femoral nerve signs, "
        "suggests a hip joint bleed rather than an iliopsoas bleed."),
    Reason.HIP_THIGH_OR_BACK_PAIN: (Urgency.URGENT,
        "Pain in the hip, front of the thigh or lower back can be an early sign of an "
        "iliopsoas bleed or a hip joint bleed; a hip joint bleed also hurts on rotation."),
    Reason.JOINT_BLEED_SIGNS: (Urgency.URGENT,
        "A joint site or joint swelling, pain, warmth or reduced movement suggest a joint bleed."),
    Reason.NO_RED_FLAGS: (Urgency.ROUTINE,
        "No red flags were reported: no femoral nerve signs, no head, neck, throat or "
        "abdominal bleeding, no compartment signs, no signs of large blood loss, "
        "and no signs of a joint or iliopsoas bleed."),
}  # fmt: skip

ADVICE_TEXT: Mapping[Urgency, str] = {
    Urgency.EMERGENCY: (
        "Give factor now as your treatment plan says and go to hospital now. "
        "Call the hemophilia treatment centre on the way."
    ),
    Urgency.URGENT: (
        "Give factor as your treatment plan says and contact the hemophilia treatment centre today."
    ),
    Urgency.ROUTINE: (
        "Rest, protect the area and cool it (ice wrapped in a cloth). Contact the care team "
        "as usual, and sooner if it gets worse or new signs appear."
    ),
}

DISCLAIMER_TEXT = (
    "This triage supports, and does not replace, clinical judgement. "
    "The flag is sent to the care team. If in doubt, contact the treatment centre."
)

"""The problem list: which of the programme's problems a child has, and the findings behind each.

Issue 4 and REFERENCE.md section 1 ("Problems the plan addresses") name the problems:
joint swelling; muscle atrophy and joint stability; restricted range of motion; pain;
muscle strength (weakness); gait pattern; balance, coordination and proprioception;
posture. Each :class:`~hemojoint.domain.rehab.model.Problem` carries the evidence that
raised it, e.g. ``left_ankle.flexion_loss = 2`` (HJHS 2.1) or ``left_ankle synovitis = 2
on ultrasound`` (HEAD-US), so the therapist sees why it is on the list.

Rules (cut-points in :data:`JOINT_RULES` and the constants below):

- Per index joint, from HJHS 2.1 items (REFERENCE.md section 3): swelling when
  ``swelling`` >= 1 or ``swelling_duration`` = 1; muscle atrophy when ``muscle_atrophy``
  >= 1; restricted motion when ``flexion_loss`` or ``extension_loss`` >= 1; pain when
  ``joint_pain`` >= 1; weakness when ``strength`` >= 1. Crepitus raises nothing: no
  problem of the programme is about it.
- Swelling is also raised by ultrasound: HEAD-US ``synovitis`` >= 1, or HEAD-US-C
  ``effusion`` or ``synovial_hyperplasia`` >= 1.
- Gait (child-level): HJHS ``gait`` >= 1.
- Balance (child-level): any problem at a knee or ankle, or a recent bleed in a
  lower-limb joint (hip, knee, ankle): balance and proprioception are trained after
  lower-limb joint bleeds. Its evidence is that of those problems and bleeds.
- Posture (child-level): gait >= 1, or restricted motion or muscle atrophy at a knee or
  ankle (a stiff or wasted leg shifts weight and alignment; the programme answers with
  corrective sitting and weight shifting). Its evidence is that of those problems.
- An HJHS item that is NE (not evaluable) raises nothing and is never read as 0: it is
  listed in :attr:`ProblemList.not_evaluable`. Another source (ultrasound) may still
  raise the same problem.

Order: by :class:`ProblemCode` order, then by joint in HJHS form order
(:class:`IndexJoint`); a child-level problem has ``joint = None``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, NamedTuple

from hemojoint.domain.anatomy import BleedSite, IndexJoint
from hemojoint.domain.bleeds import BleedEpisode
from hemojoint.domain.errors import FieldProblem
from hemojoint.domain.instruments import head_us
from hemojoint.domain.instruments import hjhs as hjhs_instrument
from hemojoint.domain.instruments.hjhs import (
    HjhsInput,
    HjhsItem,
    HjhsResult,
    ItemValue,
    NotEvaluable,
    NotEvaluableItem,
)
from hemojoint.domain.rehab.model import Evidence, EvidenceSource, Problem, ProblemCode
from hemojoint.domain.ultrasound_protocol import Tier
from hemojoint.domain.validation import ProblemCollector, fail, join_path


class HjhsRule(NamedTuple):
    """A joint-level problem raised when any of ``items`` scores ``at_least`` or more."""

    problem: ProblemCode
    items: tuple[HjhsItem, ...]
    at_least: int


# The programme's convention, not a published cut-off: a problem is raised by the
# lowest abnormal grade of the item that names it. On every HJHS 2.1 and HEAD-US item
# 0 is normal (REFERENCE.md section 3), so ">= 1" is the instrument's own "present";
# it is not a calibrated number a centre would tune, hence a table here and not a
# provisional definition file.
JOINT_RULES: tuple[HjhsRule, ...] = (
    HjhsRule(ProblemCode.SWELLING, (HjhsItem.SWELLING, HjhsItem.SWELLING_DURATION), 1),
    HjhsRule(ProblemCode.MUSCLE_ATROPHY, (HjhsItem.MUSCLE_ATROPHY,), 1),
    HjhsRule(ProblemCode.RESTRICTED_MOTION, (HjhsItem.FLEXION_LOSS, HjhsItem.EXTENSION_LOSS), 1),
    HjhsRule(ProblemCode.PAIN, (HjhsItem.JOINT_PAIN,), 1),
    HjhsRule(ProblemCode.WEAKNESS, (HjhsItem.STRENGTH,), 1),
)
GAIT_AT_LEAST = 1  # same convention: 1 = one of walking, stairs, running, hopping abnormal
ULTRASOUND_AT_LEAST = 1  # same convention: HEAD-US synovitis 1 = mild-moderate
# Which ultrasound items show swelling, per instrument. HEAD-US-C items are named as in
# definitions/head_us_c.json (provisional): a centre file renaming them must update this.
ULTRASOUND_SWELLING_ITEMS: Mapping[Tier, tuple[str, ...]] = MappingProxyType(
    {
        Tier.HEAD_US: ("synovitis",),
        Tier.HEAD_US_C: ("effusion", "synovial_hyperplasia"),
    }
)

# Anatomy, not convention: the lower-limb index joints, and the lower-limb joint bleed sites.
LOWER_LIMB_JOINTS = frozenset(joint for joint in IndexJoint if joint.kind in ("knee", "ankle"))
LOWER_LIMB_BLEED_SITES = frozenset(
    site for site in BleedSite if site.is_joint and site.value.endswith(("_hip", "_knee", "_ankle"))
)
# Lower-limb joint problems that bear on posture (the rule in the module docstring).
POSTURE_JOINT_PROBLEMS = (ProblemCode.RESTRICTED_MOTION, ProblemCode.MUSCLE_ATROPHY)


@dataclass(frozen=True)
class ProblemList:
    """The problems found, in order, and the HJHS items that could not be evaluated."""

    problems: tuple[Problem, ...]
    not_evaluable: tuple[NotEvaluableItem, ...]

    def of(self, code: ProblemCode) -> tuple[Problem, ...]:
        """The problems with ``code``, in joint order."""
        return tuple(problem for problem in self.problems if problem.code is code)

    def as_dict(self) -> dict[str, Any]:
        return {
            "problems": [problem.as_dict() for problem in self.problems],
            "not_evaluable": [
                {"field": item.field, "reason": item.reason} for item in self.not_evaluable
            ],
        }


def derive_problems(
    *,
    hjhs: HjhsResult | None = None,
    hjhs_items: HjhsInput | None = None,
    ultrasound_joints: Mapping[IndexJoint, Mapping[str, int]] | None = None,
    ultrasound_instrument: Tier | None = None,
    recent_bleeds: Sequence[BleedEpisode] = (),
    age_years: int | None = None,
) -> ProblemList:
    """Derive the problem list from the baseline findings (rules in the module docstring).

    ``hjhs_items``: the parsed HJHS 2.1 examination (:func:`hjhs.parse_input`);
    ``hjhs``: its score, optional, and refused if it is not the score of ``hjhs_items``.
    ``ultrasound_joints``: per joint, HEAD-US or HEAD-US-C items as parsed by that
    instrument; ``ultrasound_instrument``: ``Tier.HEAD_US`` or ``Tier.HEAD_US_C``.
    ``recent_bleeds``: the bleeds the caller counts as recent (e.g. those in
    ``bleeds.window_before(start)``, the 12 weeks before enrolment). ``age_years`` is
    checked (whole years >= 0) but raises nothing: REFERENCE.md ties age to how
    exercises are delivered (games at 7 or younger), not to which problems exist.

    >>> items = {item.value: 0 for item in HjhsItem}
    >>> data = {"joints": {joint.value: items for joint in IndexJoint}, "gait": 0}
    >>> data["joints"]["left_ankle"] = {**items, "flexion_loss": 2}
    >>> found = derive_problems(hjhs_items=hjhs_instrument.parse_input(data))
    >>> [(problem.code.value, problem.evidence[0].text) for problem in found.problems]
    [('restricted_motion', 'left_ankle.flexion_loss = 2'), \
('balance', 'left_ankle.flexion_loss = 2'), ('posture', 'left_ankle.flexion_loss = 2')]
    """
    _check_inputs(hjhs, hjhs_items, ultrasound_joints, ultrasound_instrument, age_years)
    joint_problems = _joint_problems(hjhs_items, ultrasound_joints or {}, ultrasound_instrument)
    gait = _gait_problem(hjhs_items)
    child_problems = [
        gait,
        _balance_problem(joint_problems, recent_bleeds),
        _posture_problem(joint_problems, gait),
    ]
    found = [*joint_problems, *(problem for problem in child_problems if problem)]
    order = list(ProblemCode)
    joints = list(IndexJoint)
    found.sort(
        key=lambda p: (order.index(p.code), -1 if p.joint is None else joints.index(p.joint))
    )
    not_evaluable = () if hjhs_items is None else hjhs_instrument.score(hjhs_items).not_evaluable
    return ProblemList(tuple(found), not_evaluable)


def _order(problem: Problem) -> tuple[int, int]:
    """ProblemCode order, then joint order (a child-level problem has no joint)."""
    joint = -1 if problem.joint is None else list(IndexJoint).index(problem.joint)
    return list(ProblemCode).index(problem.code), joint


def _check_inputs(
    hjhs: HjhsResult | None,
    hjhs_items: HjhsInput | None,
    us_joints: Mapping[IndexJoint, Mapping[str, int]] | None,
    us_instrument: Tier | None,
    age_years: int | None,
) -> None:
    problems = ProblemCollector()
    if hjhs is not None and hjhs_items is None:
        problems.add(FieldProblem.missing("hjhs_items", "the HJHS items hjhs was scored from"))
    if hjhs is not None and hjhs_items is not None and hjhs != hjhs_instrument.score(hjhs_items):
        why = "is not the score of hjhs_items"
        problems.add(FieldProblem.invalid("hjhs", "HjhsResult", "the score of hjhs_items", why))
    if us_joints:
        problems.check(_check_ultrasound, us_joints, us_instrument)
    if age_years is not None:
        problems.check(_check_age, age_years)
    problems.raise_if_any()


def _check_age(age_years: int) -> None:
    if isinstance(age_years, bool) or not isinstance(age_years, int) or age_years < 0:
        raise fail(FieldProblem.wrong_type("age_years", age_years, "whole years, 0 or more"))


def _check_ultrasound(
    joints: Mapping[IndexJoint, Mapping[str, int]], instrument: Tier | None
) -> None:
    """HEAD-US items are checked against their verified ranges; HEAD-US-C items (ranges in
    a provisional definition we do not hold here) must be present and whole numbers >= 0."""
    if instrument is None or instrument not in ULTRASOUND_SWELLING_ITEMS:
        allowed = list(ULTRASOUND_SWELLING_ITEMS)
        value = None if instrument is None else str(instrument)
        raise fail(FieldProblem.not_one_of("ultrasound_instrument", value, allowed))
    problems = ProblemCollector()
    for joint, items in joints.items():
        path = join_path("ultrasound", str(joint))
        if joint not in list(IndexJoint):
            problems.add(FieldProblem.not_one_of(path, joint, [item.value for item in IndexJoint]))
        elif instrument is Tier.HEAD_US:
            problems.check(head_us.parse_joint, path, items)
        else:
            problems.check(_check_head_us_c_items, path, items)
    problems.raise_if_any()


def _check_head_us_c_items(path: str, items: Mapping[str, int]) -> None:
    problems = ProblemCollector()
    for code in ULTRASOUND_SWELLING_ITEMS[Tier.HEAD_US_C]:
        if code not in items:
            problems.add(FieldProblem.missing(join_path(path, code), "a whole number >= 0"))
        else:
            problems.check(_whole_number, join_path(path, code), items[code])
    problems.raise_if_any()


def _whole_number(path: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise fail(FieldProblem.wrong_type(path, value, "a whole number >= 0"))
    return value


def _joint_problems(
    hjhs_items: HjhsInput | None,
    us_joints: Mapping[IndexJoint, Mapping[str, int]],
    us_instrument: Tier | None,
) -> list[Problem]:
    found: list[Problem] = []
    for joint in IndexJoint:
        items = {} if hjhs_items is None else hjhs_items.joints.get(joint, {})
        for rule in JOINT_RULES:
            evidence = _hjhs_evidence(joint, items, rule)
            if rule.problem is ProblemCode.SWELLING and us_instrument is not None:
                evidence += _ultrasound_evidence(joint, us_joints.get(joint, {}), us_instrument)
            if evidence:
                found.append(Problem(rule.problem, joint, evidence))
    return found


def _hjhs_evidence(
    joint: IndexJoint, items: Mapping[HjhsItem, ItemValue], rule: HjhsRule
) -> tuple[Evidence, ...]:
    return tuple(
        Evidence(EvidenceSource.HJHS, join_path(joint.value, item.value), value)
        for item in rule.items
        if _at_least(value := items.get(item, NotEvaluable()), rule.at_least)
    )


def _ultrasound_evidence(
    joint: IndexJoint, items: Mapping[str, int], instrument: Tier
) -> tuple[Evidence, ...]:
    return tuple(
        Evidence(EvidenceSource.ULTRASOUND, join_path(joint.value, code), items[code])
        for code in ULTRASOUND_SWELLING_ITEMS[instrument]
        if code in items and items[code] >= ULTRASOUND_AT_LEAST
    )


def _at_least(value: ItemValue, threshold: int) -> bool:
    """NE is never a finding: only an evaluated score can raise a problem."""
    return not isinstance(value, NotEvaluable) and value >= threshold


def _gait_problem(hjhs_items: HjhsInput | None) -> Problem | None:
    if hjhs_items is None or not _at_least(hjhs_items.gait, GAIT_AT_LEAST):
        return None
    evidence = Evidence(EvidenceSource.HJHS, hjhs_instrument.GAIT_FIELD, hjhs_items.gait)
    return Problem(ProblemCode.GAIT, None, (evidence,))


def _balance_problem(
    joint_problems: Sequence[Problem], recent_bleeds: Sequence[BleedEpisode]
) -> Problem | None:
    lower_limb = [problem for problem in joint_problems if problem.joint in LOWER_LIMB_JOINTS]
    bleeds = sorted(
        (bleed for bleed in recent_bleeds if bleed.site in LOWER_LIMB_BLEED_SITES),
        key=lambda bleed: (bleed.start.date(), list(BleedSite).index(bleed.site)),
    )
    bleed_evidence = [
        Evidence(EvidenceSource.BLEEDS, f"{bleed.site.value}.bleed_start", _day(bleed))
        for bleed in bleeds
    ]
    evidence = _unique([*_evidence_of(lower_limb), *bleed_evidence])
    return Problem(ProblemCode.BALANCE, None, evidence) if evidence else None


def _day(bleed: BleedEpisode) -> str:
    return bleed.start.date().isoformat()


def _posture_problem(joint_problems: Sequence[Problem], gait: Problem | None) -> Problem | None:
    lower_limb = [
        problem
        for problem in joint_problems
        if problem.joint in LOWER_LIMB_JOINTS and problem.code in POSTURE_JOINT_PROBLEMS
    ]
    evidence = _unique(_evidence_of([*([gait] if gait else []), *lower_limb]))
    return Problem(ProblemCode.POSTURE, None, evidence) if evidence else None


def _evidence_of(problems: Iterable[Problem]) -> list[Evidence]:
    return [item for problem in problems for item in problem.evidence]


def _unique(evidence: Iterable[Evidence]) -> tuple[Evidence, ...]:
    """Each finding once, in first-seen order (one finding may raise several problems)."""
    return tuple(dict.fromkeys(evidence))

"""Ultrasound examinations: reading, completeness, scoring, projection and comparison.

Bakeer N et al., Res Pract Thromb Haemost (RPTH) 2021, global survey and consensus
(REFERENCE.md section 3 "Tiered ultrasound"): defined examination types, and a
tiered scoring system that grows in complexity but stays comparable across tiers,
with standard acquisition protocols for elbows, knees and ankles.

- Tiers 1-4: point-of-care findings, HEAD-US, HEAD-US-C (with Doppler), measurements.
  A measurement-tier joint carries its HEAD-US-C items as well as its mm values.
- An exam records its type, the operator's role, its date, and per joint its
  findings at the exam's tier and the standard views obtained. The views required
  come from the (provisional) ``us_protocol`` definition, per joint kind and tier
  (:mod:`hemojoint.domain.ultrasound_protocol`, which also defines the tiers).
  A joint missing a required view is incomplete: it gets no score (never "normal").
- Projection to a lower tier: measurement -> HEAD-US-C (the items it carries);
  HEAD-US-C -> HEAD-US by the definition's projection map, -> point-of-care by its
  implications; HEAD-US -> point-of-care: synovial hypertrophy = synovitis >= 1,
  effusion unknown. Completeness is re-checked at the lower tier with the same views.
- Two exams are compared per joint at their highest common tier.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from functools import partial
from typing import Any, TypeVar

from hemojoint.domain.anatomy import IndexJoint
from hemojoint.domain.errors import FieldProblem
from hemojoint.domain.instruments import head_us, pocus, us_measurements
from hemojoint.domain.instruments._shared import JointSumResult, parse_joint_map
from hemojoint.domain.instruments.base import InstrumentInfo, ScoreResult
from hemojoint.domain.instruments.head_us_c import HeadUsCDefinition
from hemojoint.domain.instruments.pocus import PocusFindings, PocusResult
from hemojoint.domain.instruments.us_measurements import MeasurementResult, Measurements
from hemojoint.domain.ultrasound_protocol import Tier, UsProtocol
from hemojoint.domain.validation import (
    ProblemCollector,
    enum_value,
    fail,
    iso_date,
    join_path,
    no_unknown_keys,
    require_key,
    require_list,
    require_mapping,
)

T = TypeVar("T")
E = TypeVar("E", bound=StrEnum)


def highest_common_tier(first: Tier, second: Tier) -> Tier:
    """The highest tier both exams reach, i.e. the lower of the two.

    >>> highest_common_tier(Tier.HEAD_US_C, Tier.HEAD_US)
    <Tier.HEAD_US: 'head_us'>
    """
    return first if first.level <= second.level else second


class ExamType(StrEnum):
    """Examination types of the consensus (REFERENCE.md "Tiered ultrasound")."""

    # At the bedside by the treating clinician, to answer a focused question
    # (blood? synovitis?) and guide immediate care.
    POINT_OF_CARE = "point_of_care"
    # Protocol-driven examination by imaging specialists with a formal report.
    FULL_DIAGNOSTIC = "full_diagnostic"


class OperatorRole(StrEnum):
    SONOGRAPHER = "sonographer"
    RADIOLOGIST = "radiologist"
    HEMATOLOGIST = "hematologist"
    REHAB_PHYSICIAN = "rehab_physician"
    THERAPIST = "therapist"


@dataclass(frozen=True)
class UltrasoundRules:
    """The two definitions an exam is read against (both provisional, centre-replaceable)."""

    head_us_c: HeadUsCDefinition
    protocol: UsProtocol


@dataclass(frozen=True)
class MeasuredJoint:
    """A tier-4 joint: its HEAD-US-C items (so it projects down) and its measurements."""

    items: Mapping[str, int]
    measurements: Measurements


# POCUS -> PocusFindings; HEAD-US and HEAD-US-C -> item points; measurement -> MeasuredJoint.
Findings = PocusFindings | Mapping[str, int] | MeasuredJoint


@dataclass(frozen=True)
class JointRecord:
    views: frozenset[str]
    findings: Findings


@dataclass(frozen=True)
class UltrasoundExam:
    """One examination; every joint's ``findings`` are at the exam's ``tier``."""

    exam_type: ExamType
    operator_role: OperatorRole
    exam_date: date
    tier: Tier
    joints: Mapping[IndexJoint, JointRecord]

    def __post_init__(self) -> None:
        # Scoring and projection rely on this; parse_exam always satisfies it.
        kind = {Tier.POCUS: PocusFindings, Tier.MEASUREMENT: MeasuredJoint}.get(self.tier, Mapping)
        if not all(isinstance(record.findings, kind) for record in self.joints.values()):
            raise TypeError(f"every joint's findings must be {kind.__name__} at tier {self.tier}")


_EXAM_KEYS = ("exam_type", "operator_role", "exam_date", "tier", "joints")


def parse_exam(data: Mapping[str, Any], rules: UltrasoundRules) -> UltrasoundExam:
    """Read an exam, reporting every invalid field at once.

    Shape: ``{"exam_type", "operator_role", "exam_date": "YYYY-MM-DD", "tier",
    "joints": {joint: {"views": [view codes], "findings": {items at the tier},
    "measurements": {mm values, tier 4 only}}}}``. Paths read ``left_knee.findings.bone``.
    """
    record = require_mapping("input", data)
    problems = ProblemCollector()
    problems.check(no_unknown_keys, "", record, _EXAM_KEYS)
    exam_type = problems.check(_read_enum, record, "exam_type", ExamType)
    role = problems.check(_read_enum, record, "operator_role", OperatorRole)
    exam_date = problems.check(_at, record, "", "exam_date", iso_date)
    tier = problems.check(_read_enum, record, "tier", Tier)
    joints = None
    if tier is not None:
        joints = problems.check(
            parse_joint_map,
            {key: value for key, value in record.items() if key == "joints"},
            partial(_parse_joint, tier=tier, rules=rules),
        )
    problems.raise_if_any()
    return UltrasoundExam(_ok(exam_type), _ok(role), _ok(exam_date), _ok(tier), _ok(joints))


def _ok(value: T | None) -> T:
    """A value a ProblemCollector check returned, once ``raise_if_any`` has passed."""
    if value is None:
        raise TypeError("a failed check left no problem behind")
    return value


def _read_enum(record: Mapping[str, Any], key: str, enum: type[E]) -> E:
    expected = "one of " + ", ".join(member.value for member in enum)
    return enum_value(key, require_key(record, key, "", expected), enum)


def _at(
    record: Mapping[str, Any], prefix: str, key: str, parse: Callable[..., T], *extra: Any
) -> T:
    """``parse(prefix.key, record[key], *extra)``, or a 'missing' problem."""
    value = require_key(record, key, prefix, "a value as in the exam format")
    return parse(join_path(prefix, key), value, *extra)


def _parse_joint(joint: str, data: object, *, tier: Tier, rules: UltrasoundRules) -> JointRecord:
    measured = tier is Tier.MEASUREMENT
    record = require_mapping(joint, data)
    problems = ProblemCollector()
    keys = ("views", "findings", "measurements") if measured else ("views", "findings")
    problems.check(no_unknown_keys, joint, record, keys)
    allowed = rules.protocol.view_codes(IndexJoint(joint))
    views = problems.check(_at, record, joint, "views", _parse_view_list, allowed)
    findings = problems.check(_at, record, joint, "findings", _parse_findings, tier, rules)
    measured_mm = None
    if measured:
        measured_mm = problems.check(
            _at, record, joint, "measurements", us_measurements.parse_joint
        )
    problems.raise_if_any()
    if measured_mm is not None and isinstance(findings, Mapping):
        findings = MeasuredJoint(findings, measured_mm)
    return JointRecord(frozenset(_ok(views)), _ok(findings))


def _parse_view_list(path: str, data: object, allowed: tuple[str, ...]) -> list[str]:
    views = require_list(path, data)
    problems = ProblemCollector()
    for index, view in enumerate(views):
        if view not in allowed:
            problems.add(FieldProblem.not_one_of(f"{path}[{index}]", view, allowed))
    problems.raise_if_any()
    return views


def _parse_findings(path: str, data: object, tier: Tier, rules: UltrasoundRules) -> Findings:
    if tier is Tier.POCUS:
        return pocus.parse_joint(path, data)
    if tier is Tier.HEAD_US:
        return head_us.parse_joint(path, data)
    return rules.head_us_c.parse_joint(path, data)


def missing_views(exam: UltrasoundExam, protocol: UsProtocol) -> dict[IndexJoint, tuple[str, ...]]:
    """Joints lacking a view the protocol requires at the exam's tier, with those views.

    An exam with any such joint is incomplete (:func:`is_complete`).
    """
    missing = {
        joint: protocol.missing_views(joint, exam.tier, record.views)
        for joint, record in exam.joints.items()
    }
    return {joint: views for joint, views in missing.items() if views}


def is_complete(exam: UltrasoundExam, protocol: UsProtocol) -> bool:
    return not missing_views(exam, protocol)


def project(exam: UltrasoundExam, tier: Tier, rules: UltrasoundRules) -> UltrasoundExam:
    """The same exam at ``tier`` (its own or any lower one); the views stay as obtained.

    Rules in the module docstring. Projecting upwards is refused: a lower tier lacks
    the items a higher one needs.
    """
    if tier.level > exam.tier.level:
        allowed = ", ".join(lower.value for lower in Tier if lower.level <= exam.tier.level)
        why = f"is above the exam's tier {exam.tier.value}; allowed {allowed}"
        raise fail(FieldProblem.invalid("tier", tier.value, allowed, why))
    joints = {
        joint: replace(record, findings=_project(record.findings, exam.tier, tier, rules))
        for joint, record in exam.joints.items()
    }
    return replace(exam, tier=tier, joints=joints)


def _project(findings: Findings, source: Tier, target: Tier, rules: UltrasoundRules) -> Findings:
    if source is target:
        return findings
    if isinstance(findings, MeasuredJoint):
        return _project(findings.items, Tier.HEAD_US_C, target, rules)
    if isinstance(findings, PocusFindings):
        raise TypeError("point-of-care findings have no lower tier")
    if source is Tier.HEAD_US:
        return pocus.from_head_us(findings)
    if target is Tier.POCUS:
        return rules.head_us_c.to_pocus(findings)
    return rules.head_us_c.to_head_us(findings)


@dataclass(frozen=True)
class ExamResult:
    """An exam scored at its tier, with what it is and whether it is complete."""

    exam: UltrasoundExam
    protocol: InstrumentInfo
    missing_views: Mapping[IndexJoint, tuple[str, ...]]
    score: ScoreResult

    def as_dict(self) -> dict[str, Any]:
        return {
            "exam_type": self.exam.exam_type.value,
            "operator_role": self.exam.operator_role.value,
            "exam_date": self.exam.exam_date.isoformat(),
            "tier": self.exam.tier.value,
            "complete": not self.missing_views,
            "protocol": {
                "code": self.protocol.code,
                "version": self.protocol.version,
                "status": self.protocol.status.value,
            },
            "score": self.score.as_dict(),
        }


def score_exam(exam: UltrasoundExam, rules: UltrasoundRules) -> ExamResult:
    """Score an exam at its own tier; joints missing required views get no score."""
    missing = missing_views(exam, rules.protocol)
    findings = {joint: record.findings for joint, record in exam.joints.items()}
    result: ScoreResult
    if exam.tier is Tier.POCUS:
        found = {
            joint: value for joint, value in findings.items() if isinstance(value, PocusFindings)
        }
        result = pocus.score(found, missing)
    elif exam.tier is Tier.HEAD_US:
        result = head_us.score(_items(findings), missing)
    elif exam.tier is Tier.HEAD_US_C:
        result = rules.head_us_c.score(_items(findings), missing)
    else:
        mm = {
            joint: value.measurements
            for joint, value in findings.items()
            if isinstance(value, MeasuredJoint)
        }
        result = us_measurements.score(mm, missing)
    return ExamResult(exam, rules.protocol.info, missing, result)


def _items(findings: Mapping[IndexJoint, Findings]) -> dict[IndexJoint, Mapping[str, int]]:
    return {
        joint: value
        for joint, value in findings.items()
        if not isinstance(value, PocusFindings | MeasuredJoint)
    }


@dataclass(frozen=True)
class JointComparison:
    """One joint before and after, at ``tier``, and the change (``None`` when unknown).

    Values: a joint total (tiers 2-3), findings (tier 1) or mm values (tier 4);
    ``None`` for a joint missing required views.
    """

    joint: IndexJoint
    tier: Tier
    before: Any
    after: Any
    change: Any

    def as_dict(self) -> dict[str, Any]:
        return {
            "tier": self.tier.value,
            "before": self.before,
            "after": self.after,
            "change": self.change,
        }


@dataclass(frozen=True)
class ExamComparison:
    tier: Tier
    before_tier: Tier
    after_tier: Tier
    joints: tuple[JointComparison, ...]
    not_compared: tuple[IndexJoint, ...]  # examined in only one of the two exams

    def as_dict(self) -> dict[str, Any]:
        return {
            "tier": self.tier.value,
            "before_tier": self.before_tier.value,
            "after_tier": self.after_tier.value,
            "joints": {item.joint.value: item.as_dict() for item in self.joints},
            "not_compared": [joint.value for joint in self.not_compared],
        }


def compare(
    before: UltrasoundExam, after: UltrasoundExam, rules: UltrasoundRules
) -> ExamComparison:
    """Compare two exams per joint at their highest common tier.

    Both are projected to that tier (completeness re-checked there), scored, and
    each joint examined in both gets before, after and change: after minus before
    for totals and mm (to 0.1), ``new``/``resolved``/``unchanged`` for findings.
    """
    tier = highest_common_tier(before.tier, after.tier)
    old = _joint_values(project(before, tier, rules), rules)
    new = _joint_values(project(after, tier, rules), rules)
    common = [joint for joint in IndexJoint if joint in old and joint in new]
    joints = tuple(
        JointComparison(
            joint, tier, _shown(old[joint]), _shown(new[joint]), _change(old[joint], new[joint])
        )
        for joint in common
    )
    others = tuple(joint for joint in IndexJoint if (joint in old) != (joint in new))
    return ExamComparison(tier, before.tier, after.tier, joints, others)


JointValue = int | PocusFindings | Measurements | None


def _joint_values(exam: UltrasoundExam, rules: UltrasoundRules) -> dict[IndexJoint, JointValue]:
    result = score_exam(exam, rules).score
    if isinstance(result, JointSumResult):
        return dict(result.joint_totals)
    if isinstance(result, PocusResult | MeasurementResult):
        return dict(result.joints)
    raise TypeError(f"no joint values for {type(result).__name__}")


def _shown(value: JointValue) -> Any:
    return value.as_dict() if isinstance(value, PocusFindings | Measurements) else value


def _change(before: JointValue, after: JointValue) -> Any:
    if isinstance(before, PocusFindings) and isinstance(after, PocusFindings):
        return pocus.finding_changes(before, after)
    if isinstance(before, Measurements) and isinstance(after, Measurements):
        return us_measurements.change_mm(before, after)
    if isinstance(before, int) and isinstance(after, int):
        return after - before
    return None

"""Hemophilia Joint Health Score (HJHS) 2.1: joint health of children with hemophilia.

Source: HJHS 2.1 reference manual and summary score sheet, International Prophylaxis
Study Group (2011); validity: Feldman BM et al., Arthritis Care Res 2011;63(2):223-230,
doi:10.1002/acr.20353. Rules as summarised in REFERENCE.md section 3, "HJHS 2.1".
Item identifiers only; the manual's wording is licensed and is not shipped.

Higher is worse. Eight items on each of the six index joints (joint total 0-20) plus
one global gait item (0-4); total = six joint totals + gait, 0-124.

Not evaluable (NE) is its own value, never 0 and never missing. The manual's exact
totalling rule for NE could not be checked, so a joint with any NE item has no joint
total, the HJHS total is null, and a clearly labelled partial total over the
evaluable items is given beside it. Subscores are null only when an NE item
contributes to them.

Goniometry and manual-muscle-test helpers live in :mod:`.hjhs_items`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any, TypeAlias

from hemojoint.domain.anatomy import IndexJoint
from hemojoint.domain.errors import FieldProblem
from hemojoint.domain.instruments.base import InstrumentInfo, Scorer, Status, provenance
from hemojoint.domain.validation import (
    ProblemCollector,
    fail,
    int_in_range,
    join_path,
    no_unknown_keys,
    require_mapping,
)

INFO = InstrumentInfo(
    code="hjhs",
    name="Hemophilia Joint Health Score",
    version="2.1",
    status=Status.VERIFIED,
    source=(
        "HJHS 2.1 reference manual, International Prophylaxis Study Group (2011); "
        "Feldman BM et al., Arthritis Care Res 2011;63(2):223-230, doi:10.1002/acr.20353"
    ),
)


class HjhsItem(StrEnum):
    """The eight items scored on each index joint, in the score sheet's order."""

    SWELLING = "swelling"
    SWELLING_DURATION = "swelling_duration"
    MUSCLE_ATROPHY = "muscle_atrophy"
    CREPITUS = "crepitus"
    FLEXION_LOSS = "flexion_loss"
    EXTENSION_LOSS = "extension_loss"
    JOINT_PAIN = "joint_pain"
    STRENGTH = "strength"


# Highest score of each item; every item starts at 0 (REFERENCE.md section 3).
ITEM_MAX: Mapping[HjhsItem, int] = MappingProxyType(
    {
        HjhsItem.SWELLING: 3,
        HjhsItem.SWELLING_DURATION: 1,
        HjhsItem.MUSCLE_ATROPHY: 2,
        HjhsItem.CREPITUS: 2,
        HjhsItem.FLEXION_LOSS: 3,
        HjhsItem.EXTENSION_LOSS: 3,
        HjhsItem.JOINT_PAIN: 2,
        HjhsItem.STRENGTH: 4,
    }
)
GAIT_MAX = 4
JOINT_TOTAL_MAX = sum(ITEM_MAX.values())  # 20
TOTAL_MAX = JOINT_TOTAL_MAX * len(IndexJoint) + GAIT_MAX  # 124
ITEM_COUNT = len(ITEM_MAX) * len(IndexJoint) + 1  # 48 joint items + gait = 49
GAIT_FIELD = "gait"
NE_CODE = "NE"


class Subscore(StrEnum):
    """Subscores used in published outcome tables, each summed over the six joints."""

    SWELLING = "swelling"
    MUSCLE = "muscle"
    MOTION = "motion"
    CREPITUS = "crepitus"
    PAIN = "pain"
    GAIT = "gait"


# Which joint items make up each subscore; the gait subscore is the gait item.
SUBSCORE_ITEMS: Mapping[Subscore, tuple[HjhsItem, ...]] = MappingProxyType(
    {
        Subscore.SWELLING: (HjhsItem.SWELLING, HjhsItem.SWELLING_DURATION),
        Subscore.MUSCLE: (HjhsItem.MUSCLE_ATROPHY, HjhsItem.STRENGTH),
        Subscore.MOTION: (HjhsItem.FLEXION_LOSS, HjhsItem.EXTENSION_LOSS),
        Subscore.CREPITUS: (HjhsItem.CREPITUS,),
        Subscore.PAIN: (HjhsItem.JOINT_PAIN,),
    }
)


@dataclass(frozen=True)
class NotEvaluable:
    """An item that could not be examined (e.g. the limb is in a cast). Never scored as 0."""

    reason: str | None = None


ItemValue: TypeAlias = int | NotEvaluable


@dataclass(frozen=True)
class HjhsInput:
    """One HJHS 2.1 examination: eight items on each of the six joints, plus gait.

    Build it with :func:`parse_input`, which checks every range.
    """

    joints: Mapping[IndexJoint, Mapping[HjhsItem, ItemValue]]
    gait: ItemValue

    def entries(self) -> list[tuple[str, ItemValue]]:
        """Every item as ``("left_knee.swelling", value)``, in form order, gait last."""
        pairs = [
            (join_path(joint.value, item.value), items[item])
            for joint, items in self.joints.items()
            for item in HjhsItem
        ]
        return [*pairs, (GAIT_FIELD, self.gait)]


def parse_item_value(
    field: str, value: object, high: int, *, require_ne_reason: bool = False
) -> ItemValue:
    """Parse one item: a whole number ``0..high``, ``"NE"`` or ``{"value": "NE", "reason": ...}``.

    >>> parse_item_value("left_knee.swelling", 2, 3)
    2
    >>> parse_item_value("left_knee.swelling", {"value": "NE", "reason": "in cast"}, 3)
    NotEvaluable(reason='in cast')
    >>> parse_item_value("left_knee.swelling", 4, 3)
    Traceback (most recent call last):
    ...
    hemojoint.domain.errors.InvalidInputError: left_knee.swelling: 4 is outside 0-3
    """
    if value == NE_CODE:
        if require_ne_reason:
            why = 'needs a reason: write {"value": "NE", "reason": "..."}'
            raise fail(FieldProblem.invalid(field, value, "NE with a reason", why))
        return NotEvaluable()
    if isinstance(value, Mapping):
        return _parse_ne_object(field, value, require_ne_reason)
    is_fraction = isinstance(value, float) and not value.is_integer()
    if isinstance(value, bool) or not isinstance(value, int | float) or is_fraction:
        raise fail(FieldProblem.wrong_type(field, value, f"a whole number 0-{high} or 'NE'"))
    return int_in_range(field, value, 0, high)


def _parse_ne_object(field: str, data: Mapping[str, Any], require_reason: bool) -> NotEvaluable:
    no_unknown_keys(field, data, ("value", "reason"))
    if data.get("value") != NE_CODE:
        # The object form exists only to attach a reason to NE.
        raise fail(FieldProblem.not_one_of(join_path(field, "value"), data.get("value"), [NE_CODE]))
    reason = data.get("reason")
    reason_field = join_path(field, "reason")
    if reason is None:
        if require_reason:
            raise fail(FieldProblem.missing(reason_field, "why the item was not evaluable"))
        return NotEvaluable()
    if not isinstance(reason, str) or not reason.strip():
        raise fail(FieldProblem.wrong_type(reason_field, reason, "non-empty text"))
    return NotEvaluable(reason.strip())


def parse_input(data: object, *, require_ne_reason: bool = False) -> HjhsInput:
    """Parse ``{"joints": {"left_elbow": {...8 items...}, ... six joints}, "gait": 0}``.

    Every item and gait is a whole number within its range, ``"NE"``, or
    ``{"value": "NE", "reason": "..."}``. With ``require_ne_reason`` an NE without a
    reason is refused (the registry needs one; REFERENCE.md section 3). Missing and
    unknown joints or items are refused. Every problem is reported at once, with
    paths such as ``left_knee.swelling`` and ``gait``.

    >>> parse_input({"joints": {}, "gait": 5})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    hemojoint.domain.errors.InvalidInputError: left_elbow: is missing; ...; gait: 5 is outside 0-4
    """
    top = require_mapping("input", data)
    problems = ProblemCollector()
    _refuse_unknown(problems, "", top, ("joints", GAIT_FIELD))
    joints = _parse_joints(problems, top, require_ne_reason)
    gait = _parse_required(problems, top, "", GAIT_FIELD, GAIT_MAX, require_ne_reason)
    problems.raise_if_any()
    if gait is None:  # unreachable after raise_if_any; narrows the type for mypy
        raise fail(FieldProblem.missing(GAIT_FIELD, f"0-{GAIT_MAX} or 'NE'"))
    return HjhsInput(joints=MappingProxyType(joints), gait=gait)


def _refuse_unknown(
    problems: ProblemCollector, prefix: str, data: Mapping[str, Any], known: Iterable[str]
) -> None:
    allowed = list(known)
    for key in data:
        if key not in allowed:
            field_path = join_path(prefix, str(key))
            problems.add(FieldProblem.not_one_of(field_path, key, allowed))


def _parse_joints(
    problems: ProblemCollector, top: Mapping[str, Any], require_ne_reason: bool
) -> dict[IndexJoint, Mapping[HjhsItem, ItemValue]]:
    if "joints" not in top:
        problems.add(FieldProblem.missing("joints", "an object with the six joints"))
        return {}
    raw = problems.check(require_mapping, "joints", top["joints"])
    if raw is None:
        return {}
    # Joint paths carry no "joints." prefix: left_knee.swelling reads as clinicians say it.
    _refuse_unknown(problems, "", raw, (joint.value for joint in IndexJoint))
    joints: dict[IndexJoint, Mapping[HjhsItem, ItemValue]] = {}
    for joint in IndexJoint:
        items = _parse_joint(problems, raw, joint, require_ne_reason)
        if items is not None:
            joints[joint] = items
    return joints


def _parse_joint(
    problems: ProblemCollector, raw: Mapping[str, Any], joint: IndexJoint, require: bool
) -> Mapping[HjhsItem, ItemValue] | None:
    if joint.value not in raw:
        problems.add(FieldProblem.missing(joint.value, "an object with 8 items"))
        return None
    data = problems.check(require_mapping, joint.value, raw[joint.value])
    if data is None:
        return None
    _refuse_unknown(problems, joint.value, data, (item.value for item in HjhsItem))
    items: dict[HjhsItem, ItemValue] = {}
    for item in HjhsItem:
        value = _parse_required(problems, data, joint.value, item.value, ITEM_MAX[item], require)
        if value is not None:
            items[item] = value
    return MappingProxyType(items)


def _parse_required(
    problems: ProblemCollector,
    data: Mapping[str, Any],
    prefix: str,
    key: str,
    high: int,
    require_ne_reason: bool,
) -> ItemValue | None:
    field_path = join_path(prefix, key)
    if key not in data:
        problems.add(FieldProblem.missing(field_path, f"0-{high} or 'NE'"))
        return None
    parsed: ItemValue | None = problems.check(
        lambda: parse_item_value(field_path, data[key], high, require_ne_reason=require_ne_reason)
    )
    return parsed


@dataclass(frozen=True)
class NotEvaluableItem:
    """Which item could not be evaluated (``left_knee.flexion_loss`` or ``gait``) and why."""

    field: str
    reason: str | None


@dataclass(frozen=True)
class HjhsResult:
    """The scored examination. ``None`` means not computable because an NE item contributes."""

    joint_totals: Mapping[IndexJoint, int | None]
    gait: int | None
    total: int | None
    subscores: Mapping[Subscore, int | None]
    not_evaluable: tuple[NotEvaluableItem, ...]
    partial_total: int | None
    partial_total_items: int
    info: InstrumentInfo = field(default=INFO)

    def as_dict(self) -> dict[str, Any]:
        return {
            **provenance(self.info),
            "total": self.total,
            "total_max": TOTAL_MAX,
            "joint_totals": {joint.value: value for joint, value in self.joint_totals.items()},
            "joint_total_max": JOINT_TOTAL_MAX,
            "gait": self.gait,
            "subscores": {sub.value: value for sub, value in self.subscores.items()},
            "not_evaluable": [item.field for item in self.not_evaluable],
            "not_evaluable_reasons": {item.field: item.reason for item in self.not_evaluable},
            "partial_total": self.partial_total,
            "partial_total_items": self.partial_total_items,
            "partial_total_note": self.partial_total_note,
        }

    @property
    def partial_total_note(self) -> str:
        """Says what the partial total covers, so it is never read as the HJHS total."""
        if self.partial_total_items == ITEM_COUNT:
            return f"all {ITEM_COUNT} items evaluated; the partial total equals the total"
        return (
            f"PARTIAL: sum of the {self.partial_total_items} of {ITEM_COUNT} items that could "
            "be evaluated; not an HJHS total (not-evaluable items are not scored as 0)"
        )


def _sum_or_none(values: Iterable[ItemValue]) -> int | None:
    """Sum of the values, or None if any is not evaluable."""
    total = 0
    for value in values:
        if isinstance(value, NotEvaluable):
            return None
        total += value
    return total


def _subscores(hjhs_input: HjhsInput) -> dict[Subscore, int | None]:
    joints = hjhs_input.joints.values()
    subscores = {
        subscore: _sum_or_none(items[item] for items in joints for item in members)
        for subscore, members in SUBSCORE_ITEMS.items()
    }
    subscores[Subscore.GAIT] = _sum_or_none([hjhs_input.gait])
    return subscores


def score(hjhs_input: HjhsInput) -> HjhsResult:
    """Score an HJHS 2.1 examination (higher is worse).

    Joint total = sum of its 8 items (0-20); total = six joint totals + gait (0-124);
    subscores summed over the six joints: swelling (swelling + duration), muscle
    (atrophy + strength), motion (flexion + extension loss), crepitus, pain, gait
    (REFERENCE.md section 3). Any NE item makes its joint total, the total and the
    subscores it contributes to ``None``; ``partial_total`` sums the evaluable items.

    >>> healthy = {item.value: 0 for item in HjhsItem}
    >>> data = {"joints": {joint.value: healthy for joint in IndexJoint}, "gait": 1}
    >>> data["joints"]["left_knee"] = {**healthy, "swelling": 2, "strength": "NE"}
    >>> result = score(parse_input(data))
    >>> result.total, result.partial_total, result.joint_totals[IndexJoint.LEFT_KNEE]
    (None, 3, None)
    >>> result.subscores[Subscore.SWELLING], result.subscores[Subscore.MUSCLE]
    (2, None)
    """
    entries = hjhs_input.entries()
    values = [value for _, value in entries]
    evaluable = [value for value in values if not isinstance(value, NotEvaluable)]
    not_evaluable = tuple(
        NotEvaluableItem(path, value.reason)
        for path, value in entries
        if isinstance(value, NotEvaluable)
    )
    return HjhsResult(
        joint_totals=MappingProxyType(
            {joint: _sum_or_none(items.values()) for joint, items in hjhs_input.joints.items()}
        ),
        gait=_sum_or_none([hjhs_input.gait]),
        total=_sum_or_none(values),
        subscores=MappingProxyType(_subscores(hjhs_input)),
        not_evaluable=not_evaluable,
        partial_total=sum(evaluable) if evaluable else None,
        partial_total_items=len(evaluable),
    )


def score_mapping(data: Mapping[str, Any]) -> HjhsResult:
    """Parse CLI/API JSON (NE reasons optional) and score it."""
    return score(parse_input(data))


SCORER = Scorer(INFO, score_mapping)

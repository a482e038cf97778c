"""Input readers and results that several instruments share.

- :func:`read_single_key`: the ``{"<key>": {...}}`` envelope of an instrument's input.
- :func:`parse_joint_map`: ``{"joints": {joint: ...}}`` with any non-empty subset of
  the six index joints (HEAD-US, HEAD-US-C, point-of-care, measurements, Pettersson).
- :func:`parse_fields`: one joint's required fields, unknown keys reported together
  with the other problems (the ultrasound tiers).
- :func:`parse_graded_items`: whole-number items, an unknown key refused on its own
  before the items are read (Pettersson joints, FISH activities).
- :class:`JointSumResult`, :func:`sum_joints`: per-joint sums and their total
  (HEAD-US, HEAD-US-C); :func:`incomplete_joints`, :func:`blank_incomplete` and
  :func:`views_summary` are what every ultrasound tier does with missing views.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, NamedTuple, TypeVar

from hemojoint.domain.anatomy import IndexJoint
from hemojoint.domain.errors import FieldProblem
from hemojoint.domain.instruments.base import InstrumentInfo, provenance
from hemojoint.domain.validation import (
    ProblemCollector,
    enum_value,
    fail,
    int_in_range,
    join_path,
    no_unknown_keys,
    require_key,
    require_mapping,
)

T = TypeVar("T")
V = TypeVar("V")


@dataclass(frozen=True)
class ItemRange:
    """One whole-number item and its allowed points ``low..high``."""

    code: str
    low: int
    high: int

    @property
    def allowed(self) -> str:
        return f"{self.low}-{self.high}"

    def check(self, field_path: str, value: object) -> int:
        """``value`` if it is a whole number within ``low..high``."""
        return int_in_range(field_path, value, self.low, self.high)


class FieldRule(NamedTuple, Generic[V]):
    """How to read one required field: what to say when it is missing, and its check."""

    expected: str
    parse: Callable[[str, object], V]


def read_single_key(data: object, key: str, expected: str) -> Mapping[str, Any]:
    """The object under ``key`` in input that must have exactly that one key.

    >>> read_single_key({"joints": {}, "gait": 1}, "joints", "an object of joints")
    Traceback (most recent call last):
    ...
    hemojoint.domain.errors.InvalidInputError: gait: 'gait' is not one of joints
    """
    record = require_mapping("input", data)
    no_unknown_keys("", record, [key])
    return require_mapping(key, require_key(record, key, "", expected))


def parse_joint_map(
    data: object, parse: Callable[[str, Any], T], *, empty_prompt: str = "expected"
) -> dict[IndexJoint, T]:
    """Read ``{"joints": {joint: ...}}`` with any non-empty subset of the six index joints.

    Each joint's data goes to ``parse(joint_code, value)``, so errors read
    ``left_ankle.cartilage: ...``. Joints come back in the HJHS form's order.
    ``empty_prompt`` words the empty-joints message (``"give"`` for Pettersson).

    >>> parse_joint_map({"joints": {"left_hip": {}}}, parse_items)
    Traceback (most recent call last):
    ...
    hemojoint.domain.errors.InvalidInputError: joints.left_hip: 'left_hip' is not one of \
left_elbow, right_elbow, left_knee, right_knee, left_ankle, right_ankle
    """
    joints = read_single_key(data, "joints", "an object of joints")
    if not joints:
        allowed = ", ".join(joint.value for joint in IndexJoint)
        why = f"is empty; {empty_prompt} any of {allowed}"
        raise fail(FieldProblem.invalid("joints", {}, allowed, why))
    problems = ProblemCollector()
    parsed: dict[IndexJoint, T] = {}
    for key, value in joints.items():
        joint = problems.check(enum_value, join_path("joints", str(key)), key, IndexJoint)
        if joint is not None:
            result = problems.check(parse, joint.value, value)
            if result is not None:
                parsed[joint] = result
    problems.raise_if_any()
    return {joint: parsed[joint] for joint in IndexJoint if joint in parsed}


def parse_fields(field_path: str, data: object, rules: Mapping[str, FieldRule[V]]) -> dict[str, V]:
    """Every field in ``rules``, all required; unknown keys and every other problem at once.

    >>> parse_fields("left_knee", {"effusion": 1, "spread": 0},
    ...              {"effusion": FieldRule("a number", ItemRange("effusion", 0, 0).check)})
    Traceback (most recent call last):
    ...
    hemojoint.domain.errors.InvalidInputError: left_knee.spread: 'spread' is not one of \
effusion; left_knee.effusion: 1 is outside 0-0
    """
    record = require_mapping(field_path, data)
    problems = ProblemCollector()
    problems.check(no_unknown_keys, field_path, record, rules)
    return _read_required(problems, field_path, record, rules)


def parse_items(field_path: str, data: object, items: Sequence[ItemRange]) -> dict[str, int]:
    """Check one joint's item points against ``items``; every problem is reported at once.

    >>> ranges = [ItemRange("synovitis", 0, 2), ItemRange("cartilage", 0, 4)]
    >>> parse_items("left_ankle", {"synovitis": 3, "cartilage": 5}, ranges)
    Traceback (most recent call last):
    ...
    hemojoint.domain.errors.InvalidInputError: left_ankle.synovitis: 3 is outside 0-2; \
left_ankle.cartilage: 5 is outside 0-4
    """
    rules = {item.code: FieldRule(f"a whole number {item.allowed}", item.check) for item in items}
    return parse_fields(field_path, data, rules)


def parse_graded_items(field_path: str, data: object, items: Sequence[ItemRange]) -> dict[str, int]:
    """Whole-number items, all required; an unknown key is refused alone, first.

    >>> parse_graded_items("activities", {"running": 5}, [ItemRange("running", 1, 4)])
    Traceback (most recent call last):
    ...
    hemojoint.domain.errors.InvalidInputError: activities.running: 5 is outside 1-4
    """
    record = require_mapping(field_path, data)
    no_unknown_keys(field_path, record, [item.code for item in items])
    rules = {item.code: FieldRule(item.allowed, item.check) for item in items}
    return _read_required(ProblemCollector(), field_path, record, rules)


def _read_required(
    problems: ProblemCollector,
    field_path: str,
    record: Mapping[str, Any],
    rules: Mapping[str, FieldRule[V]],
) -> dict[str, V]:
    values: dict[str, V] = {}
    for name, rule in rules.items():
        path = join_path(field_path, name)
        if name not in record:
            problems.add(FieldProblem.missing(path, rule.expected))
            continue
        value = problems.check(rule.parse, path, record[name])
        if value is not None:
            values[name] = value
    problems.raise_if_any()
    return values


def incomplete_joints(
    missing_views: Mapping[IndexJoint, Sequence[str]] | None,
) -> dict[IndexJoint, tuple[str, ...]]:
    """The joints with at least one missing view (none when views were not recorded)."""
    return {joint: tuple(views) for joint, views in (missing_views or {}).items() if views}


def blank_incomplete(
    joints: Mapping[IndexJoint, T], incomplete: Mapping[IndexJoint, object]
) -> dict[IndexJoint, T | None]:
    """``None`` in place of each incomplete joint's value: an unseen joint is never normal."""
    return {joint: None if joint in incomplete else value for joint, value in joints.items()}


def views_summary(
    missing_views: Mapping[IndexJoint, Sequence[str]], views_recorded: bool
) -> dict[str, Any]:
    """The ``views_recorded`` and ``incomplete_joints`` keys of an ultrasound result."""
    return {
        "views_recorded": views_recorded,
        "incomplete_joints": {joint.value: list(views) for joint, views in missing_views.items()},
    }


@dataclass(frozen=True)
class JointSumResult:
    """Per-joint sums of item points, their total and what could not be scored.

    A joint with missing standard views (``missing_views``) has no total, and then
    the exam has no total either: an unseen joint is never counted as normal.
    ``views_recorded`` is False when scoring from item values alone.
    """

    info: InstrumentInfo
    joint_totals: Mapping[IndexJoint, int | None]
    joint_max: int
    missing_views: Mapping[IndexJoint, tuple[str, ...]] = field(default_factory=dict)
    views_recorded: bool = False

    @property
    def joints_scored(self) -> tuple[IndexJoint, ...]:
        return tuple(joint for joint, total in self.joint_totals.items() if total is not None)

    @property
    def total(self) -> int | None:
        if self.missing_views:
            return None
        return sum(total for total in self.joint_totals.values() if total is not None)

    @property
    def max_possible(self) -> int | None:
        return None if self.total is None else self.joint_max * len(self.joints_scored)

    def as_dict(self) -> dict[str, Any]:
        return {
            **provenance(self.info),
            "total": self.total,
            "max_possible": self.max_possible,
            "joint_totals": {joint.value: total for joint, total in self.joint_totals.items()},
            "joints_scored": [joint.value for joint in self.joints_scored],
            **views_summary(self.missing_views, self.views_recorded),
        }


def sum_joints(
    info: InstrumentInfo,
    joints: Mapping[IndexJoint, Mapping[str, int]],
    joint_max: int,
    missing_views: Mapping[IndexJoint, Sequence[str]] | None = None,
) -> JointSumResult:
    """Sum validated item points per joint; ``missing_views=None`` means views not recorded."""
    missing = incomplete_joints(missing_views)
    sums = {joint: sum(items.values()) for joint, items in joints.items()}
    return JointSumResult(
        info,
        blank_incomplete(sums, missing),
        joint_max,
        missing,
        views_recorded=missing_views is not None,
    )

"""Reading a plan request: the findings ``hemojoint plan FILE`` takes, checked and typed.

The shape (issue 4, "Interfaces")::

    {"birth_date": "2019-03-02", "start_date": "2026-01-05", "hemophilia_type": "A",
     "infusion_weekdays": ["mon", "wed", "fri"],
     "hjhs": <the HJHS 2.1 input of ``hemojoint score hjhs``>,
     "ultrasound": {"instrument": "head_us" | "head_us_c", "joints": {...}},
     "recent_bleeds": [{"site": "left_ankle", "start": "2025-12-01"}],
     "home_weekdays": ["mon", ...]}          # optional: the days the family trains at home

Every problem is reported at once with a dotted path from the top of the document
(``hjhs.left_knee.swelling``, ``ultrasound.left_ankle.cartilage``,
``recent_bleeds[0].site``, ``infusion_weekdays[1]``). Unknown keys are refused.

A bleed may say ``"type": "spontaneous" | "traumatic"``; without it the bleed is
spontaneous, which is the definition's reading of "no known cause" (REFERENCE.md
section 2). The type does not change the plan.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from hemojoint.domain.anatomy import BleedSite, IndexJoint
from hemojoint.domain.bleeds import BleedEpisode, BleedType
from hemojoint.domain.errors import FieldProblem, InvalidInputError
from hemojoint.domain.instruments import head_us, hjhs
from hemojoint.domain.instruments._shared import parse_joint_map
from hemojoint.domain.instruments.head_us_c import HeadUsCDefinition
from hemojoint.domain.patients import HemophiliaType
from hemojoint.domain.prophylaxis import Weekday, parse_weekdays
from hemojoint.domain.ultrasound_protocol import Tier
from hemojoint.domain.validation import (
    ProblemCollector,
    enum_value,
    fail,
    iso_date,
    iso_datetime,
    join_path,
    no_unknown_keys,
    require_key,
    require_list,
    require_mapping,
)

T = TypeVar("T")

EXPECTED = {
    "birth_date": "a date as YYYY-MM-DD",
    "start_date": "a date as YYYY-MM-DD",
    "hemophilia_type": "A or B",
    "infusion_weekdays": "a list of weekdays (mon..sun)",
    "hjhs": "the HJHS 2.1 input, as for `hemojoint score hjhs`",
    "ultrasound": '{"instrument": "head_us" or "head_us_c", "joints": {...}}',
    "recent_bleeds": 'a list of {"site", "start"} (may be empty)',
}
REQUIRED_KEYS = tuple(EXPECTED)
OPTIONAL_KEYS = ("home_weekdays",)
ULTRASOUND_INSTRUMENTS = (Tier.HEAD_US, Tier.HEAD_US_C)


@dataclass(frozen=True)
class UltrasoundFindings:
    """One ultrasound examination's items per joint, on HEAD-US or HEAD-US-C."""

    instrument: Tier
    joints: Mapping[IndexJoint, Mapping[str, int]]


@dataclass(frozen=True)
class PlanRequest:
    """Everything :func:`~hemojoint.domain.rehab.planner.generate_plan` needs from the child."""

    birth_date: date
    start_date: date
    hemophilia_type: HemophiliaType
    infusion_weekdays: tuple[Weekday, ...]
    hjhs_input: hjhs.HjhsInput
    ultrasound: UltrasoundFindings
    recent_bleeds: tuple[BleedEpisode, ...]
    home_weekdays: tuple[Weekday, ...] | None


def parse_plan_request(data: object, head_us_c: HeadUsCDefinition) -> PlanRequest:
    """Check and type a plan request (shape in the module docstring).

    ``head_us_c`` is the HEAD-US-C definition in force (provisional, read by the caller).

    >>> parse_plan_request({"birth_date": "2019-03-02"}, None)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    hemojoint.domain.errors.InvalidInputError: start_date: is missing; ...
    """
    top = require_mapping("input", data)
    problems = ProblemCollector()
    for key in top:  # one problem per unknown key
        problems.check(no_unknown_keys, "", {key: None}, (*REQUIRED_KEYS, *OPTIONAL_KEYS))
    parsed: dict[str, Any] = {}
    for key, (name, parse) in _readers(head_us_c).items():
        value = problems.check(require_key, top, key, "", EXPECTED[key])
        if key in top:
            parsed[name] = problems.check(_with_prefix, key, parse, value)
    home = None
    if top.get("home_weekdays") is not None:
        home = problems.check(parse_weekdays, top["home_weekdays"], "home_weekdays")
    problems.check(_check_dates, parsed.get("birth_date"), parsed.get("start_date"))
    problems.raise_if_any()
    return PlanRequest(**parsed, home_weekdays=home)


def _readers(head_us_c: HeadUsCDefinition) -> dict[str, tuple[str, Callable[[object], Any]]]:
    """Input key -> (PlanRequest field, reader)."""
    return {
        "birth_date": ("birth_date", lambda value: iso_date("birth_date", value)),
        "start_date": ("start_date", lambda value: iso_date("start_date", value)),
        "hemophilia_type": (
            "hemophilia_type",
            lambda value: enum_value("hemophilia_type", value, HemophiliaType),
        ),
        "infusion_weekdays": (
            "infusion_weekdays",
            lambda value: parse_weekdays(value, "infusion_weekdays"),
        ),
        "hjhs": ("hjhs_input", hjhs.parse_input),
        "ultrasound": ("ultrasound", lambda value: parse_ultrasound(value, head_us_c)),
        "recent_bleeds": ("recent_bleeds", parse_bleeds),
    }


def _with_prefix(key: str, parse: Callable[[object], T], value: object) -> T:
    """Run ``parse``; prefix the paths of nested readers that name fields from their own top."""
    try:
        return parse(value)
    except InvalidInputError as error:
        if key not in ("hjhs", "ultrasound"):
            raise
        raise InvalidInputError(_prefixed(key, problem) for problem in error.problems) from None


def _prefixed(prefix: str, problem: FieldProblem) -> FieldProblem:
    """The same problem with ``prefix.`` in front of its path (and of its message).

    >>> _prefixed("hjhs", FieldProblem.out_of_range("gait", 5, 0, 4)).message
    'hjhs.gait: 5 is outside 0-4'
    """
    field = join_path(prefix, problem.field) if problem.field != "input" else prefix
    message = problem.message.removeprefix(f"{problem.field}:")
    return FieldProblem(field, problem.value, problem.allowed, f"{field}:{message}")


def parse_ultrasound(data: object, head_us_c: HeadUsCDefinition) -> UltrasoundFindings:
    """``{"instrument": "head_us" | "head_us_c", "joints": {joint: items}}``, items checked.

    >>> found = parse_ultrasound(
    ...     {"instrument": "head_us", "joints": {"left_ankle": {"synovitis": 2, "cartilage": 1,
    ...     "bone": 0}}}, None)
    >>> found.instrument.value, dict(found.joints[IndexJoint.LEFT_ANKLE])
    ('head_us', {'synovitis': 2, 'cartilage': 1, 'bone': 0})
    """
    record = require_mapping("input", data)
    no_unknown_keys("", record, ("instrument", "joints"))
    code = require_key(record, "instrument", "", "head_us or head_us_c")
    if code not in ULTRASOUND_INSTRUMENTS:
        raise fail(FieldProblem.not_one_of("instrument", code, ULTRASOUND_INSTRUMENTS))
    instrument = Tier(code)
    parse = head_us.parse_joint if instrument is Tier.HEAD_US else head_us_c.parse_joint
    joints = parse_joint_map(
        {"joints": require_key(record, "joints", "", "an object")},
        lambda joint, items: parse(join_path("joints", joint), items),
    )
    return UltrasoundFindings(instrument, joints)


def parse_bleeds(data: object) -> tuple[BleedEpisode, ...]:
    """``[{"site": "left_ankle", "start": "2025-12-01", "type"?: "traumatic"}, ...]``.

    >>> parse_bleeds([{"site": "left_ankle", "start": "2025-12-01"}])[0].bleed_type.value
    'spontaneous'
    >>> parse_bleeds([{"site": "left_toe", "start": "2025-12-01"}])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    hemojoint.domain.errors.InvalidInputError: recent_bleeds[0].site: 'left_toe' is not one of ...
    """
    problems = ProblemCollector()
    bleeds = [
        problems.check(_parse_bleed, f"recent_bleeds[{position}]", item)
        for position, item in enumerate(require_list("recent_bleeds", data))
    ]
    problems.raise_if_any()
    return tuple(bleed for bleed in bleeds if bleed is not None)


def _parse_bleed(path: str, data: object) -> BleedEpisode:
    record = require_mapping(path, data)
    problems = ProblemCollector()
    problems.check(no_unknown_keys, path, record, ("site", "start", "type"))
    site = problems.check(_read, record, path, "site", lambda f, v: enum_value(f, v, BleedSite))
    start = problems.check(_read, record, path, "start", iso_datetime)
    # No known cause given: spontaneous (module docstring).
    given = record.get("type", BleedType.SPONTANEOUS)
    kind = problems.check(enum_value, join_path(path, "type"), given, BleedType)
    problems.raise_if_any()
    if site is None or start is None or kind is None:  # narrowed for mypy; raised above
        raise fail(FieldProblem.missing(path, "site and start"))
    return BleedEpisode(site, start, None, kind)


def _read(record: Mapping[str, Any], path: str, key: str, parse: Callable[[str, Any], T]) -> T:
    return parse(join_path(path, key), require_key(record, key, path, "a value"))


def _check_dates(birth_date: date | None, start_date: date | None) -> None:
    if birth_date is not None and start_date is not None and start_date < birth_date:
        why = f"is before birth_date {birth_date.isoformat()}"
        raise fail(
            FieldProblem.invalid("start_date", start_date.isoformat(), "on or after birth", why)
        )

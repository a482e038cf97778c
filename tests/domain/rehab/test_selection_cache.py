"""The memoised suitability check in selection gives exactly the uncached answers.

The expected values are the uncached ones: :func:`hemojoint.domain.rehab.library.suitable`
called directly, and plans generated with the memo replaced by the plain function. The
children cover each contraindication rule (active synovitis, severe damage, a bleed in
progress, age bounds, game variants) on the packaged library and rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import pytest

from hemojoint.definitions import load_definition
from hemojoint.domain.anatomy import BleedSite, IndexJoint, Side
from hemojoint.domain.bleeds import BleedEpisode, BleedType
from hemojoint.domain.instruments import hjhs
from hemojoint.domain.rehab import selection
from hemojoint.domain.rehab.exercise import Equipment, Sides
from hemojoint.domain.rehab.joint_status import JointStatus, RehabRules
from hemojoint.domain.rehab.library import ExerciseLibrary, suitable
from hemojoint.domain.rehab.model import Evidence, EvidenceSource
from hemojoint.domain.rehab.plan_request import UltrasoundFindings
from hemojoint.domain.rehab.planner import Plan, generate_plan
from hemojoint.domain.rehab.selection import Choice, SessionContext, allowed
from hemojoint.domain.ultrasound_protocol import Tier

LIBRARY = ExerciseLibrary.from_mapping(load_definition("exercise_library"))
RULES = RehabRules.from_mapping(load_definition("rehab_rules"))
START = date(2026, 1, 5)  # a Monday


def _hjhs(**joints: dict[str, int]) -> hjhs.HjhsInput:
    zero = {item.value: 0 for item in hjhs.HjhsItem}
    data = {joint.value: {**zero, **joints.get(joint.value, {})} for joint in IndexJoint}
    return hjhs.parse_input({"joints": data, "gait": 1})


def _head_us(**joints: dict[str, int]) -> UltrasoundFindings:
    zero = {"synovitis": 0, "cartilage": 0, "bone": 0}
    return UltrasoundFindings(
        Tier.HEAD_US, {IndexJoint(code): {**zero, **items} for code, items in joints.items()}
    )


def _bleed(site: BleedSite, day: date) -> BleedEpisode:
    return BleedEpisode(site, datetime.combine(day, datetime.min.time()), None, BleedType.TRAUMATIC)


def _plan(birth_date: date, bleeds: Sequence[BleedEpisode] = (), **extra: Any) -> Plan:
    return generate_plan(
        birth_date=birth_date,
        start_date=START,
        hemophilia_type="A",
        infusion_weekdays=["mon", "wed", "fri"],
        hjhs_input=_hjhs(
            left_ankle={"flexion_loss": 2, "swelling": 2}, right_knee={"extension_loss": 2}
        ),
        ultrasound=extra.pop("ultrasound", None),
        recent_bleeds=bleeds,
        library=LIBRARY,
        rules=RULES,
        **extra,
    )


CHILDREN: dict[str, dict[str, Any]] = {
    "age 5, games": {"birth_date": date(2020, 6, 1)},
    "age 10, synovitis and damage": {
        "birth_date": date(2015, 6, 1),
        "ultrasound": _head_us(left_ankle={"synovitis": 2}, right_knee={"cartilage": 4, "bone": 2}),
    },
    "age 15, bleed in progress": {
        "birth_date": date(2010, 6, 1),
        "bleeds": [_bleed(BleedSite.LEFT_ANKLE, date(2025, 12, 29))],
    },
    "age 12, little equipment at home": {
        "birth_date": date(2013, 6, 1),
        "home_equipment": {Equipment.CHAIR},
    },
}


def _uncached(exercise: Any, age_years: int, side: Any, relevant: Any) -> bool:
    statuses = {status.joint: status for status in relevant}
    return suitable(exercise, age_years=age_years, joint_statuses=statuses, side=side)[0]


@pytest.mark.parametrize("child", sorted(CHILDREN))
def test_cached_and_uncached_selection_give_identical_plans(
    child: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    cached = _plan(**CHILDREN[child])
    monkeypatch.setattr(selection, "_suitable_ok", _uncached)
    uncached = _plan(**CHILDREN[child])
    assert cached.as_dict() == uncached.as_dict()
    assert cached == uncached


def _status(joint: IndexJoint, *, synovitis: bool, damage: bool, paused: bool) -> JointStatus:
    def evidence(present: bool) -> tuple[Evidence, ...]:
        return (Evidence(EvidenceSource.HJHS, f"{joint.value}.x", 2),) if present else ()

    return JointStatus(joint, evidence(synovitis), evidence(damage), evidence(paused))


STATUS_SETS = [
    {},
    {IndexJoint.LEFT_ANKLE: _status(IndexJoint.LEFT_ANKLE, synovitis=True, damage=False, paused=False)},
    {IndexJoint.RIGHT_KNEE: _status(IndexJoint.RIGHT_KNEE, synovitis=False, damage=True, paused=False)},
    {
        IndexJoint.LEFT_KNEE: _status(IndexJoint.LEFT_KNEE, synovitis=False, damage=False, paused=True),
        IndexJoint.RIGHT_ELBOW: _status(IndexJoint.RIGHT_ELBOW, synovitis=True, damage=True, paused=True),
    },
]  # fmt: skip


@pytest.mark.parametrize("statuses", STATUS_SETS)
def test_allowed_agrees_with_suitable_for_every_exercise(
    statuses: dict[IndexJoint, JointStatus],
) -> None:
    for age in (3, 5, 8, 12, 17, 19):
        context = SessionContext(age, statuses, None)
        for exercise in LIBRARY.exercises:
            for joints in _joint_choices(exercise):
                side = joints[0].side if exercise.sides is Sides.ONE and len(joints) == 1 else None
                expected, _ = suitable(exercise, age_years=age, joint_statuses=statuses, side=side)
                # Twice: the second answer comes from the memo.
                assert allowed(Choice(exercise, joints), context) is expected
                assert allowed(Choice(exercise, joints), context) is expected


def _joint_choices(exercise: Any) -> list[tuple[IndexJoint, ...]]:
    kinds = {kind.value for kind in exercise.joint_kinds}
    every = tuple(joint for joint in IndexJoint if joint.kind in kinds)
    one_side = [tuple(j for j in every if j.side is side)[:1] for side in Side]
    return [every, *(joints for joints in one_side if joints)]

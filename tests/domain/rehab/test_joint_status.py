"""Joint statuses for the contraindication rules, from ultrasound, HJHS and bleeds.

Expected values come from the rules of issue 4 ("no high-impact or heavy loading with
active synovitis; low-impact only with severe cartilage or bone damage; nothing loading
a joint with a bleed in progress ... until a hematologist clears it") and from the
provisional thresholds proposed for ``rehab_rules.json``: active synovitis = HEAD-US
synovitis >= 1, HEAD-US-C synovial hyperplasia >= 1, Doppler >= 1 or HJHS swelling >= 2;
severe damage = cartilage >= 3 or bone = 2; a bleed pauses loading for 28 days from its
start (the programme's "no new bleed for at least 4 weeks", REFERENCE.md section 1).
"""

from __future__ import annotations

import copy
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from hemojoint.definitions import load_definition
from hemojoint.domain.anatomy import BleedSite, IndexJoint
from hemojoint.domain.bleeds import BleedEpisode, BleedType
from hemojoint.domain.errors import DefinitionError
from hemojoint.domain.instruments import head_us
from hemojoint.domain.instruments.base import Status
from hemojoint.domain.instruments.head_us_c import HeadUsCDefinition
from hemojoint.domain.instruments.hjhs import HjhsItem, parse_input
from hemojoint.domain.rehab.joint_status import (
    Condition,
    JointStatus,
    RecentBleed,
    RehabRules,
    joint_statuses,
)

KNEE = IndexJoint.LEFT_KNEE
AS_OF = date(2026, 1, 5)
PAUSE_DAYS = 28  # rehab_rules.json; 4 weeks as in the programme's entry rule


@pytest.fixture(scope="module")
def rules() -> RehabRules:
    return RehabRules.from_mapping(load_definition("rehab_rules"))


def _head_us(synovitis: int = 0, cartilage: int = 0, bone: int = 0) -> dict[str, int]:
    return head_us.parse_joint(
        KNEE.value, {"synovitis": synovitis, "cartilage": cartilage, "bone": bone}
    )


def _head_us_c(**items: int) -> dict[str, int]:
    definition = HeadUsCDefinition.from_mapping(load_definition("head_us_c"))
    blank = {item.code: 0 for item in definition.items}
    return definition.parse_joint(KNEE.value, blank | items)


def _hjhs(**knee_items: int) -> Any:
    healthy = {item.value: 0 for item in HjhsItem}
    joints = {joint.value: dict(healthy) for joint in IndexJoint}
    joints[KNEE.value] |= knee_items
    return parse_input({"joints": joints, "gait": 0})


def _status(rules: RehabRules, **kwargs: Any) -> JointStatus:
    arguments: dict[str, Any] = {
        "ultrasound_joints": None,
        "hjhs": None,
        "recent_bleeds": [],
        "cleared_joints": {},
        "as_of": AS_OF,
        "rules": rules,
    }
    return joint_statuses(**(arguments | kwargs))[KNEE]


def test_shipped_rules_are_provisional_with_the_proposed_thresholds(rules: RehabRules) -> None:
    assert rules.info.status is Status.PROVISIONAL
    assert "physiotherapists" in rules.notes
    assert dict(rules.active_synovitis.ultrasound_at_least) == {
        "synovitis": 1,
        "synovial_hyperplasia": 1,
        "synovial_vascularity": 1,
    }
    assert dict(rules.active_synovitis.hjhs_at_least) == {HjhsItem.SWELLING: 2}
    assert dict(rules.severe_damage.ultrasound_at_least) == {"cartilage": 3, "bone": 2}
    assert rules.bleed_pause_days == PAUSE_DAYS


def test_shipped_rules_name_only_real_ultrasound_items(rules: RehabRules) -> None:
    # A typo in an item name would silently never match: check against both instruments.
    definition = HeadUsCDefinition.from_mapping(load_definition("head_us_c"))
    known = {item.code for item in head_us.ITEMS} | {item.code for item in definition.items}
    named = set(rules.active_synovitis.ultrasound_at_least) | set(
        rules.severe_damage.ultrasound_at_least
    )
    assert named <= known


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        pytest.param({"synovitis": 0}, False, id="head_us-synovitis-0"),
        pytest.param({"synovitis": 1}, True, id="head_us-synovitis-1"),
        pytest.param({"synovitis": 2}, True, id="head_us-synovitis-2"),
    ],
)
def test_head_us_synovitis_cut_point(
    rules: RehabRules, items: dict[str, int], expected: bool
) -> None:
    status = _status(rules, ultrasound_joints={KNEE: _head_us(**items)})
    assert status.active_synovitis is expected


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        pytest.param({}, False, id="all-0"),
        pytest.param({"synovial_hyperplasia": 1}, True, id="hyperplasia-1"),
        pytest.param({"synovial_vascularity": 1}, True, id="doppler-star-like-1"),
        pytest.param({"effusion": 1, "hemosiderin": 1}, False, id="effusion-hemosiderin-not-used"),
    ],
)
def test_head_us_c_synovitis_cut_points(
    rules: RehabRules, items: dict[str, int], expected: bool
) -> None:
    status = _status(rules, ultrasound_joints={KNEE: _head_us_c(**items)})
    assert status.active_synovitis is expected


@pytest.mark.parametrize(
    ("swelling", "expected"),
    [
        pytest.param(1, False, id="hjhs-swelling-1"),
        pytest.param(2, True, id="hjhs-swelling-2"),
        pytest.param(3, True, id="hjhs-swelling-3"),
    ],
)
def test_hjhs_swelling_cut_point(rules: RehabRules, swelling: int, expected: bool) -> None:
    assert _status(rules, hjhs=_hjhs(swelling=swelling)).active_synovitis is expected


def test_hjhs_not_evaluable_swelling_is_no_evidence(rules: RehabRules) -> None:
    healthy = {item.value: 0 for item in HjhsItem}
    joints = {joint.value: dict(healthy) for joint in IndexJoint}
    joints[KNEE.value]["swelling"] = "NE"
    status = _status(rules, hjhs=parse_input({"joints": joints, "gait": 0}))
    assert not status.active_synovitis


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        pytest.param({"cartilage": 2}, False, id="cartilage-2"),
        pytest.param({"cartilage": 3}, True, id="cartilage-3"),
        pytest.param({"cartilage": 4}, True, id="cartilage-4"),
        pytest.param({"bone": 1}, False, id="bone-1"),
        pytest.param({"bone": 2}, True, id="bone-2"),
    ],
)
def test_severe_damage_cut_points(rules: RehabRules, items: dict[str, int], expected: bool) -> None:
    assert _status(rules, ultrasound_joints={KNEE: _head_us(**items)}).severe_damage is expected
    assert _status(rules, ultrasound_joints={KNEE: _head_us_c(**items)}).severe_damage is expected


def test_evidence_names_each_finding(rules: RehabRules) -> None:
    status = _status(
        rules,
        ultrasound_joints={KNEE: _head_us(synovitis=1, cartilage=3, bone=2)},
        hjhs=_hjhs(swelling=2),
    )
    assert [item.text for item in status.synovitis_evidence] == [
        "left_knee synovitis = 1 on ultrasound",
        "left_knee.swelling = 2",
    ]
    assert [item.text for item in status.damage_evidence] == [
        "left_knee cartilage = 3 on ultrasound",
        "left_knee bone = 2 on ultrasound",
    ]
    assert status.conditions == {Condition.ACTIVE_SYNOVITIS, Condition.SEVERE_DAMAGE}
    assert status.as_dict()["evidence"]["severe_damage"][0]["field"] == "left_knee.cartilage"


def test_findings_stay_with_their_joint(rules: RehabRules) -> None:
    statuses = joint_statuses(
        ultrasound_joints={KNEE: _head_us(synovitis=2)},
        hjhs=None,
        recent_bleeds=[],
        cleared_joints={},
        as_of=AS_OF,
        rules=rules,
    )
    assert [joint for joint, status in statuses.items() if status.conditions] == [KNEE]
    assert list(statuses) == list(IndexJoint)


@pytest.mark.parametrize(
    ("days_since_start", "paused"),
    [
        pytest.param(-1, False, id="starts-tomorrow"),
        pytest.param(0, True, id="day-0"),
        pytest.param(PAUSE_DAYS - 1, True, id="day-N-1"),
        pytest.param(PAUSE_DAYS, False, id="day-N"),
        pytest.param(PAUSE_DAYS + 1, False, id="day-N+1"),
    ],
)
def test_bleed_pause_window(rules: RehabRules, days_since_start: int, paused: bool) -> None:
    bleed = RecentBleed(BleedSite.LEFT_KNEE, AS_OF - timedelta(days=days_since_start))
    status = _status(rules, recent_bleeds=[bleed])
    assert status.loading_paused is paused
    assert status.bleed_in_progress is paused


@pytest.mark.parametrize(
    ("cleared_on", "paused"),
    [
        pytest.param(None, True, id="not-cleared"),
        pytest.param(date(2026, 1, 1), False, id="cleared-on-the-start-day"),
        pytest.param(date(2026, 1, 3), False, id="cleared-after-the-start"),
        pytest.param(date(2025, 12, 31), True, id="cleared-before-this-bleed"),
        pytest.param(date(2026, 1, 6), True, id="clearance-dated-after-as-of"),
    ],
)
def test_hematologist_clearance(rules: RehabRules, cleared_on: date | None, paused: bool) -> None:
    bleed = RecentBleed(BleedSite.LEFT_KNEE, date(2026, 1, 1))
    cleared = {} if cleared_on is None else {KNEE: cleared_on}
    status = _status(rules, recent_bleeds=[bleed], cleared_joints=cleared)
    assert status.loading_paused is paused


def test_bleed_episode_from_the_registry_counts_and_other_sites_do_not(rules: RehabRules) -> None:
    episode = BleedEpisode(
        BleedSite.LEFT_KNEE, datetime(2026, 1, 2, 18, 30), None, BleedType.SPONTANEOUS
    )
    elsewhere = [
        RecentBleed(BleedSite.RIGHT_KNEE, date(2026, 1, 2)),
        RecentBleed(BleedSite.LEFT_THIGH, date(2026, 1, 2)),
    ]
    status = _status(rules, recent_bleeds=[episode, *elsewhere])
    assert [item.text for item in status.bleed_evidence] == ["left_knee.bleed_start = 2026-01-02"]


def _rules_data() -> dict[str, Any]:
    return copy.deepcopy(load_definition("rehab_rules"))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param(
            lambda d: d["active_synovitis"]["hjhs_at_least"].update(swelling=0),
            r"active_synovitis\.hjhs_at_least\.swelling: 0 is outside 1-3",
            id="hjhs-threshold-0",
        ),
        pytest.param(
            lambda d: d["severe_damage"]["hjhs_at_least"].update(swollen=1),
            r"severe_damage\.hjhs_at_least\.swollen: 'swollen' is not one of",
            id="unknown-hjhs-item",
        ),
        pytest.param(
            lambda d: d["severe_damage"]["ultrasound_at_least"].update({"Cartilage ": 3}),
            r"severe_damage\.ultrasound_at_least: 'Cartilage ' is not an item code",
            id="malformed-ultrasound-item",
        ),
        pytest.param(
            lambda d: d.update(bleed_pause_days=0),
            r"bleed_pause_days: 0 is outside 1-365",
            id="pause-0-days",
        ),
        pytest.param(
            lambda d: d.pop("severe_damage"),
            r"severe_damage: is missing",
            id="missing-criterion",
        ),
        pytest.param(
            lambda d: d.update(extra=1),
            r"extra: 'extra' is not one of",
            id="unknown-key",
        ),
    ],
)
def test_broken_rules_are_named(change: Any, message: str) -> None:
    data = _rules_data()
    change(data)
    with pytest.raises(DefinitionError, match=rf"rehab_rules definition: .*{message}"):
        RehabRules.from_mapping(data)


def test_rules_round_trip_as_dict(rules: RehabRules) -> None:
    assert RehabRules.from_mapping(rules.as_dict()) == rules

"""Each index joint's status for the exercise contraindications, with the evidence for it.

Issue 4's contraindication rules need three facts per joint: active synovitis
(no high-impact or heavy loading), severe cartilage or bone damage (low impact
only) and a bleed in progress that a hematologist has not cleared (nothing
loading the joint). What counts as each is PROVISIONAL, so the thresholds are
not written here: they come from the ``rehab_rules`` definition file, parsed by
:meth:`RehabRules.from_mapping`, which a centre can replace.

A status is true exactly when it has evidence, so every "no" on an exercise can
say which finding caused it (``left_knee synovitis = 1 on ultrasound``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Protocol

from hemojoint.domain.anatomy import BleedSite, IndexJoint
from hemojoint.domain.errors import DefinitionError, InvalidInputError
from hemojoint.domain.instruments.base import InstrumentInfo
from hemojoint.domain.instruments.hjhs import ITEM_MAX, HjhsInput, HjhsItem
from hemojoint.domain.rehab.model import Evidence, EvidenceSource
from hemojoint.domain.validation import (
    int_in_range,
    no_unknown_keys,
    require_key,
    require_mapping,
)

_TOP_KEYS = (
    "code",
    "name",
    "version",
    "status",
    "source",
    "notes",
    "active_synovitis",
    "severe_damage",
    "bleed_pause_days",
)
_CRITERION_KEYS = ("ultrasound_at_least", "hjhs_at_least")
_ITEM_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
# Sanity bounds on a definition file's numbers; not clinical values.
_ITEM_LIMIT = 100
_PAUSE_DAYS_LIMIT = 365


class Condition(StrEnum):
    """A joint condition that restricts exercise; also the codes of exercise contraindications."""

    ACTIVE_SYNOVITIS = "active_synovitis"
    SEVERE_DAMAGE = "severe_damage"
    LOADING_PAUSED = "loading_paused"  # a joint bleed in progress, not yet cleared


@dataclass(frozen=True)
class Criterion:
    """A condition is met when any listed item reaches its value (ultrasound or HJHS)."""

    ultrasound_at_least: Mapping[str, int]
    hjhs_at_least: Mapping[HjhsItem, int]

    def as_dict(self) -> dict[str, Any]:
        return {
            "ultrasound_at_least": dict(self.ultrasound_at_least),
            "hjhs_at_least": {item.value: value for item, value in self.hjhs_at_least.items()},
        }


@dataclass(frozen=True)
class RehabRules:
    """The provisional thresholds of ``definitions/rehab_rules.json``."""

    info: InstrumentInfo
    notes: str
    active_synovitis: Criterion
    severe_damage: Criterion
    bleed_pause_days: int

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> RehabRules:
        """Parse the definition; any bad shape raises :class:`DefinitionError` naming the path.

        >>> RehabRules.from_mapping({"code": "rehab_rules", "name": "R", "version": "1",
        ...     "status": "provisional", "source": "s", "notes": "n",
        ...     "active_synovitis": {"ultrasound_at_least": {}, "hjhs_at_least": {"swelling": 4}},
        ...     "severe_damage": {"ultrasound_at_least": {}, "hjhs_at_least": {}},
        ...     "bleed_pause_days": 28})
        Traceback (most recent call last):
        ...
        hemojoint.domain.errors.DefinitionError: rehab_rules definition: \
active_synovitis.hjhs_at_least.swelling: 4 is outside 1-3
        """
        try:
            return _parse_rules(data)
        except (InvalidInputError, DefinitionError) as error:
            raise DefinitionError(f"rehab_rules definition: {error}") from error

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.info.as_dict(),
            "notes": self.notes,
            "active_synovitis": self.active_synovitis.as_dict(),
            "severe_damage": self.severe_damage.as_dict(),
            "bleed_pause_days": self.bleed_pause_days,
        }


def _parse_rules(data: Mapping[str, Any]) -> RehabRules:
    no_unknown_keys("", data, _TOP_KEYS)
    notes = require_key(data, "notes", "", "a text")
    if not isinstance(notes, str) or not notes.strip():
        raise DefinitionError("notes must be a non-empty text")
    days = require_key(data, "bleed_pause_days", "", "a number of days")
    return RehabRules(
        info=InstrumentInfo.from_mapping(data),
        notes=notes,
        active_synovitis=_parse_criterion("active_synovitis", data),
        severe_damage=_parse_criterion("severe_damage", data),
        bleed_pause_days=int_in_range("bleed_pause_days", days, 1, _PAUSE_DAYS_LIMIT),
    )


def _parse_criterion(key: str, data: Mapping[str, Any]) -> Criterion:
    record = require_mapping(key, require_key(data, key, "", "an object"))
    no_unknown_keys(key, record, _CRITERION_KEYS)
    ultrasound = require_mapping(
        f"{key}.ultrasound_at_least",
        require_key(record, "ultrasound_at_least", key, "an object of item: value"),
    )
    hjhs = require_mapping(
        f"{key}.hjhs_at_least", require_key(record, "hjhs_at_least", key, "an object")
    )
    no_unknown_keys(f"{key}.hjhs_at_least", hjhs, [item.value for item in HjhsItem])
    return Criterion(
        ultrasound_at_least={
            _item_code(f"{key}.ultrasound_at_least", code): int_in_range(
                f"{key}.ultrasound_at_least.{code}", value, 1, _ITEM_LIMIT
            )
            for code, value in ultrasound.items()
        },
        hjhs_at_least={
            HjhsItem(code): int_in_range(
                f"{key}.hjhs_at_least.{code}", value, 1, ITEM_MAX[HjhsItem(code)]
            )
            for code, value in hjhs.items()
        },
    )


def _item_code(path: str, code: object) -> str:
    # Ultrasound item codes come from HEAD-US or a (replaceable) HEAD-US-C definition,
    # so only their form is checked here; a test checks the shipped file's names.
    if not isinstance(code, str) or not _ITEM_CODE.match(code):
        raise DefinitionError(f"{path}: {code!r} is not an item code (snake_case)")
    return code


class ReportedBleed(Protocol):
    """What the rules need of a bleed: where and when it started (``BleedEpisode`` fits)."""

    @property
    def site(self) -> BleedSite: ...

    @property
    def start(self) -> date: ...  # a datetime is a date too


@dataclass(frozen=True)
class RecentBleed:
    """A bleed given only by site and start date (as in the ``hemojoint plan`` input)."""

    site: BleedSite
    start: date


@dataclass(frozen=True)
class JointStatus:
    """One joint's conditions; each is true exactly when its evidence is not empty."""

    joint: IndexJoint
    synovitis_evidence: tuple[Evidence, ...] = ()
    damage_evidence: tuple[Evidence, ...] = ()
    bleed_evidence: tuple[Evidence, ...] = ()

    @property
    def active_synovitis(self) -> bool:
        return bool(self.synovitis_evidence)

    @property
    def severe_damage(self) -> bool:
        return bool(self.damage_evidence)

    @property
    def loading_paused(self) -> bool:
        """A bleed in the pause window that no hematologist has cleared yet."""
        return bool(self.bleed_evidence)

    bleed_in_progress = loading_paused

    @property
    def conditions(self) -> frozenset[Condition]:
        flags = {
            Condition.ACTIVE_SYNOVITIS: self.active_synovitis,
            Condition.SEVERE_DAMAGE: self.severe_damage,
            Condition.LOADING_PAUSED: self.loading_paused,
        }
        return frozenset(condition for condition, present in flags.items() if present)

    def evidence_for(self, condition: Condition) -> tuple[Evidence, ...]:
        return {
            Condition.ACTIVE_SYNOVITIS: self.synovitis_evidence,
            Condition.SEVERE_DAMAGE: self.damage_evidence,
            Condition.LOADING_PAUSED: self.bleed_evidence,
        }[condition]

    def as_dict(self) -> dict[str, Any]:
        return {
            "joint": self.joint.value,
            **{condition.value: condition in self.conditions for condition in Condition},
            "evidence": {
                condition.value: [item.as_dict() for item in self.evidence_for(condition)]
                for condition in Condition
            },
        }


def joint_statuses(
    *,
    ultrasound_joints: Mapping[IndexJoint, Mapping[str, int]] | None,
    hjhs: HjhsInput | None,
    recent_bleeds: Iterable[ReportedBleed],
    cleared_joints: Mapping[IndexJoint, date],
    as_of: date,
    rules: RehabRules,
) -> dict[IndexJoint, JointStatus]:
    """The status of all six index joints on ``as_of``, each condition with its evidence.

    - ``ultrasound_joints``: per joint, the HEAD-US or HEAD-US-C items as parsed by
      ``head_us.parse_joint`` / ``HeadUsCDefinition.parse_joint`` (the ``joints`` of
      ``hemojoint score head_us|head_us_c``); joints not scanned give no evidence.
    - ``hjhs``: the parsed HJHS examination (items are needed; NE items give no evidence).
    - ``recent_bleeds``: only bleeds in an index joint count; a bleed started on day
      ``start`` pauses loading on days ``start .. start + bleed_pause_days - 1``
      unless ``cleared_joints`` has a clearance of that joint dated from the
      bleed's start up to ``as_of`` (a clearance before the bleed does not clear it).
    - Thresholds: ``rules`` (provisional, ``rehab_rules.json``).

    >>> from hemojoint.domain.instruments.base import Status
    >>> rules = RehabRules(InstrumentInfo("r", "R", "1", Status.PROVISIONAL, "s"), "n",
    ...     Criterion({"synovitis": 1}, {}), Criterion({"cartilage": 3}, {}), 28)
    >>> status = joint_statuses(ultrasound_joints={IndexJoint.LEFT_KNEE: {"synovitis": 1,
    ...     "cartilage": 2, "bone": 0}}, hjhs=None, cleared_joints={}, as_of=date(2026, 1, 5),
    ...     recent_bleeds=[RecentBleed(BleedSite.LEFT_ANKLE, date(2025, 12, 20))], rules=rules)
    >>> [e.text for e in status[IndexJoint.LEFT_KNEE].synovitis_evidence]
    ['left_knee synovitis = 1 on ultrasound']
    >>> status[IndexJoint.LEFT_KNEE].severe_damage, status[IndexJoint.LEFT_ANKLE].loading_paused
    (False, True)
    """
    bleeds = list(recent_bleeds)
    ultrasound = ultrasound_joints or {}
    return {
        joint: JointStatus(
            joint=joint,
            synovitis_evidence=_met(joint, rules.active_synovitis, ultrasound.get(joint), hjhs),
            damage_evidence=_met(joint, rules.severe_damage, ultrasound.get(joint), hjhs),
            bleed_evidence=_pausing_bleeds(joint, bleeds, cleared_joints.get(joint), as_of, rules),
        )
        for joint in IndexJoint
    }


def _met(
    joint: IndexJoint,
    criterion: Criterion,
    ultrasound_items: Mapping[str, int] | None,
    hjhs: HjhsInput | None,
) -> tuple[Evidence, ...]:
    found = [
        Evidence(EvidenceSource.ULTRASOUND, f"{joint.value}.{code}", value)
        for code, value in (ultrasound_items or {}).items()
        if code in criterion.ultrasound_at_least and value >= criterion.ultrasound_at_least[code]
    ]
    items = hjhs.joints.get(joint, {}) if hjhs else {}
    for item, threshold in criterion.hjhs_at_least.items():
        value = items.get(item)
        # An NE item is unknown, never a finding (and never 0).
        if isinstance(value, int) and value >= threshold:
            found.append(Evidence(EvidenceSource.HJHS, f"{joint.value}.{item.value}", value))
    return tuple(found)


def _pausing_bleeds(
    joint: IndexJoint,
    bleeds: Iterable[ReportedBleed],
    cleared_on: date | None,
    as_of: date,
    rules: RehabRules,
) -> tuple[Evidence, ...]:
    return tuple(
        Evidence(EvidenceSource.BLEEDS, f"{joint.value}.bleed_start", start.isoformat())
        for bleed in bleeds
        if bleed.site.index_joint is joint
        for start in [_day(bleed.start)]
        if 0 <= (as_of - start).days < rules.bleed_pause_days
        and not (cleared_on is not None and start <= cleared_on <= as_of)
    )


def _day(moment: date) -> date:
    return moment.date() if isinstance(moment, datetime) else moment

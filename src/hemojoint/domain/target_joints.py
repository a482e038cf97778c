"""Target joints: when a joint becomes one and when it stops being one.

Reference: ``REFERENCE.md`` section 2 (ISTH/WFH definitions). Episodes are
grouped by the 72-hour rule first (:func:`hemojoint.domain.bleeds.group_episodes`).

Readings of the reference written down here so they can be checked:

- "6 consecutive months" / "12 consecutive months" are calendar months added
  with the day clamped (:func:`~hemojoint.domain.dates.add_months`): the six
  months from 15 January are 15 January to 14 July inclusive.
- Target joint: a joint becomes a target on the day of the third spontaneous
  episode within six months. It stops being one when a 12-month period that
  begins after it became a target holds 2 or fewer episodes of any cause in that
  joint; it is resolved on the day after that period ends, if that day is on or
  before ``as_of``. Counting for a new target period restarts on that day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from hemojoint.domain.anatomy import BleedSite
from hemojoint.domain.bleeds import BleedType, Episode
from hemojoint.domain.dates import add_months

TARGET_FORMATION_BLEEDS = 3
TARGET_FORMATION_MONTHS = 6
TARGET_RESOLUTION_MAX_BLEEDS = 2
TARGET_RESOLUTION_MONTHS = 12


@dataclass(frozen=True)
class TargetJointPeriod:
    """A joint's time as a target joint; ``resolved_on`` is ``None`` while it still is one."""

    site: BleedSite
    became_target_on: date
    resolved_on: date | None

    @property
    def is_target(self) -> bool:
        return self.resolved_on is None

    def as_dict(self) -> dict[str, Any]:
        resolved = None if self.resolved_on is None else self.resolved_on.isoformat()
        return {
            "site": self.site.value,
            "became_target_on": self.became_target_on.isoformat(),
            "resolved_on": resolved,
            "is_target": self.is_target,
        }


def target_joints(episodes: Iterable[Episode], as_of: date) -> list[TargetJointPeriod]:
    """Every period in which a joint was a target joint, up to ``as_of``, by site then date.

    Rule (ISTH): 3 or more spontaneous episodes in one joint within 6
    consecutive calendar months make it a target joint (on the day of the
    third); it stops being one after 12 consecutive months with 2 or fewer
    episodes of any cause in it. See the module docstring for the exact reading.

    >>> from datetime import datetime
    >>> from hemojoint.domain.bleeds import BleedEpisode
    >>> knee = [Episode((BleedEpisode(BleedSite.RIGHT_KNEE, datetime(2024, month, 1), None,
    ...     BleedType.SPONTANEOUS),)) for month in (1, 2, 3)]
    >>> target_joints(knee, as_of=date(2024, 6, 30))
    [TargetJointPeriod(site=<BleedSite.RIGHT_KNEE: 'right_knee'>, \
became_target_on=datetime.date(2024, 3, 1), resolved_on=None)]
    """
    by_site: dict[BleedSite, list[Episode]] = {}
    for episode in episodes:
        if episode.site.is_joint and episode.start.date() <= as_of:
            by_site.setdefault(episode.site, []).append(episode)
    periods: list[TargetJointPeriod] = []
    for site in sorted(by_site):
        ordered = sorted(by_site[site], key=lambda item: item.start)
        periods.extend(_joint_periods(site, ordered, as_of))
    return periods


def _joint_periods(site: BleedSite, ordered: list[Episode], as_of: date) -> list[TargetJointPeriod]:
    all_days = [episode.start.date() for episode in ordered]
    spontaneous_days = [
        episode.start.date() for episode in ordered if episode.bleed_type is BleedType.SPONTANEOUS
    ]
    periods: list[TargetJointPeriod] = []
    counting_from = date.min  # after a resolution, counting for a new period restarts
    while (
        became := _formation_day([d for d in spontaneous_days if d >= counting_from])
    ) is not None:
        resolved = _resolution_day(became, all_days, as_of)
        periods.append(TargetJointPeriod(site, became, resolved))
        if resolved is None:
            break
        counting_from = resolved  # always after ``became``, so the loop ends
    return periods


def _formation_day(spontaneous_days: list[date]) -> date | None:
    """The day of the earliest third spontaneous episode within 6 calendar months, if any."""
    span = TARGET_FORMATION_BLEEDS - 1
    for index in range(span, len(spontaneous_days)):
        first = spontaneous_days[index - span]
        if spontaneous_days[index] < add_months(first, TARGET_FORMATION_MONTHS):
            return spontaneous_days[index]
    return None


def _resolution_day(became: date, all_days: list[date], as_of: date) -> date | None:
    """The day after the first complete 12-month period after ``became`` with <= 2 episodes."""
    # A period with the fewest episodes that ends soonest begins the day after an episode.
    starts = [day + timedelta(days=1) for day in [became, *all_days] if day >= became]
    for period_start in sorted(set(starts)):
        period_end = add_months(period_start, TARGET_RESOLUTION_MONTHS)
        if period_end > as_of:
            return None
        count = sum(1 for day in all_days if period_start <= day < period_end)
        if count <= TARGET_RESOLUTION_MAX_BLEEDS:
            return period_end
    return None

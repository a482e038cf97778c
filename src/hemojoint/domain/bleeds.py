"""Bleeds: reported bleeds, the 72-hour episode rule, ABR and window counts.

Reference: ``REFERENCE.md`` section 2 (ISTH/WFH definitions).

Vocabulary: a :class:`BleedEpisode` is one bleed as reported (site, start, end of
treatment, cause). :func:`group_episodes` joins reported bleeds into
:class:`Episode` s by the 72-hour rule; rates, counts and target joints
(:mod:`hemojoint.domain.target_joints`) count episodes.

Readings of the reference written down here so they can be checked:

- 72-hour rule: a bleed at the same site starting at most 72:00 h after the end
  of treatment of an earlier bleed of the episode (or during that treatment) is
  the same episode; 72:01 h is a new episode. A bleed whose end of treatment is
  unknown (``None``) opens no 72-hour window.
- An episode's cause is that of its first bleed (a rebleed does not change it).
- Windows are dates, half-open ``[start, end)``; an episode is in a window when
  the date of its start is. Observed days are ``end - start``.
- Target joints, and the months they are counted in, are in
  :mod:`hemojoint.domain.target_joints`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, NamedTuple

from hemojoint.domain.anatomy import BleedSite
from hemojoint.domain.errors import FieldProblem
from hemojoint.domain.validation import fail

SAME_EPISODE_WITHIN = timedelta(hours=72)
DAYS_PER_YEAR = 365.25


class BleedType(StrEnum):
    """Spontaneous: no known cause. Traumatic: a known or believed cause."""

    SPONTANEOUS = "spontaneous"
    TRAUMATIC = "traumatic"


@dataclass(frozen=True)
class BleedEpisode:
    """One reported bleed. ``treatment_end`` is ``None`` when not treated or not recorded.

    >>> BleedEpisode(BleedSite.LEFT_KNEE, datetime(2024, 3, 2, 10), datetime(2024, 3, 1),
    ...     BleedType.TRAUMATIC)
    Traceback (most recent call last):
    ...
    hemojoint.domain.errors.InvalidInputError: treatment_end: '2024-03-01T00:00:00' is before \
the start 2024-03-02T10:00:00
    """

    site: BleedSite
    start: datetime
    treatment_end: datetime | None
    bleed_type: BleedType

    def __post_init__(self) -> None:
        end = self.treatment_end
        if end is None:
            return
        if (end.tzinfo is None) != (self.start.tzinfo is None):
            allowed = "both start and treatment_end with or both without a time zone"
            why = "mixes a time zone with a time without one"
            raise fail(FieldProblem.invalid("treatment_end", end.isoformat(), allowed, why))
        if end < self.start:
            why = f"is before the start {self.start.isoformat()}"
            raise fail(
                FieldProblem.invalid("treatment_end", end.isoformat(), "on or after start", why)
            )


@dataclass(frozen=True)
class Episode:
    """One or more reported bleeds at one site joined by the 72-hour rule, in start order."""

    bleeds: tuple[BleedEpisode, ...]

    def __post_init__(self) -> None:
        sites = {bleed.site for bleed in self.bleeds}
        if len(sites) != 1:
            shown = sorted(site.value for site in sites)
            raise fail(
                FieldProblem.invalid("bleeds", shown, "bleeds at one site", "is not one site")
            )
        object.__setattr__(self, "bleeds", tuple(sorted(self.bleeds, key=lambda item: item.start)))

    @property
    def site(self) -> BleedSite:
        return self.bleeds[0].site

    @property
    def start(self) -> datetime:
        return self.bleeds[0].start

    @property
    def bleed_type(self) -> BleedType:
        return self.bleeds[0].bleed_type

    @property
    def treatment_end(self) -> datetime | None:
        """The latest known end of treatment of its bleeds."""
        ends = [bleed.treatment_end for bleed in self.bleeds if bleed.treatment_end is not None]
        return max(ends, default=None)

    def as_dict(self) -> dict[str, Any]:
        end = self.treatment_end
        return {
            "site": self.site.value,
            "start": self.start.isoformat(),
            "treatment_end": None if end is None else end.isoformat(),
            "bleed_type": self.bleed_type.value,
            "bleeds": len(self.bleeds),
        }


def group_episodes(bleeds: Iterable[BleedEpisode]) -> list[Episode]:
    """Join reported bleeds into episodes by the 72-hour same-site rule, ordered by start.

    A bleed at the same site starting at most 72 h after the end of treatment of
    an earlier bleed of the episode (or before that end) joins it (ISTH).

    >>> first = BleedEpisode(BleedSite.LEFT_KNEE, datetime(2024, 3, 1, 8),
    ...     datetime(2024, 3, 3, 8), BleedType.SPONTANEOUS)
    >>> rebleed = BleedEpisode(BleedSite.LEFT_KNEE, datetime(2024, 3, 6, 8), None,
    ...     BleedType.SPONTANEOUS)
    >>> [len(episode.bleeds) for episode in group_episodes([rebleed, first])]
    [2]
    """
    ordered = sorted(_one_clock(bleeds), key=lambda item: item.start)
    groups: list[list[BleedEpisode]] = []
    latest_by_site: dict[BleedSite, list[BleedEpisode]] = {}
    for bleed in ordered:
        current = latest_by_site.get(bleed.site)
        if current is not None and _joins(current, bleed):
            current.append(bleed)
        else:
            latest_by_site[bleed.site] = [bleed]
            groups.append(latest_by_site[bleed.site])
    return [Episode(tuple(group)) for group in groups]


def _joins(current: Sequence[BleedEpisode], bleed: BleedEpisode) -> bool:
    # Any earlier bleed of the open episode counts: a chain of rebleeds stays one episode.
    ends = [earlier.treatment_end for earlier in current if earlier.treatment_end is not None]
    return bool(ends) and bleed.start <= max(ends) + SAME_EPISODE_WITHIN


def _one_clock(bleeds: Iterable[BleedEpisode]) -> list[BleedEpisode]:
    """Refuse a mix of times with and without a time zone (they cannot be ordered)."""
    items = list(bleeds)
    for index, bleed in enumerate(items):
        if (bleed.start.tzinfo is None) != (items[0].start.tzinfo is None):
            field = f"bleeds[{index}].start"
            allowed = "all times with a time zone or all without"
            why = "mixes a time zone with times without one"
            raise fail(FieldProblem.invalid(field, bleed.start.isoformat(), allowed, why))
    return items


class Window(NamedTuple):
    """A half-open date window ``[start, end)``; unpacks as ``start, end``."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment.date() < self.end

    def as_dict(self) -> dict[str, Any]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


def window_before(day: date, weeks: int = 12) -> Window:
    """The ``weeks`` whole weeks before ``day``, ``day`` itself excluded.

    The study compares joint bleeds in the 12 weeks before enrolment with the
    12 weeks of the programme (:func:`window_from`).

    >>> window_before(date(2024, 3, 25))
    Window(start=datetime.date(2024, 1, 1), end=datetime.date(2024, 3, 25))
    """
    return Window(day - timedelta(weeks=_positive_weeks(weeks)), day)


def window_from(day: date, weeks: int = 12) -> Window:
    """The ``weeks`` whole weeks starting on ``day`` (``day`` included).

    >>> window_from(date(2024, 1, 1)).days
    84
    """
    return Window(day, day + timedelta(weeks=_positive_weeks(weeks)))


def _positive_weeks(weeks: int) -> int:
    if isinstance(weeks, bool) or not isinstance(weeks, int) or weeks < 1:
        raise fail(
            FieldProblem.invalid("weeks", weeks, "a whole number of 1 or more", "is not 1 or more")
        )
    return weeks


def _checked_window(start: date, end: date) -> Window:
    for name, value in (("window_start", start), ("window_end", end)):
        if isinstance(value, datetime) or not isinstance(value, date):
            raise fail(FieldProblem.wrong_type(name, str(value), "a date as YYYY-MM-DD"))
    if end <= start:
        why = f"is not after window_start {start.isoformat()}"
        raise fail(FieldProblem.invalid("window_end", end.isoformat(), "after window_start", why))
    return Window(start, end)


def count_bleeds(
    episodes: Iterable[Episode], start: date, end: date, *, joints_only: bool = False
) -> int:
    """Number of episodes starting in ``[start, end)`` (dates); joint sites only if asked.

    >>> knee = Episode((BleedEpisode(BleedSite.LEFT_KNEE, datetime(2024, 2, 1, 9), None,
    ...     BleedType.TRAUMATIC),))
    >>> count_bleeds([knee], *window_before(date(2024, 3, 25)), joints_only=True)
    1
    """
    window = _checked_window(start, end)
    return sum(
        1
        for episode in episodes
        if window.contains(episode.start) and (episode.site.is_joint or not joints_only)
    )


@dataclass(frozen=True)
class BleedingRate:
    """Episode counts and annualised bleeding rates (bleeds per year) over a window."""

    window: Window
    total_count: int
    joint_count: int
    spontaneous_count: int

    @property
    def observed_days(self) -> int:
        return self.window.days

    @property
    def total_abr(self) -> float:
        return self._annualised(self.total_count)

    @property
    def joint_abr(self) -> float:
        return self._annualised(self.joint_count)

    @property
    def spontaneous_abr(self) -> float:
        return self._annualised(self.spontaneous_count)

    def _annualised(self, count: int) -> float:
        return count / (self.observed_days / DAYS_PER_YEAR)

    def as_dict(self) -> dict[str, Any]:
        return {
            "window": self.window.as_dict(),
            "observed_days": self.observed_days,
            "total_count": self.total_count,
            "joint_count": self.joint_count,
            "spontaneous_count": self.spontaneous_count,
            "total_abr": self.total_abr,
            "joint_abr": self.joint_abr,
            "spontaneous_abr": self.spontaneous_abr,
        }


def annualised_bleeding_rate(
    episodes: Iterable[Episode], window_start: date, window_end: date
) -> BleedingRate:
    """ABR = episodes / (observed days / 365.25), total, joint and spontaneous (ISTH).

    The window is ``[window_start, window_end)`` in dates; ``window_end`` must be
    after ``window_start``. Rates are not rounded.

    >>> knee = Episode((BleedEpisode(BleedSite.LEFT_KNEE, datetime(2024, 2, 1, 9), None,
    ...     BleedType.SPONTANEOUS),))
    >>> rate = annualised_bleeding_rate([knee], date(2023, 1, 1), date(2027, 1, 1))
    >>> rate.observed_days, rate.total_abr
    (1461, 0.25)
    """
    window = _checked_window(window_start, window_end)
    inside = [episode for episode in episodes if window.contains(episode.start)]
    return BleedingRate(
        window=window,
        total_count=len(inside),
        joint_count=sum(1 for episode in inside if episode.site.is_joint),
        spontaneous_count=sum(1 for e in inside if e.bleed_type is BleedType.SPONTANEOUS),
    )

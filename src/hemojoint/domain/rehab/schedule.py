"""The programme's 12-week calendar: which day gets which session, how long and how hard.

Verified rules (REFERENCE.md section 1, "Schedule" and "Rehab sessions happen on the
same day as a prophylaxis infusion"; issue 4 "Programme and plan"):

- 12 weeks of sessions.
- One 60-minute hospital session a week on a prophylaxis infusion day, at the hospital
  level (100 %).
- Five 45-minute home sessions a week, never more than two sessions a day (of any kind:
  a hospital day counts).
- Home intensity starts at 25 % of the hospital level and rises to at most 75 %.

hemojoint's conventions (not in the protocol, stated so a therapist can check them):

- The programme begins with its first hospital session, on the first infusion day on
  or after ``start_date``, so the family is taught the exercises before the first home
  session. Week ``n`` is the 7 days from that day + 7 x (n - 1), and each week's
  hospital session is its first day (the same weekday every week). A Wednesday start
  with Monday and Thursday infusions gives Thursday-to-Wednesday weeks.
- Ramp: linear from 25 % in week 1 to 75 % in week 12, rounded half up to a whole
  percent: ``25 + 50 * (week - 1) / 11`` -> 25, 30, 34, 39, 43, 48, 52, 57, 61, 66, 70, 75.
- Home days, in order of preference: the week's other infusion days first (factor
  levels are highest on infusion days, and the protocol ties rehab to infusions), then
  the other days the family trains on, in date order; each day gets one session before
  any day gets a second (that is the spreading), and the hospital day takes a home
  session only as a last resort. ``home_weekdays`` (default: every day) are the
  weekdays the family can train at home; when they cannot hold five sessions at two a
  day, the input is refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from hemojoint.domain.errors import FieldProblem
from hemojoint.domain.prophylaxis import Weekday, parse_weekdays
from hemojoint.domain.rehab.model import PROGRAMME_WEEKS, SessionKind
from hemojoint.domain.validation import fail

# Verified programme numbers, REFERENCE.md section 1 ("Schedule").
HOSPITAL_SESSIONS_PER_WEEK = 1
HOSPITAL_SESSION_MINUTES = 60
HOSPITAL_INTENSITY_PCT = 100
HOME_SESSIONS_PER_WEEK = 5
HOME_SESSION_MINUTES = 45
MAX_SESSIONS_PER_DAY = 2
HOME_INTENSITY_START_PCT = 25
HOME_INTENSITY_MAX_PCT = 75
DAYS_PER_WEEK = 7


@dataclass(frozen=True)
class ScheduledSession:
    """One session in the calendar, before exercises are chosen."""

    date: date
    week: int
    kind: SessionKind
    minutes: int
    intensity_pct: int  # of the hospital level
    on_infusion_day: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "week": self.week,
            "kind": self.kind.value,
            "minutes": self.minutes,
            "intensity_pct": self.intensity_pct,
            "on_infusion_day": self.on_infusion_day,
        }


def home_intensity_pct(week: int) -> int:
    """Home intensity in ``week`` (1-12), in % of the hospital level.

    Rule: linear from 25 % (week 1) to 75 % (week 12), rounded half up to a whole
    percent (hemojoint's ramp within the verified 25 % start and 75 % ceiling,
    REFERENCE.md section 1).

    >>> [home_intensity_pct(week) for week in range(1, 13)]
    [25, 30, 34, 39, 43, 48, 52, 57, 61, 66, 70, 75]
    >>> home_intensity_pct(13)
    Traceback (most recent call last):
    ...
    hemojoint.domain.errors.InvalidInputError: week: 13 is outside 1-12
    """
    if isinstance(week, bool) or not isinstance(week, int) or not 1 <= week <= PROGRAMME_WEEKS:
        raise fail(FieldProblem.out_of_range("week", week, 1, PROGRAMME_WEEKS))
    rise = HOME_INTENSITY_MAX_PCT - HOME_INTENSITY_START_PCT
    steps = PROGRAMME_WEEKS - 1
    # Integer round half up of rise * (week - 1) / steps, no float drift.
    return HOME_INTENSITY_START_PCT + (2 * rise * (week - 1) + steps) // (2 * steps)


def first_session_date(start_date: date, infusion_weekdays: Iterable[Weekday | str]) -> date:
    """The programme's first day: the first infusion day on or after ``start_date``.

    >>> first_session_date(date(2026, 1, 7), ["mon", "thu"])  # a Wednesday
    datetime.date(2026, 1, 8)
    """
    wanted = {day.day_number for day in parse_weekdays(infusion_weekdays, "infusion_weekdays")}
    return next(
        day
        for day in (start_date + timedelta(days=n) for n in range(DAYS_PER_WEEK))
        if day.weekday() in wanted
    )


def week_days(first_day: date, week: int) -> tuple[date, ...]:
    """The 7 dates of programme week ``week`` (1-based) of a programme begun on ``first_day``.

    >>> week_days(date(2026, 1, 5), 2)[0], week_days(date(2026, 1, 5), 2)[-1]
    (datetime.date(2026, 1, 12), datetime.date(2026, 1, 18))
    """
    first = first_day + timedelta(days=DAYS_PER_WEEK * (week - 1))
    return tuple(first + timedelta(days=offset) for offset in range(DAYS_PER_WEEK))


def build_schedule(
    start_date: date,
    infusion_weekdays: Iterable[Weekday | str],
    *,
    home_weekdays: Iterable[Weekday | str] | None = None,
) -> tuple[ScheduledSession, ...]:
    """The 12-week calendar: 1 hospital (60 min, 100 %) and 5 home (45 min) sessions a week.

    ``infusion_weekdays`` are the prophylaxis days (``mon`` .. ``sun``); the programme
    and each of its weeks begin with the hospital session on the first of them on or
    after ``start_date``. Home sessions follow the preference order in the module
    docstring, at :func:`home_intensity_pct` of the week. Sessions are in date order,
    the hospital session first on a shared day.

    >>> sessions = build_schedule(date(2026, 1, 5), ["mon", "wed", "fri"])
    >>> [(s.date.strftime("%a"), s.kind.value, s.minutes) for s in sessions[:6]]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('Mon', 'hospital', 60), ('Tue', 'home', 45), ('Wed', 'home', 45),
     ('Thu', 'home', 45), ('Fri', 'home', 45), ('Sat', 'home', 45)]
    >>> len(sessions), sessions[-1].intensity_pct
    (72, 75)
    """
    infusion = parse_weekdays(infusion_weekdays, "infusion_weekdays")
    home = (
        tuple(Weekday) if home_weekdays is None else parse_weekdays(home_weekdays, "home_weekdays")
    )
    first_day = first_session_date(start_date, infusion)
    _check_capacity(home, _weekday(first_day))
    sessions: list[ScheduledSession] = []
    for week in range(1, PROGRAMME_WEEKS + 1):
        sessions.extend(_week_sessions(first_day, week, infusion, home))
    return tuple(sessions)


def _weekday(day: date) -> Weekday:
    return list(Weekday)[day.weekday()]


def _week_sessions(
    first_day: date, week: int, infusion: Sequence[Weekday], home: Sequence[Weekday]
) -> list[ScheduledSession]:
    days = week_days(first_day, week)
    infusion_dates = [day for day in days if _weekday(day) in infusion]
    hospital_day = days[0]  # an infusion day: the programme began on one
    home_dates = _home_dates(days, hospital_day, infusion_dates, home)
    pct = home_intensity_pct(week)
    hospital = ScheduledSession(
        hospital_day,
        week,
        SessionKind.HOSPITAL,
        HOSPITAL_SESSION_MINUTES,
        HOSPITAL_INTENSITY_PCT,
        True,
    )
    homes = [
        ScheduledSession(
            day, week, SessionKind.HOME, HOME_SESSION_MINUTES, pct, day in infusion_dates
        )
        for day in home_dates
    ]
    # Stable sort by date keeps the hospital session first on a shared day.
    return sorted([hospital, *homes], key=lambda session: session.date)


def _home_dates(
    days: Sequence[date],
    hospital_day: date,
    infusion_dates: Sequence[date],
    home: Sequence[Weekday],
) -> list[date]:
    """Five dates by preference: other infusion days, other home days, then second rounds."""
    trainable = [day for day in days if _weekday(day) in home]
    first = [day for day in infusion_dates if day != hospital_day and day in trainable]
    rest = [day for day in trainable if day not in first and day != hospital_day]
    order = first + rest
    # Capacity left per day: two, minus the hospital session on its day.
    rounds = order + order + ([hospital_day] if hospital_day in trainable else [])
    return rounds[:HOME_SESSIONS_PER_WEEK]


def _check_capacity(home: Sequence[Weekday], hospital_weekday: Weekday) -> None:
    """Refuse home days that cannot hold five sessions a week at two sessions a day."""
    # Every week has the same weekdays, so one week's capacity is every week's; the
    # hospital session takes one of its day's two places.
    capacity = MAX_SESSIONS_PER_DAY * len(home) - (1 if hospital_weekday in home else 0)
    if capacity < HOME_SESSIONS_PER_WEEK:
        raise fail(
            FieldProblem.invalid(
                "home_weekdays",
                [day.value for day in home],
                f"days holding {HOME_SESSIONS_PER_WEEK} home sessions a week at "
                f"{MAX_SESSIONS_PER_DAY} a day",
                f"hold at most {capacity} home sessions a week "
                f"({HOME_SESSIONS_PER_WEEK} needed, at most {MAX_SESSIONS_PER_DAY} a day)",
            )
        )

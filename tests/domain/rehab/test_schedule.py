"""The 12-week calendar.

Expected values come from the programme rules (REFERENCE.md section 1 "Schedule", issue 4
"Programme and plan"): one 60-minute hospital session a week on an infusion day, five
45-minute home sessions a week, at most two sessions a day, home intensity from 25 % to at
most 75 %, 12 weeks; and from hemojoint's documented conventions in
``hemojoint.domain.rehab.schedule`` (the programme and each week begin with the hospital
session on the first infusion day on or after the start date; linear ramp rounded half
up; home days: other infusion days first, then the other days in date order, one a day
before any second).
Dates were read off a calendar: 2026-01-05 is a Monday, 2026-01-07 a Wednesday.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from hemojoint.domain.errors import InvalidInputError
from hemojoint.domain.rehab.model import SessionKind
from hemojoint.domain.rehab.schedule import (
    ScheduledSession,
    build_schedule,
    home_intensity_pct,
)

MONDAY = date(2026, 1, 5)
WEDNESDAY = date(2026, 1, 7)


# 25 + 50 * (week - 1) / 11, by hand: 25, 29.55, 34.09, 38.64, 43.18, 47.73, 52.27,
# 56.82, 61.36, 65.91, 70.45, 75 -> rounded to whole percent.
@pytest.mark.parametrize(
    ("week", "pct"),
    [(1, 25), (2, 30), (3, 34), (4, 39), (5, 43), (6, 48),
     (7, 52), (8, 57), (9, 61), (10, 66), (11, 70), (12, 75)],
    ids=[f"week-{week}" for week in range(1, 13)],
)  # fmt: skip
def test_home_intensity_every_week(week: int, pct: int) -> None:
    assert home_intensity_pct(week) == pct


@pytest.mark.parametrize("week", [0, 13, True, 1.0], ids=["0", "13", "bool", "float"])
def test_home_intensity_outside_the_programme_is_refused(week: object) -> None:
    with pytest.raises(InvalidInputError, match=r"^week: .* is outside 1-12$"):
        home_intensity_pct(week)  # type: ignore[arg-type]


def _weeks(sessions: tuple[ScheduledSession, ...]) -> dict[int, list[ScheduledSession]]:
    weeks: dict[int, list[ScheduledSession]] = {}
    for session in sessions:
        weeks.setdefault(session.week, []).append(session)
    return weeks


# start, infusion days, home days, first day (the first infusion day on or after the start)
SCHEDULES = {
    "A-mon-wed-fri-monday-start": (MONDAY, ["mon", "wed", "fri"], None, MONDAY),
    "B-mon-thu-wednesday-start": (WEDNESDAY, ["mon", "thu"], None, date(2026, 1, 8)),
    "once-a-week-sunday": (MONDAY, ["sun"], None, date(2026, 1, 11)),
    "home-only-three-days": (MONDAY, ["tue", "fri"], ["sat", "sun", "tue"], date(2026, 1, 6)),
}
Schedule = tuple[tuple[ScheduledSession, ...], list[str], date]


@pytest.fixture(params=list(SCHEDULES), ids=list(SCHEDULES))
def schedule(request: pytest.FixtureRequest) -> Schedule:
    start, infusion, home, first_day = SCHEDULES[request.param]
    return build_schedule(start, infusion, home_weekdays=home), infusion, first_day


def test_twelve_weeks_of_seven_days_from_the_first_hospital_session(schedule: Schedule) -> None:
    sessions, _, first_day = schedule
    assert sorted(_weeks(sessions)) == list(range(1, 13))
    assert (sessions[0].date, sessions[0].kind) == (first_day, SessionKind.HOSPITAL)
    for session in sessions:
        assert (session.date - first_day).days // 7 + 1 == session.week


def test_one_hospital_session_a_week_on_an_infusion_day(schedule: Schedule) -> None:
    sessions, infusion, _ = schedule
    for items in _weeks(sessions).values():
        hospital = [s for s in items if s.kind is SessionKind.HOSPITAL]
        assert len(hospital) == 1
        assert hospital[0].date.strftime("%a").lower() in infusion
        assert (hospital[0].minutes, hospital[0].intensity_pct) == (60, 100)
        assert hospital[0].on_infusion_day


def test_five_home_sessions_of_45_minutes_and_285_minutes_a_week(schedule: Schedule) -> None:
    sessions, _, _ = schedule
    for week, items in _weeks(sessions).items():
        home = [s for s in items if s.kind is SessionKind.HOME]
        assert [s.minutes for s in home] == [45] * 5
        assert {s.intensity_pct for s in home} == {home_intensity_pct(week)}
        assert sum(s.minutes for s in items) == 60 + 5 * 45 == 285


def test_never_more_than_two_sessions_a_day(schedule: Schedule) -> None:
    sessions, _, _ = schedule
    assert max(Counter(s.date for s in sessions).values()) <= 2


def test_home_intensity_stays_within_25_and_75(schedule: Schedule) -> None:
    sessions, _, _ = schedule
    home = [s.intensity_pct for s in sessions if s.kind is SessionKind.HOME]
    assert (min(home), max(home)) == (25, 75)


def _week_layout(sessions: tuple[ScheduledSession, ...], week: int) -> list[tuple[str, str]]:
    return [(s.date.strftime("%a"), s.kind.value) for s in sessions if s.week == week]


def test_hemophilia_a_monday_start_layout() -> None:
    # Hospital on Monday (first infusion day); home on Wed and Fri (other infusion days)
    # then Tue, Thu, Sat (date order); Sunday free.
    sessions = build_schedule(MONDAY, ["mon", "wed", "fri"])
    assert _week_layout(sessions, 1) == [
        ("Mon", "hospital"), ("Tue", "home"), ("Wed", "home"),
        ("Thu", "home"), ("Fri", "home"), ("Sat", "home"),
    ]  # fmt: skip
    assert sessions[0].date == MONDAY
    assert [s.on_infusion_day for s in sessions[:6]] == [True, False, True, False, True, False]


def test_wednesday_start_begins_on_the_first_infusion_day() -> None:
    # Start Wednesday 2026-01-07, infusions Mon/Thu: the programme begins with the hospital
    # session on Thursday 2026-01-08, weeks run Thursday to Wednesday; home on Monday (the
    # other infusion day) then Fri, Sat, Sun, Tue (date order); Wednesday free.
    sessions = build_schedule(WEDNESDAY, ["thu", "mon"])
    assert _week_layout(sessions, 1) == [
        ("Thu", "hospital"), ("Fri", "home"), ("Sat", "home"),
        ("Sun", "home"), ("Mon", "home"), ("Tue", "home"),
    ]  # fmt: skip
    assert sessions[0].date == date(2026, 1, 8)
    # Week 12 begins 11 weeks later, on Thursday 2026-03-26; its last session is on Tuesday.
    assert sessions[-6].date == date(2026, 3, 26)
    assert sessions[-1].date == date(2026, 3, 31)


def test_few_home_days_get_two_sessions_spread_before_doubling() -> None:
    # Home days Tue, Sat, Sun; hospital on Tuesday (first infusion day): Tuesday can take
    # one more session, Sat and Sun two each -> Sat, Sun, Sat, Sun, Tue.
    sessions = build_schedule(MONDAY, ["tue", "fri"], home_weekdays=["sat", "sun", "tue"])
    assert _week_layout(sessions, 1) == [
        ("Tue", "hospital"), ("Tue", "home"), ("Sat", "home"),
        ("Sat", "home"), ("Sun", "home"), ("Sun", "home"),
    ]  # fmt: skip


# Capacity = 2 sessions a day x home days, minus 1 when the hospital day (Monday, the
# only infusion day) is a home day; 5 home sessions are needed.
@pytest.mark.parametrize(
    ("home", "capacity"),
    [(["sat", "sun"], 4), (["mon", "sun"], 3)],
    ids=["2-days-4", "2-days-with-hospital-day-3"],
)
def test_home_days_that_cannot_hold_five_sessions_are_refused(
    home: list[str], capacity: int
) -> None:
    with pytest.raises(InvalidInputError, match=rf"^home_weekdays: .* hold at most {capacity} "):
        build_schedule(MONDAY, ["mon"], home_weekdays=home)


@pytest.mark.parametrize(
    "home",
    [["mon", "sat", "sun"], ["tue", "sat", "sun"]],
    ids=["3-days-with-hospital-day-5", "3-days-6"],
)
def test_home_days_that_just_hold_five_sessions_are_accepted(home: list[str]) -> None:
    sessions = build_schedule(MONDAY, ["mon"], home_weekdays=home)
    assert Counter(s.kind for s in sessions) == {SessionKind.HOSPITAL: 12, SessionKind.HOME: 60}
    assert max(Counter(s.date for s in sessions).values()) == 2


def test_bad_infusion_weekday_names_the_field() -> None:
    with pytest.raises(
        InvalidInputError, match=r"^infusion_weekdays\[1\]: 'funday' is not one of mon, tue, "
    ):
        build_schedule(MONDAY, ["mon", "funday"])


def test_session_as_dict() -> None:
    session = build_schedule(MONDAY, ["mon"])[0]
    assert session.as_dict() == {
        "date": "2026-01-05",
        "week": 1,
        "kind": "hospital",
        "minutes": 60,
        "intensity_pct": 100,
        "on_infusion_day": True,
    }

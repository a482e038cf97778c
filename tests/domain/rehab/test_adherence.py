"""Adherence to the home programme from caregivers' logs.

Expected values are worked by hand from the rules, not from running the code:

- REFERENCE.md section 1 "Schedule": five 45-minute home sessions a week (225 minutes),
  at most two sessions a day; programme weeks of 7 days from the start (issue 4).
- The adherence measure of issue 4: sessions and minutes done against prescribed, per
  week and overall; the module's documented conventions (a week counts at most what it
  prescribes; the first two logs of a day count).
- The provisional low-adherence rule of ``rehab_review_rules.json``: fewer than 60 % of
  the prescribed sessions in each of 2 consecutive weeks. The tests build their own
  rules with those numbers, so a centre changing the file does not change the tests.

2026-01-05 is a Monday; week 1 is 5-11 January, week 2 12-18 January.
"""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from hemojoint.definitions import load_definition
from hemojoint.domain.errors import DefinitionError, InvalidInputError
from hemojoint.domain.instruments.base import InstrumentInfo, Status
from hemojoint.domain.rehab.adherence import (
    Adherence,
    AdherenceRules,
    HomeSessionLog,
    Ratio,
    measure_adherence,
    programme_week,
)
from hemojoint.domain.rehab.model import PlannedExercise, PlannedSession, SessionKind, Variant

START = date(2026, 1, 5)
INFO = InstrumentInfo("rehab_review_rules", "test", "1", Status.PROVISIONAL, "test")
RULES = AdherenceRules(INFO, good_from_pct=80, low_below_pct=60, low_consecutive_weeks=2)
EXERCISES = tuple(
    PlannedExercise(code, Variant.STANDARD, (), 2, 10, None, None)
    for code in ("bridge", "calf_raise", "quad_set")
)


def home_week(week: int, minutes: int = 45) -> list[PlannedSession]:
    """Five home sessions on Tuesday to Saturday of ``week``, three exercises each."""
    first = START + timedelta(days=7 * (week - 1))
    return [
        PlannedSession(
            first + timedelta(days), week, SessionKind.HOME, minutes, 25, False, EXERCISES
        )
        for days in range(1, 6)
    ]


def plan(weeks: int) -> list[PlannedSession]:
    hospital = [
        PlannedSession(
            START + timedelta(days=7 * w), w + 1, SessionKind.HOSPITAL, 60, 100, True, ()
        )
        for w in range(weeks)
    ]
    return hospital + [session for week in range(1, weeks + 1) for session in home_week(week)]


def log(
    day: date, minutes: int = 45, done: int = 3, pain: int = 0, at: time | None = None
) -> HomeSessionLog:
    codes = [exercise.code for exercise in EXERCISES]
    return HomeSessionLog(
        day, at, minutes, {code: i < done for i, code in enumerate(codes)}, pain, ""
    )


def logs_in_week(week: int, count: int, minutes: int = 45) -> list[HomeSessionLog]:
    first = START + timedelta(days=7 * (week - 1))
    return [log(first + timedelta(days=1 + i), minutes) for i in range(count)]


def measure(
    logs: list[HomeSessionLog], weeks: int = 1, through_week: int | None = None
) -> Adherence:
    return measure_adherence(
        plan(weeks),
        logs,
        start_date=START,
        through_week=weeks if through_week is None else through_week,
        rules=RULES,
    )


def test_four_of_five_sessions_and_180_of_225_minutes_are_80_percent() -> None:
    # 4 logs of 45 minutes against 5 x 45 = 225 prescribed: 4/5 = 80 %, 180/225 = 80 %.
    result = measure(logs_in_week(1, 4))
    week = result.week(1)
    assert (week.sessions.done, week.sessions.prescribed, week.sessions.pct) == (4, 5, 80.0)
    assert (week.minutes.done, week.minutes.prescribed, week.minutes.pct) == (180, 225, 80.0)
    # 4 sessions x 3 exercises done of 5 x 3 = 15 prescribed: 12/15 = 80 %.
    assert (week.exercises.done, week.exercises.prescribed) == (12, 15)
    assert week.missed_sessions == 1


def test_hospital_sessions_are_not_part_of_home_adherence() -> None:
    # plan() holds one hospital session a week; only the 5 home sessions are prescribed here.
    assert measure([]).week(1).sessions == Ratio(0, 5)


def test_exercises_count_only_those_ticked_done() -> None:
    # Two sessions with 2 of 3 and 1 of 3 exercises done: 3 of 15 = 20 %.
    logs = [log(START + timedelta(days=1), done=2), log(START + timedelta(days=2), done=1)]
    assert measure(logs).week(1).exercises == Ratio(3, 15)


def test_overall_sums_the_weeks() -> None:
    # Week 1: 5 of 5, 225 of 225 min; week 2: 2 of 5, 60 of 225 (30-minute sessions).
    # Overall 7 of 10 sessions = 70 %, 285 of 450 minutes.
    result = measure(logs_in_week(1, 5) + logs_in_week(2, 2, minutes=30), weeks=2)
    assert result.sessions == Ratio(7, 10)
    assert result.sessions.pct == 70.0
    assert result.minutes == Ratio(285, 450)
    assert result.week(2).minutes == Ratio(60, 225)


def test_a_log_counts_toward_the_week_its_date_falls_in() -> None:
    # Sunday 11 January is the last day of week 1; Monday 12 January the first of week 2.
    result = measure([log(date(2026, 1, 11)), log(date(2026, 1, 12))], weeks=2)
    assert result.week(1).sessions.done == 1
    assert result.week(2).sessions.done == 1
    assert (programme_week(START, date(2026, 1, 11)), programme_week(START, date(2026, 1, 12))) == (
        1,
        2,
    )


@pytest.mark.parametrize(
    ("logs_that_day", "counted"),
    [(1, 1), (2, 2), (3, 2), (4, 2)],
    ids=["one", "two-at-limit", "three-capped", "four-capped"],
)
def test_at_most_two_sessions_a_day_count(logs_that_day: int, counted: int) -> None:
    # REFERENCE.md section 1: at most two sessions a day.
    day = START + timedelta(days=1)
    week = measure([log(day) for _ in range(logs_that_day)]).week(1)
    assert week.sessions.done == counted
    assert week.minutes.done == 45 * counted
    assert week.logged_sessions == logs_that_day
    assert week.over_daily_limit == ((day,) if logs_that_day > 2 else ())


def test_the_first_two_sessions_of_a_day_in_time_order_count() -> None:
    # Logged out of order: 18:00 (40 min), untimed (10 min), 08:00 (20 min), 12:00 (30 min).
    # Counted: 08:00 and 12:00 -> 50 minutes; the untimed log comes after timed ones.
    day = START + timedelta(days=1)
    logs = [
        log(day, 40, at=time(18)),
        log(day, 10),
        log(day, 20, at=time(8)),
        log(day, 30, at=time(12)),
    ]
    assert measure(logs).week(1).minutes.done == 50


def test_a_week_counts_at_most_what_it_prescribes() -> None:
    # Six sessions on six days (one more than prescribed) and 60 minutes each: capped at
    # 5 of 5 sessions, 225 of 225 minutes, 15 of 15 exercises.
    days = [START + timedelta(days=offset) for offset in range(6)]
    week = measure([log(day, 60) for day in days]).week(1)
    assert (week.sessions, week.minutes, week.exercises) == (
        Ratio(5, 5),
        Ratio(225, 225),
        Ratio(15, 15),
    )


LOW_CASES = [
    # (sessions done in week 1, in week 2, flagged, low weeks)
    (3, 3, False, ()),  # 60 % is at the threshold, not below it
    (2, 3, False, ()),  # one low week, then 60 %: the run is broken
    (3, 2, False, (2,)),  # N-1 = 1 low week
    (2, 2, True, (1, 2)),  # N = 2 consecutive weeks at 40 %
    (0, 2, True, (1, 2)),
]


@pytest.mark.parametrize(
    ("week1", "week2", "flagged", "low_weeks"),
    LOW_CASES,
    ids=["at-threshold", "low-then-ok", "n-minus-1-weeks", "n-weeks", "zero-then-low"],
)
def test_low_adherence_flag(
    week1: int, week2: int, flagged: bool, low_weeks: tuple[int, ...]
) -> None:
    result = measure(logs_in_week(1, week1) + logs_in_week(2, week2), weeks=2)
    assert result.low_adherence is flagged
    assert result.low_weeks == low_weeks


def test_low_adherence_looks_at_the_most_recent_weeks() -> None:
    # Weeks 1-2 low (2 of 5), week 3 back to 4 of 5: no longer "staying" low.
    logs = logs_in_week(1, 2) + logs_in_week(2, 2) + logs_in_week(3, 4)
    result = measure(logs, weeks=3)
    assert result.low_adherence is False
    assert result.low_weeks == ()


@pytest.mark.parametrize(
    ("done", "below"), [(2, True), (3, False), (4, False)], ids=["40-below", "60-at", "80-above"]
)
def test_ratio_below_threshold_is_strict(done: int, below: bool) -> None:
    assert Ratio(done, 5).is_below(60) is below


def test_nothing_prescribed_has_no_percentage() -> None:
    assert Ratio(0, 0).pct is None
    assert Ratio(0, 0).is_below(60) is False


def test_weeks_after_through_week_are_not_assessed() -> None:
    result = measure(logs_in_week(1, 5), weeks=12, through_week=1)
    assert [week.week for week in result.weeks] == [1]


def test_as_dict_gives_json_types() -> None:
    data = measure(logs_in_week(1, 4)).as_dict()
    assert data["overall"]["sessions"] == {"done": 4, "prescribed": 5, "pct": 80.0}
    assert data["weeks"][0]["over_daily_limit"] == []
    assert data["rules"]["status"] == "provisional"
    assert data["low_rule"] == {"below_pct": 60, "consecutive_weeks": 2}


def test_logs_before_the_start_or_after_the_week_assessed_are_refused() -> None:
    logs = [log(START - timedelta(days=1)), log(START + timedelta(days=7))]
    with pytest.raises(
        InvalidInputError,
        match=r"logs\[0\]\.date: '2026-01-04' is before the start; "
        r"logs\[1\]\.date: '2026-01-12' falls in week 2, after week 1",
    ):
        measure(logs, weeks=2, through_week=1)


def test_an_exercise_not_prescribed_that_week_is_refused() -> None:
    bad = HomeSessionLog(START + timedelta(days=1), None, 45, {"handstand": True}, 0, "")
    with pytest.raises(
        InvalidInputError, match=r"logs\[0\]\.exercises_done\.handstand: 'handstand' is not one of"
    ):
        measure([bad])


def test_a_session_whose_week_does_not_match_its_date_is_refused() -> None:
    wrong = PlannedSession(START + timedelta(days=8), 1, SessionKind.HOME, 45, 25, False, ())
    with pytest.raises(InvalidInputError, match=r"prescribed\[0\]\.week: 1 does not match"):
        measure_adherence([wrong], [], start_date=START, through_week=2, rules=RULES)


@pytest.mark.parametrize("through_week", [0, 13], ids=["below-1", "above-12"])
def test_through_week_is_within_the_programme(through_week: int) -> None:
    with pytest.raises(InvalidInputError, match=rf"through_week: {through_week} is outside 1-12"):
        measure([], weeks=1, through_week=through_week)


# --- the log itself ---------------------------------------------------------------


@pytest.mark.parametrize("pain", [0, 10], ids=["0-lowest", "10-highest"])
def test_pain_score_0_to_10_is_accepted(pain: int) -> None:
    # Issue 4: pain on a 0-10 faces scale.
    assert log(START, pain=pain).pain_score == pain


@pytest.mark.parametrize("pain", [-1, 11], ids=["below-0", "above-10"])
def test_pain_score_outside_0_to_10_is_refused(pain: int) -> None:
    with pytest.raises(InvalidInputError, match=rf"pain_score: {pain} is outside 0-10"):
        log(START, pain=pain)


@pytest.mark.parametrize("minutes", [0, 1441], ids=["zero", "over-a-day"])
def test_minutes_must_be_plausible(minutes: int) -> None:
    with pytest.raises(InvalidInputError, match=rf"minutes: {minutes} is outside 1-1440"):
        log(START, minutes)


def test_every_invalid_log_field_is_reported_at_once() -> None:
    with pytest.raises(
        InvalidInputError,
        match=r"minutes: 0 is outside 1-1440; exercises_done\.bridge: 'yes' is not true or false; "
        r"pain_score: 11 is outside 0-10; notes: 5 is not a text",
    ):
        HomeSessionLog(START, None, 0, {"bridge": "yes"}, 11, 5)  # type: ignore[arg-type,dict-item]


def test_a_log_keeps_its_own_copy_of_the_exercises() -> None:
    done = {"bridge": True}
    entry = HomeSessionLog(START, None, 45, done, 0, "")
    done["bridge"] = False
    assert entry.exercises_done == {"bridge": True}


def test_log_from_mapping_round_trips() -> None:
    data = {
        "date": "2026-01-06",
        "started_at": "17:30",
        "minutes": 45,
        "exercises_done": {"bridge": True, "quad_set": False},
        "pain_score": 0,
        "notes": "tired",
    }
    entry = HomeSessionLog.from_mapping(data, "logs[0]")
    assert entry.started_at == time(17, 30)
    assert entry.exercises_done_count == 1
    assert entry.as_dict() == data


def test_log_from_mapping_names_fields_under_the_path() -> None:
    with pytest.raises(
        InvalidInputError,
        match=r"logs\[2\]\.minutes: is missing; .*logs\[2\]\.started_at: '5pm' is not a time",
    ):
        HomeSessionLog.from_mapping(
            {"date": "2026-01-06", "started_at": "5pm", "exercises_done": {}, "pain_score": 0},
            "logs[2]",
        )


def test_log_from_mapping_refuses_unknown_keys() -> None:
    with pytest.raises(InvalidInputError, match=r"logs\[0\]\.pain: 'pain' is not one of"):
        HomeSessionLog.from_mapping({"pain": 0}, "logs[0]")


# --- the provisional rules ----------------------------------------------------------


def test_packaged_rules_parse_and_are_provisional() -> None:
    rules = AdherenceRules.from_mapping(load_definition("rehab_review_rules"))
    assert rules.info.status is Status.PROVISIONAL
    assert (rules.good_from_pct, rules.low_below_pct, rules.low_consecutive_weeks) == (80, 60, 2)


def test_rules_refuse_a_low_threshold_above_good() -> None:
    data = {**load_definition("rehab_review_rules")}
    data["adherence"] = {"good_from_pct": 50, "low_below_pct": 60, "low_consecutive_weeks": 2}
    with pytest.raises(DefinitionError, match="low_below_pct must not exceed good_from_pct"):
        AdherenceRules.from_mapping(data)


def test_rules_refuse_an_out_of_range_value() -> None:
    data = {**load_definition("rehab_review_rules")}
    data["adherence"] = {"good_from_pct": 80, "low_below_pct": 60, "low_consecutive_weeks": 13}
    with pytest.raises(DefinitionError, match="low_consecutive_weeks: 13 is outside 1-12"):
        AdherenceRules.from_mapping(data)

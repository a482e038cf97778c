"""Adherence to the home programme, measured from the caregivers' session logs.

REFERENCE.md section 1: adherence in the study was only parent-reported and the
authors ask for quantitative measurement (electronic records or diaries). This is
that measurement: each home session a caregiver logs (:class:`HomeSessionLog`)
against the home sessions the plan prescribes (``PlannedSession`` of kind
``home``), per programme week and overall, as sessions, minutes and exercises
done over prescribed.

Rules (verified numbers, REFERENCE.md section 1 "Schedule"):

- a log counts toward the programme week its date falls in (week ``n`` is the 7 days
  from ``start_date + 7 * (n - 1)``, as in :mod:`.schedule`);
- at most two sessions a day: a third or later log on one day is not counted
  (the first two in time order are; logs without a time come after timed ones).

hemojoint's conventions, stated so a therapist can check them:

- a week counts at most what it prescribes (sessions, minutes, exercises), so
  adherence never exceeds 100 % and extra training in one week does not hide
  missed sessions in another; overall is the sum over the weeks assessed;
- a week without prescribed home sessions has no percentage and neither raises
  nor breaks a run of low weeks.

Provisional thresholds (:class:`AdherenceRules`, definition ``rehab_review_rules``):
adherence is *low* when the sessions done stay below ``low_below_pct`` of those
prescribed in each of the ``low_consecutive_weeks`` most recent weeks assessed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from hemojoint.domain.errors import DefinitionError, FieldProblem, InvalidInputError
from hemojoint.domain.instruments.base import InstrumentInfo
from hemojoint.domain.rehab.home_logs import HomeSessionLog
from hemojoint.domain.rehab.model import PROGRAMME_WEEKS, PlannedSession, SessionKind
from hemojoint.domain.rehab.schedule import DAYS_PER_WEEK, MAX_SESSIONS_PER_DAY
from hemojoint.domain.validation import ProblemCollector, fail, int_in_range

__all__ = [
    "Adherence",
    "AdherenceRules",
    "HomeSessionLog",
    "Ratio",
    "WeekAdherence",
    "measure_adherence",
    "programme_week",
]


@dataclass(frozen=True)
class AdherenceRules:
    """Provisional adherence thresholds, in whole percent of prescribed home sessions."""

    info: InstrumentInfo
    good_from_pct: int
    low_below_pct: int
    low_consecutive_weeks: int

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> AdherenceRules:
        """Read the ``adherence`` block of the ``rehab_review_rules`` definition.

        >>> rules = AdherenceRules.from_mapping({"code": "r", "name": "R", "version": "1",
        ...     "status": "provisional", "source": "example", "adherence":
        ...     {"good_from_pct": 80, "low_below_pct": 60, "low_consecutive_weeks": 2}})
        >>> rules.low_below_pct, rules.low_consecutive_weeks
        (60, 2)
        """
        info = InstrumentInfo.from_mapping(data)
        block = data.get("adherence")
        if not isinstance(block, Mapping) or set(block) != set(_RULE_RANGES):
            raise DefinitionError(f"adherence needs exactly {', '.join(_RULE_RANGES)}")
        try:
            values = {key: int_in_range(key, block[key], *_RULE_RANGES[key]) for key in block}
        except InvalidInputError as error:
            raise DefinitionError(f"rehab_review_rules adherence.{error}") from error
        if values["low_below_pct"] > values["good_from_pct"]:
            raise DefinitionError("adherence.low_below_pct must not exceed good_from_pct")
        return cls(info, **values)


_RULE_RANGES = {
    "good_from_pct": (1, 100),
    "low_below_pct": (1, 100),
    "low_consecutive_weeks": (1, PROGRAMME_WEEKS),
}


@dataclass(frozen=True)
class Ratio:
    """``done`` of ``prescribed``; ``pct`` is ``None`` when nothing was prescribed.

    >>> Ratio(4, 5).pct, Ratio(180, 225).pct, Ratio(0, 0).pct
    (80.0, 80.0, None)
    """

    done: int
    prescribed: int

    @property
    def pct(self) -> float | None:
        return None if self.prescribed == 0 else 100 * self.done / self.prescribed

    def is_below(self, pct: int) -> bool:
        """Strictly below ``pct`` percent, in exact integer arithmetic (no float edge).

        >>> Ratio(3, 5).is_below(60), Ratio(2, 5).is_below(60)
        (False, True)
        """
        return self.prescribed > 0 and 100 * self.done < pct * self.prescribed

    def __add__(self, other: Ratio) -> Ratio:
        return Ratio(self.done + other.done, self.prescribed + other.prescribed)

    def as_dict(self) -> dict[str, Any]:
        pct = self.pct
        return {
            "done": self.done,
            "prescribed": self.prescribed,
            "pct": None if pct is None else round(pct, 1),
        }


@dataclass(frozen=True)
class WeekAdherence:
    """One programme week: sessions, minutes and exercises done of those prescribed.

    ``logged_sessions`` counts every log of the week; ``over_daily_limit`` lists the
    days with more than two logs, whose extra logs were not counted.
    """

    week: int
    sessions: Ratio
    minutes: Ratio
    exercises: Ratio
    logged_sessions: int
    over_daily_limit: tuple[date, ...]

    @property
    def missed_sessions(self) -> int:
        return self.sessions.prescribed - self.sessions.done

    def as_dict(self) -> dict[str, Any]:
        return {
            "week": self.week,
            "sessions": self.sessions.as_dict(),
            "minutes": self.minutes.as_dict(),
            "exercises": self.exercises.as_dict(),
            "logged_sessions": self.logged_sessions,
            "over_daily_limit": [day.isoformat() for day in self.over_daily_limit],
        }


@dataclass(frozen=True)
class Adherence:
    """Adherence per week and overall, and whether it has stayed low.

    ``low_weeks`` is the run of most recent assessed weeks below the low threshold;
    ``low_adherence`` is set when that run is at least ``low_consecutive_weeks`` long.
    """

    rules: AdherenceRules
    weeks: tuple[WeekAdherence, ...]
    low_weeks: tuple[int, ...]

    @property
    def sessions(self) -> Ratio:
        return sum((week.sessions for week in self.weeks), Ratio(0, 0))

    @property
    def minutes(self) -> Ratio:
        return sum((week.minutes for week in self.weeks), Ratio(0, 0))

    @property
    def exercises(self) -> Ratio:
        return sum((week.exercises for week in self.weeks), Ratio(0, 0))

    @property
    def low_adherence(self) -> bool:
        return len(self.low_weeks) >= self.rules.low_consecutive_weeks

    def week(self, number: int) -> WeekAdherence:
        """The assessed week ``number`` (a ``KeyError`` for a week not assessed is a bug)."""
        return next(week for week in self.weeks if week.week == number)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rules": self.rules.info.as_dict(),
            "overall": {
                "sessions": self.sessions.as_dict(),
                "minutes": self.minutes.as_dict(),
                "exercises": self.exercises.as_dict(),
            },
            "weeks": [week.as_dict() for week in self.weeks],
            "low_adherence": self.low_adherence,
            "low_weeks": list(self.low_weeks),
            "low_rule": {
                "below_pct": self.rules.low_below_pct,
                "consecutive_weeks": self.rules.low_consecutive_weeks,
            },
        }


def programme_week(start_date: date, day: date) -> int:
    """The programme week (1-based) that ``day`` falls in; 0 or less before the start.

    >>> programme_week(date(2026, 1, 5), date(2026, 1, 11)), programme_week(
    ...     date(2026, 1, 5), date(2026, 1, 12))
    (1, 2)
    """
    return (day - start_date).days // DAYS_PER_WEEK + 1


def measure_adherence(
    prescribed: Sequence[PlannedSession],
    logs: Sequence[HomeSessionLog],
    *,
    start_date: date,
    through_week: int,
    rules: AdherenceRules,
) -> Adherence:
    """Adherence of weeks 1 to ``through_week`` (the weeks completed so far).

    ``prescribed`` is the plan's sessions (hospital sessions are ignored: only home
    sessions are logged by families); ``logs`` the home sessions logged up to the
    end of ``through_week``. A log before ``start_date`` or after ``through_week``,
    a session whose ``week`` does not match its date, or an exercise code not
    prescribed at home that week is refused, every problem at once.

    Example: 4 of 5 sessions, 180 of 225 minutes, both 80 %.

    >>> from datetime import timedelta
    >>> from hemojoint.domain.rehab.model import PlannedExercise, Variant
    >>> start = date(2026, 1, 5)
    >>> lunge = PlannedExercise("lunge", Variant.STANDARD, (), 2, 8, None, None)
    >>> plan = [PlannedSession(start + timedelta(days), 1, SessionKind.HOME, 45, 25, False,
    ...     (lunge,)) for days in range(1, 6)]
    >>> logs = [HomeSessionLog(start + timedelta(days), None, 45, {"lunge": True}, 0, "")
    ...     for days in range(1, 5)]
    >>> rules = AdherenceRules(InstrumentInfo.from_mapping({"code": "r", "name": "R",
    ...     "version": "1", "status": "provisional", "source": "example"}), 80, 60, 2)
    >>> result = measure_adherence(plan, logs, start_date=start, through_week=1, rules=rules)
    >>> result.sessions.pct, result.minutes.pct, result.exercises.pct, result.low_adherence
    (80.0, 80.0, 80.0, False)
    """
    through_week = int_in_range("through_week", through_week, 1, PROGRAMME_WEEKS)
    homes = [session for session in prescribed if session.kind is SessionKind.HOME]
    _check_inputs(prescribed, logs, start_date, through_week)
    weeks = tuple(_week(number, homes, logs, start_date) for number in range(1, through_week + 1))
    return Adherence(rules, weeks, _trailing_low_weeks(weeks, rules.low_below_pct))


def _check_inputs(
    prescribed: Sequence[PlannedSession],
    logs: Sequence[HomeSessionLog],
    start_date: date,
    through_week: int,
) -> None:
    problems = ProblemCollector()
    for index, session in enumerate(prescribed):
        problems.check(_check_session_week, f"prescribed[{index}].week", session, start_date)
    codes = _home_codes_by_week(prescribed)
    for index, log in enumerate(logs):
        week = programme_week(start_date, log.date)
        if problems.check(_check_log_week, f"logs[{index}].date", log.date, week, through_week):
            _check_codes(problems, f"logs[{index}].exercises_done", log, codes.get(week, set()))
    problems.raise_if_any()


def _check_session_week(field: str, session: PlannedSession, start_date: date) -> None:
    expected = programme_week(start_date, session.date)
    if session.week != expected:
        why = f"does not match its date {session.date} (week {expected} from {start_date})"
        raise fail(FieldProblem.invalid(field, session.week, f"{expected}", why))


def _check_log_week(field: str, day: date, week: int, through_week: int) -> bool:
    if week < 1:
        allowed = "on or after the programme start"
        raise fail(FieldProblem.invalid(field, day.isoformat(), allowed, "is before the start"))
    if week > through_week:
        why = f"falls in week {week}, after week {through_week}, the last week assessed"
        raise fail(FieldProblem.invalid(field, day.isoformat(), f"weeks 1-{through_week}", why))
    return True


def _check_codes(
    problems: ProblemCollector, field: str, log: HomeSessionLog, allowed: set[str]
) -> None:
    for code in log.exercises_done:
        if code not in allowed:
            choices = sorted(allowed) or ["(no home exercises prescribed that week)"]
            problems.add(FieldProblem.not_one_of(f"{field}.{code}", code, choices))


def _home_codes_by_week(prescribed: Sequence[PlannedSession]) -> dict[int, set[str]]:
    codes: dict[int, set[str]] = {}
    for session in prescribed:
        if session.kind is SessionKind.HOME:
            codes.setdefault(session.week, set()).update(ex.code for ex in session.exercises)
    return codes


def _week(
    number: int, homes: Sequence[PlannedSession], logs: Sequence[HomeSessionLog], start: date
) -> WeekAdherence:
    sessions = [session for session in homes if session.week == number]
    week_logs = [log for log in logs if programme_week(start, log.date) == number]
    counted, over_limit = _within_daily_limit(week_logs)
    planned_exercises = sum(len(session.exercises) for session in sessions)
    planned_minutes = sum(session.minutes for session in sessions)
    done_exercises = sum(sum(log.exercises_done.values()) for log in counted)
    return WeekAdherence(
        week=number,
        sessions=Ratio(min(len(counted), len(sessions)), len(sessions)),
        minutes=Ratio(min(sum(log.minutes for log in counted), planned_minutes), planned_minutes),
        exercises=Ratio(min(done_exercises, planned_exercises), planned_exercises),
        logged_sessions=len(week_logs),
        over_daily_limit=over_limit,
    )


def _within_daily_limit(
    logs: Sequence[HomeSessionLog],
) -> tuple[list[HomeSessionLog], tuple[date, ...]]:
    """The logs that count (the first two of each day) and the days that had more."""
    by_day: dict[date, list[HomeSessionLog]] = {}
    for log in logs:
        by_day.setdefault(log.date, []).append(log)
    counted: list[HomeSessionLog] = []
    for day_logs in by_day.values():
        # Stable sort: timed logs in time order, then untimed ones in the order given.
        ordered = sorted(day_logs, key=lambda log: (log.started_at is None, log.started_at or _T0))
        counted.extend(ordered[:MAX_SESSIONS_PER_DAY])
    over = sorted(day for day, day_logs in by_day.items() if len(day_logs) > MAX_SESSIONS_PER_DAY)
    return counted, tuple(over)


_T0 = time(0, 0)


def _trailing_low_weeks(weeks: Sequence[WeekAdherence], below_pct: int) -> tuple[int, ...]:
    """The most recent run of weeks below ``below_pct``, skipping weeks with nothing prescribed."""
    run: list[int] = []
    for week in reversed(weeks):
        if week.sessions.prescribed == 0:
            continue
        if not week.sessions.is_below(below_pct):
            break
        run.append(week.week)
    return tuple(reversed(run))

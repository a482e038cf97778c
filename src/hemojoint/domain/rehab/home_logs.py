"""A caregiver's log of one home session (issue 4, "Home training and tele-rehab").

Caregivers log each home session: date and time, duration, each exercise done or
not, pain on a 0-10 faces scale, notes. :mod:`.adherence` measures adherence from
these logs and :mod:`.review` reads the pain scores.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from hemojoint.domain.errors import FieldProblem, InvalidInputError
from hemojoint.domain.validation import (
    ProblemCollector,
    fail,
    int_in_range,
    iso_date,
    join_path,
    no_unknown_keys,
    require_key,
    require_mapping,
)

PAIN_SCORE_RANGE = (0, 10)  # faces pain scales report 0-10 (issue 4); 0 is no pain
# Not clinical: a sanity bound so that a typo (e.g. 4500 for 45) is caught.
MINUTES_RANGE = (1, 24 * 60)

_KEYS = ("date", "started_at", "minutes", "exercises_done", "pain_score", "notes")


@dataclass(frozen=True)
class HomeSessionLog:
    """One logged home session.

    ``started_at`` is the local time the session started (``None`` when not given);
    ``minutes`` its duration (1-1440); ``exercises_done`` maps each exercise code of
    the plan to whether it was done; ``pain_score`` is the child's pain on a 0-10
    faces scale (0 = no pain). Every invalid field is reported at once.

    >>> HomeSessionLog(date(2026, 1, 6), time(17, 30), 45, {"bridge": True}, 0, "").minutes
    45
    >>> HomeSessionLog(date(2026, 1, 6), None, 0, {"bridge": "yes"}, 11, "")
    Traceback (most recent call last):
    ...
    hemojoint.domain.errors.InvalidInputError: minutes: 0 is outside 1-1440; \
exercises_done.bridge: 'yes' is not true or false; pain_score: 11 is outside 0-10
    """

    date: date
    started_at: time | None
    minutes: int
    exercises_done: Mapping[str, bool]
    pain_score: int
    notes: str

    def __post_init__(self) -> None:
        problems = ProblemCollector()
        problems.check(_check_types, self)
        problems.check(int_in_range, "minutes", self.minutes, *MINUTES_RANGE)
        problems.check(_check_exercises, "exercises_done", self.exercises_done)
        problems.check(int_in_range, "pain_score", self.pain_score, *PAIN_SCORE_RANGE)
        if not isinstance(self.notes, str):
            problems.add(FieldProblem.wrong_type("notes", self.notes, "a text"))
        problems.raise_if_any()
        # A copy, so that the caller's dict cannot change a frozen log afterwards.
        object.__setattr__(self, "exercises_done", dict(self.exercises_done))

    @property
    def exercises_done_count(self) -> int:
        return sum(1 for done in self.exercises_done.values() if done)

    def as_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "started_at": self.started_at.isoformat("minutes") if self.started_at else None,
            "minutes": self.minutes,
            "exercises_done": dict(self.exercises_done),
            "pain_score": self.pain_score,
            "notes": self.notes,
        }

    @classmethod
    def from_mapping(cls, data: object, path: str = "") -> HomeSessionLog:
        """Parse ``{"date", "started_at", "minutes", "exercises_done", "pain_score", "notes"}``.

        ``started_at`` (``"HH:MM"`` or null) and ``notes`` may be left out; the others
        are required. Fields are named under ``path`` (e.g. ``logs[3]``).

        >>> HomeSessionLog.from_mapping({"date": "2026-01-06", "minutes": 45,
        ...     "exercises_done": {}, "pain_score": 12}, "logs[3]")
        Traceback (most recent call last):
        ...
        hemojoint.domain.errors.InvalidInputError: logs[3].pain_score: 12 is outside 0-10
        """
        mapping = require_mapping(path or "log", data)
        no_unknown_keys(path, mapping, _KEYS)
        problems = ProblemCollector()
        for key, expected in _REQUIRED.items():
            problems.check(require_key, mapping, key, path, expected)
        values: dict[str, Any] = {key: mapping.get(key) for key in _REQUIRED}
        if "date" in mapping:
            values["date"] = problems.check(iso_date, join_path(path, "date"), mapping["date"])
        values["started_at"] = problems.check(
            _time, join_path(path, "started_at"), mapping.get("started_at")
        )
        problems.raise_if_any()
        try:
            return cls(**values, notes=mapping.get("notes", ""))
        except InvalidInputError as error:
            raise InvalidInputError(_under(path, problem) for problem in error.problems) from None


_REQUIRED = {
    "date": "a date as YYYY-MM-DD",
    "minutes": "whole minutes",
    "exercises_done": "an object of exercise code -> true or false",
    "pain_score": "a whole number 0-10",
}


def _time(field: str, value: object) -> time | None:
    if value is None or isinstance(value, time):
        return value
    if isinstance(value, str):
        try:
            return time.fromisoformat(value)
        except ValueError:
            pass
    raise fail(FieldProblem.wrong_type(field, value, "a time as HH:MM or null"))


def _check_types(log: HomeSessionLog) -> None:
    if not isinstance(log.date, date) or isinstance(log.date, datetime):
        raise fail(FieldProblem.wrong_type("date", log.date, "a date"))
    if log.started_at is not None and not isinstance(log.started_at, time):
        raise fail(FieldProblem.wrong_type("started_at", log.started_at, "a time or null"))


def _check_exercises(field: str, value: object) -> None:
    mapping = require_mapping(field, value)
    problems = ProblemCollector()
    for code, done in mapping.items():
        if not isinstance(code, str) or not code:
            problems.add(FieldProblem.wrong_type(field, code, "exercise codes as texts"))
        elif not isinstance(done, bool):
            problems.add(FieldProblem.wrong_type(join_path(field, code), done, "true or false"))
    problems.raise_if_any()


def _under(path: str, problem: FieldProblem) -> FieldProblem:
    """The same problem with its field (and message) named under ``path``."""
    if not path:
        return problem
    field = join_path(path, problem.field)
    return FieldProblem(field, problem.value, problem.allowed, f"{path}.{problem.message}")

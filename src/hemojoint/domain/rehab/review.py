"""The weekly review: progress or hold the home plan, pause joints that bled, suggest remedies.

Rules (issue 4 "Weekly review rules"; REFERENCE.md section 1):

- **progress** (raise intensity or dosage) only when the week was pain-free and
  adherence was good;
- **hold** on pain: any home session of the week logged with a pain score above 0
  ("everything must stay pain-free"), so pain 1 already holds;
- **pause** the loading exercises of a joint when a bleed is reported in it, until
  a hematologist clears it; a bleed in a joint during the review week also holds
  that joint (no progression) even when it is already cleared;
- **suggest shorter, split sessions** when a school-age child misses sessions
  (the study's school-age children missed sessions for homework).

Provisional numbers (what adherence is "good", what age is "school age", how many
missed sessions trigger the suggestion) come from :class:`ReviewRules`
(``definitions/rehab_review_rules.json``).

hemojoint's readings, stated so a therapist can check them:

- "a bleed is reported": any bleed at an index joint that started on or after the
  programme start (earlier bleeds were settled by the eligibility check: no bleed in
  the 4 weeks before enrolment). It pauses the joint until ``cleared_joints`` holds a
  clearance of that joint dated on or after the bleed's start (a clearance before
  the bleed does not clear it), with no time limit. The review uses every bleed and
  clearance it is given: the caller passes what is known when the review is done.
- "loading exercises of a joint": exercises of the plan that work that joint and, in
  the exercise library, bear weight on, resist, stretch or put traction on its
  kind of joint (``Exercise.loaded_kinds``, the rule the plan generator uses).
- a bleed at another site (hip, iliopsoas, a muscle) started during the review week
  holds the whole plan: no exercise can be paused for it automatically.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from hemojoint.domain.anatomy import IndexJoint
from hemojoint.domain.errors import DefinitionError, FieldProblem, InvalidInputError
from hemojoint.domain.instruments.base import InstrumentInfo
from hemojoint.domain.rehab.adherence import (
    AdherenceRules,
    HomeSessionLog,
    WeekAdherence,
    measure_adherence,
    programme_week,
)
from hemojoint.domain.rehab.joint_status import ReportedBleed
from hemojoint.domain.rehab.library import ExerciseLibrary, JointKind
from hemojoint.domain.rehab.model import PROGRAMME_WEEKS, PlannedSession
from hemojoint.domain.rehab.schedule import DAYS_PER_WEEK
from hemojoint.domain.validation import ProblemCollector, int_in_range, no_unknown_keys

# REFERENCE.md section 1: "Everything must stay pain-free": any score above 0 is pain.
PAIN_FREE_MAX_SCORE = 0
_AGE_LIMIT = 150  # not clinical: a sanity bound on age_years


@dataclass(frozen=True)
class ReviewRules:
    """Provisional thresholds of the weekly review (``rehab_review_rules.json``)."""

    adherence: AdherenceRules
    school_age_from_years: int
    split_min_missed_sessions: int

    @property
    def info(self) -> InstrumentInfo:
        return self.adherence.info

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> ReviewRules:
        """Parse the definition; a bad shape raises :class:`DefinitionError`.

        >>> ReviewRules.from_mapping({"code": "r", "name": "R", "version": "1",
        ...     "status": "provisional", "source": "s", "adherence": {"good_from_pct": 80,
        ...     "low_below_pct": 60, "low_consecutive_weeks": 2}, "split_sessions":
        ...     {"school_age_from_years": 6, "min_missed_sessions": 0}})
        Traceback (most recent call last):
        ...
        hemojoint.domain.errors.DefinitionError: rehab_review_rules: \
split_sessions.min_missed_sessions: 0 is outside 1-5
        """
        try:
            no_unknown_keys("", data, _TOP_KEYS)
            split = data.get("split_sessions")
            if not isinstance(split, Mapping) or set(split) != set(_SPLIT_RANGES):
                raise DefinitionError(f"split_sessions needs exactly {', '.join(_SPLIT_RANGES)}")
            values = {
                key: int_in_range(f"split_sessions.{key}", split[key], *_SPLIT_RANGES[key])
                for key in _SPLIT_RANGES
            }
        except (InvalidInputError, DefinitionError) as error:
            raise DefinitionError(f"rehab_review_rules: {error}") from error
        return cls(
            AdherenceRules.from_mapping(data),
            values["school_age_from_years"],
            values["min_missed_sessions"],
        )


_TOP_KEYS = ("code", "name", "version", "status", "source", "notes", "adherence", "split_sessions")
# Sanity bounds: a child's age, and at most the five prescribed home sessions a week.
_SPLIT_RANGES = {"school_age_from_years": (0, 18), "min_missed_sessions": (1, 5)}


class Decision(StrEnum):
    PROGRESS = "progress"  # raise home intensity or dosage next week
    HOLD = "hold"  # keep this week's intensity and dosage


class ReasonCode(StrEnum):
    PAIN_FREE = "pain_free"
    PAIN = "pain"
    ADHERENCE_GOOD = "adherence_good"
    ADHERENCE_NOT_GOOD = "adherence_not_good"
    LOW_ADHERENCE = "low_adherence"
    BLEED_PAUSED = "bleed_paused"
    BLEED_HELD = "bleed_held"
    BLEED_OTHER_SITE = "bleed_other_site"
    MISSED_SESSIONS_SCHOOL_AGE = "missed_sessions_school_age"


class Suggestion(StrEnum):
    SPLIT_SESSIONS = "split_sessions"  # shorter sessions split over the day
    HEMATOLOGIST_CLEARANCE = "hematologist_clearance"  # ask to clear a paused joint


@dataclass(frozen=True)
class Reason:
    code: ReasonCode
    text: str
    joint: IndexJoint | None = None

    def as_dict(self) -> dict[str, Any]:
        joint = self.joint.value if self.joint else None
        return {"code": self.code.value, "text": self.text, "joint": joint}


@dataclass(frozen=True)
class PausedJoint:
    """A joint whose loading exercises are paused since ``bleed_start`` until cleared."""

    joint: IndexJoint
    bleed_start: date
    exercises: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "joint": self.joint.value,
            "bleed_start": self.bleed_start.isoformat(),
            "exercises": list(self.exercises),
        }


@dataclass(frozen=True)
class WeeklyReview:
    """The decision for the plan as a whole, per-joint pauses and holds, and every reason."""

    rules: InstrumentInfo
    week: int
    decision: Decision
    paused: tuple[PausedJoint, ...]
    held_joints: tuple[IndexJoint, ...]
    suggestions: tuple[Suggestion, ...]
    reasons: tuple[Reason, ...]
    adherence: WeekAdherence
    low_adherence: bool

    @property
    def paused_joints(self) -> tuple[IndexJoint, ...]:
        return tuple(item.joint for item in self.paused)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rules": self.rules.as_dict(),
            "week": self.week,
            "decision": self.decision.value,
            "paused": [item.as_dict() for item in self.paused],
            "held_joints": [joint.value for joint in self.held_joints],
            "suggestions": [suggestion.value for suggestion in self.suggestions],
            "reasons": [reason.as_dict() for reason in self.reasons],
            "adherence": self.adherence.as_dict(),
            "low_adherence": self.low_adherence,
        }


_HOLDING = frozenset({ReasonCode.PAIN, ReasonCode.ADHERENCE_NOT_GOOD, ReasonCode.BLEED_OTHER_SITE})


def weekly_review(
    *,
    week: int,
    start_date: date,
    logs: Sequence[HomeSessionLog],
    prescribed: Sequence[PlannedSession],
    bleeds: Sequence[ReportedBleed],
    cleared_joints: Mapping[IndexJoint, date],
    age_years: int,
    library: ExerciseLibrary,
    rules: ReviewRules,
) -> WeeklyReview:
    """Review programme week ``week`` (1-12) of a child aged ``age_years`` (whole years).

    ``logs`` are the home sessions logged from the start to the end of ``week``;
    ``prescribed`` the plan's sessions; ``bleeds`` the bleeds reported so far and
    ``cleared_joints`` each joint's latest hematologist clearance; ``library``
    tells which exercises load which joints. Rules: module docstring.

    Example: 4 of 5 sessions (80 %, good) but pain 1 on one day: hold; a 9-year-old who
    missed a session gets the split-session suggestion.

    >>> from hemojoint.domain.instruments.base import Status
    >>> from hemojoint.domain.rehab.model import SessionKind
    >>> info = InstrumentInfo("r", "R", "1", Status.PROVISIONAL, "example")
    >>> rules = ReviewRules(AdherenceRules(info, 80, 60, 2), 6, 1)
    >>> start = date(2026, 1, 5)
    >>> plan = [PlannedSession(start + timedelta(days), 1, SessionKind.HOME, 45, 25, False, ())
    ...     for days in range(1, 6)]
    >>> logs = [HomeSessionLog(start + timedelta(days), None, 45, {}, int(days == 2), "")
    ...     for days in range(1, 5)]
    >>> review = weekly_review(week=1, start_date=start, logs=logs, prescribed=plan, bleeds=[],
    ...     cleared_joints={}, age_years=9, library=ExerciseLibrary(info, "", ()), rules=rules)
    >>> review.decision, review.suggestions
    (<Decision.HOLD: 'hold'>, (<Suggestion.SPLIT_SESSIONS: 'split_sessions'>,))
    >>> [reason.code.value for reason in review.reasons]
    ['pain', 'adherence_good', 'missed_sessions_school_age']
    """
    problems = ProblemCollector()
    problems.check(int_in_range, "week", week, 1, PROGRAMME_WEEKS)
    problems.check(int_in_range, "age_years", age_years, 0, _AGE_LIMIT)
    problems.raise_if_any()
    adherence = measure_adherence(
        prescribed, logs, start_date=start_date, through_week=week, rules=rules.adherence
    )
    this_week = adherence.week(week)
    week_start = start_date + timedelta(days=DAYS_PER_WEEK * (week - 1))
    paused, held, bleed_reasons = _bleed_effects(
        bleeds, cleared_joints, start_date, week_start, prescribed, library
    )
    reasons = [
        *_pain_reasons(logs, start_date, week),
        *_adherence_reasons(this_week, adherence.low_weeks, adherence.low_adherence, rules),
        *bleed_reasons,
    ]
    split = _split_reason(this_week, age_years, rules)
    reasons.extend(split)
    suggestions = ([Suggestion.SPLIT_SESSIONS] if split else []) + (
        [Suggestion.HEMATOLOGIST_CLEARANCE] if paused else []
    )
    return WeeklyReview(
        rules=rules.info,
        week=week,
        decision=_decision(reasons),
        paused=paused,
        held_joints=held,
        suggestions=tuple(suggestions),
        reasons=tuple(reasons),
        adherence=this_week,
        low_adherence=adherence.low_adherence,
    )


def _decision(reasons: Sequence[Reason]) -> Decision:
    holding = any(reason.code in _HOLDING for reason in reasons)
    return Decision.HOLD if holding else Decision.PROGRESS


def _pain_reasons(logs: Sequence[HomeSessionLog], start_date: date, week: int) -> list[Reason]:
    painful = [
        log
        for log in logs
        if programme_week(start_date, log.date) == week and log.pain_score > PAIN_FREE_MAX_SCORE
    ]
    if not painful:
        return [Reason(ReasonCode.PAIN_FREE, "every home session of the week was pain-free")]
    return [
        Reason(ReasonCode.PAIN, f"pain {log.pain_score}/10 logged on {log.date.isoformat()}")
        for log in painful
    ]


def _adherence_reasons(
    week: WeekAdherence, low_weeks: Sequence[int], low: bool, rules: ReviewRules
) -> list[Reason]:
    sessions, good = week.sessions, rules.adherence.good_from_pct
    done = f"{sessions.done} of {sessions.prescribed} home sessions done"
    if sessions.prescribed == 0:
        reasons = [Reason(ReasonCode.ADHERENCE_NOT_GOOD, "no home sessions prescribed this week")]
    elif sessions.is_below(good):
        reasons = [Reason(ReasonCode.ADHERENCE_NOT_GOOD, f"{done}, below {good} %")]
    else:
        reasons = [Reason(ReasonCode.ADHERENCE_GOOD, f"{done}, at least {good} %")]
    if low:
        below = rules.adherence.low_below_pct
        weeks = ", ".join(str(number) for number in low_weeks)
        text = f"home sessions below {below} % in consecutive weeks {weeks}"
        reasons.append(Reason(ReasonCode.LOW_ADHERENCE, text))
    return reasons


def _split_reason(week: WeekAdherence, age_years: int, rules: ReviewRules) -> list[Reason]:
    school_age = age_years >= rules.school_age_from_years
    if not school_age or week.missed_sessions < rules.split_min_missed_sessions:
        return []
    text = (
        f"{week.missed_sessions} home session(s) missed at age {age_years} "
        f"(school age from {rules.school_age_from_years}): suggest shorter, split sessions"
    )
    return [Reason(ReasonCode.MISSED_SESSIONS_SCHOOL_AGE, text)]


def _bleed_effects(
    bleeds: Sequence[ReportedBleed],
    cleared_joints: Mapping[IndexJoint, date],
    start_date: date,
    week_start: date,
    prescribed: Sequence[PlannedSession],
    library: ExerciseLibrary,
) -> tuple[tuple[PausedJoint, ...], tuple[IndexJoint, ...], list[Reason]]:
    _check_clearances(cleared_joints)
    starts = _latest_bleed_starts(bleeds, start_date)
    paused, held, reasons = [], [], []
    for joint in IndexJoint:
        start = starts.get(joint.value)
        if start is None:
            continue
        cleared_on = cleared_joints.get(joint)
        if cleared_on is None or cleared_on < start:
            exercises = _loading_exercises(joint, prescribed, library)
            paused.append(PausedJoint(joint, start, exercises))
            text = f"bleed from {start.isoformat()}: loading exercises paused until cleared"
            reasons.append(Reason(ReasonCode.BLEED_PAUSED, text, joint))
        elif start >= week_start:
            held.append(joint)
            text = f"bleed from {start.isoformat()}, cleared {cleared_on.isoformat()}: held"
            reasons.append(Reason(ReasonCode.BLEED_HELD, text, joint))
    reasons.extend(_other_site_reasons(starts, week_start))
    return tuple(paused), tuple(held), reasons


def _latest_bleed_starts(bleeds: Sequence[ReportedBleed], start_date: date) -> dict[str, date]:
    """Per bleed site code, the start date of its latest bleed since the programme start."""
    latest: dict[str, date] = {}
    for bleed in bleeds:
        # toordinal() keeps the calendar day of a datetime start (a BleedEpisode's) or a date.
        day = date.fromordinal(bleed.start.toordinal())
        if day >= start_date and day > latest.get(bleed.site.value, date.min):
            latest[bleed.site.value] = day
    return latest


def _other_site_reasons(starts: Mapping[str, date], week_start: date) -> list[Reason]:
    index_sites = {joint.value for joint in IndexJoint}
    return [
        Reason(
            ReasonCode.BLEED_OTHER_SITE,
            f"bleed at {site} from {start.isoformat()}: plan held; "
            "the therapist reviews exercises loading that site",
        )
        for site, start in sorted(starts.items())
        if site not in index_sites and start >= week_start
    ]


def _loading_exercises(
    joint: IndexJoint, prescribed: Sequence[PlannedSession], library: ExerciseLibrary
) -> tuple[str, ...]:
    """Codes of the plan's exercises that work ``joint`` and load its kind, sorted."""
    codes = {
        exercise.code
        for session in prescribed
        for exercise in session.exercises
        if joint in exercise.joints
        and JointKind(joint.kind) in library.get(exercise.code).loaded_kinds
    }
    return tuple(sorted(codes))


def _check_clearances(cleared_joints: Mapping[IndexJoint, date]) -> None:
    problems = ProblemCollector()
    for joint, day in cleared_joints.items():
        if not isinstance(joint, IndexJoint):
            problems.add(FieldProblem.not_one_of("cleared_joints", joint, list(IndexJoint)))
        elif not isinstance(day, date):
            field = f"cleared_joints.{joint.value}"
            problems.add(FieldProblem.wrong_type(field, day, "a date"))
    problems.raise_if_any()

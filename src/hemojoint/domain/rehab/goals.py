"""Short-term (week 4) and long-term (week 12) goals, measured with the instruments that found
the problem; therapist edits and progress against them.

REFERENCE.md section 1: short- and long-term goals per child, set in hospital from the
joint findings; everything must stay pain-free. Issue 4: goals measurable against the
same instruments, editable by the therapist; the MDT agenda lists goals not progressing.

Default goals (:func:`default_goals`), one per finding that raised a problem:

- A joint-level problem gets a goal on each HJHS item that raised it, measure
  ``hjhs.<joint>.<item>`` (e.g. ``hjhs.left_ankle.flexion_loss``); gait on ``hjhs.gait``.
  Short-term target = baseline - 1, not below 0. Long-term target = 0 when the baseline
  is 1 or 2, else half the baseline rounded down (3 -> 1, 4 -> 2): a mild finding is
  expected to resolve in 12 weeks, a severe one (often structural change) to halve.
- Swelling also gets a goal on each ultrasound item that raised it, measure
  ``ultrasound.<joint>.<item>``, long-term only with the same rule: the protocol repeats
  ultrasound at week 12, not at week 4 (REFERENCE.md section 1, "Measures").
- Pain also gets, once per child, a goal on the 0-10 home pain score (issue 4: pain on
  a 0-10 faces scale), measure ``pain_score``, target 0 at both terms (pain-free).
- Balance and posture get no default goal: none of the programme's instruments
  measures them; the gait goal covers the walking, stairs, running and hopping items.

Order: the problems' order, then the evidence's order, short term before long term.
These rules are the programme's convention (ours), not published numbers.
All measures here are higher-is-worse, so a goal's target never exceeds its baseline.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from enum import StrEnum

from hemojoint.domain.anatomy import IndexJoint
from hemojoint.domain.errors import FieldProblem
from hemojoint.domain.instruments import head_us, hjhs
from hemojoint.domain.rehab.model import (
    GOAL_WEEKS,
    PROGRAMME_WEEKS,
    Evidence,
    EvidenceSource,
    Goal,
    GoalTerm,
    Problem,
    ProblemCode,
)
from hemojoint.domain.validation import ProblemCollector, fail, int_in_range, join_path

PAIN_SCORE_MEASURE = "pain_score"
PAIN_SCORE_MAX = 10  # issue 4: caregivers log pain on a 0-10 faces scale
PAIN_FREE = 0  # REFERENCE.md section 1: everything must stay pain-free
# Programme convention for default targets (module docstring).
SHORT_TERM_STEP = 1
LONG_TERM_RESOLVES_UP_TO = 2  # baselines 1-2 aim at 0 by week 12; higher ones at half
HJHS_PREFIX = "hjhs"
ULTRASOUND_PREFIX = "ultrasound"
# Ultrasound items whose range this module knows (HEAD-US, verified). HEAD-US-C ranges are
# provisional and live in its definition: a target there is bounded by its baseline.
_HEAD_US_RANGES = {item.code: item for item in head_us.ITEMS}


class GoalProgress(StrEnum):
    MET = "met"
    PROGRESSING = "progressing"
    NOT_PROGRESSING = "not_progressing"


def short_term_target(baseline: int) -> int:
    """Week-4 target: one point better than baseline, never below 0.

    >>> [short_term_target(value) for value in (0, 1, 2, 3, 4)]
    [0, 0, 1, 2, 3]
    """
    return max(baseline - SHORT_TERM_STEP, 0)


def long_term_target(baseline: int) -> int:
    """Week-12 target: 0 from a baseline of 1 or 2, else half the baseline rounded down.

    >>> [long_term_target(value) for value in (0, 1, 2, 3, 4)]
    [0, 0, 0, 1, 2]
    """
    return 0 if baseline <= LONG_TERM_RESOLVES_UP_TO else baseline // 2


def default_goals(
    problems: Iterable[Problem], *, pain_score_baseline: int | None = None
) -> tuple[Goal, ...]:
    """The default goals for a problem list (rules in the module docstring).

    ``pain_score_baseline``: the child's 0-10 home pain score at baseline, if known
    (kept as the pain-score goals' baseline, so progress can be judged).

    >>> from hemojoint.domain.rehab.model import Evidence, EvidenceSource, Problem
    >>> found = Evidence(EvidenceSource.HJHS, "left_ankle.flexion_loss", 2)
    >>> goals = default_goals([Problem(ProblemCode.RESTRICTED_MOTION, IndexJoint.LEFT_ANKLE,
    ...     (found,))])
    >>> [(goal.measure, goal.baseline, goal.target, goal.due_week) for goal in goals]
    [('hjhs.left_ankle.flexion_loss', 2, 1, 4), ('hjhs.left_ankle.flexion_loss', 2, 0, 12)]
    """
    problems = tuple(problems)
    if pain_score_baseline is not None:
        int_in_range("pain_score_baseline", pain_score_baseline, 0, PAIN_SCORE_MAX)
    goals = [goal for problem in problems for goal in _goals_for(problem)]
    if any(problem.code is ProblemCode.PAIN for problem in problems):
        last_pain = max(i for i, goal in enumerate(goals) if goal.problem is ProblemCode.PAIN)
        goals[last_pain + 1 : last_pain + 1] = _pain_score_goals(pain_score_baseline)
    return tuple(goals)


def _goals_for(problem: Problem) -> Iterator[Goal]:
    if problem.code in (ProblemCode.BALANCE, ProblemCode.POSTURE):
        return
    for evidence in problem.evidence:
        for term in _terms_for(evidence):
            yield _item_goal(problem, evidence, term)


def _terms_for(evidence: Evidence) -> tuple[GoalTerm, ...]:
    if evidence.source is EvidenceSource.HJHS:
        return (GoalTerm.SHORT, GoalTerm.LONG)
    if evidence.source is EvidenceSource.ULTRASOUND:
        return (GoalTerm.LONG,)  # ultrasound is repeated at week 12 only
    return ()


def _item_goal(problem: Problem, evidence: Evidence, term: GoalTerm) -> Goal:
    baseline = int(evidence.value)
    prefix = HJHS_PREFIX if evidence.source is EvidenceSource.HJHS else ULTRASOUND_PREFIX
    target = short_term_target(baseline) if term is GoalTerm.SHORT else long_term_target(baseline)
    return Goal(
        term=term,
        problem=problem.code,
        joint=problem.joint,
        measure=join_path(prefix, evidence.field),
        baseline=baseline,
        target=target,
        due_week=GOAL_WEEKS[term],
    )


def _pain_score_goals(baseline: int | None) -> list[Goal]:
    return [
        Goal(term, ProblemCode.PAIN, None, PAIN_SCORE_MEASURE, baseline, PAIN_FREE, weeks)
        for term, weeks in GOAL_WEEKS.items()
    ]


def measure_range(measure: str) -> tuple[int, int | None]:
    """Lowest and highest value of a goal's measure; ``None`` when the highest is held in a
    provisional definition (HEAD-US-C items).

    >>> measure_range("hjhs.left_ankle.flexion_loss"), measure_range("hjhs.gait")
    ((0, 3), (0, 4))
    >>> measure_range("pain_score"), measure_range("ultrasound.left_ankle.synovitis")
    ((0, 10), (0, 2))
    >>> measure_range("ultrasound.left_ankle.effusion")
    (0, None)
    """
    parts = measure.split(".")
    if measure == PAIN_SCORE_MEASURE:
        return 0, PAIN_SCORE_MAX
    if parts == [HJHS_PREFIX, hjhs.GAIT_FIELD]:
        return 0, hjhs.GAIT_MAX
    if len(parts) == 3 and parts[1] in list(IndexJoint):
        prefix, _joint, item = parts
        if prefix == HJHS_PREFIX and item in list(hjhs.HjhsItem):
            return 0, hjhs.ITEM_MAX[hjhs.HjhsItem(item)]
        if prefix == ULTRASOUND_PREFIX and item in _HEAD_US_RANGES:
            return _HEAD_US_RANGES[item].low, _HEAD_US_RANGES[item].high
        if prefix == ULTRASOUND_PREFIX:
            return 0, None
    allowed = "pain_score, hjhs.gait, hjhs.<joint>.<item> or ultrasound.<joint>.<item>"
    raise fail(FieldProblem.invalid("measure", measure, allowed, f"is not one of {allowed}"))


def _check_value(field: str, value: object, goal: Goal) -> int:
    """A whole number within the goal's measure range."""
    low, high = measure_range(goal.measure)
    if high is None:  # HEAD-US-C: the range is the definition's; here only >= 0 is known
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise fail(FieldProblem.wrong_type(field, value, f"a whole number >= {low}"))
        return value
    return int_in_range(field, value, low, high)


def edit_goal(goal: Goal, *, target: int | None = None, due_week: int | None = None) -> Goal:
    """A therapist's change to a goal, checked; ``None`` keeps the current value.

    ``target``: a whole number within the measure's range (:func:`measure_range`) and not
    above the baseline (every measure is higher-is-worse: a higher target is a decline).
    ``due_week``: 1 to 12, the programme's weeks (REFERENCE.md section 1).

    >>> goal = Goal(GoalTerm.SHORT, ProblemCode.GAIT, None, "hjhs.gait", 3, 2, 4)
    >>> edit_goal(goal, target=1, due_week=6).target
    1
    >>> edit_goal(goal, target=5, due_week=13)
    Traceback (most recent call last):
    ...
    hemojoint.domain.errors.InvalidInputError: target: 5 is outside 0-4; due_week: 13 is outside \
1-12
    """
    problems = ProblemCollector()
    new_target: float | None = goal.target
    if target is not None:
        new_target = problems.check(_check_target, target, goal)
    new_week: int | None = goal.due_week
    if due_week is not None:
        new_week = problems.check(int_in_range, "due_week", due_week, 1, PROGRAMME_WEEKS)
    problems.raise_if_any()
    if new_target is None or new_week is None:  # unreachable after raise_if_any; for mypy
        raise TypeError("a failed check left no problem behind")
    return replace(goal, target=new_target, due_week=new_week)


def _check_target(target: object, goal: Goal) -> int:
    value = _check_value("target", target, goal)
    if goal.baseline is not None and value > goal.baseline:
        allowed = f"{goal.baseline:g} or lower"
        why = f"is above the baseline {goal.baseline:g} (higher is worse)"
        raise fail(FieldProblem.invalid("target", target, allowed, why))
    return value


def goal_progress(goal: Goal, current_value: int) -> GoalProgress:
    """Where a goal stands given the measure's current value (higher is worse).

    Met: current <= target. Progressing: not met but better than baseline (current <
    baseline). Not progressing: neither, including when there is no baseline to be
    better than (a pain score above 0 with no recorded baseline).

    >>> goal = Goal(GoalTerm.LONG, ProblemCode.GAIT, None, "hjhs.gait", 3, 1, 12)
    >>> [goal_progress(goal, value).value for value in (0, 1, 2, 3, 4)]
    ['met', 'met', 'progressing', 'not_progressing', 'not_progressing']
    """
    current = _check_value("current_value", current_value, goal)
    if current <= goal.target:
        return GoalProgress.MET
    if goal.baseline is not None and current < goal.baseline:
        return GoalProgress.PROGRESSING
    return GoalProgress.NOT_PROGRESSING

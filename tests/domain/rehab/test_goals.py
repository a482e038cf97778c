"""Goals (issue 4: short-term 4 weeks, long-term 12 weeks, measurable, editable; MDT lists
goals not progressing).

Expected targets are worked by hand from the programme's rule in the module docstring of
``hemojoint.domain.rehab.goals``: short term = baseline - 1 (not below 0); long term = 0
from a baseline of 1-2, else baseline // 2; pain score target 0 (REFERENCE.md section 1:
everything must stay pain-free); item ranges from REFERENCE.md section 3.
"""

from __future__ import annotations

import pytest

from hemojoint.domain.anatomy import IndexJoint
from hemojoint.domain.errors import InvalidInputError
from hemojoint.domain.rehab.goals import (
    GoalProgress,
    default_goals,
    edit_goal,
    goal_progress,
    long_term_target,
    measure_range,
    short_term_target,
)
from hemojoint.domain.rehab.model import (
    Evidence,
    EvidenceSource,
    Goal,
    GoalTerm,
    Problem,
    ProblemCode,
)

HJHS = EvidenceSource.HJHS
US = EvidenceSource.ULTRASOUND
SHORT, LONG = GoalTerm.SHORT, GoalTerm.LONG
LK, LA, RA = IndexJoint.LEFT_KNEE, IndexJoint.LEFT_ANKLE, IndexJoint.RIGHT_ANKLE


def problem(code: ProblemCode, joint: IndexJoint | None, *evidence: Evidence) -> Problem:
    return Problem(code, joint, evidence)


def rows(goals: tuple[Goal, ...]) -> list[tuple[str, str, float | None, float, int]]:
    return [(g.term.value, g.measure, g.baseline, g.target, g.due_week) for g in goals]


@pytest.mark.parametrize(
    ("baseline", "short", "long"),
    [(1, 0, 0), (2, 1, 0), (3, 2, 1), (4, 3, 2)],
    ids=["baseline-1", "baseline-2", "baseline-3", "baseline-4"],
)
def test_target_rule(baseline: int, short: int, long: int) -> None:
    assert (short_term_target(baseline), long_term_target(baseline)) == (short, long)


def test_restricted_motion_goal_matches_issue_example() -> None:
    # hjhs.left_ankle.flexion_loss from 2 to 1 at week 4 and to 0 at week 12.
    flexion = Evidence(HJHS, "left_ankle.flexion_loss", 2)
    goals = default_goals([problem(ProblemCode.RESTRICTED_MOTION, LA, flexion)])
    assert goals == (
        Goal(SHORT, ProblemCode.RESTRICTED_MOTION, LA, "hjhs.left_ankle.flexion_loss", 2, 1, 4),
        Goal(LONG, ProblemCode.RESTRICTED_MOTION, LA, "hjhs.left_ankle.flexion_loss", 2, 0, 12),
    )


def test_one_goal_per_item_that_raised_the_problem() -> None:
    motion = problem(
        ProblemCode.RESTRICTED_MOTION,
        LK,
        Evidence(HJHS, "left_knee.flexion_loss", 3),
        Evidence(HJHS, "left_knee.extension_loss", 1),
    )
    assert rows(default_goals([motion])) == [
        ("short", "hjhs.left_knee.flexion_loss", 3, 2, 4),
        ("long", "hjhs.left_knee.flexion_loss", 3, 1, 12),
        ("short", "hjhs.left_knee.extension_loss", 1, 0, 4),
        ("long", "hjhs.left_knee.extension_loss", 1, 0, 12),
    ]


def test_swelling_goals_include_ultrasound_long_term_only() -> None:
    swelling = problem(
        ProblemCode.SWELLING,
        LA,
        Evidence(HJHS, "left_ankle.swelling", 3),
        Evidence(US, "left_ankle.synovitis", 2),
    )
    assert rows(default_goals([swelling])) == [
        ("short", "hjhs.left_ankle.swelling", 3, 2, 4),
        ("long", "hjhs.left_ankle.swelling", 3, 1, 12),
        ("long", "ultrasound.left_ankle.synovitis", 2, 0, 12),
    ]


def test_gait_goal_on_hjhs_gait() -> None:
    gait = problem(ProblemCode.GAIT, None, Evidence(HJHS, "gait", 4))
    assert rows(default_goals([gait])) == [
        ("short", "hjhs.gait", 4, 3, 4),
        ("long", "hjhs.gait", 4, 2, 12),
    ]


def test_pain_goals_per_joint_then_pain_score_once() -> None:
    problems = [
        problem(ProblemCode.PAIN, LK, Evidence(HJHS, "left_knee.joint_pain", 2)),
        problem(ProblemCode.PAIN, RA, Evidence(HJHS, "right_ankle.joint_pain", 1)),
        problem(ProblemCode.WEAKNESS, LK, Evidence(HJHS, "left_knee.strength", 1)),
    ]
    goals = default_goals(problems, pain_score_baseline=6)
    assert rows(goals) == [
        ("short", "hjhs.left_knee.joint_pain", 2, 1, 4),
        ("long", "hjhs.left_knee.joint_pain", 2, 0, 12),
        ("short", "hjhs.right_ankle.joint_pain", 1, 0, 4),
        ("long", "hjhs.right_ankle.joint_pain", 1, 0, 12),
        ("short", "pain_score", 6, 0, 4),
        ("long", "pain_score", 6, 0, 12),
        ("short", "hjhs.left_knee.strength", 1, 0, 4),
        ("long", "hjhs.left_knee.strength", 1, 0, 12),
    ]
    assert [g.joint for g in goals[4:6]] == [None, None]
    assert {g.problem for g in goals[:6]} == {ProblemCode.PAIN}


def test_balance_and_posture_get_no_default_goal() -> None:
    finding = Evidence(HJHS, "left_knee.flexion_loss", 1)
    bled = Evidence(EvidenceSource.BLEEDS, "left_ankle.bleed_start", "2025-12-01")
    problems = [
        problem(ProblemCode.BALANCE, None, finding, bled),
        problem(ProblemCode.POSTURE, None, finding),
    ]
    assert default_goals(problems) == ()


def test_pain_score_baseline_is_checked() -> None:
    with pytest.raises(InvalidInputError, match=r"pain_score_baseline: 11 is outside 0-10"):
        default_goals([], pain_score_baseline=11)


@pytest.mark.parametrize(
    ("measure", "expected"),
    [
        ("hjhs.left_ankle.strength", (0, 4)),
        ("hjhs.right_elbow.swelling_duration", (0, 1)),
        ("hjhs.gait", (0, 4)),
        ("pain_score", (0, 10)),
        ("ultrasound.left_knee.synovitis", (0, 2)),
        ("ultrasound.left_knee.synovial_hyperplasia", (0, None)),
    ],
    ids=["strength", "duration", "gait", "pain-score", "head-us", "head-us-c"],
)
def test_measure_range(measure: str, expected: tuple[int, int | None]) -> None:
    assert measure_range(measure) == expected


@pytest.mark.parametrize(
    "measure",
    ["hjhs.left_hip.swelling", "hjhs.left_knee.grip", "choklat", "hjhs.gait.extra"],
    ids=["unknown-joint", "unknown-item", "unknown-instrument", "too-long"],
)
def test_unknown_measure_is_refused(measure: str) -> None:
    with pytest.raises(InvalidInputError, match=rf"measure: '{measure}' is not one of pain_score"):
        measure_range(measure)


FLEXION_SHORT = Goal(
    SHORT, ProblemCode.RESTRICTED_MOTION, LA, "hjhs.left_ankle.flexion_loss", 2, 1, 4
)
PAIN_SCORE_LONG = Goal(LONG, ProblemCode.PAIN, None, "pain_score", None, 0, 12)
HYPERPLASIA_LONG = Goal(
    LONG, ProblemCode.SWELLING, LA, "ultrasound.left_ankle.synovial_hyperplasia", 2, 0, 12
)


@pytest.mark.parametrize(
    ("goal", "target", "due_week", "expected"),
    [
        (FLEXION_SHORT, 0, None, (0, 4)),
        (FLEXION_SHORT, 2, None, (2, 4)),  # equal to baseline: "no worse" is allowed
        (FLEXION_SHORT, None, 1, (1, 1)),
        (FLEXION_SHORT, None, 12, (1, 12)),
        (FLEXION_SHORT, None, None, (1, 4)),
        (PAIN_SCORE_LONG, 10, 8, (10, 8)),  # no baseline: only the 0-10 range applies
        (HYPERPLASIA_LONG, 1, None, (1, 12)),
    ],
    ids=[
        "target-0",
        "target-at-baseline",
        "week-1",
        "week-12",
        "no-change",
        "pain-score-max",
        "head-us-c",
    ],
)
def test_edit_goal(
    goal: Goal, target: int | None, due_week: int | None, expected: tuple[int, int]
) -> None:
    edited = edit_goal(goal, target=target, due_week=due_week)
    assert (edited.target, edited.due_week) == expected
    assert (edited.term, edited.measure, edited.baseline) == (
        goal.term,
        goal.measure,
        goal.baseline,
    )


@pytest.mark.parametrize(
    ("goal", "target", "due_week", "message"),
    [
        (FLEXION_SHORT, 3, None, r"target: 3 is above the baseline 2 \(higher is worse\)"),
        (FLEXION_SHORT, 4, None, r"target: 4 is outside 0-3"),
        (FLEXION_SHORT, -1, None, r"target: -1 is outside 0-3"),
        (FLEXION_SHORT, 0.5, None, r"target: 0.5 is outside 0-3"),
        (FLEXION_SHORT, None, 0, r"due_week: 0 is outside 1-12"),
        (FLEXION_SHORT, None, 13, r"due_week: 13 is outside 1-12"),
        (FLEXION_SHORT, 9, 13, r"target: 9 is outside 0-3; due_week: 13 is outside 1-12"),
        (PAIN_SCORE_LONG, 11, None, r"target: 11 is outside 0-10"),
        (HYPERPLASIA_LONG, -1, None, r"target: -1 is not a whole number >= 0"),
        (HYPERPLASIA_LONG, 3, None, r"target: 3 is above the baseline 2"),
    ],
    ids=[
        "above-baseline",
        "above-range",
        "below-range",
        "fraction",
        "week-0",
        "week-13",
        "both-reported",
        "pain-score-11",
        "head-us-c-negative",
        "head-us-c-above-baseline",
    ],
)
def test_edit_goal_refuses(
    goal: Goal, target: float | None, due_week: int | None, message: str
) -> None:
    with pytest.raises(InvalidInputError, match=message):
        edit_goal(goal, target=target, due_week=due_week)  # type: ignore[arg-type]


# Baseline 3, target 1 (hjhs.gait): met at <= 1, progressing at 2, not progressing at 3-4.
GAIT_LONG = Goal(LONG, ProblemCode.GAIT, None, "hjhs.gait", 3, 1, 12)


@pytest.mark.parametrize(
    ("goal", "current", "expected"),
    [
        (GAIT_LONG, 0, GoalProgress.MET),
        (GAIT_LONG, 1, GoalProgress.MET),
        (GAIT_LONG, 2, GoalProgress.PROGRESSING),
        (GAIT_LONG, 3, GoalProgress.NOT_PROGRESSING),
        (GAIT_LONG, 4, GoalProgress.NOT_PROGRESSING),
        (PAIN_SCORE_LONG, 0, GoalProgress.MET),
        (PAIN_SCORE_LONG, 2, GoalProgress.NOT_PROGRESSING),  # no baseline to improve on
        (FLEXION_SHORT, 1, GoalProgress.MET),
        (FLEXION_SHORT, 2, GoalProgress.NOT_PROGRESSING),
    ],
    ids=[
        "below-target",
        "at-target",
        "between",
        "at-baseline",
        "worse",
        "pain-free",
        "pain-no-baseline",
        "flexion-met",
        "flexion-unchanged",
    ],
)
def test_goal_progress(goal: Goal, current: int, expected: GoalProgress) -> None:
    assert goal_progress(goal, current) is expected


def test_goal_progress_checks_the_value() -> None:
    with pytest.raises(InvalidInputError, match=r"current_value: 5 is outside 0-4"):
        goal_progress(GAIT_LONG, 5)

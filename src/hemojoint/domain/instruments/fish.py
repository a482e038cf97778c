"""FISH, Functional Independence Score in Hemophilia (observed; higher is better).

Reference: Poonnoose PM, Padankatti S, Macaden AS, Srivastava A (Christian
Medical College, Vellore). Functional Independence Score in Haemophilia: a new
performance-based instrument to measure disability. Haemophilia 2005;11(6):598-602.
Scoring (8 activities, each 1-4, total 8-32) as in hemojoint REFERENCE.md
section 3.

The form is licensed, so activities are known by short codes only. The eight
activities in three groups (self-care: eating and grooming, bathing, dressing;
transfers: chair, squatting; mobility: walking, step climbing, running) follow
the published descriptions, e.g. Malathi S et al., Sch J App Med Sci
2016;4(6):2196-9 (doi:10.36347/sjams.2016.v04i06.067). Each is graded by the
assistance needed, from 1 (most help) to 4 (independent).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from hemojoint.domain.errors import FieldProblem
from hemojoint.domain.instruments.base import InstrumentInfo, Scorer, Status, provenance
from hemojoint.domain.validation import (
    ProblemCollector,
    fail,
    int_in_range,
    join_path,
    no_unknown_keys,
    require_key,
    require_mapping,
)

INFO = InstrumentInfo(
    code="fish",
    name="Functional Independence Score in Hemophilia (FISH)",
    version="2005",
    status=Status.VERIFIED,
    source="Poonnoose PM, Padankatti S, Macaden AS, Srivastava A. Haemophilia 2005;11(6):598-602",
)

ACTIVITY_MIN = 1
ACTIVITY_MAX = 4


class FishActivity(StrEnum):
    """The eight observed activities, in the form's order."""

    EATING_GROOMING = "eating_grooming"
    BATHING = "bathing"
    DRESSING = "dressing"
    CHAIR_TRANSFER = "chair_transfer"
    SQUATTING = "squatting"
    WALKING = "walking"
    STEP_CLIMBING = "step_climbing"
    RUNNING = "running"


@dataclass(frozen=True)
class FishResult:
    """One grade per activity; the total (8-32) is their sum."""

    activities: Mapping[FishActivity, int]

    @property
    def total(self) -> int:
        return sum(self.activities.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            **provenance(INFO),
            "total": self.total,
            "activities": {activity.value: grade for activity, grade in self.activities.items()},
        }


def score_mapping(data: Mapping[str, Any]) -> FishResult:
    """Score ``{"activities": {"eating_grooming": 4, ..., "running": 3}}``.

    All eight activities are required, each graded 1-4 (4 = independent).
    Total = sum, 8-32, higher is better. Every invalid grade is reported at once.

    >>> grades = {activity.value: 4 for activity in FishActivity} | {"running": 2}
    >>> score_mapping({"activities": grades}).total
    30
    """
    data = require_mapping("input", data)
    no_unknown_keys("", data, ["activities"])
    raw = require_key(data, "activities", "", "an object of the eight activities")
    grades = require_mapping("activities", raw)
    no_unknown_keys("activities", grades, [activity.value for activity in FishActivity])
    problems = ProblemCollector()
    activities = {}
    for activity in FishActivity:
        grade = problems.check(_grade, grades, activity)
        if grade is not None:
            activities[activity] = grade
    problems.raise_if_any()
    return FishResult(MappingProxyType(activities))


def _grade(grades: Mapping[str, Any], activity: FishActivity) -> int:
    field = join_path("activities", activity.value)
    allowed = f"{ACTIVITY_MIN}-{ACTIVITY_MAX}"
    if activity.value not in grades:
        raise fail(FieldProblem.missing(field, allowed))
    return int_in_range(field, grades[activity.value], ACTIVITY_MIN, ACTIVITY_MAX)


SCORER = Scorer(INFO, score_mapping)

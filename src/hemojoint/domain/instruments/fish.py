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

from hemojoint.domain.instruments._shared import ItemRange, parse_graded_items, read_single_key
from hemojoint.domain.instruments.base import InstrumentInfo, Scorer, Status, provenance

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
    grades = read_single_key(data, "activities", "an object of the eight activities")
    ranges = [ItemRange(activity.value, ACTIVITY_MIN, ACTIVITY_MAX) for activity in FishActivity]
    parsed = parse_graded_items("activities", grades, ranges)
    activities = {FishActivity(code): grade for code, grade in parsed.items()}
    return FishResult(MappingProxyType(activities))


SCORER = Scorer(INFO, score_mapping)

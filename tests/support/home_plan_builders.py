"""Plans and sources for the printable home plan, made by the real planner from the examples."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from hemojoint.definitions import load_definition
from hemojoint.domain.instruments.head_us_c import HeadUsCDefinition
from hemojoint.domain.rehab.joint_status import RehabRules
from hemojoint.domain.rehab.library import ExerciseLibrary
from hemojoint.domain.rehab.plan_request import parse_plan_request
from hemojoint.domain.rehab.planner import generate_plan
from hemojoint.reports.home_plan import HomePlanSource

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "plan"


def library(**overrides: Any) -> ExerciseLibrary:
    """The packaged exercise library; ``overrides`` replace top-level keys (e.g. status)."""
    return ExerciseLibrary.from_mapping(load_definition("exercise_library") | overrides)


def example_plan(name: str) -> dict[str, Any]:
    """``Plan.as_dict()`` of ``examples/plan/<name>.json``: what a plan version stores."""
    request = parse_plan_request(
        json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8")),
        HeadUsCDefinition.from_mapping(load_definition("head_us_c")),
    )
    plan = generate_plan(
        birth_date=request.birth_date,
        start_date=request.start_date,
        hemophilia_type=request.hemophilia_type,
        infusion_weekdays=request.infusion_weekdays,
        hjhs_input=request.hjhs_input,
        ultrasound=request.ultrasound,
        recent_bleeds=request.recent_bleeds,
        home_weekdays=request.home_weekdays,
        library=library(),
        rules=RehabRules.from_mapping(load_definition("rehab_rules")),
    )
    return plan.as_dict()


def home_plan_source(content: dict[str, Any], **overrides: Any) -> HomePlanSource:
    values: dict[str, Any] = {
        "child_first_name": "Ming",
        "centre_name": "Riverside Haemophilia Centre",
        "contact_line": None,
        "programme_weeks": 12,
        "plan_version": 1,
        "plan_content": content,
        "library": library(),
        "printed_on": date(2026, 1, 4),
    } | overrides
    return HomePlanSource(**values)


def week_sessions(content: dict[str, Any], week: int, kind: str = "home") -> list[dict[str, Any]]:
    return [s for s in content["sessions"] if s["week"] == week and s["kind"] == kind]

"""``hemojoint plan FILE``: a 12-week rehabilitation plan from a child's findings, no database.

Input and output are described in :mod:`hemojoint.domain.rehab.plan_request` and
:mod:`hemojoint.domain.rehab.planner` (issue 4, "Interfaces"). The exercise library,
the contraindication thresholds and HEAD-US-C are the provisional definitions in force
(``HEMOJOINT_DEFINITIONS_DIR`` replaces them).
"""

from __future__ import annotations

import argparse
from typing import Any

from hemojoint.cli.io import read_json
from hemojoint.definitions import load_definition
from hemojoint.domain.instruments.head_us_c import HeadUsCDefinition
from hemojoint.domain.rehab.joint_status import RehabRules
from hemojoint.domain.rehab.library import ExerciseLibrary
from hemojoint.domain.rehab.plan_request import parse_plan_request
from hemojoint.domain.rehab.planner import generate_plan
from hemojoint.settings import get_settings


def register(subparsers: Any) -> None:
    planning = subparsers.add_parser(
        "plan", help="generate a 12-week rehabilitation plan from findings (JSON)"
    )
    planning.add_argument("file", help="JSON input file, or - for standard input")
    planning.set_defaults(handler=plan_file)


def plan_file(args: argparse.Namespace) -> dict[str, Any]:
    folder = get_settings().definitions_dir
    head_us_c = HeadUsCDefinition.from_mapping(load_definition("head_us_c", folder))
    request = parse_plan_request(read_json(args.file), head_us_c)
    plan = generate_plan(
        birth_date=request.birth_date,
        start_date=request.start_date,
        hemophilia_type=request.hemophilia_type,
        infusion_weekdays=request.infusion_weekdays,
        hjhs_input=request.hjhs_input,
        ultrasound=request.ultrasound,
        recent_bleeds=request.recent_bleeds,
        home_weekdays=request.home_weekdays,
        library=ExerciseLibrary.from_mapping(load_definition("exercise_library", folder)),
        rules=RehabRules.from_mapping(load_definition("rehab_rules", folder)),
    )
    return plan.as_dict()

"""``hemojoint report outcomes``: the outcome analysis of a cohort, on HEMOJOINT_DATABASE_URL.

``--format json`` writes one entry per outcome (n, exclusions with reasons,
normality, descriptive statistics, the paired test with its ``t`` or ``z`` and
``p``, the group comparisons, the adjusted model and the Table-1 row) to
``--out``, and prints where it went. HTML and PDF reports are not available yet.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import Any

from hemojoint.cli.transaction import transaction
from hemojoint.services.operations import OperationRefusedError
from hemojoint.services.outcomes import CohortFilter, outcomes_report
from hemojoint.settings import get_settings

FORMATS = ("json", "html", "pdf")


def register(subparsers: Any) -> None:
    report = subparsers.add_parser("report", help="research reports from the registry")
    kinds = report.add_subparsers(dest="kind", metavar="outcomes", required=True)
    outcomes = kinds.add_parser(
        "outcomes", help="before/after outcome analysis of a programme cohort"
    )
    outcomes.add_argument("--centre", metavar="CODE", help="only this centre's patients")
    outcomes.add_argument(
        "--from", dest="start_from", type=_date, metavar="DATE", help="enrolment start on or after"
    )
    outcomes.add_argument(
        "--to", dest="start_to", type=_date, metavar="DATE", help="enrolment start on or before"
    )
    outcomes.add_argument("--baseline", default="baseline", help="timepoint (default: baseline)")
    outcomes.add_argument("--follow-up", default="week_12", help="timepoint (default: week_12)")
    outcomes.add_argument("--format", choices=FORMATS, required=True)
    outcomes.add_argument("--out", required=True, metavar="FILE", help="where to write the report")
    outcomes.set_defaults(handler=outcomes_file)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date as YYYY-MM-DD") from error


def outcomes_file(args: argparse.Namespace) -> dict[str, Any]:
    if args.format != "json":
        raise OperationRefusedError(
            f"--format {args.format}: HTML and PDF reports are not available yet; use --format json"
        )
    if args.start_from and args.start_to and args.start_to < args.start_from:
        raise OperationRefusedError(
            f"--to {args.start_to.isoformat()} is before --from {args.start_from.isoformat()}"
        )
    cohort = CohortFilter(
        centre_code=args.centre,
        start_from=args.start_from,
        start_to=args.start_to,
        baseline=args.baseline,
        follow_up=args.follow_up,
    )
    with transaction(get_settings()) as session:
        report = outcomes_report(session, cohort)
    text = json.dumps(report, indent=2, ensure_ascii=False)
    try:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    except OSError as error:
        raise OperationRefusedError(f"--out {args.out}: {error.strerror}") from error
    return {
        "out": args.out,
        "patients": report["cohort"]["patients"],
        "outcomes": len(report["outcomes"]),
    }

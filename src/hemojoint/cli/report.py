"""``hemojoint report outcomes``: the outcome analysis of a cohort, on HEMOJOINT_DATABASE_URL.

``--format json`` writes one entry per outcome (n, exclusions with reasons,
normality, descriptive statistics, the paired test with its ``t`` or ``z`` and
``p``, the group comparisons, the adjusted model and the Table-1 row) to
``--out``, and prints where it went. ``--format html|pdf`` writes the printable
report (hemojoint.reports.outcomes_report) from the same analysis. ``--severity``
(repeatable), ``--hemophilia-type``, ``--prior-regimen`` and ``--age-band`` keep only
those patients (hemojoint.services.outcome_filters); a value outside the codes is a
usage error (exit 2) naming the option, the value and the choices. Both carry the
age-band comparison (hemojoint.services.outcomes_report_data). A progress bar on
stderr follows the steps (reading, analysing, rendering) when stderr is a terminal;
stdout only ever gets the JSON summary.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from tqdm import tqdm  # type: ignore[import-untyped]

from hemojoint.cli import report_patient
from hemojoint.cli.transaction import transaction
from hemojoint.reports.outcomes_report import (
    printable_source,
    render_html,
    render_pdf,
)
from hemojoint.services import outcome_filters
from hemojoint.services.case_series import iliopsoas_series
from hemojoint.services.operations import OperationRefusedError
from hemojoint.services.outcome_filters import PatientFilters
from hemojoint.services.outcomes import CohortFilter
from hemojoint.services.outcomes_report_data import outcomes_report_data
from hemojoint.settings import get_settings

FORMATS = ("json", "html", "pdf")
# The steps outcomes_report_data reports, then writing (and rendering, for html/pdf).
DATA_STEPS = 3


def register(subparsers: Any) -> None:
    report = subparsers.add_parser("report", help="research reports from the registry")
    kinds = report.add_subparsers(dest="kind", metavar="outcomes|iliopsoas|patient", required=True)
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
    _patient_filter_options(outcomes)
    outcomes.add_argument("--baseline", default="baseline", help="timepoint (default: baseline)")
    outcomes.add_argument("--follow-up", default="week_12", help="timepoint (default: week_12)")
    outcomes.add_argument("--format", choices=FORMATS, required=True)
    outcomes.add_argument("--out", required=True, metavar="FILE", help="where to write the report")
    outcomes.set_defaults(handler=outcomes_file)
    iliopsoas = kinds.add_parser(
        "iliopsoas", help="iliopsoas bleed case series: episodes, neuropathy, stay, recovery"
    )
    iliopsoas.add_argument("--centre", metavar="CODE", help="only this centre's patients")
    iliopsoas.add_argument(
        "--from", dest="start_from", type=_date, metavar="DATE", help="bleeds starting on or after"
    )
    iliopsoas.add_argument(
        "--to", dest="start_to", type=_date, metavar="DATE", help="bleeds starting on or before"
    )
    iliopsoas.add_argument("--out", required=True, metavar="FILE", help="where to write the JSON")
    iliopsoas.set_defaults(handler=iliopsoas_file)
    report_patient.register(kinds)


def _patient_filter_options(parser: argparse.ArgumentParser) -> None:
    """Severity (repeatable), hemophilia type, prior regimen, age band: the service's codes."""
    choices = outcome_filters.CHOICES
    parser.add_argument(
        "--severity",
        action="append",
        default=[],
        choices=choices["severity"],
        help="only patients of this severity (give it again for several)",
    )
    parser.add_argument("--hemophilia-type", choices=choices["hemophilia_type"])
    parser.add_argument(
        "--prior-regimen", choices=choices["prior_regimen"], help="the regimen before the programme"
    )
    parser.add_argument(
        "--age-band", choices=choices["age_band"], help="completed years at the enrolment start"
    )


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date as YYYY-MM-DD") from error


def outcomes_file(args: argparse.Namespace) -> dict[str, Any]:
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
        patients=PatientFilters(
            severity=tuple(args.severity),
            hemophilia_type=args.hemophilia_type,
            prior_regimen=args.prior_regimen,
            age_band=args.age_band,
        ),
    )
    steps = DATA_STEPS + (1 if args.format == "json" else 2)
    with Steps(steps) as bar:
        if args.format != "json":
            return _printable(args, cohort, bar)
        settings = get_settings()
        with transaction(settings) as session:
            data = outcomes_report_data(
                session, cohort, bar, definitions_dir=settings.definitions_dir
            )
            report = data.report
        bar("writing")
        text = json.dumps(report, indent=2, ensure_ascii=False)
        _write(args.out, (text + "\n").encode("utf-8"))
    return {
        "out": args.out,
        "patients": report["cohort"]["patients"],
        "outcomes": len(report["outcomes"]),
    }


class Steps:
    """A step bar on stderr (tqdm; silent when stderr is not a terminal): call it per step."""

    def __init__(self, total: int, file: Any = None) -> None:
        self._bar = tqdm(
            total=total,
            unit="step",
            desc="report",
            disable=None,
            leave=False,
            file=file if file is not None else sys.stderr,
        )
        self._started = False

    def __call__(self, name: str) -> None:
        if self._started:
            self._bar.update(1)  # the previous step is done
        self._started = True
        self._bar.set_description_str(name)

    def __enter__(self) -> Steps:
        return self

    def __exit__(self, *_exc: object) -> None:
        self._bar.close()


def iliopsoas_file(args: argparse.Namespace) -> dict[str, Any]:
    with transaction(get_settings()) as session:
        series = iliopsoas_series(
            session, centre_code=args.centre, start_from=args.start_from, start_to=args.start_to
        ).as_dict()
    _write(args.out, (json.dumps(series, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    headline = ("cohort_patients", "patients_with_bleeds", "episodes")
    return {"out": args.out, **{key: series[key] for key in headline}}


def _write(out: str, content: bytes) -> None:
    try:
        Path(out).write_bytes(content)
    except OSError as error:
        raise OperationRefusedError(f"--out {out}: {error.strerror}") from error


def _printable(args: argparse.Namespace, cohort: CohortFilter, bar: Steps) -> dict[str, Any]:
    """The HTML or PDF report (rendered after the read transaction has committed its audit)."""
    settings = get_settings()
    with transaction(settings) as session:
        data = outcomes_report_data(session, cohort, bar, definitions_dir=settings.definitions_dir)
    source = printable_source(
        data, database_url=settings.database_url, generated_at=datetime.now(UTC)
    )
    bar("rendering")
    content = render_html(source).encode("utf-8") if args.format == "html" else render_pdf(source)
    bar("writing")
    _write(args.out, content)
    return {
        "out": args.out,
        "patients": data.report["cohort"]["patients"],
        "outcomes": len(data.report["outcomes"]),
    }

"""``hemojoint programme ...``: the rehabilitation programme from the command line.

Every command acts as a named user (``--as USERNAME``, an active user of the centre)
through the same services as the API, so the permission matrix, the patient's scope,
the domain's rules and the audit trail apply exactly as for a request; audit entries
carry the address ``cli``. Each command runs in one transaction (nothing is written
when it fails) on the database of ``HEMOJOINT_DATABASE_URL`` and prints JSON. The
handlers are in :mod:`hemojoint.cli.programme_commands`.
"""

from __future__ import annotations

import argparse
from typing import Any

from hemojoint.cli import programme_commands as commands
from hemojoint.reports.labels import Language
from hemojoint.services.home_plan import ALL_WEEKS, OutputFormat

DATE = "YYYY-MM-DD"


def register(subparsers: Any) -> None:
    group = subparsers.add_parser(
        "programme",
        help="the 12-week rehabilitation programme: enrol, plans, home logs, reviews, MDT",
        description="The rehabilitation programme through the API's services, acting as a "
        "named user (--as): the same permissions, scope and audit as the API.",
    )
    programme = group.add_subparsers(dest="programme_command", required=True)
    _enrolment_commands(programme)
    _plan_commands(programme)
    _home_commands(programme)
    _review_commands(programme)


def _command(programme: Any, name: str, help_text: str, handler: Any) -> argparse.ArgumentParser:
    # No abbreviations: "--as" must never be guessed from a longer option.
    parser: argparse.ArgumentParser = programme.add_parser(
        name, help=help_text, description=help_text, allow_abbrev=False
    )
    parser.add_argument(
        "--as",
        dest="as_user",
        required=True,
        metavar="USERNAME",
        help="the user the command acts as (active, of the centre; their role's permissions apply)",
    )
    parser.set_defaults(handler=handler)
    return parser


def _enrolment_id(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("enrolment_id", type=int, metavar="ENROLMENT_ID")


def _patient_and_centre(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--patient", required=True, metavar="RECORD_NUMBER", help="the child's record number"
    )
    parser.add_argument("--centre", required=True, metavar="CODE", help="the centre's code")


def _enrolment_commands(programme: Any) -> None:
    enrol = _command(
        programme,
        "enrol",
        "enrol a child after the eligibility check (a refusal names every failed criterion)",
        commands.enrol,
    )
    _patient_and_centre(enrol)
    enrol.add_argument("--start", required=True, metavar=DATE, help="the first programme day")
    enrol.add_argument(
        "--facts",
        required=True,
        metavar="FILE.json",
        help="the screening answers: the API's enrolment 'candidate' object (- for stdin)",
    )
    enrol.add_argument("--regimen", type=int, metavar="ID", help="the child's prophylaxis regimen")
    enrol.add_argument("--baseline-hjhs", type=int, metavar="ID", help="an HJHS of the child")
    enrol.add_argument(
        "--baseline-ultrasound", type=int, metavar="ID", help="a HEAD-US or HEAD-US-C of the child"
    )
    enrol.add_argument("--baseline-choklat", type=int, metavar="ID", help="a CHO-KLAT of the child")
    enrol.add_argument(
        "--infusion-weekdays",
        metavar="mon,wed,fri",
        help="infusion days, comma-separated (default: the regimen's)",
    )


def _plan_commands(programme: Any) -> None:
    generate = _command(
        programme, "plan", "generate the plan (version 1) of an enrolment", commands.plan_generate
    )
    _enrolment_id(generate)
    generate.add_argument(
        "--home-weekdays", metavar="tue,thu,...", help="days trained at home (default every day)"
    )
    generate.add_argument(
        "--home-equipment", metavar="CODE,...", help="equipment the family has (default all)"
    )
    generate.add_argument("--reason", help="the version's reason (default: generated)")

    show = _command(
        programme, "plan-show", "the current plan version, or --version N", commands.plan_show
    )
    _enrolment_id(show)
    show.add_argument("--version", type=int, metavar="N", help="a version number (default: newest)")

    edit = _command(
        programme,
        "plan-edit",
        "a therapist's edit: a new plan version (the API's PATCH body)",
        commands.plan_edit,
    )
    _enrolment_id(edit)
    edit.add_argument("--file", required=True, metavar="EDIT.json", help="the edit (- for stdin)")


def _home_commands(programme: Any) -> None:
    log = _command(programme, "log", "record a home session log", commands.log_session)
    _enrolment_id(log)
    log.add_argument("--file", required=True, metavar="LOG.json", help="the log (- for stdin)")

    adherence = _command(
        programme,
        "adherence",
        "adherence to the home plan, per week and overall",
        commands.adherence,
    )
    _enrolment_id(adherence)
    adherence.add_argument(
        "--through-week", type=int, metavar="N", help="the last week assessed (default: completed)"
    )

    home_plan = _command(
        programme, "home-plan", "write the printable home plan (HTML or PDF)", commands.home_plan
    )
    _enrolment_id(home_plan)
    home_plan.add_argument("--lang", required=True, choices=[item.value for item in Language])
    home_plan.add_argument(
        "--format", dest="output", required=True, choices=[item.value for item in OutputFormat]
    )
    home_plan.add_argument("--out", required=True, metavar="FILE", help="the file to write")
    home_plan.add_argument(
        "--week", default=ALL_WEEKS, metavar="all|current|N", help="the weeks printed (default all)"
    )
    home_plan.add_argument("--force", action="store_true", help="replace FILE if it exists")


def _review_commands(programme: Any) -> None:
    review = _command(programme, "review", "review a programme week", commands.review)
    _enrolment_id(review)
    review.add_argument("--week", required=True, type=int, metavar="N")

    clear = _command(
        programme, "clear", "clear a joint for loading after a bleed", commands.clear_joint
    )
    _patient_and_centre(clear)
    clear.add_argument("--joint", required=True, metavar="SITE", help="e.g. left_ankle")
    clear.add_argument("--bleed", type=int, metavar="ID", help="the bleed cleared, in that joint")
    clear.add_argument("--note", help="a note kept with the clearance")

    agenda = _command(
        programme, "mdt-agenda", "the children to discuss at an MDT meeting", commands.mdt_agenda
    )
    agenda.add_argument("--centre", required=True, metavar="CODE", help="the centre's code")
    agenda.add_argument("--as-of", metavar=DATE, help="the meeting date (default: today, UTC)")

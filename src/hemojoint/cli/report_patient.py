"""``hemojoint report patient PATIENT_ID``: one patient's printable report (HTML or PDF).

Acts as the user ``--as`` names, like ``hemojoint programme home-plan``: the report is
patient data, so scope (404), role (403) and the audit entry are that user's. The
file is written inside the transaction, so a file that cannot be written leaves
no audit entry.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from hemojoint.cli import programme_commands
from hemojoint.cli.programme_commands import acting
from hemojoint.reports.patient_report import FORMATS, LANGUAGES, render_patient_report
from hemojoint.services.operations import OperationRefusedError


def register(kinds: Any) -> None:
    parser: argparse.ArgumentParser = kinds.add_parser(
        "patient",
        help="one patient's report for a clinic visit or referral (HTML or PDF)",
        allow_abbrev=False,
    )
    parser.add_argument("patient_id", type=int, metavar="PATIENT_ID")
    parser.add_argument(
        "--as",
        dest="as_user",
        required=True,
        metavar="USERNAME",
        help="the user the command acts as (their scope and role's permissions apply)",
    )
    parser.add_argument("--format", choices=FORMATS, required=True)
    parser.add_argument("--lang", choices=LANGUAGES, default="en")
    parser.add_argument("--out", required=True, metavar="FILE", help="where to write the report")
    parser.add_argument("--force", action="store_true", help="replace FILE if it exists")
    parser.set_defaults(handler=patient_file)


def patient_file(args: argparse.Namespace) -> dict[str, Any]:
    target = Path(args.out)
    if target.is_dir():
        raise OperationRefusedError(f"--out {target} is a directory; name a file")
    if target.exists() and not args.force:
        raise OperationRefusedError(f"--out {target} already exists; use --force to replace it")
    with acting(args) as (session, actor):
        body = render_patient_report(
            session,
            actor,
            args.patient_id,
            fmt=args.format,
            lang=args.lang,
            # Looked up at call time: the programme commands' one clock (tests replace it).
            today=programme_commands.now().date(),
        )
        try:
            target.write_bytes(body)
        except OSError as error:
            raise OperationRefusedError(f"--out {target}: {error.strerror}") from error
    return {
        "patient_id": args.patient_id,
        "out": str(target),
        "format": args.format,
        "language": args.lang,
        "bytes": len(body),
    }

"""``hemojoint import patients|bleeds|infusions FILE.csv --centre CODE --as USERNAME``.

``hemojoint import fhir FILE.json ...`` imports a FHIR R4B Bundle instead (Patient,
factor activity and inhibitor Observations, MedicationAdministration): see
``services/fhir_import.py``; problems are named ``entry[N].Type.field``.

All rows or none: every row is checked like an API request, every problem is
reported as ``row N, field: message`` (the header is row 1), and one bad row
rejects the whole file. ``--dry-run`` does the same work, reports, and writes
nothing.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from hemojoint.cli.io import read_json, read_text
from hemojoint.cli.transaction import transaction
from hemojoint.services import fhir_import, imports
from hemojoint.settings import get_settings

FHIR = "fhir"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "import",
        help="import patients, bleeds or infusions from CSV, or a FHIR R4B Bundle (all or none)",
        description="Columns are the API's field names; bleeds and infusions name their "
        f"patient in {imports.PATIENT_COLUMN}. See docs/operations.md and examples/import/.",
    )
    parser.add_argument("kind", choices=[*(kind.value for kind in imports.ImportKind), FHIR])
    parser.add_argument(
        "file", help="CSV file (UTF-8, header row first), FHIR JSON for fhir, or - for stdin"
    )
    parser.add_argument("--centre", required=True, metavar="CODE", help="the centre's code")
    parser.add_argument(
        "--as",
        dest="as_user",
        required=True,
        metavar="USERNAME",
        help="the user the import is recorded as (must belong to the centre and may write "
        "these records)",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="check every row and report; write nothing"
    )
    parser.set_defaults(handler=import_file)


def import_file(args: argparse.Namespace) -> dict[str, Any]:
    if args.kind == FHIR:
        return _import_fhir(args)
    text = read_text(args.file)
    with transaction(get_settings(), commit=not args.dry_run) as session:
        try:
            report = imports.import_csv(
                session,
                kind=imports.ImportKind(args.kind),
                text=text,
                file=args.file,
                centre_code=args.centre,
                username=args.as_user,
                dry_run=args.dry_run,
            )
        except imports.ImportRejectedError as error:
            if args.dry_run:
                # The report is what a dry run is for; the error line and exit 2 follow.
                print(json.dumps(error.report.as_dict(), indent=2, ensure_ascii=False))
            raise
        return report.as_dict()


def _import_fhir(args: argparse.Namespace) -> dict[str, Any]:
    document = read_json(args.file)
    with transaction(get_settings(), commit=not args.dry_run) as session:
        try:
            report = fhir_import.import_bundle(
                session,
                document=document,
                file=args.file,
                centre_code=args.centre,
                username=args.as_user,
                dry_run=args.dry_run,
            )
        except fhir_import.FhirImportRejectedError as error:
            if args.dry_run:
                print(json.dumps(error.report.as_dict(), indent=2, ensure_ascii=False))
            raise
        return report.as_dict()

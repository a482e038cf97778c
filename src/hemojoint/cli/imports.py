"""``hemojoint import patients|bleeds|infusions FILE.csv --centre CODE --as USERNAME``.

``hemojoint import fhir FILE.json ...`` imports a FHIR R4B Bundle instead (Patient,
factor activity and inhibitor Observations, MedicationAdministration): see
``services/fhir_import.py``; problems are named ``entry[N].Type.field``.
``hemojoint import export FOLDER ...`` imports the patients, bleeds and infusions of a
tidy-CSV research export (``hemojoint export csv --identified``): see
``services/export_import.py``.

All rows or none: every row is checked like an API request, every problem is
reported as ``row N, field: message`` (the header is row 1), and one bad row
rejects the whole file. ``--dry-run`` does the same work, reports, and writes
nothing.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hemojoint.cli.io import InputFileError, read_json, read_text
from hemojoint.cli.transaction import transaction
from hemojoint.domain.errors import InvalidInputError
from hemojoint.services import export_import, fhir_import, imports
from hemojoint.settings import get_settings

FHIR = "fhir"
EXPORT = "export"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "import",
        help="import patients, bleeds or infusions from CSV, or a FHIR R4B Bundle (all or none)",
        description="Columns are the API's field names; bleeds and infusions name their "
        f"patient in {imports.PATIENT_COLUMN}. See docs/operations.md and examples/import/.",
    )
    parser.add_argument(
        "kind", choices=[*(kind.value for kind in imports.ImportKind), FHIR, EXPORT]
    )
    parser.add_argument(
        "file",
        help="CSV file (UTF-8, header row first), FHIR JSON for fhir, the export's folder "
        "for export, or - for stdin",
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
        document = read_json(args.file)
        return _run(args, lambda **common: fhir_import.import_bundle(document=document, **common))
    if args.kind == EXPORT:
        texts = _export_tables(args.file)
        return _run(args, lambda **common: export_import.import_export(texts=texts, **common))
    text = read_text(args.file)
    kind = imports.ImportKind(args.kind)
    return _run(args, lambda **common: imports.import_csv(kind=kind, text=text, **common))


def _run(args: argparse.Namespace, run: Callable[..., Any]) -> dict[str, Any]:
    """One import in one transaction (kept unless a dry run); a dry run prints its refusal."""
    with transaction(get_settings(), commit=not args.dry_run) as session:
        common = {"centre_code": args.centre, "username": args.as_user, "dry_run": args.dry_run}
        where = {"folder" if args.kind == EXPORT else "file": args.file}
        try:
            report = run(session=session, **where, **common)
        except InvalidInputError as error:
            rejected = getattr(error, "report", None)
            if args.dry_run and rejected is not None:
                # The report is what a dry run is for; the error line and exit 2 follow.
                print(json.dumps(rejected.as_dict(), indent=2, ensure_ascii=False))
            raise
        result: dict[str, Any] = report.as_dict()
        return result


def _export_tables(path: str) -> dict[str, str]:
    """The CSV texts of a research export's folder, by table (absent tables are left out)."""
    folder = Path(path)
    if not folder.is_dir():
        raise InputFileError(f"{path}: not a folder (give the folder of a CSV export)")
    return {
        kind.value: read_text(str(folder / f"{kind.value}.csv"))
        for kind in export_import.TABLES
        if (folder / f"{kind.value}.csv").is_file()
    }

"""``hemojoint export csv|spss|redcap|fhir --out PATH --centre CODE --as USERNAME [--identified]``.

Writes the centre's records as research tables, one file per table, into
a new (or empty) folder: tidy CSV, SPSS ``.sav`` with variable and value labels,
or REDCap flat files with ``data_dictionary.csv``. Pseudonymous unless
``--identified``. A progress bar on stderr follows the records when stderr is a
terminal. Prints a JSON summary: the files written and the rows per table.
``fhir`` writes one HL7 FHIR R4B Bundle to the file ``--out`` instead (see ``cli/fhir.py``).
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from tqdm import tqdm  # type: ignore[import-untyped]

from hemojoint.cli import fhir
from hemojoint.cli.transaction import transaction
from hemojoint.services import exports
from hemojoint.services.operations import OperationRefusedError
from hemojoint.settings import get_settings

FHIR = "fhir"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "export",
        help="export the centre's records: tidy CSV, SPSS .sav, REDCap or a FHIR R4B Bundle",
        description=__doc__.splitlines()[0],
    )
    formats = [choice.value for choice in exports.ExportFormat]
    parser.add_argument("format", choices=[*formats, FHIR])
    parser.add_argument(
        "--out", required=True, metavar="FOLDER", help="a new or empty folder for the files"
    )
    parser.add_argument("--centre", required=True, metavar="CODE", help="the centre's code")
    parser.add_argument(
        "--as",
        dest="as_user",
        required=True,
        metavar="USERNAME",
        help="the staff user the export is recorded as (must belong to the centre)",
    )
    parser.add_argument(
        "--identified",
        action="store_true",
        help="include names, record numbers and birth dates (default: pseudonymous)",
    )
    parser.set_defaults(handler=export_tables)


class _Bar:
    """The service's progress, shown by tqdm (silent when stderr is not a terminal)."""

    def __init__(self) -> None:
        self._bar: Any = None

    def start(self, total: int) -> None:
        self._bar = tqdm(total=total, unit="record", desc="export", disable=None, leave=False)

    def advance(self) -> None:
        if self._bar is not None:
            self._bar.update(1)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def export_tables(args: argparse.Namespace) -> dict[str, Any]:
    if args.format == FHIR:
        if args.identified:
            raise OperationRefusedError("--identified: FHIR exports are always pseudonymous")
        return fhir.export_fhir(args)
    export_format = exports.ExportFormat(args.format)
    folder = Path(args.out)
    bar = _Bar()
    # Committed at the end: the audit entries of the export are kept only if it was written.
    with transaction(get_settings()) as session:
        actor = exports.exporter(session, centre_code=args.centre, username=args.as_user)
        try:
            export = exports.collect(
                session, actor, identified=args.identified, today=date.today(), progress=bar
            )
        finally:
            bar.close()
        files = exports.write(export, export_format, folder)
    return {
        "format": export_format.value,
        "out": str(folder),
        "identified": args.identified,
        "files": [str(path) for path in files],
        "rows": export.rows(),
        "omitted": export.omitted,
    }

"""``hemojoint export fhir --out PATH --centre CODE --as USERNAME``: one FHIR R4B Bundle.

The bundle (type ``collection``) holds the centre's patients and their records; it
is validated (fhir.resources R4B and our code-system check) before it is written.
Prints a summary: how many patients, and how many resources of each type.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hemojoint.cli.transaction import transaction
from hemojoint.services import fhir_export
from hemojoint.services.operations import OperationRefusedError
from hemojoint.settings import get_settings


def export_fhir(args: argparse.Namespace) -> dict[str, Any]:
    with transaction(get_settings()) as session:
        export = fhir_export.export_centre(
            session, centre_code=args.centre, username=args.as_user, now=datetime.now(UTC)
        )
        # Written inside the transaction: a file that cannot be written leaves no audit entry.
        _write(Path(args.out), export.bundle)
    return {"out": args.out, **export.summary()}


def _write(path: Path, bundle: dict[str, Any]) -> None:
    try:
        path.write_text(json.dumps(bundle, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as error:
        raise OperationRefusedError(f"{path}: cannot be written ({error.strerror})") from error

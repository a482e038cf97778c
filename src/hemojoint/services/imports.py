"""Bulk import of patients, bleeds and infusions from CSV: all rows or none.

Every row goes through the same path as an API request: the API's Pydantic
create schema, then the same service (so the same domain rules, permission
check, scope and audit entries). Each row runs in its own savepoint, so one bad
row does not stop the others from being checked and the report names every
problem; the whole import runs in one more savepoint that is released only when
no row has a problem and this is not a dry run. A dry run is therefore exactly
the real import, rolled back.

Rows are numbered as a spreadsheet shows them: the header is row 1.
Who imports: a named user (``username``), who must belong to the centre. The
records are theirs (``recorded_by``), the permission matrix applies as for the
API, and the audit log shows them with address ``cli-import``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hemojoint.domain.access import Action, RecordType
from hemojoint.domain.errors import DomainError, FieldProblem, InvalidInputError
from hemojoint.persistence import repositories
from hemojoint.persistence.models import UserRecord
from hemojoint.schemas.bleeds import BleedCreate
from hemojoint.schemas.patients import PatientCreate
from hemojoint.schemas.prophylaxis import InfusionCreate
from hemojoint.services import audit, child_records, patients
from hemojoint.services.actor import Actor
from hemojoint.services.bleeds import BLEEDS
from hemojoint.services.operations import OperationRefusedError, centre_by_code
from hemojoint.services.prophylaxis import INFUSIONS

IMPORT_ADDRESS = "cli-import"
PATIENT_COLUMN = "patient_record_number"
LIST_SEPARATOR = ";"  # list cells (bleed findings) hold codes separated by semicolons


class ImportKind(StrEnum):
    PATIENTS = "patients"
    BLEEDS = "bleeds"
    INFUSIONS = "infusions"


# create(session, actor, patient_id, data) -> the new record's id
Create = Callable[[Session, Actor, int | None, Any], int]


@dataclass(frozen=True)
class ImportSpec:
    schema: type[BaseModel]
    record_type: RecordType
    create: Create
    by_patient: bool  # rows name their patient in PATIENT_COLUMN
    list_columns: frozenset[str] = frozenset()

    def columns(self) -> list[str]:
        return ([PATIENT_COLUMN] if self.by_patient else []) + list(self.schema.model_fields)

    def required_columns(self) -> list[str]:
        required = [name for name, info in self.schema.model_fields.items() if info.is_required()]
        return ([PATIENT_COLUMN] if self.by_patient else []) + required


def _create_patient(session: Session, actor: Actor, _patient_id: int | None, data: Any) -> int:
    return patients.create(session, actor, data=data).id


def _child_creator(kind: child_records.ChildKind[Any]) -> Create:
    def create(session: Session, actor: Actor, patient_id: int | None, data: Any) -> int:
        assert patient_id is not None  # by_patient specs resolve it before creating
        values = data.model_dump()
        record = child_records.create(session, actor, kind, patient_id=patient_id, values=values)
        return int(record.id)

    return create


SPECS = {
    ImportKind.PATIENTS: ImportSpec(PatientCreate, RecordType.PATIENT, _create_patient, False),
    ImportKind.BLEEDS: ImportSpec(
        BleedCreate, RecordType.BLEED, _child_creator(BLEEDS), True, frozenset({"findings"})
    ),
    ImportKind.INFUSIONS: ImportSpec(
        InfusionCreate, RecordType.INFUSION, _child_creator(INFUSIONS), True
    ),
}


@dataclass
class ImportReport:
    kind: ImportKind
    file: str
    dry_run: bool
    rows_read: int = 0
    created_ids: list[int] = field(default_factory=list)
    problems: list[FieldProblem] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        count_key = "would_create" if self.dry_run or self.problems else "created"
        return {
            "kind": self.kind.value,
            "file": self.file,
            "dry_run": self.dry_run,
            "rows_read": self.rows_read,
            count_key: 0 if self.problems else len(self.created_ids),
            "problems": [problem.message for problem in self.problems],
        }


class ImportRejectedError(InvalidInputError):
    """At least one row is bad: the whole file is refused and nothing was written."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(report.problems)
        self.report = report
        summary = (
            f"{report.file}: {len(report.problems)} problem(s) in {report.rows_read} rows; "
            "nothing was written: "
        )
        self.args = (summary + "; ".join(problem.message for problem in report.problems),)


def import_csv(
    session: Session,
    *,
    kind: ImportKind,
    text: str,
    file: str,
    centre_code: str,
    username: str,
    dry_run: bool,
) -> ImportReport:
    """Import every row of ``text`` or none; raises ImportRejectedError naming each bad row."""
    spec = SPECS[kind]
    actor = importer(session, centre_code=centre_code, username=username)
    actor.require(Action.WRITE, spec.record_type)
    report = ImportReport(kind, file, dry_run)
    header, rows = _parse(text, spec, report)
    with session.begin_nested() as whole_file:  # an unexpected error rolls it back too
        for number, cells in rows:
            report.rows_read += 1
            if _fits_header(header, cells, number, report):
                values = dict(zip(header, cells, strict=False))
                _import_row(session, actor, spec, report, number, values)
        if report.problems or dry_run:
            whole_file.rollback()
        else:
            _audit_import(session, actor, spec, report)
    if report.problems:
        raise ImportRejectedError(report)
    return report


def _audit_import(session: Session, actor: Actor, spec: ImportSpec, report: ImportReport) -> None:
    """One entry for the whole import, beside each record's own ``create`` entry."""
    audit.record(
        session,
        actor,
        action="import",
        entity=spec.record_type.value,
        detail={"file": report.file, "rows": report.rows_read, "created_ids": report.created_ids},
    )


def importer(session: Session, *, centre_code: str, username: str) -> Actor:
    """The user the import runs as; they must be active and belong to the centre."""
    centre = centre_by_code(session, centre_code)
    user: UserRecord | None = repositories.find_user_by_username(session, username)
    if user is None or user.is_archived:
        raise OperationRefusedError(f"user {username!r} does not exist or is archived")
    if user.centre_id != centre.id:
        raise OperationRefusedError(f"user {username!r} does not belong to centre {centre.code}")
    return Actor(user_id=user.id, role=user.role, centre_id=centre.id, address=IMPORT_ADDRESS)


# --- reading the file -------------------------------------------------------------------


def _parse(
    text: str, spec: ImportSpec, report: ImportReport
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the non-blank rows with their spreadsheet numbers."""
    records = list(_records(text.removeprefix("\ufeff")))  # Excel writes a BOM
    if not records:
        report.problems.append(FieldProblem("header", None, "a header row", "row 1: file is empty"))
        raise ImportRejectedError(report)
    header = [name.strip() for name in records[0][1]]
    _check_header(header, spec, report)
    return header, [
        (number, cells) for number, cells in records[1:] if any(c.strip() for c in cells)
    ]


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    try:
        yield from enumerate(csv.reader(io.StringIO(text, newline="")), start=1)
    except csv.Error as error:
        raise OperationRefusedError(f"not a readable CSV file ({error})") from error


def _check_header(header: Sequence[str], spec: ImportSpec, report: ImportReport) -> None:
    known = spec.columns()
    allowed = ", ".join(known)
    problems = [
        FieldProblem(name, name, allowed, f"row 1, {name}: unknown column; allowed: {allowed}")
        for name in header
        if name not in known
    ]
    problems += [
        FieldProblem(name, None, "a column", f"row 1, {name}: required column is missing")
        for name in spec.required_columns()
        if name not in header
    ]
    if problems:
        report.problems.extend(problems)
        raise ImportRejectedError(report)


def _fits_header(
    header: Sequence[str], cells: Sequence[str], number: int, report: ImportReport
) -> bool:
    """Refuse a row with more cells than columns (zip would silently drop the extra ones)."""
    if len(cells) <= len(header):
        return True
    why = f"row {number}: {len(cells)} cells but the header has {len(header)} columns"
    report.problems.append(FieldProblem("row", None, f"at most {len(header)} cells", why))
    return False


# --- one row ----------------------------------------------------------------------------


def import_row(
    session: Session,
    actor: Actor,
    spec: ImportSpec,
    report: ImportReport,
    number: int,
    cells: dict[str, str],
) -> int | None:
    """Check and create one row (already in this import's columns); the new id, or None.

    For imports of other layouts (the research export, ``services/export_import.py``):
    the caller translates a row and keeps the savepoint and the audit entry.
    """
    report.rows_read += 1
    before = len(report.created_ids)
    _import_row(session, actor, spec, report, number, cells)
    return report.created_ids[-1] if len(report.created_ids) > before else None


def _import_row(
    session: Session,
    actor: Actor,
    spec: ImportSpec,
    report: ImportReport,
    number: int,
    cells: dict[str, str],
) -> None:
    problems = report.problems
    # An empty cell means "not given": the schema's default applies, or "required" is reported.
    values: dict[str, Any] = {name: value.strip() for name, value in cells.items() if value.strip()}
    for name in spec.list_columns & values.keys():
        values[name] = [item.strip() for item in values[name].split(LIST_SEPARATOR) if item.strip()]
    patient_id = _patient_id(session, actor, values, number, problems) if spec.by_patient else None
    try:
        data = spec.schema.model_validate(values)
    except ValidationError as error:
        problems.extend(_schema_problems(error, number))
        return
    if spec.by_patient and patient_id is None:
        return
    _create(session, actor, spec, report, number, patient_id, data)


def _patient_id(
    session: Session,
    actor: Actor,
    values: dict[str, Any],
    number: int,
    problems: list[FieldProblem],
) -> int | None:
    record_number = values.pop(PATIENT_COLUMN, None)
    allowed = "the record number of a patient of this centre"
    if record_number is None:
        problems.append(
            FieldProblem(
                PATIENT_COLUMN, None, allowed, f"row {number}, {PATIENT_COLUMN}: is missing"
            )
        )
        return None
    patient = repositories.find_patient_by_record_number(session, actor.centre_id, record_number)
    if patient is None:
        why = f"row {number}, {PATIENT_COLUMN}: {record_number!r} is not a patient of this centre"
        problems.append(FieldProblem(PATIENT_COLUMN, record_number, allowed, why))
        return None
    return patient.id


def _create(
    session: Session,
    actor: Actor,
    spec: ImportSpec,
    report: ImportReport,
    number: int,
    patient_id: int | None,
    data: BaseModel,
) -> None:
    """Create through the service in a savepoint, so a refused row leaves nothing half-done."""
    try:
        with session.begin_nested():
            report.created_ids.append(spec.create(session, actor, patient_id, data))
    except InvalidInputError as error:
        report.problems.extend(_row_problem(number, problem) for problem in error.problems)
    except DomainError as error:
        report.problems.append(_refusal(number, error, spec))
    except IntegrityError as error:
        detail = str(error.orig).splitlines()[0] if error.orig else "constraint violated"
        message = f"row {number}: conflicts with an existing record ({detail})"
        report.problems.append(FieldProblem("row", None, "", message))


def _refusal(number: int, error: DomainError, spec: ImportSpec) -> FieldProblem:
    """A service's refusal; named by its column when the sentence starts with one.

    e.g. ``record_number 'R1' is already used`` -> ``row 7, record_number: 'R1' is already used``.
    """
    first, _, rest = str(error).partition(" ")
    if first in spec.columns() and rest:
        return FieldProblem(first, None, "", f"row {number}, {first}: {rest}")
    return FieldProblem("row", None, "", f"row {number}: {error}")


def _row_problem(number: int, problem: FieldProblem) -> FieldProblem:
    return FieldProblem(
        problem.field, problem.value, problem.allowed, f"row {number}, {problem.message}"
    )


def _schema_problems(error: ValidationError, number: int) -> list[FieldProblem]:
    problems = []
    for item in error.errors():
        name = ".".join(str(part) for part in item["loc"]) or "row"
        expected = (item.get("ctx") or {}).get("expected")
        allowed = str(expected) if expected else str(item["msg"])
        value = item.get("input") if isinstance(item.get("input"), str) else None
        message = f"row {number}, {name}: {item['msg']}"
        problems.append(FieldProblem(name, value, allowed, message))
    return problems

"""Import a tidy-CSV research export (``hemojoint export csv --identified``) back: all or nothing.

Reads the export's ``patients.csv``, ``bleeds.csv`` and ``infusions.csv`` (the other
tables are not imported) and creates each row through the CSV import's path
(:func:`hemojoint.services.imports.import_row`: the API's create schema, the same
service, rules, permission check and audit entries). One savepoint holds all three
tables: it is kept only when no row has a problem and this is not a dry run.

The export's layout is translated row by row:

- Its own ids are not kept: ``study_id`` links bleeds and infusions to the patient
  of the same ``study_id`` in ``patients.csv`` (by that row's record number), and an
  infusion's ``bleed_id`` to the bleed created from the row with that ``bleed_id``.
- Derived columns are dropped, the registry derives them again: ``centre_code``,
  ``birth_year``, ``severity``, ``urgency``, ``dose_iu_per_kg`` (from a recorded
  weight, which the export does not carry).
- Times are written in UTC without an offset (for SPSS and REDCap): read as UTC.
- ``product_id`` names a product of the receiving centre by id: the products must be
  registered there first.

Patients need names, the record number and the birth date: a pseudonymous export
cannot be imported, and says so.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from hemojoint.domain.access import Action
from hemojoint.domain.errors import FieldProblem, InvalidInputError
from hemojoint.services import audit, imports
from hemojoint.services.actor import Actor
from hemojoint.services.imports import PATIENT_COLUMN, SPECS, ImportKind, ImportReport

TABLES = (ImportKind.PATIENTS, ImportKind.BLEEDS, ImportKind.INFUSIONS)
DERIVED = {
    ImportKind.PATIENTS: ("study_id", "centre_code", "birth_year", "severity"),
    ImportKind.BLEEDS: ("bleed_id", "study_id", "urgency"),
    ImportKind.INFUSIONS: ("infusion_id", "study_id", "dose_iu_per_kg"),
}
UTC_COLUMNS = ("started_at", "treatment_ended_at", "given_at")
IDENTIFIED_COLUMNS = ("record_number", "given_name", "family_name", "birth_date")


@dataclass
class ExportImportReport:
    folder: str
    dry_run: bool
    tables: dict[ImportKind, ImportReport] = field(default_factory=dict)
    problems: list[FieldProblem] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "export",
            "folder": self.folder,
            "dry_run": self.dry_run,
            "tables": {kind.value: report.as_dict() for kind, report in self.tables.items()},
            "problems": [problem.message for problem in self.problems],
        }


class ExportImportRejectedError(InvalidInputError):
    """At least one row is bad: nothing of the export was written."""

    def __init__(self, report: ExportImportReport) -> None:
        super().__init__(report.problems)
        self.report = report
        summary = f"{report.folder}: {len(report.problems)} problem(s); nothing was written: "
        self.args = (summary + "; ".join(problem.message for problem in report.problems),)


def import_export(
    session: Session,
    *,
    texts: Mapping[str, str],
    folder: str,
    centre_code: str,
    username: str,
    dry_run: bool,
) -> ExportImportReport:
    """Import ``texts`` (table name -> the export's CSV text) or none of it."""
    actor = imports.importer(session, centre_code=centre_code, username=username)
    for kind in TABLES:
        actor.require(Action.WRITE, SPECS[kind].record_type)
    report = ExportImportReport(folder, dry_run)
    with session.begin_nested() as whole_export:  # an unexpected error rolls it back too
        _Run(session, actor, report).run(texts)
        if report.problems or dry_run:
            whole_export.rollback()
        else:
            created = {kind.value: len(item.created_ids) for kind, item in report.tables.items()}
            detail = {"folder": folder, "created": created}
            audit.record(session, actor, action="import", entity="research_export", detail=detail)
    if report.problems:
        raise ExportImportRejectedError(report)
    return report


@dataclass
class _Run:
    session: Session
    actor: Actor
    report: ExportImportReport
    record_numbers: dict[str, str] = field(default_factory=dict)  # study_id -> record number
    bleed_ids: dict[str, int] = field(default_factory=dict)  # the export's bleed_id -> new id

    def run(self, texts: Mapping[str, str]) -> None:
        translate: dict[ImportKind, Callable[[int, dict[str, str]], dict[str, str] | None]] = {
            ImportKind.PATIENTS: self._patient,
            ImportKind.BLEEDS: self._child,
            ImportKind.INFUSIONS: self._infusion,
        }
        for kind in TABLES:
            file = f"{kind.value}.csv"
            table = ImportReport(kind, file, self.report.dry_run)
            self.report.tables[kind] = table
            text = texts.get(kind.value)
            if text is None:
                self._problem(file, FieldProblem("file", None, "a file", "is missing"))
                continue
            for number, row in _rows(text, file, self.report.problems):
                self._row(kind, table, number, row, translate[kind])
            self.report.problems.extend(_prefixed(file, table.problems))

    def _row(
        self,
        kind: ImportKind,
        table: ImportReport,
        number: int,
        row: dict[str, str],
        translate: Callable[[int, dict[str, str]], dict[str, str] | None],
    ) -> None:
        cells = translate(number, row)
        if cells is None:
            return
        for name in DERIVED[kind]:
            cells.pop(name, None)
        for name in UTC_COLUMNS:
            if cells.get(name, "").strip():
                cells[name] = cells[name].strip() + "+00:00"  # written as UTC, without offset
        new_id = imports.import_row(self.session, self.actor, SPECS[kind], table, number, cells)
        if kind is ImportKind.BLEEDS and new_id is not None:
            self.bleed_ids[row.get("bleed_id", "").strip()] = new_id

    def _patient(self, number: int, row: dict[str, str]) -> dict[str, str] | None:
        missing = [name for name in IDENTIFIED_COLUMNS if name not in row]
        if missing:
            why = f"row {number}: a pseudonymous export has no {', '.join(missing)}; "
            why += "export with --identified to import patients"
            self._problem("patients.csv", FieldProblem("row", None, "an identified export", why))
            return None
        self.record_numbers[row.get("study_id", "").strip()] = row["record_number"]
        return dict(row)

    def _child(self, number: int, row: dict[str, str]) -> dict[str, str]:
        cells = dict(row)
        study = cells.get("study_id", "").strip()
        # An unknown study id is reported by the import as an unknown patient.
        cells[PATIENT_COLUMN] = self.record_numbers.get(study, study)
        return cells

    def _infusion(self, number: int, row: dict[str, str]) -> dict[str, str] | None:
        cells = self._child(number, row)
        bleed = row.get("bleed_id", "").strip()
        if not bleed:
            return cells
        if bleed not in self.bleed_ids:
            why = f"row {number}, bleed_id: {bleed!r} is not a bleed of bleeds.csv"
            allowed = "a bleed_id of bleeds.csv"
            self._problem("infusions.csv", FieldProblem("bleed_id", bleed, allowed, why))
            return None
        cells["bleed_id"] = str(self.bleed_ids[bleed])
        return cells

    def _problem(self, file: str, problem: FieldProblem) -> None:
        self.report.problems.extend(_prefixed(file, [problem]))


def _rows(
    text: str, file: str, problems: list[FieldProblem]
) -> Iterator[tuple[int, dict[str, str]]]:
    """Non-blank rows with their spreadsheet numbers (the header is row 1)."""
    try:
        reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
        for number, row in enumerate(reader, start=2):
            if None in row:  # more cells than the header names
                why = f"{file}: row {number}: more cells than the header has columns"
                problems.append(FieldProblem("row", None, "", why))
            elif any((value or "").strip() for value in row.values()):
                yield number, {name: value or "" for name, value in row.items()}
    except csv.Error as error:
        problems.append(FieldProblem("file", None, "CSV", f"{file}: not readable CSV ({error})"))


def _prefixed(file: str, problems: list[FieldProblem]) -> list[FieldProblem]:
    return [
        FieldProblem(problem.field, problem.value, problem.allowed, f"{file}: {problem.message}")
        for problem in problems
    ]

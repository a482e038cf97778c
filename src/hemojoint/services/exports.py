"""Research exports of one centre: patients, assessments, bleeds, infusions and enrolments.

Who exports: a named staff user of the centre (``--centre CODE --as USERNAME``, like
``hemojoint import``); the export holds that centre's current records only (archived ones are left
out). A table the user's role may not read is left out and named in
``omitted``; assessments keep only the instrument families the role may read.
Names, the record number and the birth date are exported only when asked
(``identified``); otherwise patients are known by their pseudonymous study id.
Each exported table leaves one audit entry (``export``) with its row count.

The export is a folder, one file per table: ``<table>.csv`` (tidy CSV),
``<table>.sav`` (SPSS), or ``<table>.csv`` plus ``data_dictionary.csv``
(REDCap). See :mod:`hemojoint.interop`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy.orm import Session

from hemojoint.domain.access import Action, RecordType, is_allowed, record_type_for_instrument
from hemojoint.domain.rehab.adherence import AdherenceRules
from hemojoint.interop import redcap, spss, tabular
from hemojoint.interop.tabular import AdherenceSummary, Column, Table
from hemojoint.persistence import repositories
from hemojoint.persistence.models import (
    AssessmentRecord,
    BleedRecord,
    CentreRecord,
    InfusionRecord,
    ProgrammeEnrolmentRecord,
    UserRecord,
)
from hemojoint.persistence.repositories import exports as export_repo
from hemojoint.services import adherence, audit
from hemojoint.services.actor import Actor
from hemojoint.services.errors import PermissionDeniedError
from hemojoint.services.home import current_plan
from hemojoint.services.operations import OperationRefusedError, centre_by_code

EXPORT_ADDRESS = "cli-export"
DICTIONARY_FILE = "data_dictionary.csv"


class ExportFormat(StrEnum):
    CSV = "csv"
    SPSS = "spss"
    REDCAP = "redcap"


class Progress(Protocol):
    def start(self, total: int) -> None: ...

    def advance(self) -> None: ...


class _NoProgress:
    def start(self, total: int) -> None:
        pass

    def advance(self) -> None:
        pass


@dataclass
class Export:
    tables: list[Table] = field(default_factory=list)
    omitted: list[str] = field(default_factory=list)

    def rows(self) -> dict[str, int]:
        return {table.name: len(table.rows) for table in self.tables}


def exporter(session: Session, *, centre_code: str, username: str) -> Actor:
    """The staff user the export runs as; they must be active and belong to the centre."""
    centre = centre_by_code(session, centre_code)
    user: UserRecord | None = repositories.find_user_by_username(session, username)
    if user is None or user.is_archived:
        raise OperationRefusedError(f"user {username!r} does not exist or is archived")
    if user.centre_id != centre.id:
        raise OperationRefusedError(f"user {username!r} does not belong to centre {centre.code}")
    if user.role.is_family:
        raise PermissionDeniedError(f"role {user.role.value} may not export centre data")
    return Actor(user_id=user.id, role=user.role, centre_id=user.centre_id, address=EXPORT_ADDRESS)


def collect(
    session: Session,
    actor: Actor,
    *,
    identified: bool,
    today: date,
    progress: Progress | None = None,
) -> Export:
    """Every table of the actor's centre, as rows (nothing is written)."""
    bar = progress or _NoProgress()
    centre_id = actor.centre_id
    fetched = {
        "patients": export_repo.patients(session, centre_id),
        "assessments": [
            record
            for record in export_repo.children(session, AssessmentRecord, centre_id)
            if _may_read_assessment(actor, record)
        ],
        "bleeds": export_repo.children(session, BleedRecord, centre_id),
        "infusions": export_repo.children(session, InfusionRecord, centre_id),
        "enrolments": export_repo.children(session, ProgrammeEnrolmentRecord, centre_id),
    }
    readable = {name: _may_read_table(actor, name) for name in fetched}
    bar.start(sum(len(records) for name, records in fetched.items() if readable[name]))
    result = Export()
    for name, records in fetched.items():
        if not readable[name]:
            result.omitted.append(name)
            continue
        row_of = _row_mapper(session, actor, name, identified=identified, today=today)
        rows = []
        for record in records:
            rows.append(row_of(record))
            bar.advance()
        table = Table(name, _LABELS[name], _columns(name, identified=identified), rows)
        result.tables.append(table)
        audit.record(
            session,
            actor,
            action="export",
            entity=name,
            detail={"rows": len(rows), "identified": identified},
        )
    return result


def write(export: Export, export_format: ExportFormat, folder: Path) -> list[Path]:
    """Write one file per table into ``folder`` (created; it must not hold files already)."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise OperationRefusedError(f"{folder} exists and is not an empty folder")
    try:
        return _write_files(export, export_format, folder)
    except OSError as error:
        raise OperationRefusedError(f"{folder}: cannot be written ({error.strerror})") from error


def _write_files(export: Export, export_format: ExportFormat, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in export.tables:
        if export_format is ExportFormat.SPSS:
            path = folder / f"{table.name}.sav"
            spss.write_sav(table, path)
        else:
            path = folder / f"{table.name}.csv"
            text = (
                redcap.data_text(table)
                if export_format is ExportFormat.REDCAP
                else tabular.csv_text(table.columns, table.rows)
            )
            path.write_text(text, encoding="utf-8", newline="")
        written.append(path)
    if export_format is ExportFormat.REDCAP:
        path = folder / DICTIONARY_FILE
        path.write_text(redcap.dictionary_text(export.tables), encoding="utf-8", newline="")
        written.append(path)
    return written


# --- tables --------------------------------------------------------------------------------

_LABELS = {
    "patients": "Patients",
    "assessments": "Assessments (totals and HJHS subscores)",
    "bleeds": "Bleeds",
    "infusions": "Factor infusions",
    "enrolments": "Programme enrolments with home-programme adherence",
}

_RECORD_TYPES = {
    "patients": RecordType.PATIENT,
    "bleeds": RecordType.BLEED,
    "infusions": RecordType.INFUSION,
    "enrolments": RecordType.ENROLMENT,
}


def _columns(name: str, *, identified: bool) -> tuple[Column, ...]:
    return {
        "patients": tabular.patient_columns(identified=identified),
        "assessments": tabular.ASSESSMENT_COLUMNS,
        "bleeds": tabular.BLEED_COLUMNS,
        "infusions": tabular.INFUSION_COLUMNS,
        "enrolments": tabular.ENROLMENT_COLUMNS,
    }[name]


def _may_read_table(actor: Actor, name: str) -> bool:
    if name == "assessments":
        return any(
            is_allowed(actor.role, Action.READ, record_type_for_instrument(code))
            for code in ("hjhs", "head_us", "choklat", "pettersson", "fish")
        )
    return is_allowed(actor.role, Action.READ, _RECORD_TYPES[name])


def _may_read_assessment(actor: Actor, record: AssessmentRecord) -> bool:
    try:
        record_type = record_type_for_instrument(record.instrument_code)
    except KeyError:  # an instrument this release does not know: not exported
        return False
    return is_allowed(actor.role, Action.READ, record_type)


def _row_mapper(
    session: Session, actor: Actor, name: str, *, identified: bool, today: date
) -> Callable[[Any], dict[str, Any]]:
    if name == "patients":
        centre = repositories.get_by_id(session, CentreRecord, actor.centre_id)
        code = centre.code if centre else ""
        return lambda record: tabular.patient_row(record, code, identified=identified)
    if name == "enrolments":
        rules = adherence.adherence_rules(None)
        return lambda record: tabular.enrolment_row(
            record, _adherence(session, actor, record, today, rules)
        )
    mappers: dict[str, Callable[[Any], dict[str, Any]]] = {
        "assessments": tabular.assessment_row,
        "bleeds": tabular.bleed_row,
        "infusions": tabular.infusion_row,
    }
    return mappers[name]


def _adherence(
    session: Session,
    actor: Actor,
    enrolment: ProgrammeEnrolmentRecord,
    today: date,
    rules: AdherenceRules,
) -> AdherenceSummary | None:
    """Overall adherence through the weeks completed by ``today``; None without a plan."""
    if not is_allowed(actor.role, Action.READ, RecordType.HOME_LOG):
        return None
    if current_plan(session, enrolment) is None:
        return None
    report = adherence.adherence(
        session,
        actor,
        enrolment_id=enrolment.id,
        today=today,
        through_week=None,
        rules=rules,
    )
    measured = report.adherence
    return AdherenceSummary(
        weeks=len(measured.weeks),
        sessions_done=measured.sessions.done,
        sessions_prescribed=measured.sessions.prescribed,
        sessions_pct=_pct(measured.sessions.pct),
        minutes_pct=_pct(measured.minutes.pct),
        exercises_pct=_pct(measured.exercises.pct),
        low_adherence=measured.low_adherence,
    )


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value, 1)

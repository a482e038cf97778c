"""Research tables: one row per record, each column with its label, type and codes.

A :class:`Table` is what every tabular export writes (tidy CSV, SPSS ``.sav``,
REDCap): the CSV writer uses the codes as stored (``severe``), SPSS and REDCap
number the codes 1..n in the order of the StrEnum they come from, with the code's
label as the value label. Dates are ``date``; instants are UTC ``datetime``.

Research exports are pseudonymous unless asked otherwise: ``study_id`` is the
registry's internal patient id (``P000042``), never the hospital record number;
names, the record number and the birth date appear only in identified exports
(the birth year always does, so age bands can be computed). Free-text fields
(notes, complications, end reasons) are never exported: they may name people.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import KW_ONLY, dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from hemojoint.domain.anatomy import BleedSite
from hemojoint.domain.bleeds import BleedType
from hemojoint.domain.instruments.base import Status
from hemojoint.domain.instruments.hjhs import Subscore
from hemojoint.domain.patients import HemophiliaType, PriorRegimen, Severity, Sex
from hemojoint.persistence.models import (
    AssessmentRecord,
    BleedRecord,
    EnrolmentStatus,
    InfusionRecord,
    PatientRecord,
    ProgrammeEnrolmentRecord,
)
from hemojoint.schemas.assessments import Timepoint
from hemojoint.schemas.prophylaxis import InfusionReason


class Kind(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    NUMBER = "number"
    DATE = "date"
    DATETIME = "datetime"
    BOOLEAN = "boolean"
    CODED = "coded"


# Value labels where the code itself reads badly.
_CODE_LABELS = {"A": "Hemophilia A", "B": "Hemophilia B"}


def code_label(code: str) -> str:
    """``left_knee`` -> ``Left knee``; ``week_12`` -> ``Week 12``."""
    return _CODE_LABELS.get(code, code.replace("_", " ").capitalize())


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    kind: Kind
    minimum: float | None = None
    maximum: float | None = None
    _: KW_ONLY
    codes: tuple[str, ...] = ()  # CODED: the allowed codes, numbered 1..n in this order
    identifier: bool = False  # names a person: only in identified exports

    def number_of(self, code: str) -> int:
        """The 1-based number SPSS and REDCap store for ``code``."""
        return self.codes.index(code) + 1

    def value_labels(self) -> dict[int, str]:
        if self.kind is Kind.BOOLEAN:
            return {0: "No", 1: "Yes"}
        return {number: code_label(code) for number, code in enumerate(self.codes, start=1)}


def coded(name: str, label: str, enum: type[StrEnum]) -> Column:
    return Column(name, label, Kind.CODED, codes=tuple(member.value for member in enum))


@dataclass(frozen=True)
class Table:
    name: str
    label: str
    columns: tuple[Column, ...]
    rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]


def study_id(patient_id: int) -> str:
    return f"P{patient_id:06d}"


# --- the tables --------------------------------------------------------------------------

_STUDY_ID = Column("study_id", "Pseudonymous study id (not the record number)", Kind.TEXT)
_IDENTIFYING = (
    Column("record_number", "Hospital record number", Kind.TEXT, identifier=True),
    Column("given_name", "Given name", Kind.TEXT, identifier=True),
    Column("family_name", "Family name", Kind.TEXT, identifier=True),
    Column("birth_date", "Date of birth", Kind.DATE, identifier=True),
)


def patient_columns(*, identified: bool) -> tuple[Column, ...]:
    return (
        _STUDY_ID,
        Column("centre_code", "Treatment centre", Kind.TEXT),
        *(_IDENTIFYING if identified else ()),
        Column("birth_year", "Year of birth", Kind.INTEGER),
        coded("sex", "Sex", Sex),
        coded("hemophilia_type", "Hemophilia type", HemophiliaType),
        Column("factor_activity_iu_dl", "Baseline factor activity (IU/dL)", Kind.NUMBER, 0, 200),
        coded("severity", "Severity (from factor activity)", Severity),
        coded("prior_regimen", "Regimen before the programme", PriorRegimen),
        Column("synthetic", "Synthetic (demonstration) record", Kind.BOOLEAN),
    )


# HJHS 2.1 maxima, six joints: swelling (0-3 + duration 0-1) x 6 = 24; muscle (atrophy 0-2
# + strength 0-4) x 6 = 36; motion (flexion 0-3 + extension loss 0-3) x 6 = 36; crepitus
# 0-2 x 6 = 12; pain 0-2 x 6 = 12; global gait 0-4. Sum 124, the published total maximum.
HJHS_SUBSCORE_MAX = {
    Subscore.SWELLING: 24,
    Subscore.MUSCLE: 36,
    Subscore.MOTION: 36,
    Subscore.CREPITUS: 12,
    Subscore.PAIN: 12,
    Subscore.GAIT: 4,
}
HJHS_TOTAL_MAX = 124

ASSESSMENT_COLUMNS = (
    Column("assessment_id", "Assessment id", Kind.INTEGER),
    _STUDY_ID,
    Column("instrument_code", "Instrument", Kind.TEXT),
    Column("instrument_version", "Instrument version", Kind.TEXT),
    coded("instrument_status", "Instrument status", Status),
    Column("assessed_date", "Date assessed", Kind.DATE),
    coded("timepoint", "Timepoint", Timepoint),
    Column("total", "Headline total (on the instrument's own scale)", Kind.NUMBER),
    Column("hjhs_total", "HJHS 2.1 total (0-124, higher is worse)", Kind.NUMBER, 0, HJHS_TOTAL_MAX),
    *(
        Column(
            f"hjhs_{subscore.value}",
            f"HJHS 2.1 {subscore.value} subscore (0-{maximum}, higher is worse)",
            Kind.NUMBER,
            0,
            maximum,
        )
        for subscore, maximum in HJHS_SUBSCORE_MAX.items()
    ),
)

BLEED_COLUMNS = (
    Column("bleed_id", "Bleed id", Kind.INTEGER),
    _STUDY_ID,
    coded("site", "Bleed site", BleedSite),
    coded("bleed_type", "Bleed type", BleedType),
    Column("started_at", "Bleed started (UTC)", Kind.DATETIME),
    Column("treatment_ended_at", "Treatment ended (UTC)", Kind.DATETIME),
    Column("findings", "Findings at triage (codes separated by ;)", Kind.TEXT),
    Column("urgency", "Triage urgency", Kind.TEXT),
    Column("hospital_days", "Days in hospital", Kind.INTEGER, 0),
    Column("femoral_neuropathy", "Femoral neuropathy", Kind.BOOLEAN),
    Column("neuropathy_recovery_date", "Date neuropathy recovered", Kind.DATE),
)

INFUSION_COLUMNS = (
    Column("infusion_id", "Infusion id", Kind.INTEGER),
    _STUDY_ID,
    Column("product_id", "Factor concentrate (product id)", Kind.INTEGER),
    Column("lot", "Lot number", Kind.TEXT),
    Column("given_at", "Infusion given (UTC)", Kind.DATETIME),
    Column("dose_iu", "Dose (IU)", Kind.INTEGER, 0),
    Column("dose_iu_per_kg", "Dose (IU/kg)", Kind.NUMBER, 0),
    coded("reason", "Reason for the infusion", InfusionReason),
    Column("bleed_id", "Bleed treated (bleed id)", Kind.INTEGER),
)

ENROLMENT_COLUMNS = (
    Column("enrolment_id", "Enrolment id", Kind.INTEGER),
    _STUDY_ID,
    Column("start_date", "Programme start date", Kind.DATE),
    Column("weeks", "Programme length (weeks)", Kind.INTEGER, 1),
    coded("status", "Enrolment status", EnrolmentStatus),
    Column("ended_date", "Date the enrolment ended", Kind.DATE),
    Column("adherence_weeks", "Programme weeks assessed for adherence", Kind.INTEGER, 0),
    Column("adherence_sessions_done", "Home sessions done", Kind.INTEGER, 0),
    Column("adherence_sessions_prescribed", "Home sessions prescribed", Kind.INTEGER, 0),
    Column("adherence_sessions_pct", "Home sessions done (% of prescribed)", Kind.NUMBER, 0, 100),
    Column("adherence_minutes_pct", "Home minutes done (% of prescribed)", Kind.NUMBER, 0, 100),
    Column("adherence_exercises_pct", "Exercises done (% of prescribed)", Kind.NUMBER, 0, 100),
    Column("low_adherence", "Low adherence (provisional rule)", Kind.BOOLEAN),
)


# --- records to rows ---------------------------------------------------------------------


def patient_row(record: PatientRecord, centre_code: str, *, identified: bool) -> dict[str, Any]:
    row: dict[str, Any] = {"study_id": study_id(record.id), "centre_code": centre_code}
    if identified:
        row |= {
            "record_number": record.record_number,
            "given_name": record.given_name,
            "family_name": record.family_name,
            "birth_date": record.birth_date,
        }
    return row | {
        "birth_year": record.birth_date.year,
        "sex": record.sex.value,
        "hemophilia_type": record.hemophilia_type.value,
        "factor_activity_iu_dl": record.factor_activity_iu_dl,
        "severity": record.severity.value,
        "prior_regimen": record.prior_regimen.value,
        "synthetic": record.synthetic,
    }


def assessment_row(record: AssessmentRecord) -> dict[str, Any]:
    row: dict[str, Any] = {
        "assessment_id": record.id,
        "study_id": study_id(record.patient_id),
        "instrument_code": record.instrument_code,
        "instrument_version": record.instrument_version,
        "instrument_status": record.instrument_status,
        "assessed_date": record.assessed_date,
        "timepoint": record.timepoint,
        "total": record.total,
    }
    is_hjhs = record.instrument_code == "hjhs"
    subscores: Mapping[str, Any] = (record.result.get("subscores") or {}) if is_hjhs else {}
    row["hjhs_total"] = _number(record.result.get("total")) if is_hjhs else None
    for subscore in HJHS_SUBSCORE_MAX:
        row[f"hjhs_{subscore.value}"] = _number(subscores.get(subscore.value))
    return row


def bleed_row(record: BleedRecord) -> dict[str, Any]:
    return {
        "bleed_id": record.id,
        "study_id": study_id(record.patient_id),
        "site": record.site.value,
        "bleed_type": record.bleed_type.value,
        "started_at": _utc(record.started_at),
        "treatment_ended_at": _utc(record.treatment_ended_at),
        "findings": ";".join(record.findings) or None,
        "urgency": record.urgency,
        "hospital_days": record.hospital_days,
        "femoral_neuropathy": record.femoral_neuropathy,
        "neuropathy_recovery_date": record.neuropathy_recovery_date,
    }


def infusion_row(record: InfusionRecord) -> dict[str, Any]:
    return {
        "infusion_id": record.id,
        "study_id": study_id(record.patient_id),
        "product_id": record.product_id,
        "lot": record.lot,
        "given_at": _utc(record.given_at),
        "dose_iu": record.dose_iu,
        "dose_iu_per_kg": record.dose_iu_per_kg,
        "reason": record.reason,
        "bleed_id": record.bleed_id,
    }


@dataclass(frozen=True)
class AdherenceSummary:
    weeks: int
    sessions_done: int
    sessions_prescribed: int
    sessions_pct: float | None
    minutes_pct: float | None
    exercises_pct: float | None
    low_adherence: bool


def enrolment_row(
    record: ProgrammeEnrolmentRecord, adherence: AdherenceSummary | None
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "enrolment_id": record.id,
        "study_id": study_id(record.patient_id),
        "start_date": record.start_date,
        "weeks": record.weeks,
        "status": record.status.value,
        "ended_date": record.ended_date,
    }
    summary = adherence.__dict__ if adherence else {}
    for name in (
        "weeks",
        "sessions_done",
        "sessions_prescribed",
        "sessions_pct",
        "minutes_pct",
        "exercises_pct",
    ):
        row[f"adherence_{name}"] = summary.get(name)
    row["low_adherence"] = summary.get("low_adherence")
    return row


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None  # e.g. a total not computed because an item was not evaluable
    return float(value)


def _utc(value: datetime | None) -> datetime | None:
    """A naive UTC datetime: SPSS and REDCap have no time zones (the labels say UTC)."""
    return None if value is None else value.astimezone(UTC).replace(tzinfo=None)


# --- tidy CSV ----------------------------------------------------------------------------


def cell_text(column: Column, value: Any) -> str:
    """How a value is written in the tidy CSV: ISO dates, ``true``/``false``, empty for none."""
    if value is None:
        return ""
    if column.kind is Kind.BOOLEAN:
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def csv_text(columns: Sequence[Column], rows: Iterable[Mapping[str, Any]]) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([column.name for column in columns])
    for row in rows:
        writer.writerow([cell_text(column, row.get(column.name)) for column in columns])
    return out.getvalue()

"""The iliopsoas case series of a centre's patients, read from the registry (issue 6).

Cohort: the current patients of one centre (or of all centres). Episodes are
counted when they start in the optional date range (inclusive); the figures are
:func:`hemojoint.domain.case_series.case_series`. The read is audited as one entry.

The CLI calls it as ``iliopsoas_series(session, centre_code=..., start_from=...,
start_to=...).as_dict()`` and commits at its boundary.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from hemojoint.domain.case_series import (
    DEFAULT_BANDS,
    AgeBand,
    CaseSeries,
    SeriesBleed,
    SeriesPatient,
    case_series,
)
from hemojoint.domain.errors import FieldProblem, InvalidInputError
from hemojoint.persistence.models import BleedRecord
from hemojoint.persistence.repositories import case_series as repository
from hemojoint.services import audit
from hemojoint.services.actor import Actor
from hemojoint.services.errors import NotFoundError


@dataclass(frozen=True)
class IliopsoasSeries:
    """The figures with the selection that produced them."""

    centre_code: str | None
    start_from: date | None
    start_to: date | None
    series: CaseSeries
    bands: tuple[AgeBand, ...] = DEFAULT_BANDS

    def as_dict(self) -> dict[str, Any]:
        dates = {"start_from": self.start_from, "start_to": self.start_to}
        return {
            "filter": {
                "centre": self.centre_code,
                **{key: value.isoformat() if value else None for key, value in dates.items()},
                "age_bands": [band.label for band in self.bands],
            },
            **self.series.as_dict(),
        }


def iliopsoas_series(
    session: Session,
    *,
    centre_code: str | None = None,
    start_from: date | None = None,
    start_to: date | None = None,
    bands: Sequence[AgeBand] = DEFAULT_BANDS,
    actor: Actor | None = None,
) -> IliopsoasSeries:
    """The case-series figures of the centre's patients (of all centres without a code)."""
    if start_from is not None and start_to is not None and start_to < start_from:
        problem = FieldProblem.invalid(
            "start_to", start_to.isoformat(), "on or after start_from", "is before start_from"
        )
        raise InvalidInputError.single(problem)
    patients = repository.cohort_patients(session, centre_id=_centre_id(session, centre_code))
    bleeds = repository.iliopsoas_bleeds_of(session, [patient.id for patient in patients])
    series = case_series(
        [SeriesPatient(patient.id, patient.birth_date) for patient in patients],
        [_as_series_bleed(bleed) for bleed in bleeds],
        bands=bands,
        start_from=start_from,
        start_to=start_to,
    )
    result = IliopsoasSeries(centre_code, start_from, start_to, series, tuple(bands))
    audit.record(
        session,
        actor,
        action="report",
        entity="iliopsoas_series",
        detail={"filter": result.as_dict()["filter"], "patients": series.cohort_patients},
    )
    return result


def _centre_id(session: Session, centre_code: str | None) -> int | None:
    if centre_code is None:
        return None
    centre = repository.centre_by_code(session, centre_code)
    if centre is None:
        raise NotFoundError("centre", centre_code)
    return centre.id


def _as_series_bleed(record: BleedRecord) -> SeriesBleed:
    return SeriesBleed(
        patient_id=record.patient_id,
        site=record.site,
        start=record.started_at,
        hospital_days=record.hospital_days,
        femoral_neuropathy=record.femoral_neuropathy,
        neuropathy_recovery_date=record.neuropathy_recovery_date,
        treatment_end=record.treatment_ended_at,
        bleed_type=record.bleed_type,
    )

"""A patient's full record in one response: the chart sections the caller may read.

Each section item is a lean read shape built from the model's columns (the
service selects exactly these fields). A section the caller's role may not read
is left out of the response, not sent empty, so "none recorded" and "not yours
to see" are never confused.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from hemojoint.domain.anatomy import BleedSite
from hemojoint.domain.bleeds import BleedType
from hemojoint.schemas.patients import PatientRead


class SectionItem(BaseModel):
    # Every field is required: items are always complete, which lets the route drop
    # only the unset *sections* (response_model_exclude_unset) and keep null values.
    model_config = ConfigDict(from_attributes=True)

    id: int
    version: int


class WeightItem(SectionItem):
    measured_date: date
    weight_kg: float


class InhibitorResultItem(SectionItem):
    sample_date: date
    titre_bu_ml: float | None = Field(description="Bethesda units per mL")
    positive: bool


class AssessmentItem(SectionItem):
    """An assessment without its raw item responses (read one assessment for those)."""

    instrument_code: str
    instrument_version: str
    instrument_status: str
    assessed_date: date
    timepoint: str
    total: float | None


class BleedItem(SectionItem):
    site: BleedSite
    bleed_type: BleedType
    started_at: datetime
    treatment_ended_at: datetime | None  # with started_at, what groups bleeds into episodes
    urgency: str | None


class InfusionItem(SectionItem):
    product_id: int
    lot: str | None
    given_at: datetime
    dose_iu: int
    dose_iu_per_kg: float | None
    reason: str
    bleed_id: int | None


class RegimenItem(SectionItem):
    product_id: int
    dose_iu: int
    dose_iu_per_kg: float
    infusions_per_week: int
    weekdays: list[str]
    start_date: date
    end_date: date | None


class ConsentItem(SectionItem):
    kind: str
    given_by: str
    given_date: date
    withdrawn_date: date | None


class FullRecordRead(BaseModel):
    """The patient and every readable section, each newest first.

    ``counts`` has one entry per section present: the number of active records,
    which for infusions may exceed the ``infusions_limit`` most recent ones listed.
    """

    model_config = ConfigDict(from_attributes=True)

    patient: PatientRead
    counts: dict[str, int]
    infusions_limit: int
    weights: list[WeightItem] | None = None
    inhibitor_results: list[InhibitorResultItem] | None = None
    assessments: list[AssessmentItem] | None = None
    bleeds: list[BleedItem] | None = None
    infusions: list[InfusionItem] | None = None
    regimens: list[RegimenItem] | None = None
    consents: list[ConsentItem] | None = None


SECTION_ITEMS: dict[str, type[SectionItem]] = {
    "weights": WeightItem,
    "inhibitor_results": InhibitorResultItem,
    "assessments": AssessmentItem,
    "bleeds": BleedItem,
    "infusions": InfusionItem,
    "regimens": RegimenItem,
    "consents": ConsentItem,
}

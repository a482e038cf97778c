"""A FHIR R4B Bundle -> the registry's create schemas' values, with every problem named.

Reads what our exporter writes (:mod:`.mappers`): Patient (by the study-id
identifier), the laboratory Observations for baseline factor activity (LOINC
3209-4 / 3187-2) and inhibitor tests (LOINC 3204-5, or our local FIX inhibitor
code), and MedicationAdministration for infusions. Every other resource, and
every other Observation (scores), is skipped and counted. No I/O and no database:
the service (``services/fhir_import.py``) matches patients and products and
creates records through the registry's services, so their rules apply.

Each resource is parsed with its fhir.resources R4B model on its own, so a
problem is named by the entry's index, type and field: ``entry[3].Patient.birthDate: ...``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from pydantic import ValidationError

from hemojoint.domain.errors import FieldProblem
from hemojoint.domain.patients import HemophiliaType
from hemojoint.interop.fhir import codes

IMPORTED_TYPES = ("Patient", "Observation", "MedicationAdministration")
_FACTOR_TYPES = {
    (codes.LOINC, codes.LOINC_FVIII_ACTIVITY): HemophiliaType.A,
    (codes.LOINC, codes.LOINC_FIX_ACTIVITY): HemophiliaType.B,
}
_INHIBITOR_CODES = {
    (codes.LOINC, codes.LOINC_FVIII_INHIBITOR),
    (codes.LABORATORY, codes.FIX_INHIBITOR),
}
_VERDICTS = {"POS": True, "NEG": False}


@dataclass(frozen=True)
class Source:
    """Where a value came from: ``entry[3].Patient``."""

    index: int
    kind: str

    def at(self, name: str | None = None) -> str:
        return f"entry[{self.index}].{self.kind}" + (f".{name}" if name else "")

    def problem(self, name: str | None, why: str, value: object = None) -> FieldProblem:
        return FieldProblem(self.at(name), value, "", f"{self.at(name)}: {why}")


@dataclass
class PatientIn:
    source: Source
    reference: str  # "Patient/<id>", what the other resources name as subject
    study_id: str
    birth_date: date | None
    sex: str | None


@dataclass
class FactorActivityIn:
    source: Source
    patient: str
    hemophilia_type: HemophiliaType
    value_iu_dl: float


@dataclass
class RecordIn:
    """An inhibitor result or an infusion: the create schema's values, and their FHIR fields."""

    source: Source
    patient: str
    values: dict[str, Any]
    fields: dict[str, str]  # schema field -> FHIR element, to name a service's problem
    medication: str | None = None  # infusions: the product as the exporter names it


@dataclass
class ParsedBundle:
    patients: list[PatientIn] = field(default_factory=list)
    factor_activities: list[FactorActivityIn] = field(default_factory=list)
    inhibitors: list[RecordIn] = field(default_factory=list)
    infusions: list[RecordIn] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    # Every Patient entry's reference, even one refused: its records then say nothing more.
    patient_entries: set[str] = field(default_factory=set)
    problems: list[FieldProblem] = field(default_factory=list)


def parse(document: Any) -> ParsedBundle:
    """Every importable resource of the bundle, or the problems that stop it."""
    parsed = ParsedBundle()
    if not isinstance(document, Mapping) or document.get("resourceType") != "Bundle":
        parsed.problems.append(FieldProblem("Bundle", None, "", "Bundle: not a FHIR Bundle"))
        return parsed
    entries = document.get("entry", [])
    if not isinstance(entries, list):
        parsed.problems.append(FieldProblem("Bundle.entry", None, "", "Bundle.entry: not a list"))
        return parsed
    for index, entry in enumerate(entries):
        _parse_entry(parsed, index, entry)
    _check_subjects(parsed)
    return parsed


def _parse_entry(parsed: ParsedBundle, index: int, entry: Any) -> None:
    resource = entry.get("resource") if isinstance(entry, Mapping) else None
    kind = resource.get("resourceType") if isinstance(resource, Mapping) else None
    source = Source(index, str(kind or "resource"))
    if not isinstance(kind, str) or not isinstance(resource, Mapping):
        parsed.problems.append(source.problem(None, "entry has no resource with a resourceType"))
        return
    if kind == "Patient":
        parsed.patient_entries.add(f"Patient/{resource.get('id')}")
    if kind not in IMPORTED_TYPES:
        parsed.skipped[kind] += 1
        return
    try:
        model = get_fhir_model_class(kind).model_validate(dict(resource))
    except ValidationError as error:
        parsed.problems.extend(
            source.problem(".".join(str(p) for p in item["loc"]) or None, item["msg"])
            for item in error.errors()
        )
        return
    if kind == "Patient":
        _patient(parsed, source, model)
    elif kind == "Observation":
        _observation(parsed, source, model)
    else:
        _infusion(parsed, source, model)


def _patient(parsed: ParsedBundle, source: Source, model: Any) -> None:
    ours = [i for i in model.identifier or [] if i.system == codes.PATIENT_IDENTIFIER and i.value]
    if len(ours) != 1:
        why = f"needs exactly one identifier of system {codes.PATIENT_IDENTIFIER}"
        parsed.problems.append(source.problem("identifier", why))
        return
    if not model.id:
        parsed.problems.append(source.problem("id", "is missing (other resources refer to it)"))
        return
    parsed.patients.append(
        PatientIn(source, f"Patient/{model.id}", ours[0].value, model.birthDate, model.gender)
    )


def _codes_of(concept: Any) -> set[tuple[str, str]]:
    if concept is None:
        return set()
    return {(str(c.system), str(c.code)) for c in concept.coding or []}


def _subject(parsed: ParsedBundle, source: Source, model: Any) -> str | None:
    reference = model.subject.reference if model.subject else None
    if not reference or not reference.startswith("Patient/"):
        parsed.problems.append(source.problem("subject", "must reference a Patient of the bundle"))
        return None
    return str(reference)


def _observation(parsed: ParsedBundle, source: Source, model: Any) -> None:
    found = _codes_of(model.code)
    factor = [_FACTOR_TYPES[code] for code in found if code in _FACTOR_TYPES]
    if not factor and not found & _INHIBITOR_CODES:
        parsed.skipped["Observation"] += 1  # scores: out of scope for the import
        return
    patient = _subject(parsed, source, model)
    if patient is None:
        return
    if factor:
        value = _quantity(parsed, source, model, "[IU]/dL", required=True)
        if value is not None:
            parsed.factor_activities.append(FactorActivityIn(source, patient, factor[0], value))
        return
    _inhibitor(parsed, source, model, patient)


def _quantity(
    parsed: ParsedBundle, source: Source, model: Any, unit: str, *, required: bool
) -> float | None:
    quantity = model.valueQuantity
    if quantity is None or quantity.value is None:
        if required:
            parsed.problems.append(source.problem("valueQuantity", "is missing"))
        return None
    if quantity.system != codes.UCUM or quantity.code != unit:
        why = f"must be in UCUM {unit!r}, not {quantity.code!r}"
        parsed.problems.append(source.problem("valueQuantity.code", why, quantity.code))
        return None
    return float(quantity.value)


def _inhibitor(parsed: ParsedBundle, source: Source, model: Any, patient: str) -> None:
    verdicts = {
        code for concept in model.interpretation or [] for _, code in _codes_of(concept)
    } & _VERDICTS.keys()
    if len(verdicts) != 1:
        parsed.problems.append(source.problem("interpretation", "needs exactly one of POS, NEG"))
        return
    when = model.effectiveDateTime
    if when is None:
        parsed.problems.append(source.problem("effectiveDateTime", "is missing"))
        return
    values = {
        "sample_date": when.date() if isinstance(when, datetime) else when,
        "titre_bu_ml": _quantity(parsed, source, model, "[beth'U]/mL", required=False),
        "positive": _VERDICTS[verdicts.pop()],
    }
    fields = {
        "sample_date": "effectiveDateTime",
        "titre_bu_ml": "valueQuantity",
        "positive": "interpretation",
    }
    parsed.inhibitors.append(RecordIn(source, patient, values, fields))


def _infusion(parsed: ParsedBundle, source: Source, model: Any) -> None:
    patient = _subject(parsed, source, model)
    if patient is None:
        return
    if model.status != "completed":
        why = f"{model.status!r}: only completed administrations are infusions given"
        parsed.problems.append(source.problem("status", why, model.status))
        return
    dose = model.dosage.dose if model.dosage else None
    if dose is None or dose.value is None or dose.code != "[IU]":
        parsed.problems.append(source.problem("dosage.dose", "needs a value in UCUM '[IU]'"))
        return
    reasons = [c for concept in model.reasonCode or [] for c in _codes_of(concept)]
    reason = [code for system, code in reasons if system == codes.INFUSION_REASON]
    medication = model.medicationCodeableConcept
    values = {
        "given_at": model.effectiveDateTime,
        "dose_iu": dose.value,
        "reason": reason[0] if reason else None,
    }
    fields = {
        "given_at": "effectiveDateTime",
        "dose_iu": "dosage.dose",
        "reason": "reasonCode",
        "product_id": "medicationCodeableConcept",
    }
    name = medication.text if medication else None
    parsed.infusions.append(RecordIn(source, patient, values, fields, medication=name))


def _check_subjects(parsed: ParsedBundle) -> None:
    """Every subject is a Patient of the bundle; each patient has one factor activity at most."""
    known = parsed.patient_entries
    items: list[FactorActivityIn | RecordIn] = [
        *parsed.factor_activities,
        *parsed.inhibitors,
        *parsed.infusions,
    ]
    for item in items:
        if item.patient not in known:
            why = f"{item.patient} is not a Patient of the bundle"
            parsed.problems.append(item.source.problem("subject", why, item.patient))
    seen: set[str] = set()
    for activity in parsed.factor_activities:
        if activity.patient in seen:
            why = f"a second factor activity for {activity.patient}"
            parsed.problems.append(activity.source.problem("code", why))
        seen.add(activity.patient)

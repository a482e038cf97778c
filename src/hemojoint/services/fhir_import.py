"""Import patients, factor activity, inhibitor results and infusions from a FHIR R4B Bundle.

All or nothing, like the CSV import (``services/imports.py``): every resource goes
through the registry's create schema and service (same rules, permission check,
audit entries), inside one savepoint that is kept only when no resource has a
problem and this is not a dry run. Every problem is named ``entry[N].Type.field``.

Patients are matched by the identifier the exporter writes (the study id,
``P000042``): a patient of the centre whose record number is that value is the
same patient (their birth date, sex and factor activity must agree); otherwise a
new patient is created with it as record number. A pseudonymous bundle carries no
names and no prior regimen, so a new patient gets placeholder names (``Imported``
and the study id) and ``prior_regimen`` given by the caller (default on demand);
the report says so. Infusions name their product as the exporter does
(``NAME (factor VIII)``): it must be a product of the centre that is not archived.

Re-importing does not duplicate. The exporter gives laboratory results and
infusions no identifier of their own (the registry keeps no foreign identifier to
match one against), so a record is identified by its patient and the values the
bundle carries: an inhibitor result by sample date, titre and verdict; an infusion
by time given (UTC), product, dose and reason. An active record of the same patient
with the same identity is the same record: it is counted as ``unchanged`` and not
created again (also when it appears twice in one bundle).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from hemojoint.domain.access import Action, RecordType
from hemojoint.domain.errors import DomainError, FieldProblem, InvalidInputError
from hemojoint.domain.patients import PriorRegimen
from hemojoint.interop.fhir import importer
from hemojoint.interop.fhir.importer import FactorActivityIn, PatientIn, RecordIn, Source
from hemojoint.persistence import repositories
from hemojoint.persistence.models import PatientRecord
from hemojoint.persistence.repositories import fhir_export as fhir_queries
from hemojoint.schemas.patient_history import InhibitorResultCreate
from hemojoint.schemas.patients import PatientCreate
from hemojoint.schemas.prophylaxis import InfusionCreate
from hemojoint.services import audit, child_records, patients
from hemojoint.services.actor import Actor
from hemojoint.services.imports import importer as import_actor
from hemojoint.services.patient_history import INHIBITOR_RESULTS
from hemojoint.services.prophylaxis import INFUSIONS

PLACEHOLDER_GIVEN_NAME = "Imported"
IMPORTED_RECORD_TYPES = (RecordType.PATIENT, RecordType.INHIBITOR, RecordType.INFUSION)
_PATIENT_FIELDS = {
    "record_number": "identifier",
    "birth_date": "birthDate",
    "sex": "gender",
    "given_name": "name",
    "family_name": "name",
}
# a schema field -> the resource and FHIR element it came from (to name a problem)
Where = Callable[[str], tuple[Source, str]]
_FACTOR_FIELDS = {"hemophilia_type": "code", "factor_activity_iu_dl": "valueQuantity"}


@dataclass
class FhirImportReport:
    file: str
    dry_run: bool
    prior_regimen: PriorRegimen
    matched_patients: int = 0
    created: dict[str, int] = field(
        default_factory=lambda: {"patients": 0, "inhibitor_results": 0, "infusions": 0}
    )
    unchanged: dict[str, int] = field(
        default_factory=lambda: {"inhibitor_results": 0, "infusions": 0}
    )
    skipped: dict[str, int] = field(default_factory=dict)
    problems: list[FieldProblem] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        count_key = "would_create" if self.dry_run or self.problems else "created"
        counts = dict.fromkeys(self.created, 0) if self.problems else dict(self.created)
        return {
            "kind": "fhir",
            "file": self.file,
            "dry_run": self.dry_run,
            "matched_patients": self.matched_patients,
            count_key: counts,
            "unchanged": dict(self.unchanged),
            "new_patients_assumed": {
                "given_name": PLACEHOLDER_GIVEN_NAME,
                "family_name": "the study id",
                "prior_regimen": self.prior_regimen.value,
            },
            "skipped": self.skipped,
            "problems": [problem.message for problem in self.problems],
        }


class FhirImportRejectedError(InvalidInputError):
    """At least one resource is bad: the whole bundle is refused and nothing was written."""

    def __init__(self, report: FhirImportReport) -> None:
        super().__init__(report.problems)
        self.report = report
        summary = f"{report.file}: {len(report.problems)} problem(s); nothing was written: "
        self.args = (summary + "; ".join(problem.message for problem in report.problems),)


def import_bundle(
    session: Session,
    *,
    document: Any,
    file: str,
    centre_code: str,
    username: str,
    dry_run: bool,
    prior_regimen: PriorRegimen = PriorRegimen.ON_DEMAND,
) -> FhirImportReport:
    """Import every importable resource of ``document`` or none; raises FhirImportRejectedError."""
    actor = import_actor(session, centre_code=centre_code, username=username)
    for record_type in IMPORTED_RECORD_TYPES:
        actor.require(Action.WRITE, record_type)
    report = FhirImportReport(file, dry_run, prior_regimen)
    parsed = importer.parse(document)
    report.skipped = dict(sorted(parsed.skipped.items()))
    # Carry on with the resources that parsed, so one report names every problem.
    report.problems.extend(parsed.problems)
    with session.begin_nested() as whole_bundle:  # an unexpected error rolls it back too
        _Run(session, actor, report).import_all(parsed)
        if report.problems or dry_run:
            whole_bundle.rollback()
        else:
            audit.record(
                session,
                actor,
                action="import",
                entity="fhir_bundle",
                detail={"file": file, "created": report.created, "unchanged": report.unchanged},
            )
    if report.problems:
        raise FhirImportRejectedError(report)
    return report


@dataclass
class _Run:
    session: Session
    actor: Actor
    report: FhirImportReport
    patient_ids: dict[str, int] = field(default_factory=dict)  # "Patient/x" -> database id
    # (counter, patient id) -> identities of that patient's active records of that kind
    known: dict[tuple[str, int], set[tuple[Any, ...]]] = field(default_factory=dict)

    def import_all(self, parsed: importer.ParsedBundle) -> None:
        activities = {activity.patient: activity for activity in parsed.factor_activities}
        for patient in parsed.patients:
            self._patient(patient, activities.get(patient.reference))
        for inhibitor in parsed.inhibitors:
            self._child(inhibitor, InhibitorResultCreate, INHIBITOR_RESULTS, "inhibitor_results")
        products = self._products()
        for infusion in parsed.infusions:
            product_id = products.get(infusion.medication or "")
            if product_id is None:
                why = f"{infusion.medication!r} is not a usable product of this centre"
                self._problem(infusion.source.problem("medicationCodeableConcept", why))
                continue
            infusion.values["product_id"] = product_id
            self._child(infusion, InfusionCreate, INFUSIONS, "infusions")

    def _problem(self, problem: FieldProblem) -> None:
        self.report.problems.append(problem)

    # --- patients -------------------------------------------------------------------------

    def _patient(self, item: PatientIn, activity: FactorActivityIn | None) -> None:
        existing = repositories.find_patient_by_record_number(
            self.session, self.actor.centre_id, item.study_id
        )
        if existing is not None:
            self._match(item, activity, existing)
            return
        if activity is None:
            why = "a new patient needs a factor activity Observation (LOINC 3209-4 or 3187-2)"
            self._problem(item.source.problem(None, why))
            return
        values = {
            "record_number": item.study_id,
            "given_name": PLACEHOLDER_GIVEN_NAME,
            "family_name": item.study_id,
            "birth_date": item.birth_date,
            "sex": item.sex,
            "hemophilia_type": activity.hemophilia_type,
            "factor_activity_iu_dl": activity.value_iu_dl,
            "prior_regimen": self.report.prior_regimen,
        }

        def where(name: str) -> tuple[Source, str]:
            if name in _FACTOR_FIELDS:  # taken from the factor activity Observation
                return activity.source, _FACTOR_FIELDS[name]
            return item.source, _PATIENT_FIELDS.get(name, name)

        data = self._validated(PatientCreate, values, where)
        if data is None:
            return
        created = self._created(where, lambda: patients.create(self.session, self.actor, data=data))
        if created is not None:
            self.patient_ids[item.reference] = int(created.id)
            self.report.created["patients"] += 1

    def _match(
        self, item: PatientIn, activity: FactorActivityIn | None, record: PatientRecord
    ) -> None:
        """The same study id is the same patient: what the bundle says must agree."""
        differences = [
            ("birthDate", item.birth_date, record.birth_date),
            ("gender", item.sex, record.sex.value),
        ]
        for name, given, stored in differences:
            if given is not None and given != stored:
                why = f"{given} differs from the registered {stored} of {item.study_id}"
                self._problem(item.source.problem(name, why, given))
        if activity is not None and activity.value_iu_dl != record.factor_activity_iu_dl:
            why = (
                f"{activity.value_iu_dl:g} IU/dL differs from the registered "
                f"{record.factor_activity_iu_dl:g} IU/dL of {item.study_id}"
            )
            self._problem(activity.source.problem("valueQuantity", why))
        self.patient_ids[item.reference] = record.id
        self.report.matched_patients += 1

    # --- child records --------------------------------------------------------------------

    def _products(self) -> dict[str, int]:
        """Usable products by the name the exporter gives them: ``NAME (factor VIII)``."""
        products = fhir_queries.centre_products(self.session, self.actor.centre_id)
        return {
            f"{product.name} (factor {product.factor})": product.id
            for product in products
            if not product.is_archived
        }

    def _child(
        self,
        item: RecordIn,
        schema: type[BaseModel],
        kind: child_records.ChildKind[Any],
        counter: str,
    ) -> None:
        def where(name: str) -> tuple[Source, str]:
            return item.source, item.fields.get(name, name)

        data = self._validated(schema, item.values, where)
        patient_id = self.patient_ids.get(item.patient)
        if data is None or patient_id is None:
            return  # a refused patient's problem is already reported
        identity = _identity(data.model_dump(), _IDENTITY_FIELDS[counter])
        known = self._known(counter, patient_id)
        if identity in known:
            self.report.unchanged[counter] += 1
            return
        created = self._created(
            where,
            lambda: child_records.create(
                self.session, self.actor, kind, patient_id=patient_id, values=data.model_dump()
            ),
        )
        if created is not None:
            known.add(identity)
            self.report.created[counter] += 1

    def _known(self, counter: str, patient_id: int) -> set[tuple[Any, ...]]:
        """Identities of the patient's active records of this kind, read once per patient."""
        key = (counter, patient_id)
        if key not in self.known:
            read = _EXISTING[counter]
            self.known[key] = {
                _identity(vars(record), _IDENTITY_FIELDS[counter])
                for record in read(self.session, [patient_id])
            }
        return self.known[key]

    # --- through the schemas and services -------------------------------------------------

    def _validated(
        self,
        schema: type[BaseModel],
        values: Mapping[str, Any],
        where: Where,
    ) -> Any:
        try:
            return schema.model_validate(dict(values))
        except ValidationError as error:
            for item in error.errors():
                source, name = where(str(item["loc"][0]) if item["loc"] else "")
                self._problem(source.problem(name or None, item["msg"]))
            return None

    def _created(self, where: Where, create: Callable[[], Any]) -> Any:
        """Create through the service in a savepoint, so a refusal leaves nothing half-done."""
        try:
            with self.session.begin_nested():
                return create()
        except InvalidInputError as error:
            for problem in error.problems:
                source, name = where(problem.field.split(".")[0])
                why = problem.message.removeprefix(f"{problem.field}: ")
                self._problem(source.problem(name or None, why, problem.value))
        except DomainError as error:
            source, _ = where("")
            self._problem(source.problem(None, str(error)))
        return None


# The values that identify a record of each kind (what the exporter writes for it).
_IDENTITY_FIELDS = {
    "inhibitor_results": ("sample_date", "titre_bu_ml", "positive"),
    "infusions": ("given_at", "product_id", "dose_iu", "reason"),
}
_EXISTING: dict[str, Callable[[Session, list[int]], Any]] = {
    "inhibitor_results": fhir_queries.inhibitor_results,
    "infusions": fhir_queries.infusions,
}


def _identity(values: Mapping[str, Any], names: tuple[str, ...]) -> tuple[Any, ...]:
    """The identifying values, normalised so a stored record and a parsed one compare equal."""
    return tuple(_normalised(values.get(name)) for name in names)


def _normalised(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return value

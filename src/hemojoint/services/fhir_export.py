"""Export a centre's patients as one FHIR R4B Bundle of type ``collection``.

Who exports: a named staff user of the centre (as for ``hemojoint import``); the
permission matrix applies to every kind of record exported, family users are
refused (an export is centre-wide), and only the centre's own patients are read.
Each exported patient leaves an ``export`` audit entry, since an export is a read
of their record. The bundle is validated before it is returned: a bundle that
fhir.resources or our code-system check refuses is never written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from hemojoint.domain.access import Action, RecordType
from hemojoint.domain.triage import Urgency
from hemojoint.interop.fhir import bundle as fhir_bundle
from hemojoint.interop.fhir import codes, mappers
from hemojoint.interop.fhir.mappers import Resource
from hemojoint.persistence import repositories
from hemojoint.persistence.models import PatientRecord
from hemojoint.persistence.repositories import fhir_export as queries
from hemojoint.services import audit
from hemojoint.services.actor import Actor
from hemojoint.services.errors import PermissionDeniedError
from hemojoint.services.operations import OperationRefusedError, centre_by_code

EXPORT_ADDRESS = "cli-export"
ALERT_URGENCIES = (Urgency.EMERGENCY.value, Urgency.URGENT.value)
# Everything the bundle holds; the exporter must be allowed to read each.
EXPORTED_TYPES = (
    RecordType.PATIENT,
    RecordType.FAMILY_LINK,
    RecordType.INHIBITOR,
    RecordType.HJHS,
    RecordType.ULTRASOUND,
    RecordType.CHOKLAT,
    RecordType.INFUSION,
    RecordType.ENROLMENT,
    RecordType.REHAB_PLAN,
    RecordType.BLEED,
)

T = TypeVar("T")


@dataclass(frozen=True)
class FhirExport:
    bundle: dict[str, Any]
    patients: int

    def summary(self) -> dict[str, Any]:
        return {
            "format": "fhir-r4b",
            "bundle_type": self.bundle["type"],
            "patients": self.patients,
            "resources": fhir_bundle.resource_counts(self.bundle),
        }


def exporter(session: Session, *, centre_code: str, username: str) -> Actor:
    """The user the export runs as: an active staff user (or admin) of the centre."""
    centre = centre_by_code(session, centre_code)
    user = repositories.find_user_by_username(session, username)
    if user is None or user.is_archived:
        raise OperationRefusedError(f"user {username!r} does not exist or is archived")
    if user.centre_id != centre.id:
        raise OperationRefusedError(f"user {username!r} does not belong to centre {centre.code}")
    actor = Actor(user_id=user.id, role=user.role, centre_id=centre.id, address=EXPORT_ADDRESS)
    require_exporter(actor)
    return actor


def require_exporter(actor: Actor) -> None:
    """Staff or admin who may read everything the bundle holds (else 403)."""
    if actor.role.is_family:
        raise PermissionDeniedError(f"role {actor.role.value} may not export a centre's records")
    for record_type in EXPORTED_TYPES:
        actor.require(Action.READ, record_type)


def export_centre(
    session: Session, *, centre_code: str, username: str, now: datetime
) -> FhirExport:
    """The CLI's export: the named user's centre (``exporter``)."""
    actor = exporter(session, centre_code=centre_code, username=username)
    return export_for(session, actor, now=now)


def export_for(session: Session, actor: Actor, *, now: datetime) -> FhirExport:
    """The actor's own centre as one Bundle (the API's export); audited per patient."""
    require_exporter(actor)
    patients = queries.centre_patients(session, actor.centre_id)
    resources = list(_resources(session, actor.centre_id, patients))
    bundle = fhir_bundle.build(resources, timestamp=now)
    fhir_bundle.validate(bundle)
    for patient in patients:
        audit.record(
            session,
            actor,
            action="export",
            entity="patient",
            entity_id=patient.id,
            patient_id=patient.id,
            detail={"format": "fhir-r4b"},
        )
    return FhirExport(bundle=bundle, patients=len(patients))


def _by_patient(records: Iterable[T]) -> dict[int, list[T]]:
    grouped: dict[int, list[T]] = defaultdict(list)
    for record in records:
        grouped[getattr(record, "patient_id")].append(record)  # noqa: B009 - any record type
    return grouped


def _resources(
    session: Session, centre_id: int, patients: Sequence[PatientRecord]
) -> Iterator[Resource]:
    """Each patient's resources together, in a fixed order (diffable between exports)."""
    ids = [patient.id for patient in patients]
    instruments = list(codes.INSTRUMENTS)
    links = _by_patient(queries.family_links(session, ids))
    inhibitors = _by_patient(queries.inhibitor_results(session, ids))
    assessments = _by_patient(queries.assessments(session, ids, instruments))
    infusions = _by_patient(queries.infusions(session, ids))
    enrolment_rows = queries.enrolments(session, ids)
    enrolments = _by_patient(enrolment_rows)
    versions = queries.current_plan_versions(session, [e.id for e in enrolment_rows])
    alerts = _by_patient(queries.bleeds_with_urgency(session, ids, ALERT_URGENCIES))
    products = {product.id: product for product in queries.centre_products(session, centre_id)}
    for patient in patients:
        yield mappers.patient(patient)
        yield from (mappers.related_person(link) for link in links[patient.id])
        yield mappers.condition(patient)
        yield mappers.factor_activity(patient)
        yield from (mappers.inhibitor(result, patient) for result in inhibitors[patient.id])
        for assessment in assessments[patient.id]:
            items = mappers.questionnaire_response(assessment)
            yield mappers.score_observation(assessment, items)
            yield items
        for infusion in infusions[patient.id]:
            yield mappers.medication_administration(infusion, products.get(infusion.product_id))
        for enrolment in enrolments[patient.id]:
            yield from mappers.care_plan_and_goals(enrolment, versions.get(enrolment.id))
        yield from (mappers.triage_flag(bleed) for bleed in alerts[patient.id])

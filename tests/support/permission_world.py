"""The world a permission-matrix cell runs in, and probes that read and write a record type.

Shared by ``tests/web/test_permission_matrix.py`` and the probe lists of later record
types (e.g. ``tests/support/programme_probes.py``), so each area adds its own probes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from hemojoint.domain.access import Role
from hemojoint.persistence.models import (
    CentreRecord,
    PatientRecord,
    ProductRecord,
    UserRecord,
)
from tests.support.assessment_builders import create_assessment, example_raw
from tests.support.builders import create_patient, create_user, link_family
from tests.support.prophylaxis_builders import create_product

FAMILY = frozenset({Role.CAREGIVER, Role.PATIENT})

# --- the world each cell runs in ---------------------------------------------------------------


@dataclass
class World:
    db: Session
    home: CentreRecord
    away: CentreRecord
    actor: UserRecord

    def author(self, patient: PatientRecord) -> UserRecord:
        """A hematologist of the patient's centre, who recorded the seeded rows."""
        return create_user(self.db, role=Role.HEMATOLOGIST, centre=self.centre_of(patient))

    def product(self, patient: PatientRecord) -> ProductRecord:
        return create_product(self.db, self.centre_of(patient))

    def centre_of(self, patient: PatientRecord) -> CentreRecord:
        return self.home if patient.centre_id == self.home.id else self.away


def patient_in_scope(world: World, scope: str) -> PatientRecord:
    db = world.db
    if scope == "other_centre":
        child = create_patient(db, world.away)
        link_family(db, create_user(db, role=Role.CAREGIVER, centre=world.away), child)
        return child
    child = create_patient(db, world.home)
    if scope == "own" and world.actor.role in FAMILY:
        link_family(
            db, world.actor, child, "self" if world.actor.role is Role.PATIENT else "parent"
        )
    if scope == "other_family":
        link_family(db, create_user(db, role=Role.CAREGIVER, centre=world.home), child)
    return child


# --- how each record type is read and written through the API ---------------------------------

Request = tuple[str, str, dict[str, Any] | None]  # method, url, json body


@dataclass(frozen=True)
class Probe:
    """``seed`` saves a record of the patient and returns the URL that reads it;
    ``write`` returns the request that creates one (or, for patients, changes one)."""

    record_type: str
    route: tuple[str, str]  # the operation that must exist for this row to be tested
    seed: Callable[[World, PatientRecord], str]
    write: Callable[[World, PatientRecord], Request]


def child_probe(
    record_type: str,
    plural: str,
    seed: Callable[[World, PatientRecord], Any],
    body: Callable[[World, PatientRecord], dict[str, Any]],
) -> Probe:
    return Probe(
        record_type,
        ("POST", f"/api/v1/patients/{{patient_id}}/{plural}"),
        seed=lambda world, patient: f"/api/v1/{plural}/{seed(world, patient).id}",
        write=lambda world, patient: (
            "POST",
            f"/api/v1/patients/{patient.id}/{plural}",
            body(world, patient),
        ),
    )


def assessment_probe(record_type: str, instrument_code: str) -> Probe:
    def seed(world: World, patient: PatientRecord) -> Any:
        raw = example_raw(instrument_code)
        return create_assessment(
            world.db, patient, world.author(patient), instrument_code=instrument_code, raw=raw
        )

    def body(_world: World, _patient: PatientRecord) -> dict[str, Any]:
        return {
            "instrument_code": instrument_code,
            "assessed_date": "2026-01-12",
            "timepoint": "baseline",
            "raw": example_raw(instrument_code),
        }

    return child_probe(record_type, "assessments", seed, body)


def add(world: World, record: Any) -> Any:
    world.db.add(record)
    world.db.flush()
    return record

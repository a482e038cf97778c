"""Permission-matrix probes for triage alerts (issue 5).

An alert is read at its own URL and written by acknowledging it; each scope gets an alert
for a bleed of its own patient, reported by a hematologist of the patient's centre.
"""

from __future__ import annotations

from hemojoint.persistence.models import PatientRecord
from tests.support.alert_builders import create_alert
from tests.support.permission_world import Probe, Request, World


def _seed(world: World, patient: PatientRecord) -> str:
    alert = create_alert(world.db, patient, world.author(patient))
    return f"/api/v1/alerts/{alert.id}"


def _write(world: World, patient: PatientRecord) -> Request:
    alert = create_alert(world.db, patient, world.author(patient))
    body = {"version": alert.version, "note": "Called the family; factor given."}
    return ("POST", f"/api/v1/alerts/{alert.id}/acknowledge", body)


PROBES: list[Probe] = [
    Probe("alert", ("POST", "/api/v1/alerts/{alert_id}/acknowledge"), seed=_seed, write=_write)
]

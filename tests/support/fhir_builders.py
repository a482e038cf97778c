"""A centre with one patient of every record type the FHIR export maps (and one who is not).

``seed_centre`` saves and flushes; the caller commits when another connection must see it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from hemojoint.domain.access import Role
from hemojoint.domain.anatomy import BleedSite
from hemojoint.domain.patients import HemophiliaType
from hemojoint.persistence.models import (
    CentreRecord,
    InfusionRecord,
    PatientRecord,
    UserRecord,
)
from tests.support.assessment_builders import create_assessment, example_raw, hjhs_raw
from tests.support.builders import create_centre, create_patient, create_user, link_family
from tests.support.patient_record_builders import create_inhibitor_result
from tests.support.programme_builders import (
    PLAN_CONTENT,
    add_plan_version,
    create_enrolment,
    create_plan,
)
from tests.support.prophylaxis_builders import create_bleed, create_product

# HJHS 2.1 by hand (score sheet: a joint's total is the sum of its eight items, the
# total is the six joint totals plus gait): left knee 2, right ankle 1, gait 1 -> 4.
HJHS_SCORES = {"left_knee.swelling": 2, "right_ankle.flexion_loss": 1, "gait": 1}
HJHS_JOINT_TOTALS = {
    "left_elbow": 0,
    "right_elbow": 0,
    "left_knee": 2,
    "right_knee": 0,
    "left_ankle": 0,
    "right_ankle": 1,
}
HJHS_TOTAL = 4
# The current plan (version 2) has two goals; version 1 had one.
PLAN_V2 = PLAN_CONTENT | {
    "goals": [
        {"term": "short", "measure": "hjhs.left_knee.swelling", "target": 1, "due_week": 4},
        {"term": "long", "measure": "hjhs.gait", "target": 0, "due_week": 12},
    ]
}


@dataclass(frozen=True)
class SeededCentre:
    centre: CentreRecord
    staff: UserRecord
    patient_a: PatientRecord  # every record type
    patient_b: PatientRecord  # hemophilia B, registration only
    outsider: PatientRecord  # another centre's patient: never exported


def seed_centre(
    session: Session, *, code: str = "FHIR1", username: str = "fhirdoc"
) -> SeededCentre:
    centre = create_centre(session, code=code)
    staff = create_user(session, role=Role.HEMATOLOGIST, centre=centre, username=username)
    patient_a = create_patient(
        session, centre, given_name="Wenjun", family_name="Secretname", record_number="MRN-777"
    )
    patient_b = create_patient(
        session, centre, hemophilia_type=HemophiliaType.B, factor_activity_iu_dl=3.0
    )
    other = create_centre(session)
    outsider = create_patient(session, other)
    _records_of(session, centre, staff, patient_a)
    create_inhibitor_result(
        session, patient_b, staff, date(2026, 1, 3), titre_bu_ml=None, positive=False
    )
    return SeededCentre(centre, staff, patient_a, patient_b, outsider)


def _records_of(
    session: Session, centre: CentreRecord, staff: UserRecord, patient: PatientRecord
) -> None:
    caregiver = create_user(session, role=Role.CAREGIVER, centre=centre)
    link_family(session, caregiver, patient, relationship="parent")
    create_inhibitor_result(
        session, patient, staff, date(2026, 1, 2), titre_bu_ml=1.2, positive=True
    )
    create_assessment(session, patient, staff, raw=hjhs_raw(HJHS_SCORES))
    for code in ("head_us", "head_us_c", "choklat"):
        create_assessment(session, patient, staff, instrument_code=code, raw=example_raw(code))
    product = create_product(session, centre)
    for reason, day in (("prophylaxis", 6), ("bleed", 7)):
        session.add(
            InfusionRecord(
                patient_id=patient.id,
                product_id=product.id,
                given_at=datetime(2026, 1, day, 9, 0, tzinfo=UTC),
                dose_iu=1000,
                dose_iu_per_kg=40.0,
                reason=reason,
                recorded_by_id=staff.id,
            )
        )
    enrolment = create_enrolment(session, patient, staff)
    plan = create_plan(session, enrolment, staff)
    add_plan_version(session, plan, staff, number=2, content=PLAN_V2)
    create_bleed(session, patient, staff, site=BleedSite.HEAD, findings=[])  # emergency
    create_bleed(session, patient, staff)  # knee with swelling: urgent
    create_bleed(session, patient, staff, site=BleedSite.LEFT_FOREARM, findings=[])  # routine
    session.flush()

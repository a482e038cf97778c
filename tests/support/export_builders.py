"""A small centre for the export tests, with one record of every exported kind.

Centre ``EXP`` has two current patients, one archived patient (never exported) and
a hematologist ``exporter``; another centre has one patient (never exported either).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from hemojoint.domain.access import Role
from hemojoint.domain.anatomy import BleedSite
from hemojoint.domain.bleeds import BleedType
from hemojoint.domain.patients import HemophiliaType, PriorRegimen
from hemojoint.persistence.models import (
    AssessmentRecord,
    BleedRecord,
    CentreRecord,
    InfusionRecord,
    PatientRecord,
    ProgrammeEnrolmentRecord,
    RehabPlanRecord,
    UserRecord,
)
from hemojoint.schemas.assessments import Timepoint
from tests.support.assessment_builders import create_assessment, head_us_raw, hjhs_raw
from tests.support.builders import create_centre, create_patient, create_user
from tests.support.programme_builders import (
    PLAN_CONTENT,
    add_plan_version,
    create_enrolment,
    create_session_log,
)
from tests.support.prophylaxis_builders import create_bleed, create_product

# Subscores by hand from these items (HJHS 2.1 sheet): swelling 2 + duration 1 = 3;
# muscle: strength 3 = 3; motion: flexion loss 2 = 2; crepitus 1; pain 1; gait 2.
# Total 3 + 3 + 2 + 1 + 1 + 2 = 12.
HJHS_ITEMS = {
    "left_knee.swelling": 2,
    "left_knee.swelling_duration": 1,
    "left_knee.strength": 3,
    "right_ankle.flexion_loss": 2,
    "right_ankle.crepitus": 1,
    "left_elbow.joint_pain": 1,
    "gait": 2,
}
EXPECTED_HJHS = {
    "hjhs_total": 12.0,
    "hjhs_swelling": 3.0,
    "hjhs_muscle": 3.0,
    "hjhs_motion": 2.0,
    "hjhs_crepitus": 1.0,
    "hjhs_pain": 1.0,
    "hjhs_gait": 2.0,
}
# Week 1 of the plan prescribes three 30-minute home sessions; two are logged, so
# adherence through week 1 is 2 of 3 sessions = 66.7 %.
HOME_DAYS = (date(2026, 1, 6), date(2026, 1, 8), date(2026, 1, 10))
TODAY = date(2026, 1, 13)  # programme week 2: week 1 is complete


@dataclass
class ExportWorld:
    centre: CentreRecord
    exporter: UserRecord
    severe: PatientRecord
    moderate: PatientRecord
    archived: PatientRecord
    elsewhere: PatientRecord
    hjhs: AssessmentRecord
    head_us: AssessmentRecord
    bleed: BleedRecord
    infusion: InfusionRecord
    enrolment: ProgrammeEnrolmentRecord


def seed_export_world(session: Session) -> ExportWorld:
    centre = create_centre(session, code="EXP", name="Export Centre")
    exporter = create_user(session, role=Role.HEMATOLOGIST, centre=centre, username="exporter")
    severe = create_patient(
        session, centre, given_name="Ada", family_name="Severe", factor_activity_iu_dl=0.5
    )
    moderate = create_patient(
        session,
        centre,
        given_name="Ben",
        family_name="Moderate",
        factor_activity_iu_dl=3.0,
        hemophilia_type=HemophiliaType.B,
        prior_regimen=PriorRegimen.ON_DEMAND,
        birth_date=date(2014, 2, 1),
    )
    archived = create_patient(session, centre, given_name="Cy", family_name="Archived")
    archived.archived_at = datetime(2026, 1, 1, tzinfo=UTC)
    other = create_centre(session)
    elsewhere = create_patient(session, other, given_name="Dee", family_name="Elsewhere")
    hjhs = create_assessment(session, severe, exporter, raw=hjhs_raw(HJHS_ITEMS))
    head_us = create_assessment(
        session,
        moderate,
        exporter,
        instrument_code="head_us",
        raw=head_us_raw(),
        assessed_date=date(2026, 4, 6),
        timepoint=Timepoint.WEEK_12,
    )
    create_bleed(session, elsewhere, exporter)
    bleed = create_bleed(
        session,
        moderate,
        exporter,
        site=BleedSite.RIGHT_ILIOPSOAS,
        bleed_type=BleedType.TRAUMATIC,
        started_at=datetime(2026, 2, 10, 8, 30, tzinfo=UTC),
        findings=[],
        hospital_days=4,
        femoral_neuropathy=True,
        neuropathy_recovery_date=date(2026, 3, 20),
    )
    infusion = _infusion(session, centre, moderate, exporter, bleed)
    enrolment = _enrolment_with_logs(session, severe, exporter)
    session.flush()
    return ExportWorld(
        centre, exporter, severe, moderate, archived, elsewhere, hjhs, head_us, bleed,
        infusion, enrolment,
    )  # fmt: skip


def _infusion(
    session: Session,
    centre: CentreRecord,
    patient: PatientRecord,
    user: UserRecord,
    bleed: BleedRecord,
) -> InfusionRecord:
    product = create_product(session, centre)
    infusion = InfusionRecord(
        patient_id=patient.id,
        product_id=product.id,
        lot="L-77",
        given_at=datetime(2026, 2, 10, 9, 15, tzinfo=UTC),
        dose_iu=1000,
        dose_iu_per_kg=40.0,
        reason="bleed",
        bleed_id=bleed.id,
        recorded_by_id=user.id,
    )
    session.add(infusion)
    session.flush()
    return infusion


def _enrolment_with_logs(
    session: Session, patient: PatientRecord, user: UserRecord
) -> ProgrammeEnrolmentRecord:
    enrolment = create_enrolment(session, patient, user, start_date=date(2026, 1, 5))
    plan = RehabPlanRecord(enrolment_id=enrolment.id, created_by_id=user.id)
    session.add(plan)
    session.flush()
    home = [
        {
            "date": day.isoformat(),
            "kind": "home",
            "minutes": 30,
            "intensity_pct": 100,
            "exercises": [{"code": "ankle_pumps", "variant": "game"}],
        }
        for day in HOME_DAYS
    ]
    content = PLAN_CONTENT | {"sessions": [*PLAN_CONTENT["sessions"], *home]}
    add_plan_version(session, plan, user, number=1, reason="generated", content=content)
    for day in HOME_DAYS[:2]:
        create_session_log(
            session,
            enrolment,
            user,
            session_date=day,
            started_at=datetime.combine(day, datetime.min.time(), tzinfo=UTC),
            minutes=30,
            exercises={"ankle_pumps": True},
        )
    return enrolment

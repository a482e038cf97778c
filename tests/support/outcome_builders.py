"""A small programme cohort for the outcome analysis (tests/services, tests/cli).

Six patients enrolled on 2026-03-02 at centre OUT1, with HJHS totals at baseline
and week 12 and joint bleeds in the 12 weeks before and during the programme,
plus patients the filters must leave out or the analysis must exclude. The
expected statistics (R 4.2.2) are in the tests that use it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from hemojoint.domain.access import Role
from hemojoint.domain.anatomy import BleedSite, IndexJoint
from hemojoint.domain.patients import PriorRegimen
from hemojoint.persistence.models import CentreRecord, PatientRecord, UserRecord
from hemojoint.schemas.assessments import Timepoint
from tests.support.assessment_builders import create_assessment, example_raw, head_us_raw, hjhs_raw
from tests.support.builders import create_centre, create_patient, create_user
from tests.support.patient_record_builders import create_bleed
from tests.support.programme_builders import create_enrolment

START = date(2026, 3, 2)
WEEK_12 = START + timedelta(weeks=12)
ON_DEMAND, PROPHYLAXIS = PriorRegimen.ON_DEMAND, PriorRegimen.PROPHYLAXIS
# record number, prior regimen, HJHS total at baseline and week 12,
# joint bleeds in the 12 weeks before and during the programme.
COHORT = [
    ("OUT-01", ON_DEMAND, 6, 2, 2, 0),
    ("OUT-02", PROPHYLAXIS, 4, 3, 1, 0),
    ("OUT-03", ON_DEMAND, 8, 2, 1, 1),
    ("OUT-04", PROPHYLAXIS, 5, 5, 0, 0),
    ("OUT-05", ON_DEMAND, 10, 3, 0, 0),
    ("OUT-06", PROPHYLAXIS, 3, 1, 0, 0),
]
JOINTS = list(IndexJoint)


def hjhs_with_total(total: int) -> dict[str, Any]:
    """An HJHS examination whose total is ``total``: swelling (0-3) spread over the joints."""
    scores = {
        f"{joint.value}.swelling": min(3, max(0, total - 3 * i)) for i, joint in enumerate(JOINTS)
    }
    return hjhs_raw(scores)


def seed_cohort(session: Session) -> dict[str, Any]:
    centre = create_centre(session, code="OUT1")
    staff = create_user(session, role=Role.THERAPIST, centre=centre)
    for number, regimen, before, after, bleeds_before, bleeds_during in COHORT:
        patient = _enrolled(session, centre, staff, number, regimen)
        _hjhs(session, patient, staff, before, after)
        for i in range(bleeds_before):
            _joint_bleed(session, patient, staff, START - timedelta(days=20 + 30 * i), JOINTS[i])
        for i in range(bleeds_during):
            _joint_bleed(session, patient, staff, START + timedelta(days=20 + 30 * i), JOINTS[i])
    # OUT-07 is excluded with a reason (no week-12 HJHS); OUT-01 has HEAD-US then HEAD-US-C,
    # compared at the highest tier both support (HEAD-US).
    lost = _enrolled(session, centre, staff, "OUT-07", PROPHYLAXIS)
    create_assessment(session, lost, staff, raw=hjhs_with_total(7), assessed_date=START)
    first = session.query(PatientRecord).filter_by(record_number="OUT-01").one()
    create_assessment(
        session, first, staff, instrument_code="head_us", raw=head_us_raw(), assessed_date=START
    )
    create_assessment(
        session,
        first,
        staff,
        instrument_code="head_us_c",
        raw=example_raw("head_us_c"),
        assessed_date=WEEK_12,
        timepoint=Timepoint.WEEK_12,
    )
    # Left out by the filters: another centre, and an enrolment a year earlier.
    other = create_centre(session, code="OUT2")
    elsewhere = _enrolled(
        session,
        other,
        create_user(session, role=Role.THERAPIST, centre=other),
        "OUT-08",
        ON_DEMAND,
    )
    _hjhs(session, elsewhere, staff, 20, 1)
    early = _enrolled(session, centre, staff, "OUT-09", ON_DEMAND, start=date(2025, 3, 3))
    _hjhs(session, early, staff, 20, 1)
    return {"centre": centre, "staff": staff}


def _enrolled(
    session: Session,
    centre: CentreRecord,
    staff: UserRecord,
    number: str,
    regimen: PriorRegimen,
    start: date = START,
) -> PatientRecord:
    patient = create_patient(session, centre, record_number=number, prior_regimen=regimen)
    create_enrolment(session, patient, staff, start_date=start)
    return patient


def _hjhs(
    session: Session, patient: PatientRecord, staff: UserRecord, before: int, after: int
) -> None:
    create_assessment(session, patient, staff, raw=hjhs_with_total(before), assessed_date=START)
    create_assessment(
        session,
        patient,
        staff,
        raw=hjhs_with_total(after),
        assessed_date=WEEK_12,
        timepoint=Timepoint.WEEK_12,
    )


def _joint_bleed(
    session: Session, patient: PatientRecord, staff: UserRecord, day: date, joint: IndexJoint
) -> None:
    started = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
    create_bleed(session, patient, staff, started, site=BleedSite(joint.value))

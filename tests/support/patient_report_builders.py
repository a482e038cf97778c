"""A hand-built patient for the patient report (tests/reports, tests/cli).

Centre PRC1 with hematologist ``prhaem`` (reads every section) and therapist ``prthera``;
centre PRC2 with hematologist ``prother``. The report's day is TODAY = 2026-06-30, so its
bleed window is the 12 calendar months 2025-07-01 to 2026-06-30 (365 days).

Patient PR-01 (synthetic), born 2016-05-17: 10 years 1 month on 2026-06-30; hemophilia A,
factor activity 0.5 IU/dL (severe: < 1, REFERENCE.md section 2); inhibitor negative on
2026-01-02.

- HJHS 2.1: 2026-01-05 left ankle swelling 2 + flexion loss 2 = 4 (total 4);
  2026-03-30 left ankle swelling 1 (total 1).
- HEAD-US 2026-01-05: left knee synovitis 1 + cartilage 2 = 3 (tier 2, verified).
- HEAD-US-C 2026-03-30: the packaged example, left knee 4, right knee 0, left ankle 10,
  total 14 (tier 3, provisional).
- CHO-KLAT 2026-03-30: every answer 3, so every item scores 2 (answer - 1 or 5 - answer),
  score 25 x 2 = 50.0 (REFERENCE.md section 3).
- Bleeds: right knee spontaneous 2025-09-01, 2025-10-01, 2025-11-01; left ankle traumatic
  2026-02-10 09:00 treated to 2026-02-11 09:00 and again 2026-02-13 09:00 (48 h after the
  end: one episode by the 72-hour rule); left iliopsoas spontaneous 2026-04-01 (not a
  joint); left elbow traumatic 2025-05-01 (before the window).
- Regimen: Synthetic FVIII 1000 IU (40 IU/kg) 3 times a week since 2026-01-01.
- Enrolment from 2026-05-04; plan with two home sessions in week 1, one logged.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from hemojoint.domain.access import Role
from hemojoint.domain.anatomy import BleedSite
from hemojoint.domain.bleeds import BleedType
from hemojoint.persistence.models import RehabPlanRecord
from hemojoint.schemas.assessments import Timepoint
from tests.support.assessment_builders import create_assessment, example_raw, head_us_raw, hjhs_raw
from tests.support.builders import create_centre, create_patient, create_user
from tests.support.patient_record_builders import (
    create_bleed,
    create_inhibitor_result,
    create_product,
    create_regimen,
)
from tests.support.programme_builders import (
    PLAN_CONTENT,
    add_plan_version,
    create_enrolment,
    create_session_log,
)

TODAY = date(2026, 6, 30)
BASELINE, WEEK_12 = date(2026, 1, 5), date(2026, 3, 30)
PROGRAMME_START = date(2026, 5, 4)  # a Monday
HOME = {
    "kind": "home",
    "minutes": 45,
    "intensity_pct": 25,
    "exercises": [{"code": "ankle_pumps", "variant": "standard"}],
}
CONTENT = PLAN_CONTENT | {
    "sessions": [
        {**HOME, "date": "2026-05-05", "week": 1},
        {**HOME, "date": "2026-05-06", "week": 1},
    ]
}


def _at(day: str, hour: int = 9) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def seed_patient(session: Session) -> dict[str, Any]:
    centre = create_centre(session, code="PRC1", name="Report Centre")
    haem = create_user(session, role=Role.HEMATOLOGIST, centre=centre, username="prhaem")
    thera = create_user(session, role=Role.THERAPIST, centre=centre, username="prthera")
    patient = create_patient(
        session,
        centre,
        record_number="PR-01",
        given_name="Wei",
        family_name="Zhang",
        synthetic=True,
    )
    create_inhibitor_result(session, patient, haem, date(2026, 1, 2))
    _assessments(session, patient, thera)
    _bleeds(session, patient, haem)
    product = create_product(session, centre)
    create_regimen(session, patient, product, haem, date(2026, 1, 1))
    _programme(session, patient, thera)
    other = create_centre(session, code="PRC2")
    outsider = create_user(session, role=Role.HEMATOLOGIST, centre=other, username="prother")
    return {"patient": patient, "haem": haem, "thera": thera, "outsider": outsider}


def _assessments(session: Session, patient: Any, thera: Any) -> None:
    swollen = hjhs_raw({"left_ankle.swelling": 2, "left_ankle.flexion_loss": 2})
    create_assessment(session, patient, thera, raw=swollen, assessed_date=BASELINE)
    create_assessment(
        session,
        patient,
        thera,
        raw=hjhs_raw({"left_ankle.swelling": 1}),
        assessed_date=WEEK_12,
        timepoint=Timepoint.WEEK_12,
    )
    create_assessment(
        session,
        patient,
        thera,
        instrument_code="head_us",
        raw=head_us_raw(),
        assessed_date=BASELINE,
    )
    create_assessment(
        session,
        patient,
        thera,
        instrument_code="head_us_c",
        raw=example_raw("head_us_c"),
        assessed_date=WEEK_12,
        timepoint=Timepoint.WEEK_12,
    )
    choklat = {
        "respondent": "child",
        "age_years": 14,
        "responses": {str(item): 3 for item in range(1, 36)},
    }
    create_assessment(
        session,
        patient,
        thera,
        instrument_code="choklat",
        raw=choklat,
        assessed_date=WEEK_12,
        timepoint=Timepoint.WEEK_12,
    )


def _bleeds(session: Session, patient: Any, haem: Any) -> None:
    spontaneous, traumatic = BleedType.SPONTANEOUS, BleedType.TRAUMATIC
    for day in ("2025-09-01", "2025-10-01", "2025-11-01"):
        create_bleed(session, patient, haem, _at(day), site=BleedSite.RIGHT_KNEE)
    create_bleed(
        session,
        patient,
        haem,
        _at("2026-02-10"),
        site=BleedSite.LEFT_ANKLE,
        bleed_type=traumatic,
        treatment_ended_at=_at("2026-02-11"),
    )
    create_bleed(
        session, patient, haem, _at("2026-02-13"), site=BleedSite.LEFT_ANKLE, bleed_type=traumatic
    )
    create_bleed(
        session,
        patient,
        haem,
        _at("2026-04-01"),
        site=BleedSite.LEFT_ILIOPSOAS,
        bleed_type=spontaneous,
    )
    create_bleed(
        session, patient, haem, _at("2025-05-01"), site=BleedSite.LEFT_ELBOW, bleed_type=traumatic
    )


def _programme(session: Session, patient: Any, thera: Any) -> None:
    enrolment = create_enrolment(session, patient, thera, start_date=PROGRAMME_START)
    plan = RehabPlanRecord(enrolment_id=enrolment.id, created_by_id=thera.id)
    session.add(plan)
    session.flush()
    add_plan_version(session, plan, thera, number=1, reason="generated", content=CONTENT)
    create_session_log(
        session,
        enrolment,
        thera,
        session_date=PROGRAMME_START + timedelta(days=1),
        started_at=_at("2026-05-05", 17),
        exercises={"ankle_pumps": True},
    )

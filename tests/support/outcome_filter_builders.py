"""A hand-built cohort for the outcome analysis' patient filters (severity, type, regimen, age).

Six patients at centre FLT1, all enrolled on 2026-03-02, each with an HJHS total at
baseline and week 12. Severity comes from the factor activity by the ISTH/WFH rule
(REFERENCE.md section 2: severe < 1; moderate 1 to 5, 5 itself moderate; mild > 5),
with the cut-points used on purpose; the age band is completed years on 2026-03-02
(under 12 versus 12 and over), F-03 turning 12 on that very day and F-04 one day later.

    record  factor IU/dL -> severity  type  prior regimen  born        age  band         HJHS
    F-01    0.5   severe              A     on_demand      2016-05-17   9   under_12     10 -> 4
    F-02    0.5   severe              B     prophylaxis    2012-01-10  14   12_and_over   8 -> 6
    F-03    0.9   severe              A     on_demand      2014-03-02  12   12_and_over  12 -> 5
    F-04    1     moderate            A     prophylaxis    2014-03-03  11   under_12      6 -> 5
    F-05    5     moderate            B     on_demand      2016-05-17   9   under_12      9 -> 3
    F-06    5.1   mild                A     prophylaxis    2012-01-10  14   12_and_over   4 -> 4
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from hemojoint.domain.access import Role
from hemojoint.domain.patients import HemophiliaType, PriorRegimen
from hemojoint.schemas.assessments import Timepoint
from tests.support.assessment_builders import create_assessment
from tests.support.builders import create_centre, create_patient, create_user
from tests.support.outcome_builders import hjhs_with_total
from tests.support.programme_builders import create_enrolment

CENTRE = "FLT1"
START = date(2026, 3, 2)
WEEK_12 = START + timedelta(weeks=12)
A, B = HemophiliaType.A, HemophiliaType.B
ON_DEMAND, PROPHYLAXIS = PriorRegimen.ON_DEMAND, PriorRegimen.PROPHYLAXIS
COHORT = [
    ("F-01", 0.5, A, ON_DEMAND, date(2016, 5, 17), 10, 4),
    ("F-02", 0.5, B, PROPHYLAXIS, date(2012, 1, 10), 8, 6),
    ("F-03", 0.9, A, ON_DEMAND, date(2014, 3, 2), 12, 5),
    ("F-04", 1.0, A, PROPHYLAXIS, date(2014, 3, 3), 6, 5),
    ("F-05", 5.0, B, ON_DEMAND, date(2016, 5, 17), 9, 3),
    ("F-06", 5.1, A, PROPHYLAXIS, date(2012, 1, 10), 4, 4),
]


def seed_filter_cohort(session: Session) -> dict[str, Any]:
    centre = create_centre(session, code=CENTRE)
    staff = create_user(session, role=Role.THERAPIST, centre=centre)
    for number, factor, kind, regimen, born, before, after in COHORT:
        patient = create_patient(
            session,
            centre,
            record_number=number,
            factor_activity_iu_dl=factor,
            hemophilia_type=kind,
            prior_regimen=regimen,
            birth_date=born,
        )
        create_enrolment(session, patient, staff, start_date=START)
        create_assessment(session, patient, staff, raw=hjhs_with_total(before), assessed_date=START)
        create_assessment(
            session,
            patient,
            staff,
            raw=hjhs_with_total(after),
            assessed_date=WEEK_12,
            timepoint=Timepoint.WEEK_12,
        )
    return {"centre": centre, "staff": staff}

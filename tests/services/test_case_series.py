"""The iliopsoas case series of a centre read from the registry (SQLite and PostgreSQL).

Cohort of centre ILIO (expected values by hand, independent of the code):

    P1 born 2008-06-01: left iliopsoas 2024-02-01 (12 days, neuropathy, recovered
       2024-04-01 = 29 + 31 = 60 days later), rebleed 48 h after its treatment ended
       (3 days): one episode of 15 days, at 15 years (band 12-17).
    P2 born 2012-09-10: right iliopsoas 2024-05-10 (10 days, neuropathy, not recovered)
       at 11 years (band 6-11); a knee bleed (not iliopsoas, ignored).
    P3 born 2015-01-01: no bleeds.
    P4 born 2010-01-01: left iliopsoas 2023-06-01 (8 days) at 13 years (band 12-17).
    Left out: an archived patient and a patient of another centre, both with iliopsoas bleeds.

    All dates: 4 patients, 3 with 3 episodes -> prevalence 3/4; neuropathy 2/3;
    days 15, 10, 8 -> mean 11, SD sqrt((16 + 1 + 9) / 2) = sqrt(13) = 3.6056.
    2024 only: P1 and P2 -> prevalence 2/4, 2 episodes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from hemojoint.domain.access import Role
from hemojoint.domain.anatomy import BleedSite
from hemojoint.domain.errors import InvalidInputError
from hemojoint.persistence.models import AuditEntryRecord
from hemojoint.services.case_series import iliopsoas_series
from hemojoint.services.errors import NotFoundError
from tests.support.builders import create_centre, create_patient, create_user
from tests.support.patient_record_builders import create_bleed

LEFT = BleedSite.LEFT_ILIOPSOAS
RIGHT = BleedSite.RIGHT_ILIOPSOAS


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 8, tzinfo=UTC)


def seed(session: Session) -> None:
    centre = create_centre(session, code="ILIO")
    other = create_centre(session)
    staff = create_user(session, role=Role.THERAPIST, centre=centre)
    p1 = create_patient(session, centre, birth_date=date(2008, 6, 1))
    started, ended = at(date(2024, 2, 1)), at(date(2024, 2, 3))
    create_bleed(
        session, p1, staff, started, site=LEFT, treatment_ended_at=ended, hospital_days=12,
        femoral_neuropathy=True, neuropathy_recovery_date=date(2024, 4, 1),
    )  # fmt: skip
    create_bleed(session, p1, staff, ended + timedelta(hours=48), site=LEFT, hospital_days=3)
    p2 = create_patient(session, centre, birth_date=date(2012, 9, 10))
    create_bleed(
        session, p2, staff, at(date(2024, 5, 10)), site=RIGHT, hospital_days=10,
        femoral_neuropathy=True,
    )  # fmt: skip
    create_bleed(session, p2, staff, at(date(2024, 6, 1)), site=BleedSite.LEFT_KNEE)
    create_patient(session, centre, birth_date=date(2015, 1, 1))
    p4 = create_patient(session, centre, birth_date=date(2010, 1, 1))
    create_bleed(session, p4, staff, at(date(2023, 6, 1)), site=LEFT, hospital_days=8)
    archived = create_patient(
        session, centre, birth_date=date(2010, 1, 1), archived_at=datetime(2025, 1, 1, tzinfo=UTC)
    )
    create_bleed(session, archived, staff, at(date(2024, 3, 1)), site=LEFT, hospital_days=30)
    elsewhere = create_patient(session, other, birth_date=date(2010, 1, 1))
    create_bleed(session, elsewhere, staff, at(date(2024, 3, 1)), site=LEFT, hospital_days=30)


def test_the_centre_series_over_all_dates(db: Session) -> None:
    seed(db)
    figures = iliopsoas_series(db, centre_code="ILIO").as_dict()
    assert figures["filter"] == {
        "centre": "ILIO",
        "start_from": None,
        "start_to": None,
        "age_bands": ["0-5", "6-11", "12-17", "18-20"],
    }
    assert (figures["cohort_patients"], figures["patients_with_bleeds"]) == (4, 3)
    assert (figures["episodes"], figures["prevalence"]) == (3, 0.75)
    assert figures["femoral_neuropathy"]["rate"] == pytest.approx(2 / 3)
    stay = figures["hospital_days"]
    assert (stay["n"], stay["mean"]) == (3, 11)
    assert stay["sd"] == pytest.approx(3.6056, abs=1e-4)
    assert figures["recovery"] == {"recovered": 1, "not_recovered": 1, "median_days": 60}
    by_band = {
        entry["band"]: (entry["patients"], entry["episodes"]) for entry in figures["by_age_band"]
    }
    assert by_band == {"0-5": (0, 0), "6-11": (1, 1), "12-17": (2, 2), "18-20": (0, 0)}


def test_the_date_range_keeps_the_episodes_starting_in_it(db: Session) -> None:
    seed(db)
    series = iliopsoas_series(
        db, centre_code="ILIO", start_from=date(2024, 1, 1), start_to=date(2024, 12, 31)
    )
    figures = series.as_dict()
    assert (figures["cohort_patients"], figures["episodes"], figures["prevalence"]) == (4, 2, 0.5)
    assert figures["filter"]["start_from"] == "2024-01-01"


def test_the_read_is_audited(db: Session) -> None:
    seed(db)
    iliopsoas_series(db, centre_code="ILIO")
    db.flush()
    entries = list(
        db.scalars(select(AuditEntryRecord).where(AuditEntryRecord.entity == "iliopsoas_series"))
    )
    assert [(entry.action, entry.detail["patients"]) for entry in entries] == [("report", 4)]


def test_an_unknown_centre_is_not_found(db: Session) -> None:
    with pytest.raises(NotFoundError, match="centre NOPE was not found"):
        iliopsoas_series(db, centre_code="NOPE")


def test_a_range_ending_before_it_starts_is_refused(db: Session) -> None:
    with pytest.raises(InvalidInputError, match="start_to: '2024-01-01' is before start_from"):
        iliopsoas_series(db, start_from=date(2024, 6, 1), start_to=date(2024, 1, 1))

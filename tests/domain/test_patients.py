"""Patients: severity cut-points, age in years and months, the Patient record."""

import dataclasses
import re
from datetime import date

import pytest

from hemojoint.domain.dates import add_months
from hemojoint.domain.errors import InvalidInputError
from hemojoint.domain.patients import (
    Age,
    HemophiliaType,
    Patient,
    Severity,
    age_at,
    severity_from_factor_activity,
)

# Expected severities from REFERENCE.md section 2 (ISTH/WFH): < 1 severe; 1 to 5
# inclusive moderate; > 5 and < 40 mild.
SEVERITY_CASES = [
    (0, Severity.SEVERE),
    (0.99, Severity.SEVERE),
    (1, Severity.MODERATE),
    (1.01, Severity.MODERATE),
    (4.99, Severity.MODERATE),
    (5, Severity.MODERATE),
    (5.01, Severity.MILD),
    (39.99, Severity.MILD),
]


@pytest.mark.parametrize(
    ("factor_activity_iu_dl", "expected"),
    SEVERITY_CASES,
    ids=["0", "0.99", "1", "1.01", "4.99", "5", "5.01", "39.99"],
)
def test_severity_cut_points(factor_activity_iu_dl: float, expected: Severity) -> None:
    assert severity_from_factor_activity(factor_activity_iu_dl) is expected


# REFERENCE.md section 2: 40 or more is not in the hemophilia range; negative is impossible.
@pytest.mark.parametrize(
    "factor_activity_iu_dl",
    [40, 40.01, 150, -0.01, float("nan"), float("inf")],
    ids=["40", "40.01", "150", "-0.01", "nan", "inf"],
)
def test_severity_refuses_values_outside_the_hemophilia_range(factor_activity_iu_dl: float) -> None:
    expected = (
        rf"^factor_activity_iu_dl: {re.escape(str(factor_activity_iu_dl))} is outside 0 to below "
        r"40 IU/dL \(40 IU/dL or more is not in the hemophilia range\)$"
    )
    with pytest.raises(InvalidInputError, match=expected):
        severity_from_factor_activity(factor_activity_iu_dl)


@pytest.mark.parametrize("value", ["3", True, None], ids=["string", "boolean", "null"])
def test_severity_refuses_non_numbers(value: object) -> None:
    with pytest.raises(InvalidInputError, match="^factor_activity_iu_dl: .* is not a number"):
        severity_from_factor_activity(value)  # type: ignore[arg-type]


# Expected dates by counting on a calendar; a day past the month's end is clamped.
@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2024, 12, 15), 1, date(2025, 1, 15)),
        (date(2024, 1, 15), -1, date(2023, 12, 15)),
        (date(2024, 7, 15), -6, date(2024, 1, 15)),
        (date(2016, 2, 29), 12, date(2017, 2, 28)),
        (date(2016, 2, 29), 48, date(2020, 2, 29)),
    ],
    ids=[
        "jan31-leap",
        "jan31-common",
        "back-to-feb29",
        "over-new-year",
        "back-over-new-year",
        "minus-six",
        "feb29-to-common-year",
        "feb29-to-leap-year",
    ],
)
def test_add_months_clamps_the_day(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


# Expected ages counted by hand on a calendar (completed years, then completed months).
@pytest.mark.parametrize(
    ("birth", "as_of", "expected"),
    [
        (date(2015, 6, 10), date(2024, 6, 9), Age(8, 11)),
        (date(2015, 6, 10), date(2024, 6, 10), Age(9, 0)),
        (date(2015, 6, 10), date(2024, 6, 11), Age(9, 0)),
        (date(2015, 6, 10), date(2024, 7, 9), Age(9, 0)),
        (date(2015, 6, 10), date(2024, 7, 10), Age(9, 1)),
        (date(2015, 6, 10), date(2015, 6, 10), Age(0, 0)),
        (date(2016, 2, 29), date(2017, 2, 27), Age(0, 11)),
        (date(2016, 2, 29), date(2017, 2, 28), Age(1, 0)),
        (date(2016, 2, 29), date(2020, 2, 28), Age(3, 11)),
        (date(2016, 2, 29), date(2020, 2, 29), Age(4, 0)),
        (date(2023, 1, 31), date(2023, 2, 27), Age(0, 0)),
        (date(2023, 1, 31), date(2023, 2, 28), Age(0, 1)),
    ],
    ids=[
        "birthday-eve",
        "birthday",
        "day-after-birthday",
        "month-eve",
        "month-day",
        "born-today",
        "feb29-common-year-eve",
        "feb29-common-year-feb28",
        "feb29-leap-year-feb28",
        "feb29-leap-year-feb29",
        "jan31-feb27",
        "jan31-feb28",
    ],
)
def test_age_at(birth: date, as_of: date, expected: Age) -> None:
    assert age_at(birth, as_of) == expected


def test_age_at_refuses_a_date_before_birth() -> None:
    with pytest.raises(
        InvalidInputError, match=r"^birth_date: '2015-06-10' is after as_of 2015-06-09$"
    ):
        age_at(date(2015, 6, 10), date(2015, 6, 9))


def test_age_total_months_and_dict() -> None:
    age = Age(8, 11)
    assert age.total_months == 107  # 8 x 12 + 11
    assert age.as_dict() == {"years": 8, "months": 11}


def test_patient_derives_severity_and_is_frozen() -> None:
    patient = Patient(date(2015, 6, 10), HemophiliaType.B, 5)
    assert patient.severity is Severity.MODERATE
    assert patient.age_at(date(2024, 6, 10)) == Age(9, 0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        patient.severity = Severity.MILD  # type: ignore[misc]


def test_patient_refuses_a_factor_activity_outside_the_range() -> None:
    with pytest.raises(InvalidInputError, match="^factor_activity_iu_dl: 40 is outside"):
        Patient(date(2015, 6, 10), HemophiliaType.A, 40)


def test_patient_from_mapping_and_as_dict() -> None:
    data = {"birth_date": "2015-06-10", "hemophilia_type": "A", "factor_activity_iu_dl": 0.5}
    patient = Patient.from_mapping(data)
    assert patient == Patient(date(2015, 6, 10), HemophiliaType.A, 0.5)
    assert patient.as_dict() == {**data, "severity": "severe"}


def test_patient_from_mapping_reports_every_invalid_field() -> None:
    data = {"birth_date": "10/06/2015", "hemophilia_type": "C", "factor_activity_iu_dl": -1}
    with pytest.raises(InvalidInputError) as caught:
        Patient.from_mapping(data)
    fields = [problem.field for problem in caught.value.problems]
    assert fields == ["birth_date", "hemophilia_type", "factor_activity_iu_dl"]


def test_patient_from_mapping_reports_missing_keys() -> None:
    with pytest.raises(InvalidInputError) as caught:
        Patient.from_mapping({"birth_date": "2015-06-10"})
    assert [problem.field for problem in caught.value.problems] == [
        "hemophilia_type",
        "factor_activity_iu_dl",
    ]


def test_patient_from_mapping_refuses_unknown_keys() -> None:
    data = {
        "birth_date": "2015-06-10",
        "hemophilia_type": "A",
        "factor_activity_iu_dl": 2,
        "sex": "m",
    }
    with pytest.raises(InvalidInputError, match="^sex: 'sex' is not one of birth_date"):
        Patient.from_mapping(data)

"""Patients: hemophilia type, severity from factor activity, and age at a date.

Reference: ``REFERENCE.md`` section 2 (ISTH/WFH severity): baseline factor
activity in IU/dL (= %) below 1 is severe, 1 to 5 (both included) moderate,
above 5 and below 40 mild; 40 or more is not in the hemophilia range.

Calendar months are added with the day clamped to the month's length
(:func:`~hemojoint.domain.dates.add_months`), so a child born on 29 February has a birthday on
28 February in other years; bleed windows in ``bleeds.py`` use the same rule.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, cast

from hemojoint.domain.dates import add_months
from hemojoint.domain.errors import FieldProblem, InvalidInputError
from hemojoint.domain.validation import (
    ProblemCollector,
    enum_value,
    fail,
    iso_date,
    no_unknown_keys,
    require_mapping,
)

SEVERE_BELOW_IU_DL = 1.0
MODERATE_UP_TO_IU_DL = 5.0
HEMOPHILIA_BELOW_IU_DL = 40.0
_FACTOR_FIELD = "factor_activity_iu_dl"
_FACTOR_ALLOWED = "0 to below 40 IU/dL"


class HemophiliaType(StrEnum):
    A = "A"
    B = "B"


class Severity(StrEnum):
    SEVERE = "severe"
    MODERATE = "moderate"
    MILD = "mild"


def severity_from_factor_activity(factor_activity_iu_dl: float) -> Severity:
    """Severity from baseline factor activity in IU/dL (1 IU/dL = 1 % = 0.01 IU/mL).

    Rule (ISTH/WFH): ``< 1`` severe; ``1`` to ``5`` inclusive moderate;
    ``> 5`` and ``< 40`` mild. Negative values, 40 or more and NaN are refused.

    >>> severity_from_factor_activity(0.5), severity_from_factor_activity(5)
    (<Severity.SEVERE: 'severe'>, <Severity.MODERATE: 'moderate'>)
    >>> severity_from_factor_activity(40)
    Traceback (most recent call last):
    ...
    hemojoint.domain.errors.InvalidInputError: factor_activity_iu_dl: 40 is outside 0 to below \
40 IU/dL (40 IU/dL or more is not in the hemophilia range)
    """
    value: object = factor_activity_iu_dl
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise fail(FieldProblem.wrong_type(_FACTOR_FIELD, value, "a number in IU/dL"))
    if math.isnan(value) or not 0 <= value < HEMOPHILIA_BELOW_IU_DL:
        why = f"is outside {_FACTOR_ALLOWED} (40 IU/dL or more is not in the hemophilia range)"
        raise fail(FieldProblem.invalid(_FACTOR_FIELD, value, _FACTOR_ALLOWED, why))
    if value < SEVERE_BELOW_IU_DL:
        return Severity.SEVERE
    if value <= MODERATE_UP_TO_IU_DL:
        return Severity.MODERATE
    return Severity.MILD


@dataclass(frozen=True)
class Age:
    """Completed whole years and the whole months since the last birthday."""

    years: int
    months: int

    @property
    def total_months(self) -> int:
        return self.years * 12 + self.months

    def as_dict(self) -> dict[str, Any]:
        return {"years": self.years, "months": self.months}


def age_at(birth_date: date, as_of: date) -> Age:
    """Age on ``as_of`` in completed years and months.

    A month is complete on the same day-of-month as the birth date, clamped to
    the month's length (born 29 February: one year old on 28 February of a
    common year; born 31 January: one month old on 28 or 29 February).
    ``as_of`` before ``birth_date`` is refused.

    >>> age_at(date(2015, 6, 10), date(2024, 6, 9))
    Age(years=8, months=11)
    >>> age_at(date(2016, 2, 29), date(2017, 2, 28))
    Age(years=1, months=0)
    """
    if as_of < birth_date:
        why = f"is after as_of {as_of.isoformat()}"
        raise fail(
            FieldProblem.invalid("birth_date", birth_date.isoformat(), "on or before as_of", why)
        )
    months = (as_of.year - birth_date.year) * 12 + (as_of.month - birth_date.month)
    if add_months(birth_date, months) > as_of:
        months -= 1
    return Age(years=months // 12, months=months % 12)


@dataclass(frozen=True)
class Patient:
    """A child with hemophilia; ``severity`` is derived from the factor activity.

    >>> Patient(date(2015, 6, 10), HemophiliaType.A, 0.5).severity
    <Severity.SEVERE: 'severe'>
    """

    birth_date: date
    hemophilia_type: HemophiliaType
    factor_activity_iu_dl: float
    severity: Severity = field(init=False)

    def __post_init__(self) -> None:
        severity = severity_from_factor_activity(self.factor_activity_iu_dl)
        object.__setattr__(self, "severity", severity)

    def age_at(self, as_of: date) -> Age:
        return age_at(self.birth_date, as_of)

    def as_dict(self) -> dict[str, Any]:
        return {
            "birth_date": self.birth_date.isoformat(),
            "hemophilia_type": self.hemophilia_type.value,
            "factor_activity_iu_dl": self.factor_activity_iu_dl,
            "severity": self.severity.value,
        }

    @classmethod
    def from_mapping(cls, data: object) -> Patient:
        """Parse ``{"birth_date", "hemophilia_type", "factor_activity_iu_dl"}``, all required.

        Every invalid field is reported at once.

        >>> Patient.from_mapping({"birth_date": "2015-06-10", "hemophilia_type": "C",
        ...     "factor_activity_iu_dl": 45})
        Traceback (most recent call last):
        ...
        hemojoint.domain.errors.InvalidInputError: hemophilia_type: 'C' is not one of A, B; \
factor_activity_iu_dl: 45 is outside 0 to below 40 IU/dL (40 IU/dL or more is not in the \
hemophilia range)
        """
        mapping = require_mapping("patient", data)
        no_unknown_keys("", mapping, _PATIENT_KEYS)
        missing = [
            FieldProblem.missing(k, what) for k, what in _PATIENT_KEYS.items() if k not in mapping
        ]
        if missing:
            raise InvalidInputError(missing)
        problems = ProblemCollector()
        birth = problems.check(iso_date, "birth_date", mapping["birth_date"])
        kind = problems.check(
            enum_value, "hemophilia_type", mapping["hemophilia_type"], HemophiliaType
        )
        problems.check(severity_from_factor_activity, mapping[_FACTOR_FIELD])
        problems.raise_if_any()
        return cls(cast(date, birth), cast(HemophiliaType, kind), float(mapping[_FACTOR_FIELD]))


_PATIENT_KEYS: Mapping[str, str] = {
    "birth_date": "a date as YYYY-MM-DD",
    "hemophilia_type": "A or B",
    _FACTOR_FIELD: "a number in IU/dL",
}


class Sex(StrEnum):
    """Sex recorded at registration (hemophilia is X-linked; girls and women can be affected)."""

    MALE = "male"
    FEMALE = "female"
    OTHER = "other"


class PriorRegimen(StrEnum):
    """Factor replacement before the programme: the outcome tables compare these two groups."""

    ON_DEMAND = "on_demand"
    PROPHYLAXIS = "prophylaxis"

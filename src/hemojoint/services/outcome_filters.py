"""Which patients of the enrolled cohort the outcome analysis keeps (issue 6).

Besides the centre and the enrolment dates (:class:`hemojoint.services.outcomes.CohortFilter`)
a cohort can be limited by what the patient record says: severity (one or more of
mild, moderate, severe), hemophilia type (A or B), the regimen before the programme
(prophylaxis or on demand) and the age band at the enrolment start
(:func:`hemojoint.domain.outcomes.age_band`, completed years at the start of the
enrolment the analysis uses). The values are the domain's codes; anything else is
refused with the field, the value and what is allowed, every problem at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hemojoint.domain.errors import FieldProblem, InvalidInputError
from hemojoint.domain.outcomes import AGE_BAND_OLDER, AGE_BAND_YOUNGER, age_band
from hemojoint.domain.patients import HemophiliaType, PriorRegimen, Severity, age_at
from hemojoint.persistence.models import PatientRecord, ProgrammeEnrolmentRecord

SEVERITIES = tuple(item.value for item in Severity)
HEMOPHILIA_TYPES = tuple(item.value for item in HemophiliaType)
PRIOR_REGIMENS = tuple(item.value for item in PriorRegimen)
AGE_BANDS = (AGE_BAND_YOUNGER, AGE_BAND_OLDER)
# field -> the codes it accepts (the CLI's choices and the page's options come from here)
CHOICES: dict[str, tuple[str, ...]] = {
    "severity": SEVERITIES,
    "hemophilia_type": HEMOPHILIA_TYPES,
    "prior_regimen": PRIOR_REGIMENS,
    "age_band": AGE_BANDS,
}


@dataclass(frozen=True)
class PatientFilters:
    """Patient-level filters; an empty one keeps everybody.

    ``severity`` keeps a patient whose severity is any of those given (stored in the
    domain's order, each once); the others keep one value or, when None, any.
    """

    severity: tuple[str, ...] = ()
    hemophilia_type: str | None = None
    prior_regimen: str | None = None
    age_band: str | None = None

    def __post_init__(self) -> None:
        for field in ("hemophilia_type", "prior_regimen", "age_band"):
            if getattr(self, field) == "":  # a form's "any" option
                object.__setattr__(self, field, None)
        problems = [
            FieldProblem.not_one_of("severity", value, SEVERITIES)
            for value in self.severity
            if value not in SEVERITIES
        ]
        for field in ("hemophilia_type", "prior_regimen", "age_band"):
            value = getattr(self, field)
            if value is not None and value not in CHOICES[field]:
                problems.append(FieldProblem.not_one_of(field, value, CHOICES[field]))
        if problems:
            raise InvalidInputError(problems)
        ordered = tuple(code for code in SEVERITIES if code in self.severity)
        object.__setattr__(self, "severity", ordered)

    def as_dict(self) -> dict[str, Any]:
        return {
            "severity": list(self.severity),
            "hemophilia_type": self.hemophilia_type,
            "prior_regimen": self.prior_regimen,
            "age_band": self.age_band,
        }

    def applied(self) -> dict[str, Any]:
        """Only the filters that were set (what the report's cohort section names)."""
        return {key: value for key, value in self.as_dict().items() if value}

    def keeps(self, patient: PatientRecord, enrolment: ProgrammeEnrolmentRecord) -> bool:
        if self.severity and patient.severity.value not in self.severity:
            return False
        checks = (
            (self.hemophilia_type, patient.hemophilia_type.value),
            (self.prior_regimen, patient.prior_regimen.value),
        )
        if any(wanted is not None and wanted != actual for wanted, actual in checks):
            return False
        return self.age_band is None or self.age_band == enrolment_age_band(patient, enrolment)


def enrolment_age_band(patient: PatientRecord, enrolment: ProgrammeEnrolmentRecord) -> str:
    """The age band of the patient's completed years on the enrolment's start date."""
    return age_band(age_at(patient.birth_date, enrolment.start_date).years)

"""The outcome analysis' patient filters (SQLite and PostgreSQL).

The cohort is tests/support/outcome_filter_builders.py (its table gives each patient's
severity, type, prior regimen and age band, counted by hand). The severe-only HJHS
statistics, by hand and confirmed with R 4.2.2:

    b <- c(10, 8, 12); a <- c(4, 6, 5)     # F-01, F-02, F-03
    mean/sd: b 10 ± 2 (deviations 0, -2, 2: sqrt(8 / 2)), a 5 ± 1 (sqrt(2 / 2))
    d = a - b = -6, -2, -7; mean -5, sd sqrt(14 / 2) = 2.6458, t = -5 / (2.6458 / sqrt 3)
    shapiro.test(a - b)          # W 0.89286, P 0.3631 -> normal: paired t, mean ± SD
    t.test(a, b, paired=TRUE)    # t -3.2733, df 2, P 0.08201
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from hemojoint.domain.errors import InvalidInputError
from hemojoint.services.outcome_filters import PatientFilters
from hemojoint.services.outcomes import CohortFilter, analyse_cohort
from tests.support.outcome_filter_builders import CENTRE, seed_filter_cohort


def analysed(sessions: sessionmaker[Session], filters: PatientFilters) -> tuple[Any, list[str]]:
    with sessions() as session:
        seed_filter_cohort(session)
        analysis = analyse_cohort(session, CohortFilter(centre_code=CENTRE, patients=filters))
        return analysis.report, sorted(member.label for member in analysis.members)


def hjhs(report: dict[str, Any]) -> dict[str, Any]:
    return next(entry for entry in report["outcomes"] if entry["outcome"] == "hjhs_total")


def test_only_severe_patients_are_analysed(sessions: sessionmaker[Session]) -> None:
    report, labels = analysed(sessions, PatientFilters(severity=("severe",)))
    # Factor activity below 1 IU/dL: F-01 (0.5), F-02 (0.5), F-03 (0.9); F-04 (1) is moderate.
    assert labels == ["F-01", "F-02", "F-03"]
    assert report["cohort"]["patients"] == 3
    assert report["cohort"]["filters"] == {"severity": ["severe"]}
    assert report["filter"]["severity"] == ["severe"]
    entry = hjhs(report)
    assert (entry["n"], entry["normal"], entry["test"]["test"]) == (3, True, "paired_t")
    assert entry["test"]["statistic"] == pytest.approx(-3.2733, abs=5e-4)
    assert entry["test"]["p"] == pytest.approx(0.08201, abs=5e-4)
    assert entry["row"] == {
        "outcome": "hjhs_total",
        "baseline": "10.00 ± 2.00",
        "follow_up": "5.00 ± 1.00",
        "statistic": "-3.273",
        "p": "0.082",
    }


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        # Repeatable: moderate (1 and 5 IU/dL, the cut-point itself) or mild (5.1).
        (PatientFilters(severity=("moderate", "mild")), ["F-04", "F-05", "F-06"]),
        (PatientFilters(hemophilia_type="B"), ["F-02", "F-05"]),
        (PatientFilters(prior_regimen="on_demand"), ["F-01", "F-03", "F-05"]),
        # F-04 is 11 on the start day (12 the day after); F-03 turns 12 on it.
        (PatientFilters(age_band="under_12"), ["F-01", "F-04", "F-05"]),
        (PatientFilters(age_band="12_and_over"), ["F-02", "F-03", "F-06"]),
        # Filters combine with "and": severe and type A.
        (PatientFilters(severity=("severe",), hemophilia_type="A"), ["F-01", "F-03"]),
        (PatientFilters(), ["F-01", "F-02", "F-03", "F-04", "F-05", "F-06"]),
    ],
    ids=["moderate-or-mild", "type-b", "on-demand", "under-12", "12-and-over", "severe-a", "none"],
)
def test_each_filter_keeps_the_patients_counted_by_hand(
    sessions: sessionmaker[Session], filters: PatientFilters, expected: list[str]
) -> None:
    report, labels = analysed(sessions, filters)
    assert labels == expected
    assert report["cohort"]["patients"] == len(expected)
    assert report["cohort"]["filters"] == filters.applied()


def test_severity_is_kept_once_each_in_the_domain_order() -> None:
    assert PatientFilters(severity=("mild", "severe", "mild")).severity == ("severe", "mild")
    assert PatientFilters(hemophilia_type="").hemophilia_type is None  # a form's "any"


def test_every_bad_value_is_named_with_what_is_allowed() -> None:
    message = (
        "severity: 'grave' is not one of severe, moderate, mild; "
        "hemophilia_type: 'C' is not one of A, B; "
        "prior_regimen: 'on demand' is not one of on_demand, prophylaxis; "
        "age_band: 'teen' is not one of under_12, 12_and_over"
    )
    with pytest.raises(InvalidInputError) as raised:
        PatientFilters(("severe", "grave"), "C", "on demand", "teen")
    assert str(raised.value) == message
    assert [p.field for p in raised.value.problems] == [
        "severity",
        "hemophilia_type",
        "prior_regimen",
        "age_band",
    ]

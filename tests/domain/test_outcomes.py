"""The outcome analysis against R 4.2.2 on a synthetic cohort typed by hand.

Expected values: tests/fixtures/r/outcomes.json, written by tests/fixtures/r/outcomes.R
(shapiro.test, t.test, wilcox.test, quantile(type = 6), lm). The cohort below is typed
here and again in the R script; the first test checks that the two copies agree.
The Table-1 strings are R's values rounded by hand to the journal layout.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hemojoint.domain.errors import InvalidInputError
from hemojoint.domain.outcomes import PatientPair, analyse_outcome, format_statistic
from hemojoint.domain.outcomes_regression import ModelRow, adjusted_change

R = json.loads((Path(__file__).parents[1] / "fixtures" / "r" / "outcomes.json").read_text("utf-8"))
FACTORS = ("prior_regimen", "severity", "hemophilia_type")

# patient, prior regimen, severity, type, age, HJHS baseline, week 12, ultrasound baseline, week 12
COHORT = [
    ("P01", "prophylaxis", "severe", "A", 8, 9, 3, 12, 10),
    ("P02", "on_demand", "severe", "A", 11, 15, 4, 14, 11),
    ("P03", "prophylaxis", "moderate", "A", 7, 4, 4, 6, 5),
    ("P04", "on_demand", "severe", "B", 13, 22, 6, 18, 13),
    ("P05", "prophylaxis", "severe", "A", 9, 6, 5, 9, 8),
    ("P06", "on_demand", "moderate", "A", 12, 12, 5, 11, 9),
    ("P07", "prophylaxis", "severe", "B", 10, 3, 2, 5, 5),
    ("P08", "on_demand", "severe", "A", 14, 18, 7, 16, 12),
    ("P09", "prophylaxis", "moderate", "A", 6, 5, 3, 8, 6),
    ("P10", "on_demand", "severe", "A", 9, 40, 9, 20, 14),
    ("P11", "prophylaxis", "severe", "B", 11, 2, 1, 4, 3),
    ("P12", "on_demand", "moderate", "B", 8, 10, 6, 10, 8),
]
# Excluded before any statistic (not in the R script): no week 12, no baseline, and a
# reason the caller found (an ultrasound pair that cannot be compared).
INCOMPLETE = [
    PatientPair("P13", 7.0, None),
    PatientPair("P14", None, 3.0),
    PatientPair("P15", None, None),
    PatientPair("P16", 8.0, 6.0, excluded="ultrasound_instruments_differ"),
]


def pairs(baseline_column: int) -> list[PatientPair]:
    return [
        PatientPair(
            row[0],
            float(row[baseline_column]),
            float(row[baseline_column + 1]),
            dict(zip(FACTORS, row[1:4], strict=True)),
        )
        for row in COHORT
    ] + INCOMPLETE


HJHS = analyse_outcome("hjhs_total", pairs(5), FACTORS)
ULTRASOUND = analyse_outcome("ultrasound_total", pairs(7), FACTORS)
ANALYSES = {"hjhs_total": HJHS, "ultrasound_total": ULTRASOUND}


def test_the_cohort_here_is_the_cohort_r_analysed() -> None:
    columns = list(zip(*COHORT, strict=True))
    for index, name in enumerate(R["cohort"]):
        assert list(columns[index]) == R["cohort"][name], name


def close(actual: float, expected: float) -> None:
    assert actual == pytest.approx(expected, abs=5e-4)


def assert_describes(actual: Any, expected: dict[str, float]) -> None:
    for key, value in expected.items():
        close(getattr(actual, key), value)


@pytest.mark.parametrize("outcome", ["hjhs_total", "ultrasound_total"])
def test_normality_descriptives_and_the_paired_test_match_r(outcome: str) -> None:
    result, expected = ANALYSES[outcome], R["outcomes"][outcome]
    assert result.n == expected["n"]
    assert result.normality is not None
    close(result.normality.w, expected["shapiro_w"])
    close(result.normality.p, expected["shapiro_p"])
    assert result.normal is expected["normal"]
    for part in ("baseline", "follow_up", "change"):
        assert_describes(getattr(result, part), expected[part])
    assert result.test is not None
    assert result.test.test == expected["test"]["test"]
    close(result.test.statistic, expected["test"]["t" if result.normal else "z"])
    close(result.test.p, expected["test"]["p"])


def test_the_test_follows_normality() -> None:
    # R: Shapiro P 0.008 for HJHS (Wilcoxon, Z) and 0.212 for ultrasound (paired t).
    assert (HJHS.summary, HJHS.test and HJHS.test.statistic_name) == ("median_iqr", "z")
    assert (ULTRASOUND.summary, ULTRASOUND.test and ULTRASOUND.test.statistic_name) == (
        "mean_sd",
        "t",
    )


@pytest.mark.parametrize("outcome", ["hjhs_total", "ultrasound_total"])
@pytest.mark.parametrize("factor", FACTORS)
def test_change_by_group_matches_r(outcome: str, factor: str) -> None:
    result = next(g for g in ANALYSES[outcome].groups if g.factor == factor)
    expected = R["outcomes"][outcome]["groups"][factor]
    assert (result.groups, result.n) == (expected["groups"], expected["n"])
    assert result.test is not None
    assert result.test.test == expected["test"]
    close(result.test.statistic, expected["t" if result.test.statistic_name == "t" else "z"])
    close(result.test.p, expected["p"])
    if expected["test"] == "mann_whitney_u":
        assert result.test.u == expected["u"]


def test_prior_regimen_groups_are_tested_welch_when_levene_rejects() -> None:
    # R: Levene P < 0.05 for the ultrasound change by prior regimen, so Welch's row.
    comparison = ULTRASOUND.groups[0]
    assert comparison.test is not None
    assert comparison.test.test == "independent_t_welch"
    assert comparison.test.df == pytest.approx(
        R["outcomes"]["ultrasound_total"]["groups"]["prior_regimen"]["df"], abs=5e-4
    )


def test_the_analysis_is_plain_json() -> None:
    data = json.loads(json.dumps(HJHS.as_dict()))
    assert data["excluded"][0] == {"patient": "P13", "reason": "missing_follow_up"}
    assert data["groups"][0]["test"]["test"] == "mann_whitney_u"


def test_table_one_rows_are_laid_out_exactly() -> None:
    # R's values rounded by hand: median (Q1, Q3) for HJHS (not normal), mean ± SD for
    # ultrasound; statistics to 3 decimals, P < 0.001 printed as "<0.001".
    assert HJHS.row is not None
    assert ULTRASOUND.row is not None
    assert HJHS.row.as_dict() == {
        "outcome": "hjhs_total",
        "baseline": "9.50 (4.25, 17.25)",
        "follow_up": "4.50 (3.00, 6.00)",
        "statistic": "-2.941",
        "p": "0.003",
    }
    assert ULTRASOUND.row.as_dict() == {
        "outcome": "ultrasound_total",
        "baseline": "11.08 ± 5.12",
        "follow_up": "8.67 ± 3.47",
        "statistic": "-4.699",
        "p": "<0.001",
    }


def test_group_change_cells_use_the_outcome_summary() -> None:
    # R: HJHS change on demand median -11 (Q1 -19.75, Q3 -6.25), prophylaxis -1 (-3, -0.75).
    assert HJHS.groups[0].change == ["-11.00 (-19.75, -6.25)", "-1.00 (-3.00, -0.75)"]


def test_exclusions_are_counted_with_reasons() -> None:
    assert HJHS.n_excluded == 4
    assert HJHS.exclusion_counts == {
        "missing_follow_up": 1,
        "missing_baseline": 1,
        "missing_both": 1,
        "ultrasound_instruments_differ": 1,
    }
    assert [(e.patient, e.reason) for e in HJHS.excluded][:2] == [
        ("P13", "missing_follow_up"),
        ("P14", "missing_baseline"),
    ]


def test_too_few_pairs_are_reported_not_tested() -> None:
    result = analyse_outcome("choklat", [PatientPair("a", 1, 2), PatientPair("b", 3, None)])
    assert (result.n, result.test, result.row) == (1, None, None)
    assert result.not_tested == "1 complete pairs; at least 3 are needed"
    assert result.as_dict()["exclusion_counts"] == {"missing_follow_up": 1}


def test_identical_changes_are_reported_not_tested() -> None:
    result = analyse_outcome("abr", [PatientPair(str(i), i, i - 1) for i in range(5)])
    assert result.not_tested == "every change is the same; the tests need changes that vary"


def test_a_factor_with_more_than_two_groups_is_not_tested() -> None:
    data = [PatientPair(str(i), 10 + i, i * i % 7, {"band": "abc"[i % 3]}) for i in range(6)]
    result = analyse_outcome("hjhs_total", data, ["band"])
    assert result.groups[0].test is None
    assert result.groups[0].not_tested == "3 groups present; the comparison needs exactly 2"


@pytest.mark.parametrize(
    ("value", "text"),
    [(-6.63249, "-6.632"), (-6.6325001, "-6.633"), (0.0, "0.000"), (12.0, "12.000")],
    ids=["rounds-down", "rounds-up", "zero", "integer"],
)
def test_statistics_print_with_three_decimals(value: float, text: str) -> None:
    assert format_statistic(value) == text


def test_adjusted_change_matches_r_lm() -> None:
    expected = R["adjusted_hjhs_total"]
    rows = [
        ModelRow(
            change=float(row[6] - row[5]),
            age_years=float(row[4]),
            severe=row[2] == "severe",
            baseline=float(row[5]),
            prophylaxis_change=row[1] == "on_demand",
        )
        for row in COHORT
    ]
    model = adjusted_change(rows)
    assert (model.n, model.dropped) == (expected["n"], [])
    close(model.r_squared, expected["r_squared"])
    close(model.adj_r_squared, expected["adj_r_squared"])
    assert [c.term for c in model.coefficients] == list(expected["terms"])
    assert json.loads(json.dumps(model.as_dict()))["coefficients"][0]["term"] == "intercept"
    for coefficient in model.coefficients:
        for key, value in expected["terms"][coefficient.term].items():
            close(getattr(coefficient, key), value)


def test_a_covariate_that_never_varies_is_dropped_and_named() -> None:
    rows = [ModelRow(-float(i % 3), 8.0 + i, True, 5.0 + i * i % 5, i < 4) for i in range(8)]
    assert adjusted_change(rows).dropped == ["severe"]


def test_collinear_covariates_are_refused() -> None:
    # baseline = 5 + (i mod 2) is exactly 6 - prophylaxis_change: no unique estimate.
    rows = [ModelRow(-float(i % 3), 8.0 + i, i < 4, 5.0 + i % 2, i % 2 == 0) for i in range(8)]
    with pytest.raises(InvalidInputError, match="are collinear in this cohort"):
        adjusted_change(rows)


def test_a_model_with_too_few_patients_is_refused() -> None:
    rows = [ModelRow(-1.0 * i, 8.0 + i, i % 2 == 0, 5.0 + i, i % 3 == 0) for i in range(5)]
    with pytest.raises(InvalidInputError, match="rows: 5 patients; the model with 4 covariates"):
        adjusted_change(rows)

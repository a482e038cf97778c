"""Statistics with SPSS conventions, checked against R 4.2.2.

Expected values: tests/fixtures/r/statistics.json, written by
tests/fixtures/r/make_fixtures.R (wilcox.test, t.test, shapiro.test,
quantile(type = 6), Levene by ANOVA of |x - group mean|). The R script says how
R's V and W map to SPSS's W and U. Formatting cases come from REFERENCE.md
section 1 (published "9 (4, 15)", "<0.001" below 0.001).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from hemojoint.domain.errors import InvalidInputError
from hemojoint.domain.statistics import (
    Descriptive,
    IndependentTResult,
    LeveneResult,
    TTestMethod,
    TTestResult,
    describe,
    format_mean_sd,
    format_median_iqr,
    format_p,
    independent_t,
    mann_whitney,
    paired_t,
    shapiro_wilk,
    wilcoxon_signed_rank,
)

FIXTURES = json.loads(
    (Path(__file__).parents[1] / "fixtures" / "r" / "statistics.json").read_text("utf-8")
)
PAIRED: dict[str, Any] = FIXTURES["paired"]
GROUPS: dict[str, Any] = FIXTURES["groups"]
EXACT_CUT: dict[str, Any] = FIXTURES["exact_cut"]


def close(expected: float) -> Any:
    """R printed 15 significant digits."""
    return pytest.approx(expected, rel=1e-9, abs=1e-12)


def assert_fields(result: object, expected: dict[str, Any], names: list[str]) -> None:
    for name in names:
        assert getattr(result, name) == close(expected[name]), name


# --- descriptive -----------------------------------------------------------------------------

DESCRIBE_CASES = {
    **{
        f"paired-{k}-{side}": v[f"describe_{side}"]
        for k, v in PAIRED.items()
        for side in ("before", "after")
    },
    **{
        f"groups-{k}-{g}": v[f"describe_{g}"]
        for k, v in GROUPS.items()
        for g in ("group1", "group2")
    },
    **{f"small-{k}": v for k, v in FIXTURES["describe_small"].items()},
}


@pytest.mark.parametrize("case", DESCRIBE_CASES.values(), ids=DESCRIBE_CASES.keys())
def test_describe_matches_r_quantile_type_6(case: dict[str, Any]) -> None:
    result = describe(case["values"])
    assert result.n == case["n"]
    assert_fields(result, case, ["mean", "sd", "median", "q1", "q3", "min", "max"])


SHAPIRO_CASES = {
    **{
        f"differences-{k}": (
            [a - b for b, a in zip(v["before"], v["after"], strict=True)],
            v["shapiro_differences"],
        )
        for k, v in PAIRED.items()
    },
    **{
        f"{k}-{g}": (v[g], v[f"shapiro_{g}"])
        for k, v in GROUPS.items()
        for g in ("group1", "group2")
    },
}


@pytest.mark.parametrize(("values", "expected"), SHAPIRO_CASES.values(), ids=SHAPIRO_CASES.keys())
def test_shapiro_wilk_matches_r(values: list[float], expected: dict[str, float]) -> None:
    result = shapiro_wilk(values)
    assert result.n == len(values)
    # scipy's swilk and R's swilk.c are both Royston (1995); agreement to 1e-6.
    assert result.w == pytest.approx(expected["w"], abs=1e-6)
    assert result.p == pytest.approx(expected["p"], abs=1e-6)


# --- paired ------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", PAIRED.values(), ids=PAIRED.keys())
def test_wilcoxon_matches_r(case: dict[str, Any]) -> None:
    expected = case["wilcoxon"]
    result = wilcoxon_signed_rank(case["before"], case["after"])
    assert_fields(result, expected, ["w", "z", "p", "rank_sum_positive", "rank_sum_negative"])
    assert (result.n_nonzero, result.n_zero, result.n_tied) == (
        expected["n_nonzero"],
        expected["n_zero"],
        expected["n_tied"],
    )
    assert result.z <= 0
    if expected["p_exact"] is None:
        assert result.p_exact is None
    else:
        assert result.p_exact == close(expected["p_exact"])


def test_wilcoxon_counts_signs_and_zeros_like_spss_ranks_table() -> None:
    # zeros case by hand: differences -3 0 -3 0 -1 1 -2 0 -4 0 -1 -3
    result = wilcoxon_signed_rank(PAIRED["zeros"]["before"], PAIRED["zeros"]["after"])
    assert (result.n_pairs, result.n_negative, result.n_positive, result.n_zero) == (12, 7, 1, 4)


@pytest.mark.parametrize(
    ("case", "reported"),
    [("n49", True), ("n50", True), ("n51", False)],
    ids=["49-pairs-exact", "50-pairs-exact", "51-pairs-asymptotic-only"],
)
def test_exact_p_only_up_to_50_pairs(case: str, reported: bool) -> None:
    data = EXACT_CUT[case]
    result = wilcoxon_signed_rank(data["before"], data["after"])
    assert result.p == close(data["wilcoxon"]["p"])
    assert result.z == close(data["wilcoxon"]["z"])
    if reported:
        assert result.p_exact == close(data["p_exact_r"])
    else:
        assert result.p_exact is None


@pytest.mark.parametrize("case", PAIRED.values(), ids=PAIRED.keys())
def test_paired_t_matches_r(case: dict[str, Any]) -> None:
    expected = case["paired_t"]
    result = paired_t(case["before"], case["after"])
    assert result.method is TTestMethod.PAIRED
    assert_fields(result, expected, ["t", "df", "p", "mean_difference"])
    assert result.ci95_low == close(expected["ci_low"])
    assert result.ci95_high == close(expected["ci_high"])


# --- two groups --------------------------------------------------------------------------------


@pytest.mark.parametrize("case", GROUPS.values(), ids=GROUPS.keys())
def test_mann_whitney_matches_r(case: dict[str, Any]) -> None:
    expected = case["mann_whitney"]
    result = mann_whitney(case["group1"], case["group2"])
    assert_fields(result, expected, ["u", "z", "p", "rank_sum_1", "rank_sum_2"])
    assert result.z <= 0
    assert result.mean_rank_1 == close(expected["rank_sum_1"] / len(case["group1"]))


@pytest.mark.parametrize("case", GROUPS.values(), ids=GROUPS.keys())
def test_independent_t_matches_r(case: dict[str, Any]) -> None:
    result = independent_t(case["group1"], case["group2"])
    for row, name in ((result.student, "student"), (result.welch, "welch")):
        assert row.method == name
        assert_fields(row, case[name], ["t", "df", "p", "mean_difference"])
        assert (row.ci95_low, row.ci95_high) == (
            close(case[name]["ci_low"]),
            close(case[name]["ci_high"]),
        )
    assert result.levene is not None
    assert_fields(result.levene, case["levene"], ["f", "df1", "df2", "p"])


@pytest.mark.parametrize(
    ("case", "method"),
    [("unequal_variance", "welch"), ("permeability", "student"), ("sleep", "student")],
    ids=["levene-p-0.0008", "levene-p-0.051", "levene-p-0.44"],
)
def test_preferred_row_follows_levene_from_r(case: str, method: str) -> None:
    data = GROUPS[case]
    assert independent_t(data["group1"], data["group2"]).preferred().method == method


def _t_row(method: TTestMethod) -> TTestResult:
    return TTestResult(method, t=1.0, df=2.0, p=0.5, mean_difference=1.0, ci95_low=0, ci95_high=2)


@pytest.mark.parametrize(
    ("levene_p", "method"),
    [(0.0499, TTestMethod.WELCH), (0.05, TTestMethod.STUDENT), (0.0501, TTestMethod.STUDENT)],
    ids=["below-0.05", "at-0.05", "above-0.05"],
)
def test_preferred_row_cut_point(levene_p: float, method: TTestMethod) -> None:
    levene = LeveneResult(f=4.0, df1=1, df2=10, p=levene_p)
    result = IndependentTResult(_t_row(TTestMethod.STUDENT), _t_row(TTestMethod.WELCH), levene)
    assert result.preferred().method is method


def test_levene_is_none_when_deviations_are_constant_and_welch_is_preferred() -> None:
    # |x - mean| is 1 for every value of both groups: Levene's F is 0/0.
    result = independent_t([1, 3], [5, 7])
    assert result.levene is None
    assert result.preferred().method is TTestMethod.WELCH


def test_as_dict_is_plain_json() -> None:
    data = GROUPS["sleep"]
    as_dict = independent_t(data["group1"], data["group2"]).as_dict()
    assert json.loads(json.dumps(as_dict)) == as_dict
    assert as_dict["welch"]["method"] == "welch"
    assert set(as_dict["levene"]) == {"f", "df1", "df2", "p"}


# --- formatting --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("p", "text"),
    [
        (0.0009999, "<0.001"),
        (0.001, "0.001"),
        (0.0011, "0.001"),
        (0.0, "<0.001"),
        (0.740, "0.740"),
        (0.04949, "0.049"),
        (1.0, "1.000"),
    ],
    ids=[
        "just-below-0.001",
        "at-0.001",
        "just-above-0.001",
        "zero",
        "paper-0.740",
        "three-decimals",
        "one",
    ],
)
def test_format_p(p: float, text: str) -> None:
    assert format_p(p) == text


@pytest.mark.parametrize("p", [-0.001, 1.001, math.nan], ids=["negative", "above-1", "nan"])
def test_format_p_refuses_non_probabilities(p: float) -> None:
    with pytest.raises(InvalidInputError, match=r"^p: .* is outside 0-1$"):
        format_p(p)


def _summary(
    median: float, q1: float, q3: float, mean: float = 0.0, sd: float = 0.0
) -> Descriptive:
    return Descriptive(n=59, mean=mean, sd=sd, median=median, q1=q1, q3=q3, min=0, max=20)


def test_format_median_iqr_as_published() -> None:
    # REFERENCE.md section 1: HJHS at baseline "9 (4, 15)"; two decimals as in the brief.
    assert format_median_iqr(_summary(9, 4, 15)) == "9.00 (4.00, 15.00)"
    assert format_median_iqr(_summary(71.505, 60.46, 76.48), decimals=1) == "71.5 (60.5, 76.5)"


def test_format_mean_sd() -> None:
    assert format_mean_sd(_summary(0, 0, 0, mean=71.51, sd=10.2)) == "71.51 ± 10.20"
    assert format_mean_sd(_summary(0, 0, 0, mean=-0.001, sd=1)) == "0.00 ± 1.00"


# --- invalid input -----------------------------------------------------------------------------


def test_paired_tests_refuse_unequal_lengths_naming_before_and_after() -> None:
    message = r"^after: 2 values but before has 3; a paired test needs one per before$"
    with pytest.raises(InvalidInputError, match=message):
        wilcoxon_signed_rank([1, 2, 3], [1, 2])
    with pytest.raises(InvalidInputError, match=message):
        paired_t([1, 2, 3], [1, 2])


def test_labels_name_the_columns_in_errors() -> None:
    with pytest.raises(InvalidInputError, match=r"^week_12: 2 values but baseline has 3"):
        paired_t([1, 2, 3], [1, 2], labels=("baseline", "week_12"))


def test_every_non_finite_value_is_reported_at_once() -> None:
    with pytest.raises(InvalidInputError) as caught:
        wilcoxon_signed_rank([1, math.nan, 3], [1, 2, math.inf])
    assert [p.field for p in caught.value.problems] == ["before[1]", "after[2]"]
    assert str(caught.value) == (
        "before[1]: nan is not a finite number; after[2]: inf is not a finite number"
    )


@pytest.mark.parametrize("value", [True, "3", None], ids=["bool", "string", "none"])
def test_non_numbers_are_refused(value: object) -> None:
    with pytest.raises(InvalidInputError, match=r"^values\[1\]: .* is not a finite number$"):
        describe([1, value, 3])  # type: ignore[list-item]


def test_a_string_is_not_a_list_of_numbers() -> None:
    with pytest.raises(InvalidInputError, match=r"^values: '123' is not a list of numbers$"):
        describe("123")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: describe([1]), r"^values: 1 values given; at least 2 values needed$"),
        (lambda: shapiro_wilk([1, 2]), r"^values: 2 values given; at least 3 values needed$"),
        (lambda: paired_t([1], [2]), r"^before: 1 values .*; after: 1 values .*2 values needed$"),
        (lambda: wilcoxon_signed_rank([], []), r"^before: 0 values given; at least 1 values"),
        (lambda: mann_whitney([], [1]), r"^group1: 0 values given; at least 1 values needed$"),
        (lambda: independent_t([1, 2], [3]), r"^group2: 1 values given; at least 2 values"),
    ],
    ids=["describe-1", "shapiro-2", "paired-t-1", "wilcoxon-0", "mann-whitney-0", "t-test-1"],
)
def test_fewer_than_the_minimum_is_refused(call: Any, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        call()


@pytest.mark.parametrize(
    ("n", "refused"),
    [(2, True), (3, False), (5000, False), (5001, True)],
    ids=["2-below-min", "3-min", "5000-max", "5001-above-max"],
)
def test_shapiro_sample_size_limits_as_r(n: int, refused: bool) -> None:
    values = [(i * 7919) % 1000 / 10 for i in range(n)]
    if refused:
        with pytest.raises(
            InvalidInputError,
            match=r"^values: \d+ values given; (at least 3|Shapiro-Wilk takes at most 5000)",
        ):
            shapiro_wilk(values)
    else:
        assert 0 < shapiro_wilk(values).w <= 1


def test_all_zero_differences_are_refused() -> None:
    with pytest.raises(InvalidInputError, match=r"^after: 3 pairs have after = before; the test"):
        wilcoxon_signed_rank([1, 2, 3], [1, 2, 3])


def test_constant_differences_are_refused_by_the_paired_t_test() -> None:
    with pytest.raises(InvalidInputError, match=r"^after: 2.0 is every after - before difference"):
        paired_t([1, 2, 3], [3, 4, 5])


def test_constant_values_are_refused_by_shapiro_wilk() -> None:
    with pytest.raises(InvalidInputError, match=r"^values: 4.0 is every value; Shapiro-Wilk"):
        shapiro_wilk([4, 4, 4])


def test_mann_whitney_refuses_identical_values() -> None:
    with pytest.raises(
        InvalidInputError, match=r"^group2: 2.0 is every value of group1 and group2"
    ):
        mann_whitney([2, 2], [2, 2, 2])


def test_independent_t_refuses_two_constant_groups() -> None:
    with pytest.raises(InvalidInputError, match=r"^group1: 1.0 is every value of group1; with"):
        independent_t([1, 1], [2, 2])

"""Two independent groups: Mann-Whitney U, Student's and Welch's t, Levene's test.

Used for the reference's prior-prophylaxis versus prior-on-demand comparison
(REFERENCE.md section 1). Mean differences are group 1 minus group 2.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from hemojoint.domain.statistics._common import (
    FloatArray,
    Result,
    TTestMethod,
    TTestResult,
    finite_values,
    refuse,
    t_test_result,
)

LABELS = ("group1", "group2")
# SPSS readers pick Welch's row when Levene's test rejects equal variances at 5 %.
LEVENE_ALPHA = 0.05


@dataclass(frozen=True)
class MannWhitneyResult(Result):
    """Mann-Whitney U test, SPSS style.

    ``u`` is the smaller of U1 and U2 (U1 = rank_sum_1 - n1(n1 + 1)/2, U2 =
    n1 n2 - U1); ``z`` its tie-corrected normal approximation without
    continuity correction (never positive); ``p`` the two-sided asymptotic P.
    """

    n1: int
    n2: int
    rank_sum_1: float
    rank_sum_2: float
    mean_rank_1: float
    mean_rank_2: float
    u: float
    z: float
    p: float


@dataclass(frozen=True)
class LeveneResult(Result):
    """Levene's test of equal variances (deviations from the group means, as SPSS)."""

    f: float
    df1: int
    df2: int
    p: float


@dataclass(frozen=True)
class IndependentTResult(Result):
    """Both rows of SPSS's independent-samples table, and Levene's test to choose."""

    student: TTestResult
    welch: TTestResult
    levene: LeveneResult | None

    def preferred(self, alpha: float = LEVENE_ALPHA) -> TTestResult:
        """Welch's row when Levene's P < ``alpha`` (or Levene is undefined), else Student's."""
        if self.levene is None or self.levene.p < alpha:
            return self.welch
        return self.student


def mann_whitney(
    group1: Sequence[float], group2: Sequence[float], *, labels: tuple[str, str] = LABELS
) -> MannWhitneyResult:
    """Mann-Whitney U test (REFERENCE.md section 1, SPSS conventions).

    All N = n1 + n2 values are ranked together (ties get their average rank).
    With U the smaller of U1 and U2 and t_j the size of each group of ties::

        z = (U - n1 n2 / 2) / sqrt(n1 n2 / 12 * ((N + 1) - sum(t_j^3 - t_j) / (N (N - 1))))

    and P = 2 * Phi(z). R's ``wilcox.test(group1, group2, exact = FALSE,
    correct = FALSE)`` reports W = U1 and the same P. Each group needs at least
    one value and the values must not all be equal.

    >>> result = mann_whitney([1, 2, 3, 4], [3, 5, 6, 7, 8])
    >>> result.u, round(result.z, 4), round(result.p, 4)
    (1.5, -2.0908, 0.0365)
    """
    x1 = finite_values(labels[0], group1, 1)
    x2 = finite_values(labels[1], group2, 1)
    ranks = stats.rankdata(np.concatenate([x1, x2]))
    n1, n2 = x1.size, x2.size
    rank_sum_1, rank_sum_2 = float(np.sum(ranks[:n1])), float(np.sum(ranks[n1:]))
    u1 = rank_sum_1 - n1 * (n1 + 1) / 2
    u = min(u1, n1 * n2 - u1)
    variance = _u_variance(n1, n2, ranks)
    if variance == 0:
        why = f"is every value of {labels[0]} and {labels[1]}; the test needs values that vary"
        raise refuse(labels[1], float(x2[0]), "values that are not all equal", why)
    z = (u - n1 * n2 / 2) / math.sqrt(variance)
    return MannWhitneyResult(
        n1=int(n1),
        n2=int(n2),
        rank_sum_1=rank_sum_1,
        rank_sum_2=rank_sum_2,
        mean_rank_1=rank_sum_1 / n1,
        mean_rank_2=rank_sum_2 / n2,
        u=float(u),
        z=float(z),
        p=float(2 * stats.norm.cdf(z)),
    )


def _u_variance(n1: int, n2: int, ranks: FloatArray) -> float:
    """Variance of U under the null hypothesis, corrected for ties."""
    total = n1 + n2
    _, ties = np.unique(ranks, return_counts=True)
    correction = float(np.sum(ties**3 - ties)) / (total * (total - 1))
    return n1 * n2 / 12 * ((total + 1) - correction)


def independent_t(
    group1: Sequence[float], group2: Sequence[float], *, labels: tuple[str, str] = LABELS
) -> IndependentTResult:
    """Student's t (pooled variance) and Welch's t for two groups, with Levene's test.

    Student: df = n1 + n2 - 2; Welch: Welch-Satterthwaite df. As R's
    ``t.test(group1, group2, var.equal = TRUE)`` and ``t.test(group1, group2)``.
    Levene (center = mean, as SPSS) is the one-way ANOVA F of |x - group mean|;
    it is ``None`` when those deviations do not vary within either group. Each
    group needs at least 2 values, and not both groups may be constant.

    >>> result = independent_t([5, 7, 6, 8], [1, 2, 4, 3, 5])
    >>> round(result.student.t, 4), result.student.df, round(result.welch.df, 4)
    (3.5642, 7.0, 6.9808)
    >>> result.preferred().method.value
    'student'
    """
    x1 = finite_values(labels[0], group1, 2)
    x2 = finite_values(labels[1], group2, 2)
    if np.ptp(x1) == 0 and np.ptp(x2) == 0:
        why = f"is every value of {labels[0]}; with {labels[1]} constant too, t is undefined"
        raise refuse(labels[0], float(x1[0]), "values that vary in at least one group", why)
    difference = float(np.mean(x1) - np.mean(x2))
    return IndependentTResult(
        student=t_test_result(TTestMethod.STUDENT, stats.ttest_ind(x1, x2), difference),
        welch=t_test_result(
            TTestMethod.WELCH, stats.ttest_ind(x1, x2, equal_var=False), difference
        ),
        levene=_levene(x1, x2),
    )


def _levene(x1: FloatArray, x2: FloatArray) -> LeveneResult | None:
    deviations = [np.abs(x - np.mean(x)) for x in (x1, x2)]
    if all(np.ptp(d) == 0 for d in deviations):
        return None
    result = stats.levene(x1, x2, center="mean")
    df2 = x1.size + x2.size - 2
    return LeveneResult(f=float(result.statistic), df1=1, df2=int(df2), p=float(result.pvalue))

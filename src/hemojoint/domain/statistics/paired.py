"""Before/after comparisons: Wilcoxon signed-rank and the paired t-test.

Differences are ``after - before`` (the change), as SPSS computes them when the
pair is entered as (before, after).
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
    paired_values,
    refuse,
    t_test_result,
)

# Exact P is computed only for up to this many nonzero differences (SPSS and R use
# the normal approximation beyond 50; R's wilcox.test has the same cut).
EXACT_MAX_N = 50
LABELS = ("before", "after")


@dataclass(frozen=True)
class WilcoxonResult(Result):
    """Wilcoxon signed-rank test, SPSS style.

    ``w`` is the smaller of the two rank sums; ``z`` is its normal
    approximation (tie-corrected, no continuity correction), so never positive;
    ``p`` is the two-sided asymptotic P; ``p_exact`` is the exact two-sided P,
    or ``None`` when there are ties, zero differences or more than 50 pairs.
    ``n_zero`` is SPSS's "Ties" row (after = before, dropped before ranking);
    ``n_tied`` counts nonzero differences whose absolute value shares a rank.
    """

    n_pairs: int
    n_nonzero: int
    n_zero: int
    n_tied: int
    n_positive: int
    n_negative: int
    rank_sum_positive: float
    rank_sum_negative: float
    w: float
    z: float
    p: float
    p_exact: float | None


def wilcoxon_signed_rank(
    before: Sequence[float], after: Sequence[float], *, labels: tuple[str, str] = LABELS
) -> WilcoxonResult:
    """Wilcoxon signed-rank test of ``after - before`` (REFERENCE.md section 1, SPSS).

    Zero differences are dropped; the absolute values of the n remaining
    differences are ranked (ties get their average rank). With W the smaller
    rank sum and t_j the size of each group of tied ranks::

        z = (W - n(n + 1)/4) / sqrt(n(n + 1)(2n + 1)/24 - sum(t_j^3 - t_j)/48)

    and P = 2 * Phi(z). This is R's ``wilcox.test(after, before, paired = TRUE,
    exact = FALSE, correct = FALSE)``, whose statistic V is ``rank_sum_positive``.
    ``labels`` name the two samples in error messages.

    >>> result = wilcoxon_signed_rank([12, 9, 15, 4, 7], [5, 2, 6, 1, 8])
    >>> result.w, round(result.z, 4), round(result.p, 4), result.p_exact
    (1.0, -1.7609, 0.0782, None)
    >>> wilcoxon_signed_rank([1, 2], [1, 2])
    Traceback (most recent call last):
    ...
    hemojoint.domain.errors.InvalidInputError: after: 2 pairs have after = before; \
the test needs a nonzero difference
    """
    b, a = paired_values(before, after, 1, labels)
    nonzero = _nonzero_differences(b, a, labels)
    ranks = stats.rankdata(np.abs(nonzero))
    positive = float(np.sum(ranks[nonzero > 0]))
    negative = float(np.sum(ranks[nonzero < 0]))
    n_tied = _tied_count(ranks)
    w = min(positive, negative)
    z = _signed_rank_z(w, ranks)
    return WilcoxonResult(
        n_pairs=int(b.size),
        n_nonzero=int(nonzero.size),
        n_zero=int(b.size - nonzero.size),
        n_tied=n_tied,
        n_positive=int(np.sum(nonzero > 0)),
        n_negative=int(np.sum(nonzero < 0)),
        rank_sum_positive=positive,
        rank_sum_negative=negative,
        w=w,
        z=z,
        p=float(2 * stats.norm.cdf(z)),
        p_exact=_exact_p(nonzero, b.size, n_tied),
    )


def _nonzero_differences(b: FloatArray, a: FloatArray, labels: tuple[str, str]) -> FloatArray:
    """``a - b`` without the zeros, which the signed-rank test drops."""
    differences = a - b
    nonzero: FloatArray = differences[differences != 0]
    if nonzero.size == 0:
        why = f"pairs have {labels[1]} = {labels[0]}; the test needs a nonzero difference"
        raise refuse(labels[1], b.size, "at least one nonzero difference", why)
    return nonzero


def _exact_p(nonzero: FloatArray, n_pairs: int, n_tied: int) -> float | None:
    """Exact two-sided P from the signed-rank distribution: no ties, no zeros, n <= 50."""
    if n_tied or nonzero.size != n_pairs or nonzero.size > EXACT_MAX_N:
        return None
    return float(stats.wilcoxon(nonzero, method="exact").pvalue)


def _tied_count(ranks: FloatArray) -> int:
    """How many values share their rank with another value."""
    _, counts = np.unique(ranks, return_counts=True)
    return int(np.sum(counts[counts > 1]))


def _signed_rank_z(w: float, ranks: FloatArray) -> float:
    """Normal approximation of the smaller rank sum, tie-corrected, no continuity correction."""
    n = ranks.size
    _, ties = np.unique(ranks, return_counts=True)
    variance = n * (n + 1) * (2 * n + 1) / 24 - float(np.sum(ties**3 - ties)) / 48
    return (w - n * (n + 1) / 4) / math.sqrt(variance)


def paired_t(
    before: Sequence[float], after: Sequence[float], *, labels: tuple[str, str] = LABELS
) -> TTestResult:
    """Paired t-test of ``after - before``: t, df = n - 1, two-sided P, mean change, 95 % CI.

    t = mean(d) / (sd(d) / sqrt(n)) with d = after - before; R's
    ``t.test(after, before, paired = TRUE)``. Needs at least 2 pairs whose
    differences are not all equal.

    >>> result = paired_t([10, 12, 9, 14], [8, 9, 9, 10])
    >>> result.mean_difference, round(result.t, 4), result.df, round(result.p, 4)
    (-2.25, -2.6349, 3.0, 0.078)
    """
    b, a = paired_values(before, after, 2, labels)
    differences = a - b
    if np.ptp(differences) == 0:
        why = f"is every {labels[1]} - {labels[0]} difference; the paired t-test needs them to vary"
        raise refuse(labels[1], float(differences[0]), "differences that vary", why)
    result = stats.ttest_rel(a, b)
    return t_test_result(TTestMethod.PAIRED, result, float(np.mean(differences)))

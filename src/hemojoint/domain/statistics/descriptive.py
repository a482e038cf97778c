"""Descriptive statistics and the Shapiro-Wilk normality test.

Quartiles follow SPSS (REFERENCE.md section 1): the weighted average at
position (n + 1)p, which is numpy's ``method="weibull"`` and R's
``quantile(type = 6)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from hemojoint.domain.statistics._common import Result, finite_values, refuse

# R's shapiro.test accepts 3 to 5000 values; scipy warns that P is unreliable above 5000.
SHAPIRO_MIN_N = 3
SHAPIRO_MAX_N = 5000


@dataclass(frozen=True)
class Descriptive(Result):
    """Summary of one sample: ``sd`` is the sample SD (divisor n - 1)."""

    n: int
    mean: float
    sd: float
    median: float
    q1: float
    q3: float
    min: float
    max: float


@dataclass(frozen=True)
class ShapiroResult(Result):
    """Shapiro-Wilk W and its P (small P: the values are unlikely to be normal)."""

    n: int
    w: float
    p: float


def describe(values: Sequence[float], *, field: str = "values") -> Descriptive:
    """n, mean, sample SD, median, quartiles (SPSS weighted average at (n + 1)p), min, max.

    Needs at least 2 finite values (the SD needs two). ``field`` names the
    values in error messages.

    Q1 is at position (n + 1) / 4 of the sorted values and Q3 at 3(n + 1) / 4,
    interpolating linearly between neighbours and clamped to min and max.

    >>> d = describe([2, 4, 4, 5, 7, 9, 10])
    >>> d.median, d.q1, d.q3, round(d.sd, 4)
    (5.0, 4.0, 9.0, 2.9114)
    >>> describe([1])
    Traceback (most recent call last):
    ...
    hemojoint.domain.errors.InvalidInputError: values: 1 values given; at least 2 values needed
    """
    x = finite_values(field, values, 2)
    q1, median, q3 = np.percentile(x, [25, 50, 75], method="weibull")
    return Descriptive(
        n=int(x.size),
        mean=float(np.mean(x)),
        sd=float(np.std(x, ddof=1)),
        median=float(median),
        q1=float(q1),
        q3=float(q3),
        min=float(np.min(x)),
        max=float(np.max(x)),
    )


def shapiro_wilk(values: Sequence[float], *, field: str = "values") -> ShapiroResult:
    """Shapiro-Wilk normality test (Royston's algorithm, as R's ``shapiro.test``).

    Needs 3 to 5000 finite values that are not all equal.

    >>> result = shapiro_wilk([2.1, 3.4, 1.9, 5.6, 4.4, 3.3, 2.8])
    >>> round(result.w, 4), round(result.p, 4)
    (0.9401, 0.64)
    >>> shapiro_wilk([1, 2])
    Traceback (most recent call last):
    ...
    hemojoint.domain.errors.InvalidInputError: values: 2 values given; at least 3 values needed
    """
    x = finite_values(field, values, SHAPIRO_MIN_N)
    if x.size > SHAPIRO_MAX_N:
        allowed = f"at most {SHAPIRO_MAX_N} values"
        raise refuse(field, x.size, allowed, f"values given; Shapiro-Wilk takes {allowed}")
    if np.ptp(x) == 0:
        why = "is every value; Shapiro-Wilk needs values that vary"
        raise refuse(field, float(x[0]), "values that are not all equal", why)
    result = stats.shapiro(x)
    return ShapiroResult(n=int(x.size), w=float(result.statistic), p=float(result.pvalue))

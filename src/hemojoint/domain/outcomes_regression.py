"""Adjusted analysis of change: ordinary least squares with statsmodels.

change = b0 + b1 age_years + b2 severe + b3 baseline + b4 prophylaxis_change, as R's
``lm(change ~ age_years + severe + baseline + prophylaxis_change)``. ``severe`` is 1
for severe hemophilia; ``prophylaxis_change`` is 1 for a patient who was on demand
before the programme and started prophylaxis with it. A covariate that does not
vary in the cohort cannot be estimated: it is left out and named in ``dropped``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import statsmodels.api as sm  # type: ignore[import-untyped]

from hemojoint.domain.statistics._common import Result, refuse

COVARIATES = ("age_years", "severe", "baseline", "prophylaxis_change")


@dataclass(frozen=True)
class ModelRow:
    """One patient: the change (follow-up - baseline) and the covariates."""

    change: float
    age_years: float
    severe: bool
    baseline: float
    prophylaxis_change: bool


@dataclass(frozen=True)
class Coefficient(Result):
    term: str
    estimate: float
    se: float
    t: float
    p: float
    ci95_low: float
    ci95_high: float


@dataclass(frozen=True)
class AdjustedModel(Result):
    model: str
    n: int
    dropped: list[str]
    r_squared: float
    adj_r_squared: float
    coefficients: list[Coefficient]

    def as_dict(self) -> dict[str, Any]:
        # Result.as_dict leaves lists as they are: turn the coefficients into dicts too.
        return super().as_dict() | {"coefficients": [c.as_dict() for c in self.coefficients]}


def adjusted_change(rows: Sequence[ModelRow]) -> AdjustedModel:
    """OLS of change on the covariates that vary; needs more patients than terms + 1.

    >>> rows = [ModelRow(c, a, s, b, p) for c, a, s, b, p in [
    ...     (-3, 8, True, 10, True), (-1, 12, False, 6, False), (-4, 9, True, 12, True),
    ...     (0, 14, False, 4, False), (-2, 10, True, 8, False), (-5, 7, True, 14, True),
    ...     (-1, 13, False, 5, True)]]
    >>> model = adjusted_change(rows)
    >>> model.n, model.dropped, [c.term for c in model.coefficients][:2]
    (7, [], ['intercept', 'age_years'])
    """
    columns = {name: [float(getattr(row, name)) for row in rows] for name in COVARIATES}
    kept = [name for name in COVARIATES if np.ptp(columns[name]) > 0]
    needed = len(kept) + 2  # intercept + one residual degree of freedom
    if len(rows) < needed:
        why = f"patients; the model with {len(kept)} covariates needs at least {needed}"
        raise refuse("rows", len(rows), f"at least {needed} patients", why)
    design = sm.add_constant(np.column_stack([columns[name] for name in kept]), has_constant="add")
    if np.linalg.matrix_rank(design) < design.shape[1]:
        why = "are collinear in this cohort; the model cannot separate their effects"
        raise refuse("rows", ", ".join(kept), "covariates that are not collinear", why)
    fit = sm.OLS(np.array([row.change for row in rows], dtype=float), design).fit()
    intervals = fit.conf_int(alpha=0.05)
    terms = ["intercept", *kept]
    return AdjustedModel(
        model="ols",
        n=len(rows),
        dropped=[name for name in COVARIATES if name not in kept],
        r_squared=float(fit.rsquared),
        adj_r_squared=float(fit.rsquared_adj),
        coefficients=[
            Coefficient(
                term=term,
                estimate=float(fit.params[i]),
                se=float(fit.bse[i]),
                t=float(fit.tvalues[i]),
                p=float(fit.pvalues[i]),
                ci95_low=float(intervals[i][0]),
                ci95_high=float(intervals[i][1]),
            )
            for i, term in enumerate(terms)
        ],
    )

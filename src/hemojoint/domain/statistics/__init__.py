"""Statistics with SPSS conventions (REFERENCE.md section 1), as typed frozen results.

- :func:`describe`: n, mean, SD, median and quartiles by the weighted average at (n + 1)p.
- :func:`shapiro_wilk`: normality of a sample (e.g. of paired differences).
- :func:`wilcoxon_signed_rank`, :func:`paired_t`: before/after.
- :func:`mann_whitney`, :func:`independent_t`: two independent groups.
- :func:`format_p`, :func:`format_median_iqr`, :func:`format_mean_sd`: table cells.

Every function checks its input and raises ``InvalidInputError`` naming the sample
(``before``, ``after``, ``group1``... or the labels the caller passes), the value and
what is allowed. Values were checked against R 4.2.2 (``tests/fixtures/r``).
"""

from __future__ import annotations

from hemojoint.domain.statistics._common import TTestMethod, TTestResult
from hemojoint.domain.statistics.descriptive import (
    Descriptive,
    ShapiroResult,
    describe,
    shapiro_wilk,
)
from hemojoint.domain.statistics.formatting import format_mean_sd, format_median_iqr, format_p
from hemojoint.domain.statistics.groups import (
    IndependentTResult,
    LeveneResult,
    MannWhitneyResult,
    independent_t,
    mann_whitney,
)
from hemojoint.domain.statistics.paired import WilcoxonResult, paired_t, wilcoxon_signed_rank

__all__ = [
    "Descriptive",
    "IndependentTResult",
    "LeveneResult",
    "MannWhitneyResult",
    "ShapiroResult",
    "TTestMethod",
    "TTestResult",
    "WilcoxonResult",
    "describe",
    "format_mean_sd",
    "format_median_iqr",
    "format_p",
    "independent_t",
    "mann_whitney",
    "paired_t",
    "shapiro_wilk",
    "wilcoxon_signed_rank",
]

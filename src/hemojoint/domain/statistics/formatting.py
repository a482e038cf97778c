"""How results are printed in tables (REFERENCE.md section 1: median (Q1, Q3), mean ± SD)."""

from __future__ import annotations

import math

from hemojoint.domain.statistics._common import refuse
from hemojoint.domain.statistics.descriptive import Descriptive

P_FLOOR = 0.001


def format_p(p: float) -> str:
    """A P value as journals print it: ``"<0.001"`` below 0.001, else 3 decimals.

    >>> format_p(0.0009999), format_p(0.001), format_p(0.0374)
    ('<0.001', '0.001', '0.037')
    >>> format_p(1.5)
    Traceback (most recent call last):
    ...
    hemojoint.domain.errors.InvalidInputError: p: 1.5 is outside 0-1
    """
    if isinstance(p, bool) or not isinstance(p, int | float) or not 0 <= p <= 1:
        raise refuse("p", p, "0-1", "is outside 0-1")
    return "<0.001" if p < P_FLOOR else f"{p:.3f}"


def format_median_iqr(summary: Descriptive, decimals: int = 2) -> str:
    """``"median (Q1, Q3)"``, e.g. ``"9.00 (4.00, 15.00)"``.

    >>> from hemojoint.domain.statistics.descriptive import describe
    >>> format_median_iqr(describe([2, 4, 4, 5, 7, 9, 10]))
    '5.00 (4.00, 9.00)'
    """
    median, q1, q3 = (_fixed(v, decimals) for v in (summary.median, summary.q1, summary.q3))
    return f"{median} ({q1}, {q3})"


def format_mean_sd(summary: Descriptive, decimals: int = 2) -> str:
    """``"mean ± SD"``, e.g. ``"71.51 ± 10.20"``.

    >>> from hemojoint.domain.statistics.descriptive import describe
    >>> format_mean_sd(describe([1, 2, 3, 4]))
    '2.50 ± 1.29'
    """
    return f"{_fixed(summary.mean, decimals)} ± {_fixed(summary.sd, decimals)}"


def _fixed(value: float, decimals: int) -> str:
    # "-0.00" would read as a negative value that rounds to zero: print "0.00".
    text = f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 and math.isfinite(value) else text

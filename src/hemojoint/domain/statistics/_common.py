"""Input checks and result plumbing shared by the statistics modules."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, is_dataclass
from enum import StrEnum
from numbers import Real
from typing import Any

import numpy as np
import numpy.typing as npt

from hemojoint.domain.errors import FieldProblem, InvalidInputError

FloatArray = npt.NDArray[np.float64]


class Result:
    """Mixin for frozen result dataclasses: ``as_dict()`` gives plain JSON types."""

    def as_dict(self) -> dict[str, Any]:
        return {f.name: plain(getattr(self, f.name)) for f in fields(self)}  # type: ignore[arg-type]


def plain(value: object) -> Any:
    """Nested results to dicts, enums to their codes, numpy scalars to Python numbers."""
    if is_dataclass(value) and isinstance(value, Result):
        return value.as_dict()
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, np.generic):
        return value.item()
    return value


def number_problems(field: str, values: object, minimum: int) -> list[FieldProblem]:
    """Every problem with ``values``: not a list of finite numbers, or fewer than ``minimum``."""
    if isinstance(values, str | bytes) or not hasattr(values, "__len__"):
        return [FieldProblem.wrong_type(field, values, "a list of numbers")]
    items = list(values)  # type: ignore[call-overload]
    problems = [
        FieldProblem.wrong_type(f"{field}[{index}]", value, "a finite number")
        for index, value in enumerate(items)
        if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value)
    ]
    if len(items) < minimum:
        allowed = f"at least {minimum} values"
        problems.append(
            FieldProblem.invalid(field, len(items), allowed, f"values given; {allowed} needed")
        )
    return problems


def finite_values(field: str, values: object, minimum: int) -> FloatArray:
    """Return ``values`` as a float array, or raise naming every bad value at once.

    >>> finite_values("values", [1, 2.5], 2)
    array([1. , 2.5])
    >>> finite_values("values", [1, float("nan")], 3)
    Traceback (most recent call last):
    ...
    hemojoint.domain.errors.InvalidInputError: values[1]: nan is not a finite number; \
values: 2 values given; at least 3 values needed
    """
    problems = number_problems(field, values, minimum)
    if problems:
        raise InvalidInputError(problems)
    return np.asarray(values, dtype=np.float64)


def paired_values(
    before: object, after: object, minimum: int, labels: tuple[str, str]
) -> tuple[FloatArray, FloatArray]:
    """Both samples as arrays of equal length (one ``after`` per ``before``)."""
    problems = number_problems(labels[0], before, minimum)
    problems += number_problems(labels[1], after, minimum)
    if not problems and len(before) != len(after):  # type: ignore[arg-type]
        count, expected = len(after), len(before)  # type: ignore[arg-type]
        why = f"values but {labels[0]} has {expected}; a paired test needs one per {labels[0]}"
        problems.append(FieldProblem.invalid(labels[1], count, f"{expected} values", why))
    if problems:
        raise InvalidInputError(problems)
    return np.asarray(before, dtype=np.float64), np.asarray(after, dtype=np.float64)


def refuse(field: str, value: object, allowed: str, why: str) -> InvalidInputError:
    """One-problem error for a rule beyond type and count (``raise refuse(...)``)."""
    return InvalidInputError.single(FieldProblem.invalid(field, value, allowed, why))


class TTestMethod(StrEnum):
    """Which t-test produced a :class:`TTestResult`."""

    PAIRED = "paired"
    STUDENT = "student"  # independent groups, pooled (equal) variances
    WELCH = "welch"  # independent groups, Welch-Satterthwaite df


@dataclass(frozen=True)
class TTestResult(Result):
    """t, degrees of freedom, two-sided P, the mean difference and its 95 % CI."""

    method: TTestMethod
    t: float
    df: float
    p: float
    mean_difference: float
    ci95_low: float
    ci95_high: float


def t_test_result(method: TTestMethod, result: Any, mean_difference: float) -> TTestResult:
    """Wrap a scipy ``ttest_rel``/``ttest_ind`` result (its CI is for the same difference)."""
    interval = result.confidence_interval(confidence_level=0.95)
    return TTestResult(
        method=method,
        t=float(result.statistic),
        df=float(result.df),
        p=float(result.pvalue),
        mean_difference=mean_difference,
        ci95_low=float(interval.low),
        ci95_high=float(interval.high),
    )

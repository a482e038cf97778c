"""One outcome of a before/after study, analysed as the published study did in SPSS.

From one (baseline, follow-up) pair per patient and the patient's group labels:

- exclusions with reasons (a missing value at either timepoint, or a reason the
  caller already found, e.g. two ultrasound instruments that cannot be compared);
- normality: Shapiro-Wilk of the differences (follow-up - baseline), normal when
  P >= 0.05 (REFERENCE.md section 1);
- descriptive statistics chosen by it: mean ± SD when normal, else median (Q1, Q3);
- the paired test chosen by it: paired t (t) or Wilcoxon signed-rank (Z);
- the change compared between the two groups of each factor (e.g. prior
  prophylaxis versus on-demand) with the independent test of the same family:
  Student's/Welch's t (by Levene) or Mann-Whitney U (Z);
- a Table-1 row: ``"9.00 (4.00, 15.00)"``, ``"-6.632"``, ``"<0.001"``.

The statistics themselves come from :mod:`hemojoint.domain.statistics`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np

from hemojoint.domain.statistics import (
    Descriptive,
    ShapiroResult,
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
from hemojoint.domain.statistics._common import Result

NORMAL_ALPHA = 0.05  # REFERENCE.md section 1: Shapiro-Wilk P >= 0.05 -> treated as normal
MIN_PAIRS = 3  # Shapiro-Wilk needs 3 values; fewer pairs are reported, not tested
STATISTIC_DECIMALS = 3


class Exclusion(StrEnum):
    """Why a patient's pair is not in the analysis (stable codes)."""

    MISSING_BASELINE = "missing_baseline"
    MISSING_FOLLOW_UP = "missing_follow_up"
    MISSING_BOTH = "missing_both"


@dataclass(frozen=True)
class PatientPair:
    """One patient's values at the two timepoints, and the groups the patient belongs to.

    ``excluded`` is a reason found by the caller (e.g. ``"ultrasound_instruments_differ"``);
    a pair with a reason is excluded whatever its values.
    """

    patient: str
    baseline: float | None
    follow_up: float | None
    groups: Mapping[str, str] = field(default_factory=dict)
    excluded: str | None = None


@dataclass(frozen=True)
class ExcludedPatient(Result):
    patient: str
    reason: str


@dataclass(frozen=True)
class StatTest(Result):
    """Which test ran, its statistic (``t`` or ``z``) and its two-sided P."""

    test: str  # paired_t, wilcoxon_signed_rank, independent_t_student/_welch, mann_whitney_u
    statistic_name: str  # "t" or "z"
    statistic: float
    p: float
    df: float | None = None
    u: float | None = None


@dataclass(frozen=True)
class GroupComparison(Result):
    """The change in two groups of one factor, and the independent test between them.

    ``groups`` are the two labels in sorted order; ``test`` is ``None`` with
    ``not_tested`` saying why when the factor does not split into two testable groups.
    """

    factor: str
    groups: list[str]
    n: list[int]
    change: list[str]
    test: StatTest | None
    not_tested: str | None


@dataclass(frozen=True)
class TableRow(Result):
    """A journal Table-1 row: outcome, baseline, follow-up, statistic, P."""

    outcome: str
    baseline: str
    follow_up: str
    statistic: str
    p: str


@dataclass(frozen=True)
class OutcomeAnalysis(Result):
    outcome: str
    n: int
    n_excluded: int
    excluded: list[ExcludedPatient]
    exclusion_counts: dict[str, int]
    normality: ShapiroResult | None
    normal: bool | None
    summary: str | None  # "mean_sd" or "median_iqr"
    baseline: Descriptive | None
    follow_up: Descriptive | None
    change: Descriptive | None
    test: StatTest | None
    not_tested: str | None
    row: TableRow | None
    groups: list[GroupComparison]

    def as_dict(self) -> dict[str, Any]:
        # Result.as_dict leaves lists as they are: turn the listed results into dicts too.
        data = super().as_dict()
        data["excluded"] = [item.as_dict() for item in self.excluded]
        data["groups"] = [item.as_dict() for item in self.groups]
        return data


def analyse_outcome(
    outcome: str, pairs: Sequence[PatientPair], factors: Sequence[str] = ()
) -> OutcomeAnalysis:
    """Analyse one outcome (see the module docstring); ``factors`` name the group labels.

    >>> pairs = [PatientPair(str(i), b, a) for i, (b, a) in enumerate(
    ...     [(10, 4), (12, 9), (9, 8), (15, 6), (7, 7), (11, 3), (14, 10), (None, 2)])]
    >>> result = analyse_outcome("hjhs_total", pairs)
    >>> result.n, result.exclusion_counts, result.test.test
    (7, {'missing_baseline': 1}, 'paired_t')
    >>> result.row.as_dict()
    {'outcome': 'hjhs_total', 'baseline': '11.14 ± 2.79', 'follow_up': '6.71 ± 2.56', \
'statistic': '-3.437', 'p': '0.014'}
    """
    included, excluded = _split(pairs)
    counts = dict(Counter(item.reason for item in excluded))
    base: dict[str, Any] = {"outcome": outcome, "n": len(included), "n_excluded": len(excluded)}
    base |= {"excluded": excluded, "exclusion_counts": counts}
    before = [float(p.baseline) for p in included if p.baseline is not None]
    after = [float(p.follow_up) for p in included if p.follow_up is not None]
    why_not = _why_not_tested(before, after)
    if why_not is not None:
        return _untested(base, why_not)
    changes = [a - b for b, a in zip(before, after, strict=True)]
    normality = shapiro_wilk(changes, field=f"{outcome}.change")
    normal = normality.p >= NORMAL_ALPHA
    summaries = [describe(v, field=outcome) for v in (before, after, changes)]
    test = _paired_test(before, after, normal)
    return OutcomeAnalysis(
        **base,
        normality=normality,
        normal=normal,
        summary="mean_sd" if normal else "median_iqr",
        baseline=summaries[0],
        follow_up=summaries[1],
        change=summaries[2],
        test=test,
        not_tested=None,
        row=_row(outcome, summaries[0], summaries[1], test, normal),
        groups=[_compare(factor, included, normal) for factor in factors],
    )


def _split(pairs: Sequence[PatientPair]) -> tuple[list[PatientPair], list[ExcludedPatient]]:
    included: list[PatientPair] = []
    excluded: list[ExcludedPatient] = []
    for pair in pairs:
        reason = pair.excluded or _missing_reason(pair)
        if reason is None:
            included.append(pair)
        else:
            excluded.append(ExcludedPatient(patient=pair.patient, reason=reason))
    return included, excluded


def _missing_reason(pair: PatientPair) -> str | None:
    if pair.baseline is None and pair.follow_up is None:
        return Exclusion.MISSING_BOTH.value
    if pair.baseline is None:
        return Exclusion.MISSING_BASELINE.value
    if pair.follow_up is None:
        return Exclusion.MISSING_FOLLOW_UP.value
    return None


def _why_not_tested(before: list[float], after: list[float]) -> str | None:
    if len(before) < MIN_PAIRS:
        return f"{len(before)} complete pairs; at least {MIN_PAIRS} are needed"
    if np.ptp(np.subtract(after, before)) == 0:
        return "every change is the same; the tests need changes that vary"
    return None


def _untested(base: dict[str, Any], why: str) -> OutcomeAnalysis:
    return OutcomeAnalysis(
        **base,
        normality=None,
        normal=None,
        summary=None,
        baseline=None,
        follow_up=None,
        change=None,
        test=None,
        not_tested=why,
        row=None,
        groups=[],
    )


def _paired_test(before: list[float], after: list[float], normal: bool) -> StatTest:
    if normal:
        t = paired_t(before, after)
        return StatTest(test="paired_t", statistic_name="t", statistic=t.t, p=t.p, df=t.df)
    w = wilcoxon_signed_rank(before, after)
    return StatTest(test="wilcoxon_signed_rank", statistic_name="z", statistic=w.z, p=w.p)


def format_statistic(value: float) -> str:
    """A test statistic as Table 1 prints it: 3 decimals, e.g. ``"-6.632"``.

    >>> format_statistic(-6.63249), format_statistic(2.0)
    ('-6.632', '2.000')
    """
    return f"{value:.{STATISTIC_DECIMALS}f}"


def _row(
    outcome: str, before: Descriptive, after: Descriptive, test: StatTest, normal: bool
) -> TableRow:
    cell = format_mean_sd if normal else format_median_iqr
    return TableRow(
        outcome=outcome,
        baseline=cell(before),
        follow_up=cell(after),
        statistic=format_statistic(test.statistic),
        p=format_p(test.p),
    )


def _compare(factor: str, included: list[PatientPair], normal: bool) -> GroupComparison:
    """Change (follow-up - baseline) between the two groups of ``factor``."""
    changes: dict[str, list[float]] = {}
    for pair in included:
        label = pair.groups.get(factor)
        if label is not None and pair.baseline is not None and pair.follow_up is not None:
            changes.setdefault(label, []).append(float(pair.follow_up) - float(pair.baseline))
    labels = sorted(changes)
    values = [changes[label] for label in labels]
    cell = format_mean_sd if normal else format_median_iqr
    shown = [cell(describe(v)) if len(v) >= 2 else "" for v in values]
    why = _why_groups_not_tested(labels, values)
    test = None if why else _group_test(values[0], values[1], labels, normal)
    return GroupComparison(
        factor=factor,
        groups=labels,
        n=[len(v) for v in values],
        change=shown,
        test=test,
        not_tested=why,
    )


def _why_groups_not_tested(labels: list[str], values: list[list[float]]) -> str | None:
    if len(labels) != 2:
        return f"{len(labels)} groups present; the comparison needs exactly 2"
    if min(len(v) for v in values) < 2:
        return "a group has fewer than 2 patients"
    if np.ptp(values[0] + values[1]) == 0:
        return "every change is the same; the tests need changes that vary"
    return None


def _group_test(
    group1: list[float], group2: list[float], labels: list[str], normal: bool
) -> StatTest:
    names = (labels[0], labels[1])
    if normal:
        row = independent_t(group1, group2, labels=names).preferred()
        name = f"independent_t_{row.method.value}"
        return StatTest(test=name, statistic_name="t", statistic=row.t, p=row.p, df=row.df)
    u = mann_whitney(group1, group2, labels=names)
    return StatTest(test="mann_whitney_u", statistic_name="z", statistic=u.z, p=u.p, u=u.u)


# --- age band (a grouping factor of the change) -------------------------------------------------

# OUR reporting convention, not a clinical number: REFERENCE.md gives no outcome age bands.
# The split follows the study's CHO-KLAT respondents (REFERENCE.md section 3): parents
# answered for children under 12, children answered themselves from 12. Two bands, because
# the group comparison is a two-group test.
AGE_BAND_SPLIT_YEARS = 12
AGE_BAND_YOUNGER = "under_12"
AGE_BAND_OLDER = "12_and_over"


def age_band(age_years: int) -> str:
    """The age band of completed years at enrolment: ``under_12`` or ``12_and_over``.

    >>> age_band(11), age_band(12), age_band(13)
    ('under_12', '12_and_over', '12_and_over')
    """
    return AGE_BAND_YOUNGER if age_years < AGE_BAND_SPLIT_YEARS else AGE_BAND_OLDER

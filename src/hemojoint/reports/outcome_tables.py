"""The group comparisons and the adjusted model of the outcome report, laid out like the JSON.

One group table per tested outcome: a row per factor (prior regimen, severity,
hemophilia type, age band) with each group's n and change exactly as the JSON's
``groups`` entry formats it, the independent test, its statistic and P. One
adjusted-model table per outcome with a model: a row per coefficient (estimate,
SE, t, P, 95 % CI), the n, R² and the covariates dropped. Numbers are formatted
with the Table-1 rules (3 decimals for statistics, ``format_p`` for P).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from hemojoint.domain.outcomes import format_statistic
from hemojoint.domain.statistics import format_p

NONE = "\u2013"  # an en dash in an empty cell
FACTOR_LABELS = {
    "prior_regimen": "Prior regimen",
    "severity": "Severity",
    "hemophilia_type": "Hemophilia type",
    "age_band": "Age band",
}
TEST_LABELS = {
    "independent_t_student": "Student's t",
    "independent_t_welch": "Welch's t",
    "mann_whitney_u": "Mann-Whitney U",
}
TERM_LABELS = {
    "intercept": "Intercept",
    "age_years": "Age (years)",
    "severe": "Severe hemophilia",
    "baseline": "Baseline score",
    "prophylaxis_change": "Started prophylaxis (prior on demand)",
}


@dataclass(frozen=True)
class GroupRowView:
    factor: str
    group_1: str  # "on_demand (n = 3)"
    change_1: str
    group_2: str
    change_2: str
    test: str
    statistic: str
    p: str
    note: str | None  # why the factor was not tested


@dataclass(frozen=True)
class CoefficientView:
    term: str
    estimate: str
    se: str
    t: str
    p: str
    ci95: str


@dataclass(frozen=True)
class AdjustedView:
    n: int
    r_squared: str
    adj_r_squared: str
    dropped: str
    coefficients: list[CoefficientView]


@dataclass(frozen=True)
class OutcomeTablesView:
    outcome: str  # the display label
    groups: list[GroupRowView]
    adjusted: AdjustedView | None
    adjusted_not_run: str | None


def group_rows(groups: Sequence[Mapping[str, Any]]) -> list[GroupRowView]:
    return [_group_row(group) for group in groups]


def _group_row(group: Mapping[str, Any]) -> GroupRowView:
    names = [f"{label} (n = {n})" for label, n in zip(group["groups"], group["n"], strict=True)]
    changes = [change or NONE for change in group["change"]]
    factor = FACTOR_LABELS.get(group["factor"], group["factor"])
    test = group.get("test")
    if len(names) != 2:  # not two groups: list what there is, untested
        present = "; ".join(f"{n}: {c}" for n, c in zip(names, changes, strict=True)) or NONE
        return GroupRowView(
            factor, present, NONE, NONE, NONE, NONE, NONE, NONE, group["not_tested"]
        )
    if test is None:
        return GroupRowView(
            factor,
            names[0],
            changes[0],
            names[1],
            changes[1],
            NONE,
            NONE,
            NONE,
            group["not_tested"],
        )
    name = "t" if test["statistic_name"] == "t" else "Z"
    return GroupRowView(
        factor,
        names[0],
        changes[0],
        names[1],
        changes[1],
        TEST_LABELS.get(test["test"], test["test"]),
        f"{name} = {format_statistic(test['statistic'])}",
        format_p(test["p"]),
        None,
    )


def adjusted_view(model: Mapping[str, Any]) -> AdjustedView:
    return AdjustedView(
        n=model["n"],
        r_squared=format_statistic(model["r_squared"]),
        adj_r_squared=format_statistic(model["adj_r_squared"]),
        dropped=", ".join(TERM_LABELS.get(term, term) for term in model["dropped"]) or NONE,
        coefficients=[_coefficient(row) for row in model["coefficients"]],
    )


def _coefficient(row: Mapping[str, Any]) -> CoefficientView:
    low, high = format_statistic(row["ci95_low"]), format_statistic(row["ci95_high"])
    return CoefficientView(
        term=TERM_LABELS.get(row["term"], row["term"]),
        estimate=format_statistic(row["estimate"]),
        se=format_statistic(row["se"]),
        t=format_statistic(row["t"]),
        p=format_p(row["p"]),
        ci95=f"{low} to {high}",
    )


def outcome_tables(
    report: Mapping[str, Any], label: Callable[[str], str]
) -> list[OutcomeTablesView]:
    """The group and adjusted tables of every outcome that was tested, in the JSON's order."""
    views = []
    for entry in report["outcomes"]:
        if entry.get("test") is None:
            continue
        model = entry.get("adjusted")
        views.append(
            OutcomeTablesView(
                outcome=label(entry["outcome"]),
                groups=group_rows(entry["groups"]),
                adjusted=None if model is None else adjusted_view(model),
                adjusted_not_run=entry.get("adjusted_not_run"),
            )
        )
    return views

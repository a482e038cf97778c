"""The outcome analysis of a cohort read from the registry (SQLite and PostgreSQL).

The cohort is tests/support/outcome_builders.py. Expected values from R 4.2.2 on the
same numbers typed by hand:

    b <- c(6, 4, 8, 5, 10, 3); a <- c(2, 3, 2, 5, 3, 1)   # HJHS total
    shapiro.test(a - b)        # W 0.9401, P 0.660 -> normal: paired t, mean ± SD
    t.test(a, b, paired=TRUE)  # t -2.911, df 5, P 0.0334
    mean/sd: b 6.00 ± 2.61, a 2.67 ± 1.37
    d <- a - b; t.test(d[c(1,3,5)], d[c(2,4,6)], var.equal=TRUE)  # on demand vs prophylaxis:
                               # t -4.427, P 0.0114 (Levene P 0.442 -> Student's row)
    jb <- c(2, 1, 1, 0, 0, 0); jd <- c(0, 0, 1, 0, 0, 0)  # joint bleeds before / during
    shapiro.test(jd - jb)$p    # 0.0064 -> not normal: Wilcoxon
    wilcox.test(jd, jb, paired=TRUE, exact=FALSE, correct=FALSE)  # P 0.1797, z = qnorm(P/2) -1.342
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from hemojoint.persistence.models import AuditEntryRecord
from hemojoint.services.errors import NotFoundError
from hemojoint.services.outcomes import CohortFilter, outcomes_report
from tests.support.outcome_builders import seed_cohort

COHORT = CohortFilter(centre_code="OUT1", start_from=date(2026, 1, 1), start_to=date(2026, 12, 31))


@pytest.fixture
def report(sessions: sessionmaker[Session]) -> dict[str, Any]:
    with sessions() as session:
        seed_cohort(session)
        result = outcomes_report(session, COHORT)
        session.flush()
        entries = session.scalars(
            select(AuditEntryRecord).where(AuditEntryRecord.entity == "outcomes")
        )
        result["_audit"] = [entry.detail for entry in entries]
        return result


def outcome(report: dict[str, Any], name: str) -> dict[str, Any]:
    return next(entry for entry in report["outcomes"] if entry["outcome"] == name)


def test_the_filters_select_the_centre_and_dates(report: dict[str, Any]) -> None:
    # Six complete patients and OUT-07 (baseline only); OUT-08 (other centre) and OUT-09
    # (enrolled 2025) are left out.
    assert report["cohort"]["patients"] == 7
    assert report["filter"]["timepoints"] == ["baseline", "week_12"]


def test_hjhs_total_matches_r(report: dict[str, Any]) -> None:
    hjhs = outcome(report, "hjhs_total")
    assert (hjhs["n"], hjhs["normal"], hjhs["test"]["test"]) == (6, True, "paired_t")
    assert hjhs["test"]["statistic"] == pytest.approx(-2.911112549, abs=5e-4)
    assert hjhs["test"]["p"] == pytest.approx(0.03335651914, abs=5e-4)
    assert hjhs["row"] == {
        "outcome": "hjhs_total",
        "baseline": "6.00 ± 2.61",
        "follow_up": "2.67 ± 1.37",
        "statistic": "-2.911",
        "p": "0.033",
    }
    assert hjhs["exclusion_counts"] == {"missing_follow_up": 1}
    assert hjhs["excluded"] == [{"patient": "OUT-07", "reason": "missing_follow_up"}]


def test_hjhs_change_by_prior_regimen_matches_r(report: dict[str, Any]) -> None:
    comparison = outcome(report, "hjhs_total")["groups"][0]
    assert comparison["factor"] == "prior_regimen"
    assert (comparison["groups"], comparison["n"]) == (["on_demand", "prophylaxis"], [3, 3])
    assert comparison["test"]["test"] == "independent_t_student"
    assert comparison["test"]["statistic"] == pytest.approx(-4.427188724, abs=5e-4)
    assert comparison["test"]["p"] == pytest.approx(0.01144691323, abs=5e-4)


def test_each_subscore_is_analysed(report: dict[str, Any]) -> None:
    # Every HJHS point in the cohort is swelling, so the swelling subscore is the total.
    swelling = outcome(report, "hjhs_swelling")
    assert swelling["row"] == outcome(report, "hjhs_total")["row"] | {"outcome": "hjhs_swelling"}
    assert outcome(report, "hjhs_gait")["not_tested"] == (
        "every change is the same; the tests need changes that vary"
    )


def test_joint_bleeds_before_and_during_match_r(report: dict[str, Any]) -> None:
    bleeds = outcome(report, "joint_bleeds_12_weeks")
    assert (bleeds["n"], bleeds["normal"], bleeds["test"]["test"]) == (
        7,
        False,
        "wilcoxon_signed_rank",
    )
    # OUT-07 has no bleeds either side: a zero difference, dropped by the signed-rank test,
    # so R's numbers on the six others still hold.
    assert bleeds["test"]["statistic"] == pytest.approx(-1.341640786, abs=5e-4)
    assert bleeds["test"]["p"] == pytest.approx(0.1797, abs=5e-4)


def test_ultrasound_instruments_that_differ_are_compared_at_head_us(
    report: dict[str, Any],
) -> None:
    # OUT-01: HEAD-US at baseline, HEAD-US-C (examples/score/head_us_c.json) at week 12.
    # Highest common tier = HEAD-US (tier 2). Common joint: left_knee only.
    # Baseline left_knee: synovitis 1 + cartilage 2 + bone 0 = 3 (Martinoli 2013).
    # Week 12 left_knee HEAD-US-C -> HEAD-US by head_us_c.json's projection:
    # synovitis = synovial_hyperplasia 1, cartilage 1, bone 0 -> 2.
    ultrasound = outcome(report, "ultrasound_total")
    assert ultrasound["exclusion_counts"] == {"missing_both": 6}
    assert ultrasound["n"] == 1
    assert ultrasound["comparison_tier"] == "head_us"
    assert ultrasound["comparisons"] == [
        {
            "patient": "OUT-01",
            "baseline_instrument": "head_us",
            "follow_up_instrument": "head_us_c",
            "tier": "head_us",
            "joints": ["left_knee"],
            "excluded": None,
        }
    ]
    assert ultrasound["not_tested"] == "1 complete pairs; at least 3 are needed"


def test_the_report_is_audited(report: dict[str, Any]) -> None:
    assert report["_audit"] == [{"filter": COHORT.as_dict(), "patients": 7}]


def test_an_unknown_centre_is_not_found(sessions: sessionmaker[Session]) -> None:
    with sessions() as session, pytest.raises(NotFoundError, match="centre NOPE was not found"):
        outcomes_report(session, CohortFilter(centre_code="NOPE"))

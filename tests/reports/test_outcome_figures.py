"""The outcome report's extra data and tables: per-joint heat maps, ABR over time, age band.

Heat maps and ABR use the seeded cohort (tests/support/outcome_builders.py, centre OUT1,
2026): seven patients enrolled on 2026-03-02; HJHS totals are swelling spread over the
joints in the form's order, 3 points per joint (``hjhs_with_total``). Expected values are
worked by hand from that rule in the comments. The age-band group table uses the R
cohort of tests/domain/test_outcomes.py, with R 4.2.2's Mann-Whitney result.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from hemojoint.domain.outcomes import PatientPair, age_band, analyse_outcome
from hemojoint.reports.outcome_tables import group_rows
from hemojoint.services.outcomes import CohortFilter
from hemojoint.services.outcomes_report_data import OutcomesReportData, outcomes_report_data
from tests.domain.test_outcomes import COHORT as R_COHORT

SEEDED = CohortFilter(centre_code="OUT1", start_from=None, start_to=None)


@pytest.fixture
def data(sessions: sessionmaker[Session]) -> OutcomesReportData:
    from tests.support.outcome_builders import seed_cohort

    with sessions() as session:
        seed_cohort(session)
        steps: list[str] = []
        result = outcomes_report_data(session, SEEDED, steps.append)
        assert steps == [
            "reading and analysing the cohort",
            "comparing age bands",
            "collecting figure data",
        ]
        return result


def _cohort_of(data: OutcomesReportData) -> None:
    # OUT-09 (enrolled 2025, centre OUT1) is in: no date filter. OUT-08 is another centre.
    assert data.report["cohort"]["patients"] == 8


def test_hjhs_heat_map_cells_are_the_mean_joint_scores(data: OutcomesReportData) -> None:
    _cohort_of(data)
    hjhs = next(item for item in data.heat_maps if item.instrument == "hjhs")
    assert hjhs.timepoints == ("baseline", "week_12")
    # The form's joint order (HJHS 2.1): elbows, knees, ankles, left before right.
    assert hjhs.joints[:3] == ("left_elbow", "right_elbow", "left_knee")
    # Baseline totals: OUT-01..06 6, 4, 8, 5, 10, 3; OUT-07 7; OUT-09 20 (8 patients).
    # Joint 1 holds min(3, total): 3 for all -> 3.00.
    # Joint 2 holds min(3, total - 3): 3, 1, 3, 2, 3, 0, 3, 3 = 18 / 8 = 2.25.
    # Joint 3 holds min(3, total - 6): 0, 0, 2, 0, 3, 0, 1, 3 = 9 / 8 = 1.125.
    assert hjhs.means[0][:3] == pytest.approx((3.0, 2.25, 1.125))
    # Week 12 totals: 2, 3, 2, 5, 3, 1 and OUT-09 1 (OUT-07 has none: 7 patients).
    # Joint 1: 2, 3, 2, 3, 3, 1, 1 = 15 / 7; joint 2: 0, 0, 0, 2, 0, 0, 0 = 2 / 7.
    assert hjhs.means[1][:2] == pytest.approx((15 / 7, 2 / 7))
    assert hjhs.counts[0][0] == 8
    assert hjhs.counts[1][0] == 7


def test_ultrasound_tiers_get_their_own_heat_maps(data: OutcomesReportData) -> None:
    maps = {item.instrument: item for item in data.heat_maps}
    assert set(maps) == {"hjhs", "head_us", "head_us_c"}
    head_us = maps["head_us"]
    # OUT-01's HEAD-US at baseline: left knee synovitis 1 + cartilage 2 + bone 0 = 3
    # (HEAD-US sums the three items, REFERENCE.md section 3); none at week 12.
    assert head_us.joints == ("left_knee",)
    assert head_us.means == ((3.0,), (None,))
    assert head_us.counts == ((1,), (0,))


def test_abr_over_time_counts_joint_bleeds_per_four_weeks(data: OutcomesReportData) -> None:
    periods = {p.start_week: p for p in data.abr_periods}
    assert list(periods) == [-12, -8, -4, 0, 4, 8]
    # Bleeds at day -20 (OUT-01, 02, 03), -50 (OUT-01) and +20 (OUT-03) from the start.
    counts = {week: p.joint_bleeds for week, p in periods.items()}
    assert counts == {-12: 0, -8: 1, -4: 3, 0: 1, 4: 0, 8: 0}
    # ABR = bleeds / (8 patients x 28 days / 365.25) (REFERENCE.md section 2).
    assert periods[-4].joint_abr == pytest.approx(3 / (8 * 28 / 365.25))
    assert periods[0].joint_abr == pytest.approx(1 / (8 * 28 / 365.25))


def test_age_band_is_added_to_every_tested_outcome(data: OutcomesReportData) -> None:
    assert data.report["cohort"]["factors"][-1] == "age_band"
    assert "under 12 versus 12 and over" in data.report["cohort"]["age_band_convention"]
    hjhs = next(e for e in data.report["outcomes"] if e["outcome"] == "hjhs_total")
    by_age = hjhs["groups"][-1]
    # Every seeded patient has the builders' birth date: one band, so no test.
    assert by_age["factor"] == "age_band"
    assert len(by_age["groups"]) == 1
    assert by_age["not_tested"] == "1 groups present; the comparison needs exactly 2"


@pytest.mark.parametrize(
    ("age", "band"), [(11, "under_12"), (12, "12_and_over"), (13, "12_and_over")], ids=str
)
def test_age_band_cut_point(age: int, band: str) -> None:
    assert age_band(age) == band


def _r_groups() -> list[dict[str, Any]]:
    pairs = [
        PatientPair(row[0], float(row[5]), float(row[6]), {"age_band": age_band(row[4])})
        for row in R_COHORT
    ]
    return [g.as_dict() for g in analyse_outcome("hjhs_total", pairs, ("age_band",)).groups]


def test_age_band_group_row_matches_r() -> None:
    (row,) = group_rows(_r_groups())
    # R 4.2.2, the R cohort's HJHS change by band (ages 13, 12, 14 are 12 and over):
    #   quantile(type = 6): 12_and_over -11 (-16, -7); under_12 -2 (-8.5, -1)
    #   wilcox.test(exact = FALSE, correct = FALSE): W = 4.5, P = 0.09318; Z = qnorm(P/2) = -1.679
    assert (row.factor, row.group_1, row.group_2) == (
        "Age band",
        "12_and_over (n = 3)",
        "under_12 (n = 9)",
    )
    assert (row.change_1, row.change_2) == ("-11.00 (-16.00, -7.00)", "-2.00 (-8.50, -1.00)")
    assert (row.test, row.statistic, row.p, row.note) == (
        "Mann-Whitney U",
        "Z = -1.679",
        "0.093",
        None,
    )

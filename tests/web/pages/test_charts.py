"""Trend chart geometry, against coordinates computed by hand from the documented layout."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest

from hemojoint.domain.anatomy import BleedSite
from hemojoint.domain.bleeds import BleedType
from hemojoint.web.pages.charts import (
    line_chart,
    nice_ceiling,
    quarter_ends,
)
from hemojoint.web.pages.patients import _abr_by_quarter


def test_nice_ceiling_is_the_next_1_2_5_step() -> None:
    assert [nice_ceiling(v) for v in (0, 1, 1.5, 3, 7, 20, 21, 124)] == [
        1,
        1,
        2,
        5,
        10,
        20,
        50,
        200,
    ]


def test_two_points_span_the_plot_area() -> None:
    # Plot area: x 40..310 (270 wide), y 10..130 (120 high). Values 4 and 8: y_max 10.
    # (Jan 1, 4): x 40, y 10 + 120 * (1 - 0.4) = 82. (Jan 11, 8): x 310, y 10 + 120 * 0.2 = 34.
    chart = line_chart([(date(2026, 1, 11), 8), (date(2026, 1, 1), 4)])
    assert chart is not None
    assert [(p.x, p.y) for p in chart.points] == [(40, 82), (310, 34)]
    assert chart.polyline == "40,82 310,34"
    assert [(t.value, t.y) for t in chart.y_ticks] == [(0, 130), (5, 70), (10, 10)]


def test_a_middle_date_is_placed_in_proportion() -> None:
    # Day 5 of 10 days: x = 40 + 270 * 5 / 10 = 175.
    chart = line_chart([(date(2026, 1, 1), 1), (date(2026, 1, 6), 1), (date(2026, 1, 11), 1)])
    assert chart is not None
    assert chart.points[1].x == 175


def test_one_point_sits_in_the_middle_and_nothing_gives_no_chart() -> None:
    chart = line_chart([(date(2026, 1, 1), 0)])
    assert chart is not None
    assert (chart.points[0].x, chart.points[0].y) == (175, 130)
    assert line_chart([]) is None


def test_quarter_ends() -> None:
    assert quarter_ends(date(2026, 4, 1), 2) == [date(2025, 12, 31), date(2026, 3, 31)]
    assert quarter_ends(date(2026, 3, 31), 1) == [date(2025, 12, 31)]  # Q1 not over yet


def test_the_abr_trend_counts_episodes_over_the_365_days_to_each_quarter_end() -> None:
    def bleed(day: date, site: BleedSite, treated_hours: int | None = None) -> SimpleNamespace:
        started = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
        ended = None if treated_hours is None else started + timedelta(hours=treated_hours)
        return SimpleNamespace(
            site=site, started_at=started, treatment_ended_at=ended, bleed_type=BleedType.TRAUMATIC
        )

    bleeds = [
        bleed(date(2025, 3, 31), BleedSite.LEFT_KNEE),  # before the window
        # Same joint within 72 h of the end of treatment: one episode (REFERENCE.md, ISTH).
        bleed(date(2025, 4, 1), BleedSite.RIGHT_ANKLE, treated_hours=12),
        bleed(date(2025, 4, 2), BleedSite.RIGHT_ANKLE),
        bleed(date(2026, 1, 5), BleedSite.LEFT_ELBOW),
    ]
    # Window 2025-04-01 .. 2026-03-31 = 365 days; ABR = 2 / (365 / 365.25).
    [(end, abr)] = _abr_by_quarter(bleeds, [date(2026, 3, 31)])
    assert end == date(2026, 3, 31)
    assert abr == pytest.approx(2 / (365 / 365.25))

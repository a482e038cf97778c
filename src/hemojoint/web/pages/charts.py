"""Small trend charts as inline SVG geometry (no plotting library: fast and dependency-free).

Pure: dated values in, coordinates out; ``templates/patients/_macros.html`` draws the
axes, the line, the points and a text table (the chart's text alternative).

Geometry: a ``WIDTH`` x ``HEIGHT`` viewBox with the plot area inside ``MARGIN``
(left, top, right, bottom). x is linear in days from the first to the last date
(a single point sits in the middle); y is linear from 0 at the bottom to
``y_max`` at the top, where ``y_max`` is the smallest 1, 2 or 5 x 10^k at or above
the largest value (at least 1), so the axis has round numbers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

WIDTH, HEIGHT = 320, 160
MARGIN = (40, 10, 10, 30)  # left, top, right, bottom
PLOT_WIDTH = WIDTH - MARGIN[0] - MARGIN[2]  # 270
PLOT_HEIGHT = HEIGHT - MARGIN[1] - MARGIN[3]  # 120


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2 or 5 x 10^k at or above ``value`` (1 for 0 or less).

    >>> nice_ceiling(0), nice_ceiling(7), nice_ceiling(12), nice_ceiling(84.3), nice_ceiling(100)
    (1.0, 10.0, 20.0, 100.0, 100.0)
    """
    if value <= 0:
        return 1.0
    power: float = 10.0 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power  # not reached: 10 x power is always enough


@dataclass(frozen=True)
class Point:
    day: date
    value: float
    x: float
    y: float


@dataclass(frozen=True)
class Tick:
    value: float
    y: float


@dataclass(frozen=True)
class Chart:
    points: list[Point]
    y_ticks: list[Tick]
    y_max: float

    @property
    def polyline(self) -> str:
        return " ".join(f"{point.x:g},{point.y:g}" for point in self.points)

    @property
    def first_day(self) -> date:
        return self.points[0].day

    @property
    def last_day(self) -> date:
        return self.points[-1].day


def _x(day: date, first: date, last: date) -> float:
    if first == last:
        return MARGIN[0] + PLOT_WIDTH / 2
    return round(MARGIN[0] + PLOT_WIDTH * (day - first).days / (last - first).days, 1)


def _y(value: float, y_max: float) -> float:
    return round(MARGIN[1] + PLOT_HEIGHT * (1 - value / y_max), 1)


def line_chart(series: Sequence[tuple[date, float]]) -> Chart | None:
    """The chart of ``series`` (sorted by day here), or None when there is nothing to draw."""
    if not series:
        return None
    ordered = sorted(series)
    y_max = nice_ceiling(max(value for _day, value in ordered))
    first, last = ordered[0][0], ordered[-1][0]
    points = [Point(day, value, _x(day, first, last), _y(value, y_max)) for day, value in ordered]
    ticks = [Tick(value, _y(value, y_max)) for value in (0, y_max / 2, y_max)]
    return Chart(points, ticks, y_max)


def quarter_ends(today: date, count: int) -> list[date]:
    """The last ``count`` calendar-quarter ends on or before ``today``, oldest first.

    >>> quarter_ends(date(2026, 5, 10), 3)
    [datetime.date(2025, 9, 30), datetime.date(2025, 12, 31), datetime.date(2026, 3, 31)]
    """
    year, quarter = today.year, (today.month - 1) // 3  # quarters completed this year
    ends = []
    for _ in range(count):
        if quarter == 0:
            year, quarter = year - 1, 4
        ends.append(_quarter_end(year, quarter))
        quarter -= 1
    return ends[::-1]


def _quarter_end(year: int, quarter: int) -> date:
    month = 3 * quarter
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - timedelta(days=1)

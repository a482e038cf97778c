"""Calendar arithmetic shared by the clinical rules (ages, bleed windows).

Months are calendar months with the day clamped to the month's length, so a
child born on 29 February has a birthday on 28 February in other years.
"""

from __future__ import annotations

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole calendar months, the day clamped to the month's length.

    ``months`` may be negative.

    >>> add_months(date(2024, 1, 31), 1), add_months(date(2024, 2, 29), 12)
    (datetime.date(2024, 2, 29), datetime.date(2025, 2, 28))
    >>> add_months(date(2024, 7, 15), -6)
    datetime.date(2024, 1, 15)
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last_day))

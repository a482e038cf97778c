"""MDT case discussions: meeting dates, the agenda built from the children, and actions.

REFERENCE.md section 1: "MDT online case discussion every two weeks, led by the
rehabilitation specialist". Issue 4 "MDT": the agenda is built automatically from
the children with new bleeds, red-flag triage results, low adherence or goals not
progressing; decisions are recorded as actions with an owner role and a due date.

hemojoint's readings, stated so the team can check them:

- meetings fall every 14 days after the programme start, the first at the end of
  week 2 and the last at the end of the programme (the week-12 review);
- "since the last meeting" includes both ends (``since`` and ``as_of``): an event on
  the day of the last meeting may appear twice, but is never missed;
- priority: red flags (emergency before urgent) first, then new bleeds, then low
  adherence, then goals not progressing; a child is placed by their highest
  category, ties by label. Children with nothing to discuss are left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from hemojoint.domain.access import STAFF_ROLES, Role
from hemojoint.domain.errors import FieldProblem
from hemojoint.domain.rehab.joint_status import ReportedBleed
from hemojoint.domain.rehab.model import PROGRAMME_WEEKS, Goal
from hemojoint.domain.triage import TriageResult, Urgency
from hemojoint.domain.validation import ProblemCollector, fail, int_in_range, iso_date

MEETING_INTERVAL_DAYS = 14  # REFERENCE.md section 1: every two weeks
RED_FLAG_URGENCIES = (Urgency.EMERGENCY, Urgency.URGENT)
# Staff who can own an action: every role except the administrator and the family.


def meeting_dates(start_date: date, weeks: int = PROGRAMME_WEEKS) -> tuple[date, ...]:
    """The case-discussion dates: every 14 days after ``start_date``, within ``weeks`` weeks.

    >>> [day.isoformat() for day in meeting_dates(date(2026, 1, 5))]
    ... # doctest: +NORMALIZE_WHITESPACE
    ['2026-01-19', '2026-02-02', '2026-02-16', '2026-03-02', '2026-03-16', '2026-03-30']
    """
    weeks = int_in_range("weeks", weeks, 2, 520)
    count = 7 * weeks // MEETING_INTERVAL_DAYS
    return tuple(
        start_date + timedelta(days=MEETING_INTERVAL_DAYS * number)
        for number in range(1, count + 1)
    )


class Category(StrEnum):
    """Why a child is on the agenda, in priority order (first is discussed first)."""

    RED_FLAG = "red_flag"
    NEW_BLEED = "new_bleed"
    LOW_ADHERENCE = "low_adherence"
    GOAL_NOT_PROGRESSING = "goal_not_progressing"

    @property
    def rank(self) -> int:
        return list(Category).index(self)


@dataclass(frozen=True)
class TriageEvent:
    """A triage result and the day it was reported."""

    reported_on: date
    result: TriageResult


@dataclass(frozen=True)
class ChildSummary:
    """What the agenda needs to know of one child (the service gathers it).

    ``label`` is the display name or record number shown on the agenda; ``bleeds``
    and ``triages`` may include older events (only those from ``since`` count);
    ``low_adherence`` is the current flag of :mod:`.adherence`; ``goals_not_progressing``
    are the goals the team judged not on track.
    """

    patient_id: int
    label: str
    bleeds: tuple[ReportedBleed, ...]
    triages: tuple[TriageEvent, ...]
    low_adherence: bool
    goals_not_progressing: tuple[Goal, ...]


@dataclass(frozen=True)
class AgendaReason:
    """One reason to discuss a child; ``urgency`` is set for red flags only."""

    category: Category
    text: str
    on: date | None
    urgency: Urgency | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "category": self.category.value,
            "text": self.text,
            "on": self.on.isoformat() if self.on else None,
            "urgency": self.urgency.value if self.urgency else None,
        }


@dataclass(frozen=True)
class AgendaItem:
    """One child on the agenda: the highest category and every reason, most serious first."""

    patient_id: int
    label: str
    category: Category
    reasons: tuple[AgendaReason, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "patient_id": self.patient_id,
            "label": self.label,
            "category": self.category.value,
            "reasons": [reason.as_dict() for reason in self.reasons],
        }


def build_agenda(
    children: Sequence[ChildSummary], *, since: date, as_of: date
) -> tuple[AgendaItem, ...]:
    """The agenda of the meeting on ``as_of``, covering events from ``since`` (last meeting).

    Order and omission: module docstring.

    >>> from datetime import datetime
    >>> from hemojoint.domain.anatomy import BleedSite
    >>> from hemojoint.domain.rehab.joint_status import RecentBleed
    >>> quiet = ChildSummary(1, "HJ-001", (), (), False, ())
    >>> bled = ChildSummary(2, "HJ-002", (RecentBleed(BleedSite.LEFT_KNEE, date(2026, 1, 9)),),
    ...     (), False, ())
    >>> low = ChildSummary(3, "HJ-003", (), (), True, ())
    >>> agenda = build_agenda([quiet, low, bled], since=date(2026, 1, 5), as_of=date(2026, 1, 19))
    >>> [(item.label, item.category.value) for item in agenda]
    [('HJ-002', 'new_bleed'), ('HJ-003', 'low_adherence')]
    >>> agenda[0].reasons[0].text
    'new bleed: left_knee from 2026-01-09'
    """
    if as_of < since:
        why = f"is before since {since.isoformat()}"
        raise fail(FieldProblem.invalid("as_of", as_of.isoformat(), "on or after since", why))
    items = [_item(child, since, as_of) for child in children]
    present = [item for item in items if item is not None]
    return tuple(sorted(present, key=lambda item: (_item_key(item), item.label, item.patient_id)))


def _item_key(item: AgendaItem) -> tuple[int, int]:
    """Category rank, then (within red flags) emergency before urgent."""
    # Reasons are most serious first, so the first one carries the worst urgency.
    urgency = item.reasons[0].urgency
    return (item.category.rank, RED_FLAG_URGENCIES.index(urgency) if urgency else 0)


def _item(child: ChildSummary, since: date, as_of: date) -> AgendaItem | None:
    reasons = [
        *_red_flags(child.triages, since, as_of),
        *_new_bleeds(child.bleeds, since, as_of),
        *_adherence(child.low_adherence),
        *_goals(child.goals_not_progressing),
    ]
    if not reasons:
        return None
    return AgendaItem(child.patient_id, child.label, reasons[0].category, tuple(reasons))


def _red_flags(events: Sequence[TriageEvent], since: date, as_of: date) -> list[AgendaReason]:
    flagged = [
        event
        for event in events
        if since <= event.reported_on <= as_of and event.result.urgency in RED_FLAG_URGENCIES
    ]
    # Emergencies first, then by date.
    flagged.sort(key=lambda e: (RED_FLAG_URGENCIES.index(e.result.urgency), e.reported_on))
    return [
        AgendaReason(
            Category.RED_FLAG, _triage_text(event.result), event.reported_on, event.result.urgency
        )
        for event in flagged
    ]


def _triage_text(result: TriageResult) -> str:
    reasons = ", ".join(reason.value for reason in result.reasons)
    return f"{result.urgency.value} triage: {reasons}" if reasons else result.urgency.value


def _new_bleeds(bleeds: Sequence[ReportedBleed], since: date, as_of: date) -> list[AgendaReason]:
    # toordinal() keeps the calendar day of a datetime start (a BleedEpisode's) or a date.
    starts = [(date.fromordinal(bleed.start.toordinal()), bleed.site.value) for bleed in bleeds]
    days = sorted((day, site) for day, site in starts if since <= day <= as_of)
    return [
        AgendaReason(Category.NEW_BLEED, f"new bleed: {site} from {day.isoformat()}", day)
        for day, site in days
    ]


def _adherence(low: bool) -> list[AgendaReason]:
    text = "low adherence to the home programme"
    return [AgendaReason(Category.LOW_ADHERENCE, text, None)] if low else []


def _goals(goals: Sequence[Goal]) -> list[AgendaReason]:
    return [
        AgendaReason(
            Category.GOAL_NOT_PROGRESSING,
            f"{goal.term.value}-term goal not progressing: {goal.measure} "
            f"{goal.baseline} -> {goal.target} by week {goal.due_week}",
            None,
        )
        for goal in goals
    ]


@dataclass(frozen=True)
class Action:
    """A decision of the meeting on ``meeting_date``: what, which staff role owns it, by when.

    ``owner_role`` is a staff role (not admin, caregiver or patient); ``due_date`` is
    on or after the meeting. Every invalid field is reported at once.

    >>> Action("Refer to orthopaedics", "caregiver", date(2026, 1, 1), date(2026, 1, 19))
    Traceback (most recent call last):
    ...
    hemojoint.domain.errors.InvalidInputError: owner_role: 'caregiver' is not one of \
hematologist, rehab_physician, therapist, sonographer, nurse; due_date: '2026-01-01' is \
before the meeting on 2026-01-19
    """

    description: str
    owner_role: Role
    due_date: date
    meeting_date: date

    def __post_init__(self) -> None:
        problems = ProblemCollector()
        if not isinstance(self.description, str) or not self.description.strip():
            problems.add(FieldProblem.wrong_type("description", self.description, "a text"))
        role = problems.check(_staff_role, "owner_role", self.owner_role)
        due = problems.check(iso_date, "due_date", self.due_date)
        meeting = problems.check(iso_date, "meeting_date", self.meeting_date)
        if due is not None and meeting is not None and due < meeting:
            why = f"is before the meeting on {meeting.isoformat()}"
            allowed = "on or after the meeting date"
            problems.add(FieldProblem.invalid("due_date", due.isoformat(), allowed, why))
        problems.raise_if_any()
        # Normalised values: a role or date given as text becomes a Role or date.
        for field, value in (("owner_role", role), ("due_date", due), ("meeting_date", meeting)):
            object.__setattr__(self, field, value)

    def as_dict(self) -> dict[str, Any]:
        return {
            "description": self.description,
            "owner_role": self.owner_role.value,
            "due_date": self.due_date.isoformat(),
            "meeting_date": self.meeting_date.isoformat(),
        }


def _staff_role(field: str, value: object) -> Role:
    if not isinstance(value, str) or value not in STAFF_ROLES:
        allowed = [role.value for role in Role if role in STAFF_ROLES]  # in declaration order
        raise fail(FieldProblem.not_one_of(field, value, allowed))
    return Role(value)

"""MDT case discussions: dates, the agenda, actions.

Expected values from REFERENCE.md section 1 ("MDT online case discussion every two
weeks") and issue 4 "MDT" (agenda from new bleeds, red-flag triage results, low
adherence or goals not progressing; actions with an owner role and a due date), plus
the module's documented readings (first meeting 14 days after the start; priority red
flags > new bleeds > low adherence > goals; window inclusive at both ends).
Dates were read off a calendar: 2026-01-05 is a Monday; adding 14-day steps gives
19 Jan, 2 Feb, 16 Feb, 2 Mar, 16 Mar, 30 Mar (= start + 84 days, the end of week 12).
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from hemojoint.domain.access import Role
from hemojoint.domain.anatomy import BleedSite, IndexJoint
from hemojoint.domain.bleeds import BleedEpisode, BleedType
from hemojoint.domain.errors import InvalidInputError
from hemojoint.domain.rehab.joint_status import RecentBleed, ReportedBleed
from hemojoint.domain.rehab.mdt import (
    STAFF_ROLES,
    Action,
    AgendaItem,
    Category,
    ChildSummary,
    TriageEvent,
    build_agenda,
    meeting_dates,
)
from hemojoint.domain.rehab.model import Goal, GoalTerm, ProblemCode
from hemojoint.domain.triage import Reason, Suspected, TriageResult, Urgency

START = date(2026, 1, 5)
SINCE, AS_OF = date(2026, 1, 19), date(2026, 2, 2)  # meetings 1 and 2

EMERGENCY = TriageResult(
    Urgency.EMERGENCY, (Reason.ILIOPSOAS_WITH_FEMORAL_NERVE_SIGNS,), (Suspected.ILIOPSOAS_BLEED,)
)
URGENT = TriageResult(Urgency.URGENT, (Reason.JOINT_BLEED_SIGNS,), (Suspected.JOINT_BLEED,))
ROUTINE = TriageResult(Urgency.ROUTINE, (Reason.NO_RED_FLAGS,), ())
GOAL = Goal(GoalTerm.SHORT, ProblemCode.RESTRICTED_MOTION, IndexJoint.LEFT_ANKLE,
            "hjhs.left_ankle.flexion_loss", 2, 1, 4)  # fmt: skip


def child(
    patient_id: int,
    label: str,
    *,
    bleeds: tuple[ReportedBleed, ...] = (),
    triages: tuple[TriageEvent, ...] = (),
    low: bool = False,
    goals: tuple[Goal, ...] = (),
) -> ChildSummary:
    return ChildSummary(patient_id, label, bleeds, triages, low, goals)


def agenda(*children: ChildSummary) -> tuple[AgendaItem, ...]:
    return build_agenda(list(children), since=SINCE, as_of=AS_OF)


def labels(items: tuple[AgendaItem, ...]) -> list[str]:
    return [item.label for item in items]


# --- meeting dates -----------------------------------------------------------------


def test_meetings_every_two_weeks_over_twelve_weeks() -> None:
    expected = [(1, 19), (2, 2), (2, 16), (3, 2), (3, 16), (3, 30)]
    assert meeting_dates(START) == tuple(date(2026, month, day) for month, day in expected)


@pytest.mark.parametrize(
    ("weeks", "count"), [(2, 1), (3, 1), (4, 2), (13, 6)], ids=["2", "3-odd", "4", "13-odd"]
)
def test_meeting_count_is_whole_fortnights(weeks: int, count: int) -> None:
    assert len(meeting_dates(START, weeks)) == count


def test_meetings_need_at_least_two_weeks() -> None:
    with pytest.raises(InvalidInputError, match="weeks: 1 is outside 2-520"):
        meeting_dates(START, 1)


# --- agenda ------------------------------------------------------------------------


def test_agenda_orders_red_flags_bleeds_adherence_goals() -> None:
    goals = child(1, "A-goals", goals=(GOAL,))
    low = child(2, "B-low", low=True)
    bled = child(3, "C-bleed", bleeds=(RecentBleed(BleedSite.LEFT_KNEE, date(2026, 1, 25)),))
    flagged = child(4, "D-flag", triages=(TriageEvent(date(2026, 1, 26), URGENT),))
    items = agenda(goals, low, bled, flagged)
    assert labels(items) == ["D-flag", "C-bleed", "B-low", "A-goals"]
    assert [item.category for item in items] == list(Category)


def test_emergency_comes_before_urgent() -> None:
    urgent = child(1, "A-urgent", triages=(TriageEvent(date(2026, 1, 20), URGENT),))
    emergency = child(2, "B-emergency", triages=(TriageEvent(date(2026, 1, 30), EMERGENCY),))
    assert labels(agenda(urgent, emergency)) == ["B-emergency", "A-urgent"]


def test_ties_are_ordered_by_label() -> None:
    assert labels(agenda(child(1, "Zed", low=True), child(2, "Amy", low=True))) == ["Amy", "Zed"]


def test_children_with_nothing_to_discuss_are_left_out() -> None:
    quiet = child(1, "quiet")
    routine = child(2, "routine", triages=(TriageEvent(date(2026, 1, 20), ROUTINE),))
    old = child(3, "old", bleeds=(RecentBleed(BleedSite.LEFT_KNEE, date(2026, 1, 18)),))
    later = child(4, "later", bleeds=(RecentBleed(BleedSite.LEFT_KNEE, date(2026, 2, 3)),))
    assert agenda(quiet, routine, old, later) == ()


@pytest.mark.parametrize(
    ("day", "listed"),
    [
        (date(2026, 1, 18), False),
        (date(2026, 1, 19), True),
        (date(2026, 2, 2), True),
        (date(2026, 2, 3), False),
    ],
    ids=["day-before-since", "on-since", "on-as-of", "day-after-as-of"],
)
def test_the_window_includes_both_meeting_days(day: date, listed: bool) -> None:
    bled = child(1, "bled", bleeds=(RecentBleed(BleedSite.LEFT_KNEE, day),))
    flagged = child(2, "flagged", triages=(TriageEvent(day, URGENT),))
    assert labels(agenda(bled, flagged)) == (["flagged", "bled"] if listed else [])


def test_every_reason_is_listed_most_serious_first() -> None:
    episode = BleedEpisode(
        BleedSite.RIGHT_ANKLE, datetime(2026, 1, 22, 9), None, BleedType.SPONTANEOUS
    )
    everything = child(
        7,
        "HJ-007",
        bleeds=(episode,),
        triages=(TriageEvent(date(2026, 1, 21), URGENT), TriageEvent(date(2026, 1, 28), EMERGENCY)),
        low=True,
        goals=(GOAL,),
    )
    (item,) = agenda(everything)
    assert item.category is Category.RED_FLAG
    assert [(reason.category.value, reason.on) for reason in item.reasons] == [
        ("red_flag", date(2026, 1, 28)),
        ("red_flag", date(2026, 1, 21)),
        ("new_bleed", date(2026, 1, 22)),
        ("low_adherence", None),
        ("goal_not_progressing", None),
    ]
    assert item.reasons[0].text == "emergency triage: iliopsoas_with_femoral_nerve_signs"
    assert item.reasons[2].text == "new bleed: right_ankle from 2026-01-22"
    assert item.reasons[4].text == (
        "short-term goal not progressing: hjhs.left_ankle.flexion_loss 2 -> 1 by week 4"
    )


def test_agenda_as_dict() -> None:
    (item,) = agenda(child(3, "HJ-003", low=True))
    assert item.as_dict() == {
        "patient_id": 3,
        "label": "HJ-003",
        "category": "low_adherence",
        "reasons": [
            {
                "category": "low_adherence",
                "text": "low adherence to the home programme",
                "on": None,
                "urgency": None,
            }
        ],
    }


def test_as_of_before_since_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="as_of: '2026-01-18' is before since 2026-01-19"):
        build_agenda([], since=SINCE, as_of=date(2026, 1, 18))


# --- actions -----------------------------------------------------------------------


def test_staff_roles_are_the_clinical_roles() -> None:
    # issue 3/4: owners are staff; admins manage people, families are not owners.
    assert set(STAFF_ROLES) == {
        Role.HEMATOLOGIST,
        Role.REHAB_PHYSICIAN,
        Role.THERAPIST,
        Role.SONOGRAPHER,
        Role.NURSE,
    }


@pytest.mark.parametrize(
    "due", [date(2026, 2, 2), date(2026, 2, 3)], ids=["meeting-day", "day-after"]
)
def test_due_on_or_after_the_meeting_is_accepted(due: date) -> None:
    assert Action("Recheck left ankle", Role.THERAPIST, due, AS_OF).due_date == due


def test_due_the_day_before_the_meeting_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="due_date: '2026-02-01' is before the meeting"):
        Action("Recheck left ankle", Role.THERAPIST, date(2026, 2, 1), AS_OF)


@pytest.mark.parametrize("role", ["admin", "caregiver", "patient", "surgeon"])
def test_owner_role_must_be_a_staff_role(role: str) -> None:
    with pytest.raises(InvalidInputError, match=f"owner_role: '{role}' is not one of hematologist"):
        Action("Call the family", role, AS_OF, AS_OF)  # type: ignore[arg-type]


def test_action_normalises_text_values_and_renders() -> None:
    action = Action("Adjust prophylaxis", "hematologist", "2026-02-09", "2026-02-02")  # type: ignore[arg-type]
    assert action.owner_role is Role.HEMATOLOGIST
    assert action.as_dict() == {
        "description": "Adjust prophylaxis",
        "owner_role": "hematologist",
        "due_date": "2026-02-09",
        "meeting_date": "2026-02-02",
    }


def test_every_invalid_action_field_is_reported() -> None:
    with pytest.raises(
        InvalidInputError,
        match=r"description: '  ' is not a text; owner_role: 'patient' is not one of .*; "
        r"due_date: '2026-01-01' is before the meeting on 2026-02-02",
    ):
        Action("  ", "patient", date(2026, 1, 1), AS_OF)  # type: ignore[arg-type]

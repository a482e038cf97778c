"""The programme's queries (repositories rehab, tele and mdt) on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hemojoint.domain.access import Role
from hemojoint.domain.anatomy import BleedSite
from hemojoint.persistence.models import (
    AdverseEventRecord,
    EducationAssignmentRecord,
    EnrolmentStatus,
    JointClearanceRecord,
    MessageRecord,
    OnlineSessionRecord,
    RehabPlanRecord,
    WeeklyReviewRecord,
)
from hemojoint.persistence.repositories import Viewer
from hemojoint.persistence.repositories import mdt as mdt_queries
from hemojoint.persistence.repositories import rehab as queries
from hemojoint.persistence.repositories import tele as tele_queries
from tests.support.builders import create_centre, create_patient, create_user
from tests.support.programme_builders import (
    add_plan_version,
    create_action,
    create_check_in,
    create_enrolment,
    create_meeting,
    create_plan,
    create_session_log,
)
from tests.support.prophylaxis_builders import create_bleed

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def viewer(user) -> Viewer:
    return Viewer(user_id=user.id, role=user.role, centre_id=user.centre_id)


# --- enrolments -------------------------------------------------------------------------


def test_a_linked_parent_and_the_centre_see_the_enrolment_others_do_not(
    db, enrolment, therapist, parent
) -> None:
    elsewhere = create_user(db, role=Role.THERAPIST, centre=create_centre(db))
    stranger = create_user(db, role=Role.CAREGIVER, centre=create_centre(db))

    seen_by = {
        name: queries.get_visible_enrolment(db, viewer(user), enrolment.id)
        for name, user in [
            ("therapist", therapist),
            ("parent", parent),
            ("elsewhere", elsewhere),
            ("stranger", stranger),
        ]
    }

    assert seen_by == {
        "therapist": enrolment,
        "parent": enrolment,
        "elsewhere": None,
        "stranger": None,
    }


def test_active_enrolment_is_the_running_one(db, patient, therapist) -> None:
    create_enrolment(db, patient, therapist, status=EnrolmentStatus.WITHDRAWN)
    assert queries.active_enrolment(db, patient.id) is None

    running = create_enrolment(db, patient, therapist, start_date=date(2026, 6, 1))

    assert queries.active_enrolment(db, patient.id) == running


def test_patient_enrolments_newest_first_without_archived(db, patient, therapist) -> None:
    old = create_enrolment(
        db, patient, therapist, start_date=date(2025, 1, 6), status=EnrolmentStatus.COMPLETED
    )
    archived = create_enrolment(db, patient, therapist, start_date=date(2025, 6, 2))
    archived.archived_at = T0
    new = create_enrolment(db, patient, therapist, start_date=date(2026, 1, 5))

    assert queries.patient_enrolments(db, patient.id) == [new, old]


def test_centre_active_enrolments_leave_out_other_centres_and_finished_ones(
    db, centre, enrolment, therapist
) -> None:
    finished_child = create_patient(db, centre)
    create_enrolment(db, finished_child, therapist, status=EnrolmentStatus.COMPLETED)
    other_centre = create_centre(db)
    create_enrolment(db, create_patient(db, other_centre), therapist)

    assert queries.centre_active_enrolments(db, centre.id) == [enrolment]


# --- plans --------------------------------------------------------------------------------


def test_the_newest_plan_version_is_current(db, enrolment, therapist) -> None:
    plan = create_plan(db, enrolment, therapist)
    assert queries.next_plan_version_number(db, plan.id) == 2
    second = add_plan_version(db, plan, therapist, number=2, content={"goals": []})

    assert queries.plan_of_enrolment(db, enrolment.id) == plan
    assert queries.current_plan_version(db, plan.id) == second
    assert [v.number for v in queries.plan_versions(db, plan.id)] == [1, 2]
    assert queries.plan_version(db, plan.id, 1).reason == "generated"
    assert queries.next_plan_version_number(db, plan.id) == 3


def test_a_plan_without_versions_starts_at_1(db, enrolment, therapist) -> None:
    plan = RehabPlanRecord(enrolment_id=enrolment.id, created_by_id=therapist.id)
    db.add(plan)
    db.flush()

    assert queries.current_plan_version(db, plan.id) is None
    assert queries.next_plan_version_number(db, plan.id) == 1


# --- home logs and reviews ------------------------------------------------------------------


def test_session_logs_in_an_inclusive_date_range_without_archived(db, enrolment, parent) -> None:
    days = [date(2026, 1, 5) + timedelta(days=n) for n in range(5)]
    logs = [create_session_log(db, enrolment, parent, session_date=day) for day in days]
    logs[2].archived_at = T0
    db.flush()

    found = queries.session_logs(db, enrolment.id, from_date=days[1], to_date=days[3])

    assert found == [logs[1], logs[3]]  # both ends included, the archived one left out
    assert len(queries.session_logs(db, enrolment.id)) == 4


def test_logs_of_many_enrolments_grouped_in_one_query(db, centre, enrolment, therapist, parent):
    quiet = create_enrolment(db, create_patient(db, centre), therapist)
    first = create_session_log(db, enrolment, parent, session_date=date(2026, 1, 6))
    second = create_session_log(db, enrolment, parent, session_date=date(2026, 1, 7))

    grouped = queries.logs_of_enrolments(db, [enrolment.id, quiet.id])

    assert grouped == {enrolment.id: [first, second], quiet.id: []}
    assert queries.logs_of_enrolments(db, []) == {}


def test_latest_review_is_the_latest_week_and_its_newest_redo(db, enrolment, therapist) -> None:
    def review(week: int, decision: str) -> WeeklyReviewRecord:
        record = WeeklyReviewRecord(
            enrolment_id=enrolment.id, week=week, decision=decision, reviewed_by_id=therapist.id
        )
        db.add(record)
        db.flush()
        return record

    assert queries.latest_review(db, enrolment.id) is None
    week2, week1, week2_again = review(2, "hold"), review(1, "progress"), review(2, "progress")

    assert queries.latest_review(db, enrolment.id) == week2_again
    assert queries.weekly_reviews(db, enrolment.id) == [week1, week2, week2_again]


def test_latest_clearance_per_joint(db, patient, centre) -> None:
    doctor = create_user(db, role=Role.HEMATOLOGIST, centre=centre)
    for joint, days in [
        (BleedSite.LEFT_KNEE, 1),
        (BleedSite.LEFT_KNEE, 9),
        (BleedSite.RIGHT_ANKLE, 4),
    ]:
        db.add(
            JointClearanceRecord(
                patient_id=patient.id,
                joint=joint,
                cleared_by_id=doctor.id,
                cleared_at=T0 + timedelta(days=days),
            )
        )
    db.flush()

    latest = queries.latest_clearances(db, patient.id)

    assert latest == {
        BleedSite.LEFT_KNEE: T0 + timedelta(days=9),
        BleedSite.RIGHT_ANKLE: T0 + timedelta(days=4),
    }
    assert all(cleared.tzinfo is not None for cleared in latest.values())
    as_of_day_5 = queries.latest_clearances(db, patient.id, until=T0 + timedelta(days=5))
    assert as_of_day_5 == {
        BleedSite.LEFT_KNEE: T0 + timedelta(days=1),
        BleedSite.RIGHT_ANKLE: T0 + timedelta(days=4),
    }
    assert len(queries.patient_clearances(db, patient.id)) == 3


def test_adverse_events_by_date_and_by_enrolment(db, patient, enrolment, therapist) -> None:
    def event(day: int, enrolment_id: int | None) -> AdverseEventRecord:
        record = AdverseEventRecord(
            patient_id=patient.id,
            enrolment_id=enrolment_id,
            event_type="pain",
            event_date=date(2026, 1, day),
            related_to_session=enrolment_id is not None,
            description="knee pain",
            severity="mild",
            recorded_by_id=therapist.id,
        )
        db.add(record)
        db.flush()
        return record

    later, outside, earlier = event(20, enrolment.id), event(2, None), event(8, enrolment.id)

    assert queries.adverse_events(db, patient.id) == [outside, earlier, later]
    assert queries.adverse_events(db, patient.id, enrolment_id=enrolment.id) == [earlier, later]


# --- tele-rehab and education ------------------------------------------------------------------


def test_check_in_is_found_only_by_those_who_see_the_child(db, enrolment, parent) -> None:
    check_in = create_check_in(db, enrolment, parent)
    stranger = create_user(db, role=Role.CAREGIVER, centre=create_centre(db))

    assert tele_queries.get_visible_check_in(db, viewer(parent), check_in.id) == check_in
    assert tele_queries.get_visible_check_in(db, viewer(stranger), check_in.id) is None


def test_check_ins_lists_and_the_unanswered_queue(db, centre, enrolment, parent, therapist):
    answered = create_check_in(db, enrolment, parent, reply="Good form", replied_at=T0)
    waiting = create_check_in(db, enrolment, parent)
    withdrawn = create_check_in(db, enrolment, parent, archived_at=T0)

    assert tele_queries.enrolment_check_ins(db, enrolment.id) == [answered, waiting]
    assert tele_queries.enrolment_check_ins(db, enrolment.id, archived=True) == [withdrawn]
    assert tele_queries.unanswered_check_ins(db, centre.id) == [waiting]
    assert tele_queries.unanswered_check_ins(db, create_centre(db).id) == []


def test_online_sessions_by_week(db, enrolment) -> None:
    for week in (3, 1, 2):
        db.add(
            OnlineSessionRecord(
                enrolment_id=enrolment.id, week=week, scheduled_at=T0 + timedelta(weeks=week - 1)
            )
        )
    db.flush()

    assert [s.week for s in tele_queries.online_sessions(db, enrolment.id)] == [1, 2, 3]
    assert tele_queries.online_session_of_week(db, enrolment.id, 2).scheduled_at == T0 + timedelta(
        weeks=1
    )
    assert tele_queries.online_session_of_week(db, enrolment.id, 12) is None


def test_message_thread_pages_oldest_first_and_counts_unread(db, patient, parent, therapist):
    for minute, author in enumerate([parent, therapist, parent]):
        db.add(
            MessageRecord(
                patient_id=patient.id,
                author_id=author.id,
                body=f"message {minute}",
                created_at=T0 + timedelta(minutes=minute),
                read_at=T0 if author is therapist else None,
            )
        )
    db.flush()

    page = tele_queries.message_thread(db, patient.id, offset=1, limit=5)

    assert [m.body for m in page.items] == ["message 1", "message 2"]
    assert page.total == 3
    assert tele_queries.unread_messages(db, patient.id, reader_id=therapist.id) == 2
    assert tele_queries.unread_messages(db, patient.id, reader_id=parent.id) == 0


def test_unread_assignment_of_a_material(db, patient, therapist) -> None:
    def assign(code: str, read_at: datetime | None) -> EducationAssignmentRecord:
        record = EducationAssignmentRecord(
            patient_id=patient.id, material_code=code, assigned_by_id=therapist.id, read_at=read_at
        )
        db.add(record)
        db.flush()
        return record

    read = assign("home_safety", T0)
    open_ = assign("first_aid", None)

    assert tele_queries.unread_assignment(db, patient.id, "first_aid") == open_
    assert tele_queries.unread_assignment(db, patient.id, "home_safety") is None
    assert tele_queries.education_assignments(db, patient.id) == [read, open_]


# --- MDT ------------------------------------------------------------------------------------------


def test_meetings_of_a_centre_and_the_previous_one(db, centre, therapist) -> None:
    first = create_meeting(db, centre.id, therapist, meeting_date=date(2026, 1, 5))
    second = create_meeting(db, centre.id, therapist, meeting_date=date(2026, 1, 19))
    create_meeting(db, create_centre(db).id, therapist, meeting_date=date(2026, 1, 12))

    assert mdt_queries.centre_meetings(db, centre.id) == [second, first]
    assert mdt_queries.centre_meetings(db, centre.id, from_date=date(2026, 1, 19)) == [second]
    assert mdt_queries.previous_meeting(db, centre.id, date(2026, 1, 19)) == first
    assert mdt_queries.previous_meeting(db, centre.id, date(2026, 1, 5)) is None
    assert mdt_queries.get_centre_meeting(db, centre.id, first.id) == first
    assert mdt_queries.get_centre_meeting(db, centre.id + 1000, first.id) is None


def test_actions_for_the_meeting_and_the_childs_record(db, centre, patient, therapist) -> None:
    meeting = create_meeting(db, centre.id, therapist)
    later = create_action(db, meeting, patient, due_date=date(2026, 3, 1))
    done = create_action(db, meeting, patient, due_date=date(2026, 2, 1), done_at=T0)
    other = create_action(db, meeting, create_patient(db, centre))

    assert mdt_queries.meeting_actions(db, meeting.id) == [later, done, other]
    assert mdt_queries.patient_actions(db, patient.id) == [done, later]
    assert mdt_queries.patient_actions(db, patient.id, open_only=True) == [later]


def test_centre_bleeds_since_the_last_meeting(db, centre, patient, parent) -> None:
    create_bleed(db, patient, parent, started_at=T0 - timedelta(days=1))
    new = create_bleed(db, patient, parent, started_at=T0)
    create_bleed(db, create_patient(db, create_centre(db)), parent, started_at=T0)

    assert mdt_queries.centre_bleeds_since(db, centre.id, T0) == [new]

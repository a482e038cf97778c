"""The programme's tables (migration 0002): rows round-trip, and the database itself refuses
what must never be stored (pain outside 0-10, a second running enrolment, an edited plan
version, a log naming another child's enrolment). Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import func, inspect, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError, StatementError
from sqlalchemy.orm import Session

from hemojoint.domain.access import Role
from hemojoint.domain.anatomy import BleedSite
from hemojoint.domain.rehab.review import Decision
from hemojoint.persistence.db import make_engine
from hemojoint.persistence.migrate import alembic_config
from hemojoint.persistence.models import (
    AdverseEventRecord,
    EducationAssignmentRecord,
    EnrolmentStatus,
    JointClearanceRecord,
    MediaKind,
    MessageRecord,
    OnlineSessionRecord,
    ProgrammeEnrolmentRecord,
    RehabPlanVersionRecord,
    WeeklyReviewRecord,
)
from tests.support.builders import create_patient, create_user
from tests.support.operations_builders import BACKENDS, fresh_database
from tests.support.programme_builders import (
    PLAN_CONTENT,
    add_plan_version,
    create_action,
    create_check_in,
    create_enrolment,
    create_meeting,
    create_plan,
    create_session_log,
)

BEIJING = timezone(timedelta(hours=8))
PROGRAMME_TABLES = {
    "programme_enrolments",
    "rehab_plans",
    "rehab_plan_versions",
    "home_session_logs",
    "weekly_reviews",
    "joint_clearances",
    "check_ins",
    "online_sessions",
    "messages",
    "adverse_events",
    "education_assignments",
    "mdt_meetings",
    "mdt_actions",
}


def write(db: Session, change: Callable[[], object]) -> None:
    """Make ``change`` and flush it in a savepoint, so a refusal leaves the session usable."""
    with db.begin_nested():
        change()
        db.flush()


def reloaded(db: Session, record):
    """The row as the database returns it, not the object still in the session."""
    db.flush()
    db.expunge_all()
    return db.get(type(record), record.id)


# --- round trips -------------------------------------------------------------------


def test_enrolment_defaults_to_twelve_weeks_enrolled_and_keeps_its_snapshot(
    db, patient, therapist
) -> None:
    eligibility = {"outcome": "not_eligible", "failed": ["recent_bleed", "inhibitor"]}
    enrolment = create_enrolment(db, patient, therapist, eligibility=eligibility)

    row = reloaded(db, enrolment)

    assert row.weeks == 12  # REFERENCE.md section 1: a 12-week programme
    assert row.status is EnrolmentStatus.ENROLLED
    assert row.eligibility == eligibility
    assert row.infusion_weekdays == ["mon", "wed", "fri"]
    assert row.version == 1
    assert row.created_at.tzinfo is not None
    assert (row.baseline_hjhs_id, row.regimen_id, row.ended_date) == (None, None, None)


def test_home_session_log_round_trips_time_json_and_text(db, enrolment, parent) -> None:
    started = datetime(2026, 1, 6, 18, 30, tzinfo=BEIJING)
    log = create_session_log(
        db,
        enrolment,
        parent,
        started_at=started,
        exercises={"ankle_pumps": True, "heel_raises": False},
        notes="做了一半 — half done",
    )

    row = reloaded(db, log)

    assert row.started_at == started
    assert row.started_at.utcoffset() == timedelta(0)  # stored and returned in UTC
    assert row.exercises == {"ankle_pumps": True, "heel_raises": False}
    assert row.notes == "做了一半 — half done"
    assert (row.patient_id, row.enrolment_id) == (enrolment.patient_id, enrolment.id)


def test_plan_versions_keep_content_author_and_reason(db, enrolment, therapist) -> None:
    plan = create_plan(db, enrolment, therapist)
    second = add_plan_version(db, plan, therapist, number=2, reason="short goal reached")

    row = reloaded(db, second)

    assert (row.plan_id, row.number, row.reason) == (plan.id, 2, "short goal reached")
    assert row.content == PLAN_CONTENT
    assert row.created_by_id == therapist.id


def test_review_clearance_event_and_education_round_trip(
    db, centre, enrolment, therapist, parent
) -> None:
    doctor = create_user(db, role=Role.HEMATOLOGIST, centre=centre)
    at = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)
    rows = [
        WeeklyReviewRecord(
            enrolment_id=enrolment.id,
            week=3,
            decision=Decision.HOLD,
            paused_joints=["left_knee"],
            suggestions=[{"code": "split_sessions"}],
            reasons=["bleed in left_knee"],
            reviewed_by_id=therapist.id,
        ),
        JointClearanceRecord(
            patient_id=enrolment.patient_id,
            joint=BleedSite.LEFT_ILIOPSOAS,
            cleared_by_id=doctor.id,
            cleared_at=at,
        ),
        AdverseEventRecord(
            patient_id=enrolment.patient_id,
            enrolment_id=None,
            event_type="fall",
            event_date=date(2026, 1, 20),
            related_to_session=False,
            description="Fell at school",
            severity="moderate",
            recorded_by_id=therapist.id,
        ),
        EducationAssignmentRecord(
            patient_id=enrolment.patient_id,
            material_code="recognise_joint_bleed",
            assigned_by_id=therapist.id,
        ),
        MessageRecord(patient_id=enrolment.patient_id, author_id=parent.id, body="你好"),
    ]
    db.add_all(rows)

    review, clearance, event, assignment, message = (reloaded(db, row) for row in rows)

    assert review.decision is Decision.HOLD
    assert (review.week, review.paused_joints, review.reasons) == (
        3,
        ["left_knee"],
        ["bleed in left_knee"],
    )
    assert review.suggestions == [{"code": "split_sessions"}]
    assert (clearance.joint, clearance.cleared_at) == (BleedSite.LEFT_ILIOPSOAS, at)
    assert (event.enrolment_id, event.related_to_session, event.version) == (None, False, 1)
    assert (assignment.material_code, assignment.read_at) == ("recognise_joint_bleed", None)
    assert assignment.assigned_at.tzinfo is not None
    assert (message.body, message.read_at) == ("你好", None)


def test_check_in_online_session_and_mdt_round_trip(db, centre, enrolment, therapist) -> None:
    check_in = create_check_in(
        db, enrolment, therapist, media_kind=MediaKind.VIDEO, size_bytes=3 * 2**30
    )
    online = OnlineSessionRecord(
        enrolment_id=enrolment.id, week=1, scheduled_at=datetime(2026, 1, 7, 10, tzinfo=UTC)
    )
    db.add(online)
    meeting = create_meeting(
        db,
        centre.id,
        therapist,
        agenda=[{"patient_id": enrolment.patient_id, "reasons": ["bleed"]}],
    )
    action = create_action(db, meeting, create_patient(db, centre), owner_role=Role.HEMATOLOGIST)

    check_in, online, meeting, action = (
        reloaded(db, row) for row in (check_in, online, meeting, action)
    )

    assert check_in.media_kind is MediaKind.VIDEO
    assert check_in.size_bytes == 3 * 2**30  # a 3 GiB video does not overflow 32 bits
    assert (check_in.reply, check_in.replied_at) == (None, None)
    assert (online.week, online.held_at, online.therapist_id) == (1, None, None)
    assert meeting.attendees == [{"user_id": therapist.id, "role": "therapist"}]
    assert meeting.agenda[0]["reasons"] == ["bleed"]
    assert (action.owner_role, action.done_at) == (Role.HEMATOLOGIST, None)


# --- what the database refuses -------------------------------------------------------


@pytest.mark.parametrize(
    ("pain_score", "accepted"),
    [(-1, False), (0, True), (1, True), (9, True), (10, True), (11, False)],
    ids=["below-0", "at-0", "above-0", "below-10", "at-10", "above-10"],
)
def test_pain_score_is_0_to_10(db, enrolment, parent, pain_score, accepted) -> None:
    # Issue 4: pain on a 0-10 faces scale.
    if accepted:
        assert create_session_log(db, enrolment, parent, pain_score=pain_score).id is not None
        return
    with pytest.raises(IntegrityError, match="pain_score_range"), db.begin_nested():
        create_session_log(db, enrolment, parent, pain_score=pain_score)


@pytest.mark.parametrize(
    ("build", "constraint"),
    [
        (lambda db, e, u: create_session_log(db, e, u, minutes=-1), "minutes_not_negative"),
        (lambda db, e, u: create_check_in(db, e, u, size_bytes=-1), "size_not_negative"),
        (
            lambda db, e, u: db.add(
                WeeklyReviewRecord(enrolment_id=e.id, week=0, decision="hold", reviewed_by_id=u.id)
            ),
            "week_positive",
        ),
        (
            lambda db, e, u: add_plan_version(db, create_plan(db, e, u), u, number=0),
            "number_positive",
        ),
    ],
    ids=["negative-minutes", "negative-size", "week-0", "plan-version-0"],
)
def test_impossible_numbers_are_refused(db, enrolment, therapist, build, constraint) -> None:
    with pytest.raises(IntegrityError, match=constraint):
        write(db, lambda: build(db, enrolment, therapist))


def test_enrolment_weeks_must_be_positive(db, patient, therapist) -> None:
    with pytest.raises(IntegrityError, match="weeks_positive"), db.begin_nested():
        create_enrolment(db, patient, therapist, weeks=0)


def test_status_outside_its_codes_is_refused(db, patient, therapist) -> None:
    with pytest.raises(StatementError, match="paused"), db.begin_nested():
        create_enrolment(db, patient, therapist, status="paused")


def test_a_child_has_at_most_one_running_enrolment(db, patient, therapist) -> None:
    create_enrolment(db, patient, therapist)

    with pytest.raises(IntegrityError, match="uq_programme_enrolments_active_patient|UNIQUE"):
        write(db, lambda: create_enrolment(db, patient, therapist, start_date=date(2026, 6, 1)))


def test_finished_and_archived_enrolments_do_not_block_a_new_one(db, patient, therapist) -> None:
    create_enrolment(db, patient, therapist, status=EnrolmentStatus.COMPLETED)
    create_enrolment(db, patient, therapist, status=EnrolmentStatus.WITHDRAWN)
    mistaken = create_enrolment(db, patient, therapist)
    mistaken.archived_at = datetime(2026, 1, 5, tzinfo=UTC)
    db.flush()

    current = create_enrolment(db, patient, therapist, start_date=date(2026, 6, 1))

    by_patient = ProgrammeEnrolmentRecord.patient_id == patient.id
    assert db.scalar(select(func.count()).where(by_patient)) == 4
    assert current.status is EnrolmentStatus.ENROLLED


def test_a_log_cannot_name_another_childs_enrolment(db, centre, enrolment, parent) -> None:
    other_child = create_patient(db, centre)
    log = create_session_log(db, enrolment, parent)

    with pytest.raises(IntegrityError, match="fk_home_session_logs_enrolment_id|FOREIGN KEY"):
        write(db, lambda: setattr(log, "patient_id", other_child.id))


def test_a_plan_version_number_is_used_once(db, enrolment, therapist) -> None:
    plan = create_plan(db, enrolment, therapist)

    with pytest.raises(IntegrityError, match="uq_rehab_plan_versions_plan_id_number|UNIQUE"):
        write(db, lambda: add_plan_version(db, plan, therapist, number=1, reason="a racing edit"))


def test_one_online_session_per_week(db, enrolment) -> None:
    at = datetime(2026, 1, 7, 10, tzinfo=UTC)
    db.add(OnlineSessionRecord(enrolment_id=enrolment.id, week=2, scheduled_at=at))
    db.flush()

    with pytest.raises(IntegrityError, match="uq_online_sessions_enrolment_id_week|UNIQUE"):
        write(
            db,
            lambda: db.add(OnlineSessionRecord(enrolment_id=enrolment.id, week=2, scheduled_at=at)),
        )


def test_plan_versions_are_never_updated_or_deleted(db, enrolment, therapist) -> None:
    plan = create_plan(db, enrolment, therapist)
    by_plan = RehabPlanVersionRecord.plan_id == plan.id

    rewrite = update(RehabPlanVersionRecord).where(by_plan).values(reason="rewritten")
    delete = text("DELETE FROM rehab_plan_versions WHERE plan_id = :id")

    with pytest.raises(DBAPIError, match="rehab_plan_versions are never edited"):
        write(db, lambda: db.execute(rewrite))
    with pytest.raises(DBAPIError, match="rehab_plan_versions are never edited"):
        write(db, lambda: db.execute(delete, {"id": plan.id}))

    assert db.scalars(select(RehabPlanVersionRecord.reason).where(by_plan)).all() == ["generated"]


# --- the migration ---------------------------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
def test_migration_0002_upgrades_downgrades_and_upgrades_again(backend, tmp_path: Path) -> None:
    with fresh_database(backend, tmp_path, migrate=False) as url:
        config = alembic_config(url)
        command.upgrade(config, "head")
        assert _tables(url) >= PROGRAMME_TABLES

        command.downgrade(config, "0001")
        remaining = _tables(url)
        assert not PROGRAMME_TABLES & remaining
        assert {"patients", "bleeds", "audit_log"} <= remaining

        command.upgrade(config, "head")  # the guard function and triggers were dropped too
        assert _tables(url) >= PROGRAMME_TABLES
        command.check(config)  # the models and the migrations describe the same schema


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    names = set(inspect(engine).get_table_names())
    engine.dispose()
    return names

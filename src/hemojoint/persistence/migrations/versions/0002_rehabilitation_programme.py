"""Rehabilitation programme: enrolments, plan versions, home logs, reviews, tele-rehab, MDT.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 17:51:58.271127
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import hemojoint.persistence.base

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "education_assignments",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("material_code", sa.String(length=60), nullable=False),
        sa.Column("assigned_by_id", sa.Integer(), nullable=False),
        sa.Column(
            "assigned_at", hemojoint.persistence.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("read_at", hemojoint.persistence.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assigned_by_id"],
            ["users.id"],
            name=op.f("fk_education_assignments_assigned_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_education_assignments_patient_id_patients"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_education_assignments")),
    )
    with op.batch_alter_table("education_assignments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_education_assignments_patient_material",
            ["patient_id", "material_code"],
            unique=False,
        )

    op.create_table(
        "mdt_meetings",
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.Column("meeting_date", sa.Date(), nullable=False),
        sa.Column("led_by_id", sa.Integer(), nullable=False),
        sa.Column("notes", sa.String(length=4000), nullable=True),
        sa.Column(
            "agenda",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "attendees",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            hemojoint.persistence.base.UtcDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            hemojoint.persistence.base.UtcDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["centre_id"], ["centres.id"], name=op.f("fk_mdt_meetings_centre_id_centres")
        ),
        sa.ForeignKeyConstraint(
            ["led_by_id"], ["users.id"], name=op.f("fk_mdt_meetings_led_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mdt_meetings")),
    )
    with op.batch_alter_table("mdt_meetings", schema=None) as batch_op:
        batch_op.create_index(
            "ix_mdt_meetings_centre_date", ["centre_id", "meeting_date"], unique=False
        )

    op.create_table(
        "mdt_actions",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=2000), nullable=False),
        sa.Column(
            "owner_role",
            sa.Enum(
                "admin",
                "hematologist",
                "rehab_physician",
                "therapist",
                "sonographer",
                "nurse",
                "caregiver",
                "patient",
                name="owner_role",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("done_at", hemojoint.persistence.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            hemojoint.persistence.base.UtcDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            hemojoint.persistence.base.UtcDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["mdt_meetings.id"], name=op.f("fk_mdt_actions_meeting_id_mdt_meetings")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_mdt_actions_patient_id_patients")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mdt_actions")),
    )
    with op.batch_alter_table("mdt_actions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mdt_actions_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_index(
            "ix_mdt_actions_patient_due", ["patient_id", "due_date"], unique=False
        )

    op.create_table(
        "programme_enrolments",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("weeks", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "enrolled",
                "completed",
                "withdrawn",
                name="enrolment_status",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("ended_date", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.String(length=500), nullable=True),
        sa.Column(
            "eligibility",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("baseline_hjhs_id", sa.Integer(), nullable=True),
        sa.Column("baseline_ultrasound_id", sa.Integer(), nullable=True),
        sa.Column("baseline_choklat_id", sa.Integer(), nullable=True),
        sa.Column("regimen_id", sa.Integer(), nullable=True),
        sa.Column(
            "infusion_weekdays",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("enrolled_by_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            hemojoint.persistence.base.UtcDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            hemojoint.persistence.base.UtcDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "archived_at", hemojoint.persistence.base.UtcDateTime(timezone=True), nullable=True
        ),
        sa.Column("archived_reason", sa.String(length=500), nullable=True),
        sa.CheckConstraint("weeks >= 1", name=op.f("ck_programme_enrolments_weeks_positive")),
        sa.ForeignKeyConstraint(
            ["baseline_choklat_id"],
            ["assessments.id"],
            name=op.f("fk_programme_enrolments_baseline_choklat_id_assessments"),
        ),
        sa.ForeignKeyConstraint(
            ["baseline_hjhs_id"],
            ["assessments.id"],
            name=op.f("fk_programme_enrolments_baseline_hjhs_id_assessments"),
        ),
        sa.ForeignKeyConstraint(
            ["baseline_ultrasound_id"],
            ["assessments.id"],
            name=op.f("fk_programme_enrolments_baseline_ultrasound_id_assessments"),
        ),
        sa.ForeignKeyConstraint(
            ["enrolled_by_id"],
            ["users.id"],
            name=op.f("fk_programme_enrolments_enrolled_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_programme_enrolments_patient_id_patients"),
        ),
        sa.ForeignKeyConstraint(
            ["regimen_id"],
            ["prophylaxis_regimens.id"],
            name=op.f("fk_programme_enrolments_regimen_id_prophylaxis_regimens"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_enrolments")),
        sa.UniqueConstraint("id", "patient_id", name=op.f("uq_programme_enrolments_id_patient_id")),
    )
    with op.batch_alter_table("programme_enrolments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_programme_enrolments_patient_status", ["patient_id", "status"], unique=False
        )
        batch_op.create_index(
            "uq_programme_enrolments_active_patient",
            ["patient_id"],
            unique=True,
            sqlite_where=sa.text("status = 'enrolled' AND archived_at IS NULL"),
            postgresql_where=sa.text("status = 'enrolled' AND archived_at IS NULL"),
        )

    op.create_table(
        "adverse_events",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=True),
        sa.Column("event_type", sa.String(length=40), nullable=False),
        sa.Column("event_date", sa.Date(), nullable=False),
        sa.Column("related_to_session", sa.Boolean(), nullable=False),
        sa.Column("description", sa.String(length=2000), nullable=False),
        sa.Column("severity", sa.String(length=20), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            hemojoint.persistence.base.UtcDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            hemojoint.persistence.base.UtcDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "archived_at", hemojoint.persistence.base.UtcDateTime(timezone=True), nullable=True
        ),
        sa.Column("archived_reason", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["enrolment_id", "patient_id"],
            ["programme_enrolments.id", "programme_enrolments.patient_id"],
            name=op.f("fk_adverse_events_enrolment_id_programme_enrolments"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_adverse_events_patient_id_patients")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_adverse_events_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_adverse_events")),
    )
    with op.batch_alter_table("adverse_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_adverse_events_enrolment_id"), ["enrolment_id"], unique=False
        )
        batch_op.create_index(
            "ix_adverse_events_patient_date", ["patient_id", "event_date"], unique=False
        )

    op.create_table(
        "check_ins",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=False),
        sa.Column(
            "media_kind",
            sa.Enum(
                "photo",
                "video",
                name="media_kind",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("storage_key", sa.String(length=300), nullable=False),
        sa.Column("original_filename", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("note", sa.String(length=2000), nullable=True),
        sa.Column("reply", sa.String(length=4000), nullable=True),
        sa.Column("replied_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "replied_at", hemojoint.persistence.base.UtcDateTime(timezone=True), nullable=True
        ),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            hemojoint.persistence.base.UtcDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            hemojoint.persistence.base.UtcDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "archived_at", hemojoint.persistence.base.UtcDateTime(timezone=True), nullable=True
        ),
        sa.Column("archived_reason", sa.String(length=500), nullable=True),
        sa.CheckConstraint("size_bytes >= 0", name=op.f("ck_check_ins_size_not_negative")),
        sa.ForeignKeyConstraint(
            ["enrolment_id", "patient_id"],
            ["programme_enrolments.id", "programme_enrolments.patient_id"],
            name=op.f("fk_check_ins_enrolment_id_programme_enrolments"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_check_ins_patient_id_patients")
        ),
        sa.ForeignKeyConstraint(
            ["replied_by_id"], ["users.id"], name=op.f("fk_check_ins_replied_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["users.id"], name=op.f("fk_check_ins_uploaded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_check_ins")),
        sa.UniqueConstraint("storage_key", name=op.f("uq_check_ins_storage_key")),
    )
    with op.batch_alter_table("check_ins", schema=None) as batch_op:
        batch_op.create_index(
            "ix_check_ins_enrolment_created", ["enrolment_id", "created_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_check_ins_patient_id"), ["patient_id"], unique=False)

    op.create_table(
        "home_session_logs",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("session_date", sa.Date(), nullable=False),
        sa.Column(
            "started_at", hemojoint.persistence.base.UtcDateTime(timezone=True), nullable=True
        ),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column(
            "exercises",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("pain_score", sa.Integer(), nullable=False),
        sa.Column("notes", sa.String(length=2000), nullable=True),
        sa.Column("logged_by_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            hemojoint.persistence.base.UtcDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            hemojoint.persistence.base.UtcDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "archived_at", hemojoint.persistence.base.UtcDateTime(timezone=True), nullable=True
        ),
        sa.Column("archived_reason", sa.String(length=500), nullable=True),
        sa.CheckConstraint("minutes >= 0", name=op.f("ck_home_session_logs_minutes_not_negative")),
        sa.CheckConstraint(
            "pain_score BETWEEN 0 AND 10", name=op.f("ck_home_session_logs_pain_score_range")
        ),
        sa.ForeignKeyConstraint(
            ["enrolment_id", "patient_id"],
            ["programme_enrolments.id", "programme_enrolments.patient_id"],
            name=op.f("fk_home_session_logs_enrolment_id_programme_enrolments"),
        ),
        sa.ForeignKeyConstraint(
            ["logged_by_id"], ["users.id"], name=op.f("fk_home_session_logs_logged_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_home_session_logs_patient_id_patients")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_home_session_logs")),
    )
    with op.batch_alter_table("home_session_logs", schema=None) as batch_op:
        batch_op.create_index(
            "ix_home_session_logs_enrolment_date", ["enrolment_id", "session_date"], unique=False
        )
        batch_op.create_index(
            "ix_home_session_logs_patient_date", ["patient_id", "session_date"], unique=False
        )

    op.create_table(
        "joint_clearances",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=True),
        sa.Column(
            "joint",
            sa.Enum(
                "left_shoulder",
                "right_shoulder",
                "left_elbow",
                "right_elbow",
                "left_wrist",
                "right_wrist",
                "left_hip",
                "right_hip",
                "left_knee",
                "right_knee",
                "left_ankle",
                "right_ankle",
                "left_iliopsoas",
                "right_iliopsoas",
                "left_forearm",
                "right_forearm",
                "left_upper_arm",
                "right_upper_arm",
                "left_thigh",
                "right_thigh",
                "left_calf",
                "right_calf",
                "left_gluteal",
                "right_gluteal",
                "head",
                "neck",
                "throat",
                "abdomen",
                "mouth",
                "nose",
                "skin",
                "other",
                name="joint",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("bleed_id", sa.Integer(), nullable=True),
        sa.Column("cleared_by_id", sa.Integer(), nullable=False),
        sa.Column(
            "cleared_at", hemojoint.persistence.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bleed_id"], ["bleeds.id"], name=op.f("fk_joint_clearances_bleed_id_bleeds")
        ),
        sa.ForeignKeyConstraint(
            ["cleared_by_id"], ["users.id"], name=op.f("fk_joint_clearances_cleared_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["enrolment_id", "patient_id"],
            ["programme_enrolments.id", "programme_enrolments.patient_id"],
            name=op.f("fk_joint_clearances_enrolment_id_programme_enrolments"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_joint_clearances_patient_id_patients")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_joint_clearances")),
    )
    with op.batch_alter_table("joint_clearances", schema=None) as batch_op:
        batch_op.create_index(
            "ix_joint_clearances_patient_joint", ["patient_id", "joint", "cleared_at"], unique=False
        )

    op.create_table(
        "messages",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.String(length=4000), nullable=False),
        sa.Column(
            "created_at", hemojoint.persistence.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("read_at", hemojoint.persistence.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_messages_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["enrolment_id", "patient_id"],
            ["programme_enrolments.id", "programme_enrolments.patient_id"],
            name=op.f("fk_messages_enrolment_id_programme_enrolments"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_messages_patient_id_patients")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
    )
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.create_index(
            "ix_messages_patient_created", ["patient_id", "created_at"], unique=False
        )

    op.create_table(
        "online_sessions",
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("week", sa.Integer(), nullable=False),
        sa.Column(
            "scheduled_at", hemojoint.persistence.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("held_at", hemojoint.persistence.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("therapist_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.String(length=4000), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            hemojoint.persistence.base.UtcDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            hemojoint.persistence.base.UtcDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("week >= 1", name=op.f("ck_online_sessions_week_positive")),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["programme_enrolments.id"],
            name=op.f("fk_online_sessions_enrolment_id_programme_enrolments"),
        ),
        sa.ForeignKeyConstraint(
            ["therapist_id"], ["users.id"], name=op.f("fk_online_sessions_therapist_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_online_sessions")),
        sa.UniqueConstraint(
            "enrolment_id", "week", name=op.f("uq_online_sessions_enrolment_id_week")
        ),
    )
    op.create_table(
        "rehab_plans",
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at", hemojoint.persistence.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_rehab_plans_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["programme_enrolments.id"],
            name=op.f("fk_rehab_plans_enrolment_id_programme_enrolments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rehab_plans")),
        sa.UniqueConstraint("enrolment_id", name=op.f("uq_rehab_plans_enrolment_id")),
    )
    op.create_table(
        "weekly_reviews",
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("week", sa.Integer(), nullable=False),
        sa.Column(
            "decision",
            sa.Enum(
                "progress",
                "hold",
                name="review_decision",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "paused_joints",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "suggestions",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "reasons",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at", hemojoint.persistence.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint("week >= 1", name=op.f("ck_weekly_reviews_week_positive")),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["programme_enrolments.id"],
            name=op.f("fk_weekly_reviews_enrolment_id_programme_enrolments"),
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"], ["users.id"], name=op.f("fk_weekly_reviews_reviewed_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_weekly_reviews")),
    )
    with op.batch_alter_table("weekly_reviews", schema=None) as batch_op:
        batch_op.create_index(
            "ix_weekly_reviews_enrolment_week", ["enrolment_id", "week"], unique=False
        )

    op.create_table(
        "rehab_plan_versions",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column(
            "created_at", hemojoint.persistence.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column(
            "content",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint("number >= 1", name=op.f("ck_rehab_plan_versions_number_positive")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_rehab_plan_versions_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["rehab_plans.id"], name=op.f("fk_rehab_plan_versions_plan_id_rehab_plans")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rehab_plan_versions")),
        sa.UniqueConstraint(
            "plan_id", "number", name=op.f("uq_rehab_plan_versions_plan_id_number")
        ),
    )
    _make_plan_versions_immutable()


def downgrade() -> None:
    _drop_plan_version_guards()
    op.drop_table("rehab_plan_versions")
    with op.batch_alter_table("weekly_reviews", schema=None) as batch_op:
        batch_op.drop_index("ix_weekly_reviews_enrolment_week")

    op.drop_table("weekly_reviews")
    op.drop_table("rehab_plans")
    op.drop_table("online_sessions")
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_index("ix_messages_patient_created")

    op.drop_table("messages")
    with op.batch_alter_table("joint_clearances", schema=None) as batch_op:
        batch_op.drop_index("ix_joint_clearances_patient_joint")

    op.drop_table("joint_clearances")
    with op.batch_alter_table("home_session_logs", schema=None) as batch_op:
        batch_op.drop_index("ix_home_session_logs_patient_date")
        batch_op.drop_index("ix_home_session_logs_enrolment_date")

    op.drop_table("home_session_logs")
    with op.batch_alter_table("check_ins", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_check_ins_patient_id"))
        batch_op.drop_index("ix_check_ins_enrolment_created")

    op.drop_table("check_ins")
    with op.batch_alter_table("adverse_events", schema=None) as batch_op:
        batch_op.drop_index("ix_adverse_events_patient_date")
        batch_op.drop_index(batch_op.f("ix_adverse_events_enrolment_id"))

    op.drop_table("adverse_events")
    with op.batch_alter_table("programme_enrolments", schema=None) as batch_op:
        batch_op.drop_index("uq_programme_enrolments_active_patient")
        batch_op.drop_index("ix_programme_enrolments_patient_status")

    op.drop_table("programme_enrolments")
    with op.batch_alter_table("mdt_actions", schema=None) as batch_op:
        batch_op.drop_index("ix_mdt_actions_patient_due")
        batch_op.drop_index(batch_op.f("ix_mdt_actions_meeting_id"))

    op.drop_table("mdt_actions")
    with op.batch_alter_table("mdt_meetings", schema=None) as batch_op:
        batch_op.drop_index("ix_mdt_meetings_centre_date")

    op.drop_table("mdt_meetings")
    with op.batch_alter_table("education_assignments", schema=None) as batch_op:
        batch_op.drop_index("ix_education_assignments_patient_material")

    op.drop_table("education_assignments")


# A plan version is a record of what the child was prescribed and why: a change is a new
# version, never an edit. As for the audit log, the database itself refuses UPDATE and DELETE.
_SQLITE_GUARDS = [
    """CREATE TRIGGER rehab_plan_versions_no_update BEFORE UPDATE ON rehab_plan_versions
       BEGIN SELECT RAISE(ABORT, 'rehab_plan_versions are never edited'); END""",
    """CREATE TRIGGER rehab_plan_versions_no_delete BEFORE DELETE ON rehab_plan_versions
       BEGIN SELECT RAISE(ABORT, 'rehab_plan_versions are never edited'); END""",
]
_POSTGRES_GUARDS = [
    """CREATE FUNCTION rehab_plan_versions_immutable() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'rehab_plan_versions are never edited'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER rehab_plan_versions_no_change BEFORE UPDATE OR DELETE ON rehab_plan_versions
       FOR EACH ROW EXECUTE FUNCTION rehab_plan_versions_immutable()""",
]


def _make_plan_versions_immutable() -> None:
    guards = _POSTGRES_GUARDS if op.get_bind().dialect.name == "postgresql" else _SQLITE_GUARDS
    for statement in guards:
        op.execute(statement)


def _drop_plan_version_guards() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER rehab_plan_versions_no_change ON rehab_plan_versions")
        op.execute("DROP FUNCTION rehab_plan_versions_immutable()")
    else:
        op.execute("DROP TRIGGER rehab_plan_versions_no_update")
        op.execute("DROP TRIGGER rehab_plan_versions_no_delete")

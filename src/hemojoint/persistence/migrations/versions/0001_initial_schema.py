"""Initial schema: centres, users and access, patients, assessments, bleeds, prophylaxis, audit.

Revision ID: 0001
Revises:
Create Date: 2026-11-21 17:11:37.438141
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import hemojoint.persistence.base

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "centres",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
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
        sa.PrimaryKeyConstraint("id", name=op.f("pk_centres")),
        sa.UniqueConstraint("code", name=op.f("uq_centres_code")),
    )
    op.create_table(
        "login_attempts",
        sa.Column("username", sa.String(length=120), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column(
            "attempted_at", hemojoint.persistence.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_attempts")),
    )
    with op.batch_alter_table("login_attempts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_login_attempts_address_at", ["address", "attempted_at"], unique=False
        )
        batch_op.create_index(
            "ix_login_attempts_username_at", ["username", "attempted_at"], unique=False
        )

    op.create_table(
        "patients",
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.Column("record_number", sa.String(length=40), nullable=False),
        sa.Column("given_name", sa.String(length=120), nullable=False),
        sa.Column("family_name", sa.String(length=120), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column(
            "sex",
            sa.Enum(
                "male",
                "female",
                "other",
                name="sex",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "hemophilia_type",
            sa.Enum(
                "A",
                "B",
                name="hemophilia_type",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("factor_activity_iu_dl", sa.Double(), nullable=False),
        sa.Column(
            "severity",
            sa.Enum(
                "severe",
                "moderate",
                "mild",
                name="severity",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "prior_regimen",
            sa.Enum(
                "on_demand",
                "prophylaxis",
                name="prior_regimen",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
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
            ["centre_id"], ["centres.id"], name=op.f("fk_patients_centre_id_centres")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patients")),
        sa.UniqueConstraint(
            "centre_id", "record_number", name=op.f("uq_patients_centre_id_record_number")
        ),
    )
    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_patients_centre_id"), ["centre_id"], unique=False)

    op.create_table(
        "products",
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("factor", sa.String(length=4), nullable=False),
        sa.Column(
            "vial_sizes_iu",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("recovery_iu_dl_per_iu_kg", sa.Double(), nullable=False),
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
            ["centre_id"], ["centres.id"], name=op.f("fk_products_centre_id_centres")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_products")),
    )
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_products_centre_id"), ["centre_id"], unique=False)

    op.create_table(
        "users",
        sa.Column("username", sa.String(length=120), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "admin",
                "hematologist",
                "rehab_physician",
                "therapist",
                "sonographer",
                "nurse",
                "caregiver",
                "patient",
                name="role",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column(
            "password_changed_at",
            hemojoint.persistence.base.UtcDateTime(timezone=True),
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
        sa.Column(
            "archived_at", hemojoint.persistence.base.UtcDateTime(timezone=True), nullable=True
        ),
        sa.Column("archived_reason", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["centre_id"], ["centres.id"], name=op.f("fk_users_centre_id_centres")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "api_tokens",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at", hemojoint.persistence.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "last_used_at", hemojoint.persistence.base.UtcDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "revoked_at", hemojoint.persistence.base.UtcDateTime(timezone=True), nullable=True
        ),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_tokens_user_id"), ["user_id"], unique=False)

    op.create_table(
        "assessments",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("instrument_code", sa.String(length=40), nullable=False),
        sa.Column("instrument_version", sa.String(length=40), nullable=False),
        sa.Column("instrument_status", sa.String(length=20), nullable=False),
        sa.Column("assessed_date", sa.Date(), nullable=False),
        sa.Column("timepoint", sa.String(length=40), nullable=False),
        sa.Column("assessor_id", sa.Integer(), nullable=False),
        sa.Column(
            "raw",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "result",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("total", sa.Double(), nullable=True),
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
            ["assessor_id"], ["users.id"], name=op.f("fk_assessments_assessor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_assessments_patient_id_patients")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
    )
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_assessments_patient_date", ["patient_id", "assessed_date"], unique=False
        )

    op.create_table(
        "audit_log",
        sa.Column("at", hemojoint.persistence.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=40), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("patient_id", sa.Integer(), nullable=True),
        sa.Column("address", sa.String(length=64), nullable=True),
        sa.Column(
            "detail",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_audit_log_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index("ix_audit_log_patient_at", ["patient_id", "at"], unique=False)
        batch_op.create_index("ix_audit_log_user_at", ["user_id", "at"], unique=False)

    op.create_table(
        "bleeds",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column(
            "site",
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
                name="bleed_site",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "bleed_type",
            sa.Enum(
                "spontaneous",
                "traumatic",
                name="bleed_type",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "started_at", hemojoint.persistence.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "treatment_ended_at",
            hemojoint.persistence.base.UtcDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column(
            "findings",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "triage",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("urgency", sa.String(length=20), nullable=True),
        sa.Column("hospital_days", sa.Integer(), nullable=True),
        sa.Column("femoral_neuropathy", sa.Boolean(), nullable=False),
        sa.Column("neuropathy_recovery_date", sa.Date(), nullable=True),
        sa.Column("complications", sa.String(length=1000), nullable=True),
        sa.Column("reported_by_id", sa.Integer(), nullable=False),
        sa.Column("notes", sa.String(length=2000), nullable=True),
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
            ["patient_id"], ["patients.id"], name=op.f("fk_bleeds_patient_id_patients")
        ),
        sa.ForeignKeyConstraint(
            ["reported_by_id"], ["users.id"], name=op.f("fk_bleeds_reported_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bleeds")),
    )
    with op.batch_alter_table("bleeds", schema=None) as batch_op:
        batch_op.create_index(
            "ix_bleeds_patient_started", ["patient_id", "started_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_bleeds_urgency"), ["urgency"], unique=False)

    op.create_table(
        "consents",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("given_by", sa.String(length=200), nullable=False),
        sa.Column("given_date", sa.Date(), nullable=False),
        sa.Column("withdrawn_date", sa.Date(), nullable=True),
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
            ["patient_id"], ["patients.id"], name=op.f("fk_consents_patient_id_patients")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consents")),
    )
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consents_patient_id"), ["patient_id"], unique=False)

    op.create_table(
        "family_links",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("relationship", sa.String(length=40), nullable=False),
        sa.Column(
            "revoked_at", hemojoint.persistence.base.UtcDateTime(timezone=True), nullable=True
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
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_family_links_patient_id_patients")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_family_links_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_family_links")),
        sa.UniqueConstraint(
            "user_id", "patient_id", name=op.f("uq_family_links_user_id_patient_id")
        ),
    )
    with op.batch_alter_table("family_links", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_family_links_patient_id"), ["patient_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_family_links_user_id"), ["user_id"], unique=False)

    op.create_table(
        "inhibitor_results",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("sample_date", sa.Date(), nullable=False),
        sa.Column("titre_bu_ml", sa.Double(), nullable=True),
        sa.Column("positive", sa.Boolean(), nullable=False),
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
            ["patient_id"], ["patients.id"], name=op.f("fk_inhibitor_results_patient_id_patients")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_inhibitor_results_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inhibitor_results")),
    )
    with op.batch_alter_table("inhibitor_results", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inhibitor_results_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "prophylaxis_regimens",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("dose_iu", sa.Integer(), nullable=False),
        sa.Column("dose_iu_per_kg", sa.Double(), nullable=False),
        sa.Column("infusions_per_week", sa.Integer(), nullable=False),
        sa.Column(
            "weekdays",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("exception_reason", sa.String(length=500), nullable=True),
        sa.Column("prescribed_by_id", sa.Integer(), nullable=False),
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
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_prophylaxis_regimens_patient_id_patients"),
        ),
        sa.ForeignKeyConstraint(
            ["prescribed_by_id"],
            ["users.id"],
            name=op.f("fk_prophylaxis_regimens_prescribed_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_prophylaxis_regimens_product_id_products"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prophylaxis_regimens")),
    )
    with op.batch_alter_table("prophylaxis_regimens", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_prophylaxis_regimens_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at", hemojoint.persistence.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "expires_at", hemojoint.persistence.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "revoked_at", hemojoint.persistence.base.UtcDateTime(timezone=True), nullable=True
        ),
        sa.Column("address", sa.String(length=64), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_sessions_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_sessions_token_hash")),
    )
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sessions_user_id"), ["user_id"], unique=False)

    op.create_table(
        "weights",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("measured_date", sa.Date(), nullable=False),
        sa.Column("weight_kg", sa.Double(), nullable=False),
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
            ["patient_id"], ["patients.id"], name=op.f("fk_weights_patient_id_patients")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_weights_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_weights")),
    )
    with op.batch_alter_table("weights", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_weights_patient_id"), ["patient_id"], unique=False)

    op.create_table(
        "assessment_amendments",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column(
            "amended_at", hemojoint.persistence.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("amended_by_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("previous_version", sa.Integer(), nullable=False),
        sa.Column("previous_assessed_date", sa.Date(), nullable=False),
        sa.Column("previous_timepoint", sa.String(length=40), nullable=False),
        sa.Column(
            "previous_raw",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "previous_result",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["amended_by_id"],
            ["users.id"],
            name=op.f("fk_assessment_amendments_amended_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_assessment_amendments_assessment_id_assessments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_amendments")),
    )
    with op.batch_alter_table("assessment_amendments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessment_amendments_assessment_id"), ["assessment_id"], unique=False
        )

    op.create_table(
        "infusions",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("lot", sa.String(length=60), nullable=True),
        sa.Column(
            "given_at", hemojoint.persistence.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("dose_iu", sa.Integer(), nullable=False),
        sa.Column("dose_iu_per_kg", sa.Double(), nullable=True),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("bleed_id", sa.Integer(), nullable=True),
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
            ["bleed_id"], ["bleeds.id"], name=op.f("fk_infusions_bleed_id_bleeds")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_infusions_patient_id_patients")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_infusions_product_id_products")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_infusions_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_infusions")),
    )
    with op.batch_alter_table("infusions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_infusions_patient_given", ["patient_id", "given_at"], unique=False
        )

    _make_audit_log_append_only()


def downgrade() -> None:
    _drop_audit_log_guards()
    with op.batch_alter_table("infusions", schema=None) as batch_op:
        batch_op.drop_index("ix_infusions_patient_given")

    op.drop_table("infusions")
    with op.batch_alter_table("assessment_amendments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_amendments_assessment_id"))

    op.drop_table("assessment_amendments")
    with op.batch_alter_table("weights", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_weights_patient_id"))

    op.drop_table("weights")
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sessions_user_id"))

    op.drop_table("sessions")
    with op.batch_alter_table("prophylaxis_regimens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_prophylaxis_regimens_patient_id"))

    op.drop_table("prophylaxis_regimens")
    with op.batch_alter_table("inhibitor_results", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inhibitor_results_patient_id"))

    op.drop_table("inhibitor_results")
    with op.batch_alter_table("family_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_family_links_user_id"))
        batch_op.drop_index(batch_op.f("ix_family_links_patient_id"))

    op.drop_table("family_links")
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consents_patient_id"))

    op.drop_table("consents")
    with op.batch_alter_table("bleeds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bleeds_urgency"))
        batch_op.drop_index("ix_bleeds_patient_started")

    op.drop_table("bleeds")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_user_at")
        batch_op.drop_index("ix_audit_log_patient_at")

    op.drop_table("audit_log")
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_index("ix_assessments_patient_date")

    op.drop_table("assessments")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_tokens_user_id"))

    op.drop_table("api_tokens")
    op.drop_table("users")
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_products_centre_id"))

    op.drop_table("products")
    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_patients_centre_id"))

    op.drop_table("patients")
    with op.batch_alter_table("login_attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_login_attempts_username_at")
        batch_op.drop_index("ix_login_attempts_address_at")

    op.drop_table("login_attempts")
    op.drop_table("centres")


# The audit log must not be edited, by the application or by anyone with SQL access
# through it: the database itself refuses UPDATE and DELETE on it.
_SQLITE_GUARDS = [
    """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
       BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
    """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
       BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
]
_POSTGRES_GUARDS = [
    """CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit_log is append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
       FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()""",
]


def _make_audit_log_append_only() -> None:
    guards = _POSTGRES_GUARDS if op.get_bind().dialect.name == "postgresql" else _SQLITE_GUARDS
    for statement in guards:
        op.execute(statement)


def _drop_audit_log_guards() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_log_no_change ON audit_log")
        op.execute("DROP FUNCTION audit_log_append_only()")
    else:
        op.execute("DROP TRIGGER audit_log_no_update")
        op.execute("DROP TRIGGER audit_log_no_delete")

"""Alerts: bleeds triaged emergency or urgent, acknowledged by a named clinician.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import hemojoint.persistence.base

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _utc(name: str, *, nullable: bool, now_default: bool = False) -> sa.Column[object]:
    default = sa.text("(CURRENT_TIMESTAMP)") if now_default else None
    return sa.Column(
        name,
        hemojoint.persistence.base.UtcDateTime(timezone=True),
        server_default=default,
        nullable=nullable,
    )


def upgrade() -> None:
    op.create_table(
        "alerts",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("bleed_id", sa.Integer(), nullable=False),
        sa.Column("urgency", sa.String(length=20), nullable=False),
        sa.Column(
            "reasons",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        _utc("raised_at", nullable=False),
        sa.Column("acknowledged_by_id", sa.Integer(), nullable=True),
        _utc("acknowledged_at", nullable=True),
        sa.Column("acknowledgement_note", sa.String(length=1000), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        _utc("created_at", nullable=False, now_default=True),
        _utc("updated_at", nullable=False, now_default=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "urgency IN ('emergency', 'urgent')", name=op.f("ck_alerts_urgency_alerting")
        ),
        sa.ForeignKeyConstraint(
            ["acknowledged_by_id"], ["users.id"], name=op.f("fk_alerts_acknowledged_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["bleed_id"], ["bleeds.id"], name=op.f("fk_alerts_bleed_id_bleeds")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_alerts_patient_id_patients")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
        sa.UniqueConstraint("bleed_id", name=op.f("uq_alerts_bleed_id")),
    )
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_alerts_patient_open", ["patient_id", "acknowledged_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_index("ix_alerts_patient_open")
    op.drop_table("alerts")

"""Centres: the contact line families call (printed plans, bleed advice).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 20:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("centres") as table:
        table.add_column(sa.Column("contact_line", sa.String(length=120), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("centres") as table:
        table.drop_column("contact_line")

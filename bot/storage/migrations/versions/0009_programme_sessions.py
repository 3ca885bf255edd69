"""programme sessions and sign-ups (issue 13)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 09:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "programme_sessions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("programme", sa.String(length=32), nullable=False),
        sa.Column("titles", sa.JSON(), nullable=False),
        sa.Column("min_age", sa.Integer(), nullable=True),
        sa.Column("max_age", sa.Integer(), nullable=True),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("service_id", sa.String(length=64), nullable=True),
        sa.Column("district", sa.String(length=64), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_sessions")),
    )
    with op.batch_alter_table("programme_sessions") as batch:
        batch.create_index("ix_programme_sessions_starts", ["starts_at"], unique=False)
    op.create_table(
        "session_signups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.String(length=64), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("first_name_enc", sa.Text(), nullable=True),
        sa.Column("names_consent", sa.Boolean(), nullable=False),
        sa.Column("attended", sa.Boolean(), nullable=True),
        sa.Column("reminders_sent", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"],
            name=op.f("fk_session_signups_contact_id_contacts"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"], ["programme_sessions.id"],
            name=op.f("fk_session_signups_session_id_programme_sessions"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_signups")),
        sa.UniqueConstraint(
            "session_id", "contact_id", name=op.f("uq_session_signups_session_id")
        ),
    )  # fmt: skip
    with op.batch_alter_table("session_signups") as batch:
        batch.create_index(batch.f("ix_session_signups_contact_id"), ["contact_id"], unique=False)
        batch.create_index(
            "ix_session_signups_session_status", ["session_id", "status", "id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("session_signups")
    op.drop_table("programme_sessions")

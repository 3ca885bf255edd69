"""awareness messages: opt-in subscriptions, sends and their deliveries (issue 13)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 09:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "awareness_subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("district", sa.String(length=64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"],
            name=op.f("fk_awareness_subscriptions_contact_id_contacts"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_awareness_subscriptions")),
        sa.UniqueConstraint("contact_id", name=op.f("uq_awareness_subscriptions_contact_id")),
    )  # fmt: skip
    op.create_table(
        "awareness_sends",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("texts", sa.JSON(), nullable=False),
        sa.Column("audience", sa.JSON(), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"],
            name=op.f("fk_awareness_sends_staff_id_staff"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_awareness_sends")),
    )  # fmt: skip
    op.create_table(
        "awareness_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("send_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"],
            name=op.f("fk_awareness_deliveries_contact_id_contacts"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["message_id"], ["messages.id"],
            name=op.f("fk_awareness_deliveries_message_id_messages"), ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["send_id"], ["awareness_sends.id"],
            name=op.f("fk_awareness_deliveries_send_id_awareness_sends"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_awareness_deliveries")),
    )  # fmt: skip
    with op.batch_alter_table("awareness_deliveries") as batch:
        batch.create_index(
            batch.f("ix_awareness_deliveries_contact_id"), ["contact_id"], unique=False
        )
        batch.create_index(batch.f("ix_awareness_deliveries_send_id"), ["send_id"], unique=False)


def downgrade() -> None:
    op.drop_table("awareness_deliveries")
    op.drop_table("awareness_sends")
    op.drop_table("awareness_subscriptions")

"""channels: chat-local message refs, delivery error codes, outbox actions, staff contacts

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 08:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contacts") as batch:
        batch.add_column(
            sa.Column("kind", sa.String(length=8), nullable=False, server_default="person")
        )
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("platform_ref", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("error_code", sa.String(length=16), nullable=True))
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("action", sa.String(length=16), nullable=True))
        batch.create_index("ix_outbox_contact", ["contact_id", "id"])
    op.execute("UPDATE outbox SET status = 'dead' WHERE status = 'failed'")


def downgrade() -> None:
    op.execute("UPDATE outbox SET status = 'failed' WHERE status = 'dead'")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_contact")
        batch.drop_column("action")
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("error_code")
        batch.drop_column("platform_ref")
    with op.batch_alter_table("contacts") as batch:
        batch.drop_column("kind")

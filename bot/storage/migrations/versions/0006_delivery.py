"""delivery: indexes for claiming a person's oldest outbox item and finding their last message

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 16:55:00

The sender claims an item only while no other item of the same person is
`sending` and no earlier one is `pending`: `ix_outbox_contact_status` answers
both with an index seek. The reply-latency metric reads the person's message
just before a reply: `ix_messages_contact_direction`.
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.create_index("ix_outbox_contact_status", ["contact_id", "status", "id"])
    with op.batch_alter_table("messages") as batch:
        batch.create_index("ix_messages_contact_direction", ["contact_id", "direction", "id"])


def downgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.drop_index("ix_messages_contact_direction")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_contact_status")

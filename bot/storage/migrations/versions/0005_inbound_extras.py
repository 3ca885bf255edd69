"""inbound extras: what a platform said besides the text, for recovery after a crash

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 16:40:00

`messages.extras_enc` keeps an inbound message's command, tapped button,
media kind, location and language code (encrypted JSON), so a message stored
but not processed when the process died is processed as it arrived: a
`/exit` stays a quick exit, a tap stays a tap.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("extras_enc", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("extras_enc")

"""safe contact: whether and when a caseworker may write to the person

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 09:45:00

`cases.safe_contact` keeps the person's answer to "is it safe for a
caseworker to write here?" after a disclosure: `now`, `reply_first` (write
only after I write), or a daily local window such as `18:00-22:00`; null
while they have not answered. A caseworker's reply outside it waits in the
outbox as `held` (bot/cases/safe_contact.py).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("safe_contact", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("safe_contact")

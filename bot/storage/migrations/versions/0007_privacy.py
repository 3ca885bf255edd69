"""privacy: the audit log's purge permit, the first-contact notice, retention indexes

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 08:40:00

The audit log stays append-only (no UPDATE ever), but the retention purge may
delete events older than the cutoff it writes to `audit_purge_permits` in its
own transaction (and deletes again before commit). Without a permit row, a
DELETE is refused exactly as before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

SQLITE_REFUSE_DELETE = """CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
   WHEN NOT EXISTS (SELECT 1 FROM audit_purge_permits p WHERE old.at < p.before)
   BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END"""
SQLITE_REFUSE_ANY_DELETE = """CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
   BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END"""
POSTGRES_FUNCTION = """CREATE OR REPLACE FUNCTION audit_events_append_only()
   RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     IF TG_OP = 'DELETE' AND EXISTS (
       SELECT 1 FROM audit_purge_permits p WHERE OLD.at < p.before
     ) THEN
       RETURN OLD;
     END IF;
     RAISE EXCEPTION 'audit events are append-only';
   END $$"""
POSTGRES_FUNCTION_BEFORE = """CREATE OR REPLACE FUNCTION audit_events_append_only()
   RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN RAISE EXCEPTION 'audit events are append-only'; END $$"""


def upgrade() -> None:
    op.create_table(
        "audit_purge_permits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("before", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_purge_permits")),
    )
    op.create_table(
        "privacy_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("shown_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_privacy_notices_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_notices")),
        sa.UniqueConstraint("contact_id", name=op.f("uq_privacy_notices_contact_id")),
    )
    # Plain CREATE INDEX (no batch copy of the table, which would drop the audit triggers).
    op.create_index("ix_messages_created_at", "messages", ["created_at"])
    op.create_index("ix_audit_events_at", "audit_events", ["at"])
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER audit_events_no_delete")
        op.execute(SQLITE_REFUSE_DELETE)
    else:
        op.execute(POSTGRES_FUNCTION)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER audit_events_no_delete")
        op.execute(SQLITE_REFUSE_ANY_DELETE)
    else:
        op.execute(POSTGRES_FUNCTION_BEFORE)
    op.drop_index("ix_audit_events_at", "audit_events")
    op.drop_index("ix_messages_created_at", "messages")
    op.drop_table("privacy_notices")
    op.drop_table("audit_purge_permits")

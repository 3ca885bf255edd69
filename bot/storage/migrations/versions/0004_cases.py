"""cases: queue fields (claim, first response, deadline, breach, hand-back, referral),
staff token revocation and console session versions, append-only audit events

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 16:00:00

API tokens become `<staff id>.<secret>` with an argon2 hash of the secret; the
SHA-256 token hashes of earlier revisions cannot be converted, so accounts made
before this revision need a new token (`helpline staff add` under a new name).
The audit log refuses UPDATE and DELETE in the database itself (triggers on
SQLite and PostgreSQL), so no code path can rewrite it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SQLITE_TRIGGERS = (
    """CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
    """CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
)
POSTGRES_TRIGGERS = (
    """CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'audit events are append-only'; END $$""",
    """CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
       FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()""",
)


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.alter_column("category", existing_type=sa.String(length=32), nullable=True)
        batch.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("first_response_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("deadline_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("breached_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(
            sa.Column("handed_back", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("referred_service_id", sa.String(length=64), nullable=True))
        batch.create_index("ix_cases_deadline", ["status", "deadline_at"])
    with op.batch_alter_table("staff") as batch:
        batch.alter_column(
            "token_hash",
            existing_type=sa.String(length=64),
            type_=sa.String(length=200),
            nullable=True,
        )
        batch.add_column(sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(
            sa.Column("session_version", sa.Integer(), nullable=False, server_default="0")
        )
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("staff_name", sa.String(length=120), nullable=True),
        sa.Column("action", sa.String(length=24), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    with op.batch_alter_table("audit_events") as batch:
        batch.create_index("ix_audit_events_case", ["case_id", "id"])
    triggers = SQLITE_TRIGGERS if op.get_bind().dialect.name == "sqlite" else POSTGRES_TRIGGERS
    for statement in triggers:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER audit_events_no_update")
        op.execute("DROP TRIGGER audit_events_no_delete")
    else:
        op.execute("DROP TRIGGER audit_events_no_change ON audit_events")
        op.execute("DROP FUNCTION audit_events_append_only()")
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_index("ix_audit_events_case")
    op.drop_table("audit_events")
    with op.batch_alter_table("staff") as batch:
        batch.drop_column("session_version")
        batch.drop_column("revoked_at")
        batch.alter_column(
            "token_hash",
            existing_type=sa.String(length=200),
            type_=sa.String(length=64),
            nullable=False,
        )
    with op.batch_alter_table("cases") as batch:
        batch.drop_index("ix_cases_deadline")
        batch.drop_column("referred_service_id")
        batch.drop_column("handed_back")
        batch.drop_column("breached_at")
        batch.drop_column("deadline_at")
        batch.drop_column("first_response_at")
        batch.drop_column("claimed_at")
        batch.alter_column("category", existing_type=sa.String(length=32), nullable=False)

"""The database schema.

Personal data is stored encrypted (`*_enc` columns, see `crypto.py`) and a
person is found by a keyed hash of their platform id, never by the plain
value. The same models run on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: DateTime(timezone=True),
        dict[str, Any]: JSON,
        list[str]: JSON,
    }


class Contact(Base):
    """A person on one channel. `platform_hash` finds them; `platform_id_enc` lets us reply."""

    __tablename__ = "contacts"
    __table_args__ = (UniqueConstraint("channel", "platform_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    platform_hash: Mapped[str] = mapped_column(String(64))
    platform_id_enc: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(5))
    # person | staff (the staff group that gets alerts is a contact too, on its channel)
    kind: Mapped[str] = mapped_column(String(8), default="person", server_default="person")
    opted_out: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_inbound_at: Mapped[datetime | None]

    conversations: Mapped[list[Conversation]] = relationship(
        back_populates="contact", cascade="all, delete-orphan", passive_deletes=True
    )


class Conversation(Base):
    """Where a contact is in the flows. One conversation per contact is active at a time."""

    __tablename__ = "conversations"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    mode: Mapped[str] = mapped_column(String(8), default="bot")  # bot | human
    language: Mapped[str | None] = mapped_column(String(5))
    flow: Mapped[str | None] = mapped_column(String(64))
    step: Mapped[int] = mapped_column(Integer, default=0)
    slots: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    contact: Mapped[Contact] = relationship(back_populates="conversations")


class Message(Base):
    """Every message in and out. Inbound ones are unique per channel and platform id."""

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("channel", "direction", "platform_message_id"),
        Index("ix_messages_conversation", "conversation_id", "id"),
        Index("ix_messages_contact_direction", "contact_id", "direction", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE")
    )
    direction: Mapped[str] = mapped_column(String(3))  # in | out
    channel: Mapped[str] = mapped_column(String(16))
    platform_message_id: Mapped[str | None] = mapped_column(String(128))
    # The message's id inside the chat (Telegram's message_id), for a quick exit.
    platform_ref: Mapped[str | None] = mapped_column(String(64))
    text_enc: Mapped[str] = mapped_column(Text)
    # Inbound: the command, tapped button, media kind, location and language code the
    # platform gave (encrypted JSON), so a recovery after a crash processes it as it came.
    extras_enc: Mapped[str | None] = mapped_column(Text)
    # in: received | processed | failed
    # out: queued | held | sent | delivered | read | undelivered | failed | dead
    status: Mapped[str] = mapped_column(String(16))
    error_code: Mapped[str | None] = mapped_column(String(16))
    language: Mapped[str | None] = mapped_column(String(5))
    intent: Mapped[str | None] = mapped_column(String(32))
    risk_level: Mapped[str | None] = mapped_column(String(10))
    risk_category: Mapped[str | None] = mapped_column(String(32))
    sent_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class OutboxItem(Base):
    """An outbound message waiting for, or done with, delivery by the sender."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        Index("ix_outbox_contact", "contact_id", "id"),
        Index("ix_outbox_contact_status", "contact_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), unique=True
    )
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(16))
    choices: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # The shorter text written for SMS (catalog `<msgid>.sms`), encrypted like the text.
    short_text_enc: Mapped[str | None] = mapped_column(Text)
    # Something to do besides sending the text: "quick_exit" deletes the chat first.
    action: Mapped[str | None] = mapped_column(String(16))
    # pending | sending | sent | held (waits for the person) | dead (permanent failure)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]


class Staff(Base):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    role: Mapped[str] = mapped_column(String(16))  # caseworker | supervisor | admin
    languages: Mapped[list[str]] = mapped_column(default=list)
    password_hash: Mapped[str] = mapped_column(String(200))
    # argon2 hash of the secret part of the API token `<id>.<secret>`; NULL once revoked.
    token_hash: Mapped[str | None] = mapped_column(String(200), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set by `helpline staff revoke`: the token and every console session stop working.
    revoked_at: Mapped[datetime | None]
    # Console sessions carry this number; raising it ends them all.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Case(Base):
    """Work for a caseworker: a risk disclosure or a request to talk to a person."""

    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_queue", "status", "priority_rank", "created_at"),
        Index("ix_cases_deadline", "status", "deadline_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(8), default="open")  # open | claimed | closed
    priority: Mapped[str] = mapped_column(String(10))  # imminent | high | medium
    priority_rank: Mapped[int] = mapped_column(Integer)
    category: Mapped[str | None] = mapped_column(String(32))  # null: asked for a person
    channel: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(5))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    outcome: Mapped[str | None] = mapped_column(String(200))
    first_message_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    claimed_at: Mapped[datetime | None]
    # The first staff reply; the deadline for it comes from the priority (config.yml).
    first_response_at: Mapped[datetime | None]
    deadline_at: Mapped[datetime | None]
    # Set once, when the deadline passed without a first response (the breach flag).
    breached_at: Mapped[datetime | None]
    # The bot holds the conversation again while the case stays as it was.
    handed_back: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The service (service map id) the person was referred to, recorded at closing
    # (and as a `referrals` row, bot/storage/service_models.py).
    referred_service_id: Mapped[str | None] = mapped_column(String(64))
    closed_at: Mapped[datetime | None]
    # Whether a caseworker may write: now | reply_first | a daily window "18:00-22:00"
    # (local time); null until the person answered (bot/cases/safe_contact.py).
    safe_contact: Mapped[str | None] = mapped_column(String(16))

    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseEvent.id"
    )


class CaseEvent(Base):
    """The history of a case: opened, escalated (with the evidence), claimed, replied, closed.

    kind `note` is an internal note (text encrypted in `detail["text_enc"]`), never sent.
    """

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="events")


class AuditEvent(Base):
    """Who did what to which case, and when: append-only (the database refuses changes).

    `detail` never holds personal content (no message text, names or numbers).
    """

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_case", "case_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    staff_id: Mapped[int | None] = mapped_column(Integer)
    staff_name: Mapped[str | None] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(24))
    # No foreign key: the log outlives a case erased on the person's request.
    case_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Erasure(Base):
    """The destruction log: when data was erased and how much, never whose."""

    __tablename__ = "erasures"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(32))
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    at: Mapped[datetime] = mapped_column(default=utcnow)

"""Tables of the programmes around the helpline (issue 13): sessions and sign-ups.

A `ProgrammeSession` is one dated session of a programme (parenting, children's
peer support, ...), held at a service of the map or online, with a capacity.
A `SessionSignup` is one person's place on it: `confirmed`, `waiting` (the
waiting list, first come first served by `id`) or `cancelled`. The reminders
already sent are kept by name in `reminders_sent`, so a restart never sends one twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models import Base, utcnow

PROGRAMMES = (
    "parenting",
    "child_peer_support",
    "resilience",
    "club",
    "psychosocial_group",
    "language_course",
)


class ProgrammeSession(Base):
    """One session (CONTRACT.md section 7 is its flat view)."""

    __tablename__ = "programme_sessions"
    __table_args__ = (Index("ix_programme_sessions_starts", "starts_at"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    programme: Mapped[str] = mapped_column(String(32))
    titles: Mapped[dict[str, Any]] = mapped_column(default=dict)  # {"tr": ..., "ar": ...}
    min_age: Mapped[int | None] = mapped_column(Integer)
    max_age: Mapped[int | None] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(5))
    # A service of the map; null: online.
    service_id: Mapped[str | None] = mapped_column(String(64))
    district: Mapped[str] = mapped_column(String(64), default="")
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    capacity: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default="active")  # active | cancelled
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String(120), default="")


class SessionSignup(Base):
    __tablename__ = "session_signups"
    __table_args__ = (
        UniqueConstraint("session_id", "contact_id"),
        Index("ix_session_signups_session_status", "session_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("programme_sessions.id", ondelete="CASCADE"))
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(12))  # confirmed | waiting | cancelled
    # A first name the person gave (encrypted); staff see names only with names_consent.
    first_name_enc: Mapped[str | None] = mapped_column(Text)
    names_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    attended: Mapped[bool | None] = mapped_column(Boolean)
    reminders_sent: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class AwarenessSubscription(Base):
    """Opt-in to short awareness messages, in a language and a district ('' city-wide)."""

    __tablename__ = "awareness_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), unique=True
    )
    language: Mapped[str] = mapped_column(String(5))
    district: Mapped[str] = mapped_column(String(64), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]


class AwarenessSend(Base):
    """One awareness message sent by staff: its text per language and its audience."""

    __tablename__ = "awareness_sends"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    texts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # {"language": "tr" | "", "district": "..." | "", "programme": "..." | ""}
    audience: Mapped[dict[str, Any]] = mapped_column(default=dict)
    recipients: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AwarenessDelivery(Base):
    """Who a send went to, and the message that carries it (its status is the delivery)."""

    __tablename__ = "awareness_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    send_id: Mapped[int] = mapped_column(
        ForeignKey("awareness_sends.id", ondelete="CASCADE"), index=True
    )
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"))


class Feedback(Base):
    """A rating (1-5) with an optional comment, or a complaint; complaints go to supervisors."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(12))  # rating | complaint
    rating: Mapped[int | None] = mapped_column(Integer)
    text_enc: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(5), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

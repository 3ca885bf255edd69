"""Tables of the privacy work (issue 11), apart from `models.py`.

- `AuditPurgePermit`: the audit log refuses UPDATE and DELETE in the database
  (migration 0004); the retention purge may delete events older than the
  permit's `before`, only inside the transaction that wrote the permit (it is
  deleted again before commit, so no other transaction ever sees one).
- `PrivacyNotice`: when a person was shown the first-contact notice, and when
  they acknowledged it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models import Base, utcnow


class AuditPurgePermit(Base):
    __tablename__ = "audit_purge_permits"

    id: Mapped[int] = mapped_column(primary_key=True)
    before: Mapped[datetime]


class PrivacyNotice(Base):
    __tablename__ = "privacy_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), unique=True
    )
    language: Mapped[str] = mapped_column(String(5))
    shown_at: Mapped[datetime] = mapped_column(default=utcnow)
    acknowledged_at: Mapped[datetime | None]

"""What the Twilio channels read and write: message SIDs and delivery statuses.

A message's status only moves forward: queued (in our outbox) → sent (Twilio
has it; Twilio's own accepted/queued/sending count as this) → delivered →
read. failed and undelivered end it, with Twilio's error code, unless it was
already delivered. Callbacks arrive out of order; one that would move a
message backwards is ignored. Twilio SIDs are not personal data and are
stored as they are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select, update

from bot.storage.models import Message, OutboxItem

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bot.storage.db import Database

TWILIO_CHANNELS = ("whatsapp", "sms")
OUTSIDE_WINDOW = "63016"
HELD_REASON = "outside WhatsApp's 24-hour window: held until the person writes"
RANK = {"queued": 0, "held": 0, "sent": 1, "delivered": 2, "read": 3}
FAILED = frozenset({"failed", "undelivered"})
FINAL = FAILED | {"dead"}
# Twilio's MessageStatus values and the status each one means here.
TWILIO_STATUSES = {
    "accepted": "sent",
    "scheduled": "sent",
    "queued": "sent",
    "sending": "sent",
    "sent": "sent",
    "delivered": "delivered",
    "read": "read",
    "failed": "failed",
    "undelivered": "undelivered",
}


def next_status(current: str, reported: str) -> str | None:
    """The status after a callback reports `reported`, or None when it changes nothing."""
    new = TWILIO_STATUSES.get(reported)
    if new is None or current in FINAL or current == "held":
        return None
    if new in FAILED:
        return new if RANK.get(current, 0) < RANK["delivered"] else None
    return new if RANK[new] > RANK.get(current, 0) else None


class TwilioStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def record_sent(self, message_id: int, sid: str, reported: str) -> None:
        """Twilio took the message: keep its SID and the status it answered with (no callback
        ever reports that one) now, before any status callback can come."""
        status = TWILIO_STATUSES.get(reported, "sent")
        if status in FAILED:
            status = "sent"  # a refusal in the create answer is raised, never recorded as sent
        with self.db.transaction() as session:
            session.execute(
                update(Message)
                .where(Message.id == message_id, Message.status.in_(("queued", "held")))
                .values(platform_message_id=sid, status=status)
            )

    def apply_status(self, sid: str, reported: str, error_code: str | None) -> bool:
        """Apply a status callback; False when the SID is not one of our messages."""
        with self.db.transaction() as session:
            message = session.scalar(
                select(Message)
                .where(
                    Message.direction == "out",
                    Message.channel.in_(TWILIO_CHANNELS),
                    Message.platform_message_id == sid,
                )
                .with_for_update()
            )
            if message is None:
                return False
            new = next_status(message.status, reported)
            if new is None:
                return True
            if new in FAILED and error_code == OUTSIDE_WINDOW and message.channel == "whatsapp":
                # Twilio took it, then WhatsApp refused it: the window had closed. Held like
                # a refusal at create time, to go again when the person writes.
                self._hold(session, message)
                return True
            message.status = new
            if new in FAILED:
                message.error_code = (error_code or "")[:16] or None
            return True

    @staticmethod
    def _hold(session: Session, message: Message) -> None:
        message.status = "held"
        message.error_code = OUTSIDE_WINDOW
        message.platform_message_id = None  # the next attempt gets a new SID
        session.execute(
            update(OutboxItem)
            # `sending`: the callback beat the sender's bookkeeping; the sender then finds the
            # item no longer its own and leaves it held.
            .where(OutboxItem.message_id == message.id, OutboxItem.status.in_(("sent", "sending")))
            .values(status="held", last_error=HELD_REASON)
        )

    def others_held(self, outbox_id: int) -> bool:
        """Whether another message to the same person already waits for them to write."""
        with self.db.transaction() as session:
            contact_id = session.scalar(
                select(OutboxItem.contact_id).where(OutboxItem.id == outbox_id)
            )
            if contact_id is None:
                return False
            held = session.scalar(
                select(OutboxItem.id)
                .where(
                    OutboxItem.contact_id == contact_id,
                    OutboxItem.status == "held",
                    OutboxItem.id != outbox_id,
                )
                .limit(1)
            )
            return held is not None

"""The outbox as the sender works it: what may be claimed, leases, outcomes, recovery.

Order: a person's messages leave one at a time, oldest first. An item can be
claimed only while no earlier item of the same contact is pending (waiting
or retrying) and no other item of the contact is being sent; so a later
reply never overtakes an earlier one, also across retries and across
several sender processes. Held items (outside a platform's window) and dead
ones do not block: held ones wait for the person to write, when they become
pending again ahead of anything newer.

Claims use `FOR UPDATE SKIP LOCKED` on PostgreSQL, so several processes share
one outbox; SQLite serialises writers instead. A claimed item is `sending`
with a lease (`next_attempt_at` = claim time + `sending_timeout_seconds`):
when its process dies, the item is claimed again after the lease. The send
itself is then ambiguous: the platform may have taken it just before the
death, and neither Telegram nor Twilio can deduplicate a resend.

Failures: `permanent` goes to the dead-letter state with the reason; `hold`
waits for the person; anything else is retried with exponential backoff and
jitter, never sooner than the platform's `retry_after` (which also pauses the
channel), until `max_attempts`.

The sending side (pacing, the channels, the loop) is bot/channels/sender.py.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Select, bindparam, exists, select
from sqlalchemy.orm import aliased

from bot.cases import safe_contact
from bot.channels.telemetry import as_utc
from bot.engine.messages import Button, Outbound
from bot.privacy.erasure import FORGET, forget
from bot.storage import repository
from bot.storage.models import Contact, Message, OutboxItem, utcnow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bot.channels.base import SendError
    from bot.settings import DeliverySettings
    from bot.storage.crypto import Vault
    from bot.storage.db import Database

# The sender's log, as before the outbox had a module of its own.
log = logging.getLogger("bot.channels.sender")


@dataclass(frozen=True)
class Claimed:
    outbound: Outbound
    attempt: int  # the fencing token: a settle only applies to the attempt it made
    inbound_at: datetime | None  # the person's message this answers (for reply latency)
    by_staff: bool


def backoff(attempts: int, settings: DeliverySettings, retry_after: float | None) -> float:
    """Seconds before the next try: `retry_after` when the platform gave one, else exponential."""
    if retry_after is not None:  # the platform knows best; a little jitter spreads the retries
        return float(retry_after * random.uniform(1.0, 1.1))
    ceiling = min(
        settings.backoff_max_seconds, settings.backoff_base_seconds * 2.0 ** (attempts - 1)
    )
    return ceiling / 2 + random.uniform(0, ceiling / 2)  # "equal jitter": never a stampede at 0


ClaimQuery = Select[OutboxItem, Message, Contact, datetime]


def _claim_statement(channel_names: tuple[str, ...], limit: int) -> ClaimQuery:
    other = aliased(OutboxItem)
    # Two index seeks on (contact_id, status, id): another item of the person being sent,
    # or an earlier one waiting (pending, due or not).
    sending = exists().where(
        other.contact_id == OutboxItem.contact_id,
        other.status == "sending",
        other.id != OutboxItem.id,
    )
    earlier = exists().where(
        other.contact_id == OutboxItem.contact_id,
        other.status == "pending",
        other.id < OutboxItem.id,
    )
    inbound_at = (
        select(Message.created_at)
        .where(
            Message.contact_id == OutboxItem.contact_id,
            Message.direction == "in",
            Message.id < OutboxItem.message_id,
        )
        .order_by(Message.id.desc())
        .limit(1)
        .correlate(OutboxItem)
        .scalar_subquery()
    )
    return (
        select(OutboxItem, Message, Contact, inbound_at)
        .join(Message, Message.id == OutboxItem.message_id)
        .join(Contact, Contact.id == OutboxItem.contact_id)
        .where(
            # pending and due, or `sending` whose lease ran out (its process died)
            OutboxItem.status.in_(("pending", "sending")),
            OutboxItem.next_attempt_at <= bindparam("now"),
            OutboxItem.channel.in_(channel_names),
            ~sending,
            ~earlier,
        )
        .order_by(OutboxItem.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=OutboxItem)
    )


class Outbox:
    def __init__(self, db: Database, vault: Vault, settings: DeliverySettings) -> None:
        self.db = db
        self.vault = vault
        self.settings = settings
        self._statements: dict[tuple[tuple[str, ...], int], ClaimQuery] = {}

    def _claimable(self, channel_names: tuple[str, ...], limit: int) -> ClaimQuery:
        """The claim query, built once per channel set and limit (`now` is a parameter).

        Building it and its cache key was a third of a claim's CPU (py-spy).
        """
        key = (channel_names, limit)
        statement = self._statements.get(key)
        if statement is None:
            statement = self._statements[key] = _claim_statement(channel_names, limit)
        return statement

    def claim(
        self, channel_names: list[str], limit: int, clock: Callable[[], datetime]
    ) -> list[Claimed]:
        """Claim up to `limit` items due on these channels; `clock` opens safe windows."""
        now = utcnow()
        lease = now + timedelta(seconds=self.settings.sending_timeout_seconds)
        with self.db.transaction() as session:
            safe_contact.release_windows(session, clock())
            statement = self._claimable(tuple(channel_names), limit)
            rows = session.execute(statement, {"now": now}).all()
            claimed: list[Claimed] = []
            for item, message, contact, inbound_at in rows:
                if item.status == "sending":
                    log.warning("outbox %s: lease expired, claimed again", item.id)
                item.status = "sending"
                item.attempts += 1
                item.next_attempt_at = lease
                claimed.append(
                    Claimed(
                        outbound=self._outbound(session, item, message, contact),
                        attempt=item.attempts,
                        inbound_at=as_utc(inbound_at) if inbound_at is not None else None,
                        by_staff=message.sent_by_staff_id is not None,
                    )
                )
            return claimed

    def _outbound(
        self, session: Session, item: OutboxItem, message: Message, contact: Contact
    ) -> Outbound:
        delete_refs = (
            tuple(repository.chat_refs(session, contact.id, before=message.id))
            if item.action == "quick_exit"
            else ()
        )
        return Outbound(
            channel=item.channel,
            recipient_id=self.vault.decrypt(contact.platform_id_enc),
            text=self.vault.decrypt(message.text_enc),
            buttons=tuple(
                Button(b["payload"], b["label"], b.get("short_label")) for b in item.choices
            ),
            language=message.language or "tr",
            outbox_id=item.id,
            message_id=message.id,
            delete_refs=delete_refs,
            action=item.action,
            last_inbound_at=contact.last_inbound_at,
            short_text=(self.vault.decrypt(item.short_text_enc) if item.short_text_enc else None),
        )

    def settle(
        self,
        claimed: Claimed,
        platform_id: str | None,
        error: SendError | None,
        *,
        polled: bool,
        quiet: set[int] | None,
    ) -> bool:
        """Record the outcome; False when the item was erased or taken over meanwhile.

        `polled`: the channel's client fetches delivered messages itself (the web chat).
        `quiet`, when given, gets the id of an item sent while nothing else of the
        person waits (a finished send need not wake the sender's loop).
        """
        outbound = claimed.outbound
        with self.db.transaction() as session:
            item = session.get(OutboxItem, outbound.outbox_id, with_for_update=True)
            message = session.get(Message, outbound.message_id)
            if item is None or message is None:
                return False  # erased meanwhile
            if item.status != "sending" or item.attempts != claimed.attempt:
                log.warning("outbox %s: lease lost before the outcome was recorded", item.id)
                return False
            if error is None:
                item.status = "sent"
                item.sent_at = utcnow()
                if message.status in ("queued", "held"):
                    message.status = "sent"
                if platform_id is not None and message.platform_message_id is None:
                    message.platform_message_id = platform_id
                self._forget_after(session, item, message, polled)
                if quiet is not None and self._nothing_after(session, item):
                    quiet.add(item.id)
                return True
            item.last_error = str(error)[:200]
            message.error_code = error.code
            if error.hold:
                item.status = "held"
                message.status = "held"
                return True
            if error.permanent or item.attempts >= self.settings.max_attempts:
                if not error.permanent:
                    item.last_error = f"gave up after {item.attempts} attempts: {error}"[:200]
                item.status = "dead"
                message.status = "dead"
                self._forget_after(session, item, message, polled)
                return True
            item.status = "pending"
            wait = backoff(item.attempts, self.settings, error.retry_after)
            item.next_attempt_at = utcnow() + timedelta(seconds=wait)
            return True

    def _nothing_after(self, session: Session, item: OutboxItem) -> bool:
        """No other item of the person waits, so a finished send need not wake the loop.

        Only with one writer (SQLite): this look and the settle's commit are one write
        transaction, so an item queued meanwhile by another process is either seen here
        or claimed by its own process after the commit. On PostgreSQL that process's
        claim may run before this commit, still see this item `sending`, and leave its
        own to the next poll; there the loop is always woken and claims after the commit.
        """
        if not self.db.single_writer:
            return False
        other = session.scalar(
            select(OutboxItem.id)
            .where(OutboxItem.contact_id == item.contact_id, OutboxItem.status == "pending")
            .limit(1)
        )
        return other is None

    def _forget_after(
        self, session: Session, item: OutboxItem, message: Message, polled: bool
    ) -> None:
        """An erasure's confirmation is done with: forget the person (bot/privacy/erasure.py).

        A channel whose client fetches delivered messages itself (the web chat) forgets
        when the confirmation was fetched instead.
        """
        if item.action == FORGET and not polled:
            forget(session, item.contact_id, message.id)

    def recover(self) -> int:
        """Put every `sending` item back in the queue at once; return how many.

        Only for a single sender (one process on SQLite, `helpline chat`): with
        several processes an item `sending` may be in another's hands. The
        running sender relies on the lease instead.
        """
        with self.db.transaction() as session:
            items = list(session.scalars(select(OutboxItem).where(OutboxItem.status == "sending")))
            for item in items:
                item.status = "pending"
                item.next_attempt_at = utcnow()
            return len(items)

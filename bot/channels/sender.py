"""The outbox sender: delivers queued messages through their channels, with retries.

Rows are claimed with `FOR UPDATE SKIP LOCKED` on PostgreSQL, so several
senders can share one outbox; SQLite serialises writers instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from bot.channels.base import SendError
from bot.engine.messages import Button, Outbound
from bot.storage import repository
from bot.storage.models import Contact, Message, OutboxItem, utcnow

if TYPE_CHECKING:
    from bot.channels.base import Channel
    from bot.storage.crypto import Vault
    from bot.storage.db import Database

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BATCH = 20


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(2**attempts, 600))


class OutboxSender:
    def __init__(self, db: Database, vault: Vault, channels: dict[str, Channel]) -> None:
        self.db = db
        self.vault = vault
        self.channels = channels
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Ask the running loop to look at the outbox now."""
        self._wake.set()

    def _claim(self, channel_names: list[str]) -> list[Outbound]:
        with self.db.transaction() as session:
            rows = session.execute(
                select(OutboxItem, Message, Contact)
                .join(Message, Message.id == OutboxItem.message_id)
                .join(Contact, Contact.id == OutboxItem.contact_id)
                .where(
                    OutboxItem.status == "pending",
                    OutboxItem.next_attempt_at <= utcnow(),
                    OutboxItem.channel.in_(channel_names),
                )
                .order_by(OutboxItem.id)
                .limit(BATCH)
                .with_for_update(skip_locked=True, of=OutboxItem)
            ).all()
            claimed = []
            for item, message, contact in rows:
                item.status = "sending"
                item.attempts += 1
                delete_refs = (
                    tuple(repository.chat_refs(session, contact.id, before=message.id))
                    if item.action == "quick_exit"
                    else ()
                )
                claimed.append(
                    Outbound(
                        channel=item.channel,
                        recipient_id=self.vault.decrypt(contact.platform_id_enc),
                        text=self.vault.decrypt(message.text_enc),
                        buttons=tuple(
                            Button(b["payload"], b["label"], b.get("short_label"))
                            for b in item.choices
                        ),
                        language=message.language or "tr",
                        outbox_id=item.id,
                        message_id=message.id,
                        delete_refs=delete_refs,
                        last_inbound_at=contact.last_inbound_at,
                        short_text=(
                            self.vault.decrypt(item.short_text_enc)
                            if item.short_text_enc
                            else None
                        ),
                    )
                )
            return claimed

    def _settle(self, outbound: Outbound, platform_id: str | None, error: SendError | None) -> None:
        with self.db.transaction() as session:
            item = session.get(OutboxItem, outbound.outbox_id)
            message = session.get(Message, outbound.message_id)
            if item is None or message is None:
                return  # erased meanwhile
            if error is None:
                item.status = "sent"
                item.sent_at = utcnow()
                # A channel may have recorded the send (and a status callback moved it on) already.
                if message.status in ("queued", "held"):
                    message.status = "sent"
                message.platform_message_id = platform_id or message.platform_message_id
                return
            item.last_error = str(error)[:200]
            message.error_code = error.code
            if error.hold:
                item.status = "held"
                message.status = "held"
                return
            if error.permanent or item.attempts >= MAX_ATTEMPTS:
                item.status = "dead"
                message.status = "dead"
                return
            item.status = "pending"
            wait = (
                timedelta(seconds=error.retry_after)
                if error.retry_after is not None
                else backoff(item.attempts)
            )
            item.next_attempt_at = utcnow() + wait

    async def flush(self) -> int:
        """Send everything that is due now; return how many were delivered."""
        delivered = 0
        while True:
            batch = await asyncio.to_thread(self._claim, list(self.channels))
            if not batch:
                return delivered
            before = delivered
            for outbound in batch:
                channel = self.channels[outbound.channel]
                try:
                    platform_id = await channel.send(outbound)
                except SendError as exc:
                    log.warning("outbox %s: send failed: %s", outbound.outbox_id, exc)
                    await asyncio.to_thread(self._settle, outbound, None, exc)
                    continue
                except Exception as exc:  # a bug or an unexpected network error: retry later
                    log.exception("outbox %s: unexpected send error", outbound.outbox_id)
                    await asyncio.to_thread(
                        self._settle, outbound, None, SendError(type(exc).__name__)
                    )
                    continue
                await asyncio.to_thread(self._settle, outbound, platform_id, None)
                delivered += 1
            if delivered == before:
                return delivered  # everything failed: leave the retries to their schedule

    def recover(self) -> None:
        """At start: rows left `sending` by a crash go back to the queue."""
        with self.db.transaction() as session:
            for item in session.scalars(select(OutboxItem).where(OutboxItem.status == "sending")):
                item.status = "pending"

    async def run(self, interval: float = 1.0) -> None:
        """Deliver forever: on every wake-up, and every `interval` seconds for retries."""
        await asyncio.to_thread(self.recover)
        while True:
            try:
                await self.flush()
            except Exception:
                log.exception("outbox sender failed; retrying")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=interval)
            self._wake.clear()

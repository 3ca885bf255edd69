"""The outbox sender: delivers queued messages through their channels, in order, with retries.

What may be claimed (a person's messages leave one at a time, oldest first),
the leases and what each failure does are bot/channels/outbox.py's. Here: the
sending side. Claimed items are paced per chat and per bot, sent, and their
outcome recorded; a platform's `retry_after` also pauses the channel. The loop
is woken at once by a new reply, and looks for retries due every `poll_seconds`.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from bot.channels.base import SendError
from bot.channels.outbox import Outbox
from bot.channels.pacing import Pacer
from bot.settings import DeliverySettings
from bot.storage.models import utcnow

if TYPE_CHECKING:
    from bot.channels.base import Channel
    from bot.channels.outbox import Claimed
    from bot.channels.telemetry import Telemetry
    from bot.storage.crypto import Vault
    from bot.storage.db import Database

log = logging.getLogger(__name__)


def failure_kind(error: SendError, dead: bool) -> str:
    if error.hold:
        return "held"
    if dead:
        return "dead"
    return "rate_limited" if error.retry_after is not None else "retry"


class OutboxSender:
    def __init__(
        self,
        db: Database,
        vault: Vault,
        channels: dict[str, Channel],
        settings: DeliverySettings | None = None,
        telemetry: Telemetry | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        # When a person's safe window opens (bot/cases/safe_contact.py); injected by tests.
        self.clock = clock
        self.db = db
        self.vault = vault
        self.channels = channels
        self.settings = settings or DeliverySettings()
        self.telemetry = telemetry
        self.pacer = Pacer(self.settings)
        self._wake: asyncio.Event | None = None
        self._tasks: set[asyncio.Task[str]] = set()
        # Items whose settle found nothing else of the person waiting; the loop is full
        # when it had no room to claim (a finished send must wake it then).
        self._quiet: set[int] = set()
        self._full = False
        # The database side: claims, outcomes, recovery.
        self.outbox = Outbox(db, vault, self.settings)

    def wake(self) -> None:
        """Ask the running loop to look at the outbox now (a reply was queued)."""
        if self._wake is not None:
            self._wake.set()

    # -- the database side (bot/channels/outbox.py) --------------------------------------

    def _claim(self, channel_names: list[str], limit: int | None = None) -> list[Claimed]:
        return self.outbox.claim(channel_names, limit or self.settings.batch_size, self.clock)

    def _settle(self, claimed: Claimed, platform_id: str | None, error: SendError | None) -> bool:
        """Record the outcome; False when the item was erased or taken over meanwhile."""
        channel = self.channels.get(claimed.outbound.channel)
        return self.outbox.settle(
            claimed,
            platform_id,
            error,
            polled=getattr(channel, "polled", False),
            quiet=self._quiet if self._wake is not None else None,
        )

    def recover(self) -> int:
        """Put every `sending` item back in the queue at once; return how many.

        Only for a single sender (one process on SQLite, `helpline chat`): with
        several processes an item `sending` may be in another's hands. The
        running sender relies on the lease instead.
        """
        return self.outbox.recover()

    # -- the sending side ------------------------------------------------------------------

    async def _deliver(self, claimed: Claimed) -> str:
        """Send one claimed item and record the outcome: `sent`, `retry` or `final`."""
        outbound = claimed.outbound
        channel = self.channels[outbound.channel]
        await self.pacer.wait(outbound.channel, outbound.recipient_id)
        try:
            platform_id = await channel.send(outbound)
        except SendError as exc:
            log.warning("outbox %s: send failed: %s", outbound.outbox_id, exc)
            return await self._failed(claimed, exc)
        except Exception as exc:  # a bug or an unexpected network error: retry later
            log.exception("outbox %s: unexpected send error", outbound.outbox_id)
            return await self._failed(claimed, SendError(type(exc).__name__))
        await asyncio.to_thread(self._settle, claimed, platform_id, None)
        if self.telemetry is not None:
            self.telemetry.messages_out.labels(outbound.channel).inc()
            if claimed.inbound_at is not None and not claimed.by_staff:
                waited = (utcnow() - claimed.inbound_at).total_seconds()
                self.telemetry.reply_seconds.labels(outbound.channel).observe(max(0.0, waited))
        return "sent"

    async def _failed(self, claimed: Claimed, error: SendError) -> str:
        channel = claimed.outbound.channel
        if error.retry_after is not None:
            self.pacer.pause(channel, error.retry_after)
        await asyncio.to_thread(self._settle, claimed, None, error)
        dead = error.permanent or claimed.attempt >= self.settings.max_attempts
        if self.telemetry is not None:
            self.telemetry.delivery_failures.labels(
                channel, failure_kind(error, dead), error.code or ""
            ).inc()
        return "final" if dead or error.hold else "retry"

    async def flush(self) -> int:
        """Send everything that is due now; return how many were delivered."""
        delivered = 0
        while True:
            batch = await asyncio.to_thread(
                self._claim, list(self.channels), self.settings.batch_size
            )
            if not batch:
                return delivered
            outcomes = await asyncio.gather(*(self._deliver(claimed) for claimed in batch))
            delivered += outcomes.count("sent")
            if all(outcome == "retry" for outcome in outcomes):
                return delivered  # everything failed: leave the retries to their schedule

    async def run(self) -> None:
        """Deliver forever: at once when woken, and every `poll_seconds` for retries due."""
        self._wake = asyncio.Event()
        limit = self.settings.batch_size
        try:
            while True:
                self._wake.clear()
                room = limit - len(self._tasks)
                self._full = room <= 0
                claimed: list[Claimed] = []
                if room > 0:
                    try:
                        claimed = await asyncio.to_thread(self._claim, list(self.channels), room)
                    except Exception:
                        log.exception("outbox sender could not claim; retrying")
                for item in claimed:
                    task = asyncio.create_task(self._deliver(item))
                    self._tasks.add(task)
                    task.add_done_callback(functools.partial(self._done, item.outbound.outbox_id))
                if claimed and len(claimed) == room:
                    continue  # there may be more due
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=self.settings.poll_seconds)
        finally:
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)

    def _done(self, outbox_id: int, task: asyncio.Task[str]) -> None:
        self._tasks.discard(task)
        quiet = outbox_id in self._quiet
        self._quiet.discard(outbox_id)
        if not task.cancelled() and task.exception() is not None:
            log.error("outbox delivery task failed", exc_info=task.exception())
        elif quiet and not self._full:
            return  # sent, and nothing of the person's waits: no claim to make for it
        self.wake()  # the person's next message may go now

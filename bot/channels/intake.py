"""Where every channel hands in a message: stored first, answered in the background.

A webhook calls `accept` and answers 200 as soon as the message is stored, so
the platform does not redeliver while the NLU and the flows do their work.
One person's messages are processed one after another in the order they
were stored, also when they reached different processes; different people's
in parallel. A message
stored but not processed (the process died between) is picked up by
`Engine.recover` at the next start.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from bot.storage import repository
from bot.storage.models import Message

if TYPE_CHECKING:
    from bot.channels.sender import OutboxSender
    from bot.channels.telemetry import Telemetry
    from bot.engine.engine import Engine
    from bot.engine.messages import Inbound
    from bot.storage.db import Database

log = logging.getLogger(__name__)

ORDER_WAIT_SECONDS = 10.0


def earlier_unprocessed(db: Database, message_id: int) -> bool:
    """Whether the same person has an earlier inbound message stored but not processed."""
    with db.transaction() as session:
        message = session.get(Message, message_id)
        return message is not None and repository.earlier_unprocessed(session, message)


class Intake:
    def __init__(
        self, engine: Engine, sender: OutboxSender, telemetry: Telemetry | None = None
    ) -> None:
        self.engine = engine
        self.sender = sender
        self.telemetry = telemetry
        self._tasks: set[asyncio.Task[None]] = set()
        # The last task queued per person: the next one waits for it (in-memory key only).
        self._tails: dict[tuple[str, str], asyncio.Task[None]] = {}

    async def accept(self, inbound: Inbound) -> tuple[int, bool]:
        """Store the message (once); process it in the background. Returns (id, duplicate)."""
        message_id, duplicate = await asyncio.to_thread(self.engine.store, inbound)
        if not duplicate:
            if self.telemetry is not None:
                self.telemetry.messages_in.labels(inbound.channel).inc()
            key = (inbound.channel, inbound.sender_id)
            task = asyncio.create_task(self._process(message_id, inbound, self._tails.get(key)))
            self._tails[key] = task
            self._tasks.add(task)
            task.add_done_callback(lambda done: self._finished(key, done))
        return message_id, duplicate

    def _finished(self, key: tuple[str, str], task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if self._tails.get(key) is task:
            del self._tails[key]

    async def _process(
        self, message_id: int, inbound: Inbound, before: asyncio.Task[None] | None
    ) -> None:
        if before is not None:
            await asyncio.wait([before])  # its outcome does not matter, only that it is done
        # The order check runs inside the processing transaction; only when an earlier
        # message (stored by another process) is still waiting does this one wait for it.
        result = await asyncio.to_thread(self.engine.handle, message_id, inbound, True)
        if result.waiting:
            await self._after_earlier(message_id)
            await asyncio.to_thread(self.engine.handle, message_id, inbound)
        self.sender.wake()

    async def _after_earlier(self, message_id: int) -> None:
        """Wait while an earlier message of the same person, stored by another process, waits.

        With several processes behind a load balancer, a person's next message may
        reach another process than the one before it. It waits until the earlier one
        is processed; if that does not happen in `ORDER_WAIT_SECONDS` (its process
        died), the unprocessed messages are recovered here, oldest first.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + ORDER_WAIT_SECONDS
        pause = 0.005
        while await asyncio.to_thread(earlier_unprocessed, self.engine.db, message_id):
            if loop.time() > deadline:
                log.warning("message %s: an earlier one was not processed; recovering", message_id)
                await asyncio.to_thread(self.engine.recover)
                return
            await asyncio.sleep(pause)
            pause = min(pause * 2, 0.2)

    async def drain(self) -> None:
        """Wait until every accepted message has been processed (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

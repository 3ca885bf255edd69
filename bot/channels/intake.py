"""Where every channel hands in a message: stored first, answered in the background.

A webhook calls `accept` and answers 200 as soon as the message is stored, so
the platform does not redeliver while the NLU and the flows do their work.
A message stored but not processed (the process died between) is picked up
by `Engine.recover` at the next start.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.channels.sender import OutboxSender
    from bot.engine.engine import Engine
    from bot.engine.messages import Inbound

log = logging.getLogger(__name__)


class Intake:
    def __init__(self, engine: Engine, sender: OutboxSender) -> None:
        self.engine = engine
        self.sender = sender
        self._tasks: set[asyncio.Task[None]] = set()

    async def accept(self, inbound: Inbound) -> tuple[int, bool]:
        """Store the message (once); process it in the background. Returns (id, duplicate)."""
        message_id, duplicate = await asyncio.to_thread(self.engine.store, inbound)
        if not duplicate:
            task = asyncio.create_task(self._process(message_id, inbound))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return message_id, duplicate

    async def _process(self, message_id: int, inbound: Inbound) -> None:
        await asyncio.to_thread(self.engine.handle, message_id, inbound)
        self.sender.wake()

    async def drain(self) -> None:
        """Wait until every accepted message has been processed (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

"""Background work inside `helpline serve`: run a blocking job every so often, forever."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

log = logging.getLogger(__name__)


async def every(
    seconds: float,
    job: Callable[[], object],
    what: str,
    wake: Callable[[], None] | None = None,
    first_delay: float = 0.0,
) -> None:
    """Run `job` off the event loop every `seconds`; a failure is logged and tried again.

    When the job returns something truthy (messages queued), `wake` is called on the
    loop's thread: the outbox sender's event is not thread-safe.
    """
    await asyncio.sleep(first_delay)
    while True:
        try:
            done = await asyncio.to_thread(job)
            if done and wake is not None:
                wake()
        except Exception:
            log.exception("%s failed; next try in %g s", what, seconds)
        await asyncio.sleep(seconds)

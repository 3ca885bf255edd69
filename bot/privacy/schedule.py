"""The retention purge on a schedule inside `helpline serve`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from bot.periodic import every
from bot.privacy.retention import purge
from bot.storage.models import utcnow

if TYPE_CHECKING:
    from bot.settings import PrivacySettings
    from bot.storage.db import Database

log = logging.getLogger(__name__)


class PurgeSchedule:
    def __init__(
        self, db: Database, settings: PrivacySettings, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock

    def run_once(self) -> dict[str, int]:
        with self.db.transaction() as session:
            counts = purge(session, self.settings.retention, self.clock())
        log.info("privacy purge: %s", " ".join(f"{k}={v}" for k, v in counts.items()))
        return counts

    async def run(self) -> None:
        """Purge after the first delay, then every `purge_interval_hours`; 0 never."""
        interval = self.settings.purge_interval_hours * 3600
        if interval <= 0:
            return
        first = self.settings.purge_first_delay_seconds
        await every(interval, self.run_once, "privacy purge", first_delay=first)

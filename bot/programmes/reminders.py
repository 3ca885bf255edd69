"""Session reminders, sent through the outbox by a scheduler inside `helpline serve`.

Every `reminder_check_seconds` the scheduler looks for confirmed places on
sessions starting within the longest reminder window. For each place only the
nearest reminder due is sent (a late sign-up never gets "tomorrow" two hours
before); every due one is recorded in `reminders_sent` in the same transaction
as the message it queued, so a restart sends nothing twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from bot.periodic import every
from bot.programmes.signups import tell
from bot.storage.models import utcnow
from bot.storage.programme_models import ProgrammeSession, SessionSignup

if TYPE_CHECKING:
    from bot.engine.texts import Texts
    from bot.programmes.settings import ProgrammeSettings
    from bot.storage.crypto import Vault
    from bot.storage.db import Database

log = logging.getLogger(__name__)


def reminder_key(hours: float) -> str:
    return f"{hours:g}h"


class ReminderSchedule:
    def __init__(
        self,
        db: Database,
        vault: Vault,
        texts: Texts,
        settings: ProgrammeSettings,
        default_language: str,
        clock: Callable[[], datetime] = utcnow,
        wake: Callable[[], None] | None = None,
    ) -> None:
        self.db = db
        self.vault = vault
        self.texts = texts
        self.settings = settings
        self.default_language = default_language
        self.clock = clock
        self.wake = wake

    def scan(self, now: datetime | None = None) -> int:
        """Queue every reminder due by `now` (the clock by default); return how many."""
        now = (now or self.clock()).astimezone(UTC)
        hours = self.settings.reminder_hours_before
        if not hours:
            return 0
        horizon = now + timedelta(hours=max(hours))
        queued = 0
        with self.db.transaction() as session:
            rows = session.execute(
                select(SessionSignup, ProgrammeSession)
                .join(ProgrammeSession, ProgrammeSession.id == SessionSignup.session_id)
                .where(
                    SessionSignup.status == "confirmed",
                    ProgrammeSession.status == "active",
                    ProgrammeSession.starts_at > now,
                    ProgrammeSession.starts_at <= horizon,
                )
                .order_by(SessionSignup.id)
            ).all()
            for signup, row in rows:
                starts = (
                    row.starts_at if row.starts_at.tzinfo else row.starts_at.replace(tzinfo=UTC)
                )
                due = [h for h in hours if now >= starts - timedelta(hours=h)]
                sent = set(signup.reminders_sent or [])
                if not due or reminder_key(min(due)) in sent:
                    continue
                tell(
                    session,
                    self.vault,
                    self.texts,
                    signup,
                    "programmes.reminder",
                    self.default_language,
                )
                signup.reminders_sent = sorted(sent | {reminder_key(h) for h in due})
                queued += 1
        if queued:
            log.info("session reminders queued: %d", queued)
        return queued

    async def run(self) -> None:
        await every(self.settings.reminder_check_seconds, self.scan, "session reminders", self.wake)

"""First-response deadlines: when a case must have had its first reply, and the watcher.

A deadline comes from the case's priority (`cases.deadlines` in `config.yml`):
minutes (optionally counting staffed time only), or working days (the same
time on the next staffed day, kept within that day's hours). The watcher, a
background task of the web app, flags a case whose deadline passed without a
first response (`breached_at`, set once) and alerts the supervisors, once, in
the same transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from bot.periodic import every
from bot.storage.models import Case, CaseEvent

if TYPE_CHECKING:
    from bot.cases.escalation import CaseDesk
    from bot.cases.hours import StaffedHours
    from bot.settings import CaseSettings
    from bot.storage.db import Database

log = logging.getLogger(__name__)

BATCH = 50


def deadline_for(
    priority: str, opened_at: datetime, settings: CaseSettings, hours: StaffedHours
) -> datetime:
    """When a case of this priority, opened at `opened_at`, must have had its first reply."""
    rule = settings.deadlines[priority]  # type: ignore[index]
    if rule.working_days is not None:
        return hours.working_days_later(opened_at, rule.working_days)
    minutes = rule.minutes or 0
    if rule.staffed_time:
        return hours.add_staffed(opened_at, minutes)
    return opened_at + timedelta(minutes=minutes)


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes (stored as UTC): make them comparable again."""
    from datetime import UTC

    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class DeadlineWatcher:
    """Flags cases past their first-response deadline and alerts, once per case."""

    def __init__(
        self,
        db: Database,
        desk: CaseDesk,
        wake: Callable[[], None] | None = None,
    ) -> None:
        self.db = db
        self.desk = desk
        self.wake = wake

    def scan(self, now: datetime | None = None) -> list[int]:
        """Flag every case due by `now` (the desk's clock by default); return their ids."""
        now = now or self.desk.now()
        flagged: list[int] = []
        with self.db.transaction() as session:
            cases = session.scalars(
                select(Case)
                .where(
                    Case.status != "closed",
                    Case.first_response_at.is_(None),
                    Case.breached_at.is_(None),
                    Case.deadline_at.is_not(None),
                    Case.deadline_at <= now,
                )
                .order_by(Case.priority_rank.desc(), Case.deadline_at)
                .limit(BATCH)
                .with_for_update(skip_locked=True)
            ).all()
            for case in cases:
                case.breached_at = now
                assert case.deadline_at is not None
                late = now - aware(case.deadline_at)
                session.add(
                    CaseEvent(
                        case_id=case.id,
                        kind="breached",
                        detail={
                            "deadline_at": aware(case.deadline_at).isoformat(),
                            "minutes_late": int(late.total_seconds() // 60),
                        },
                        at=now,
                    )
                )
                self.desk.alerts.breach(session, case)
                flagged.append(case.id)
        if flagged:
            log.warning("%d case(s) passed their first-response deadline", len(flagged))
        return flagged

    async def run(self, interval: float) -> None:
        """Scan forever, every `interval` seconds; a failed scan is logged and retried.

        The scan runs in a worker thread; the sender is woken for its alerts back on
        the loop's thread (its event is not thread-safe).
        """
        await every(interval, self.scan, "deadline scan", wake=self.wake)

"""Whether and when a caseworker may write to someone who disclosed a risk (issue 12, item 2).

A reply can land on a phone the abuser checks. After a disclosure the bot asks
(flows/cases.yml, `safe_to_write`); the answer is kept on the person's open
cases (`cases.safe_contact`): `now`, `reply_first` (only after they write), or a
daily window in local time, "18:00-22:00". A caseworker's reply outside it is
queued as `held`, the status the outbox already has for WhatsApp's 24-hour
window: it leaves when the person writes (`repository.release_held`) or, for a
window, when the window opens (`release_windows`, called by the sender).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.storage.models import Case, Message, OutboxItem

NOW = "now"
REPLY_FIRST = "reply_first"
WINDOW = re.compile(r"(?:[01]\d|2[0-3]):[0-5]\d-(?:[01]\d|2[0-3]):[0-5]\d")
# The reasons a reply waits (outbox `last_error`); only a window's is released by the clock.
UNTIL_THEY_WRITE = "held for safety: written only after the person writes"
UNTIL_WINDOW = "held for safety: waits for the person's safe hours"


def valid(value: object) -> bool:
    return value in (NOW, REPLY_FIRST) or (isinstance(value, str) and bool(WINDOW.fullmatch(value)))


def _window(value: str) -> tuple[time, time]:
    opens, closes = value.split("-")
    return time.fromisoformat(opens), time.fromisoformat(closes)


def next_opening(value: str, now: datetime, zone: ZoneInfo) -> datetime | None:
    """None when `now` is inside the daily window, else when it next opens (UTC)."""
    opens, closes = _window(value)
    local = now.astimezone(zone)
    at = local.time()
    inside = opens <= at < closes if opens < closes else (at >= opens or at < closes)
    if inside:
        return None
    day = local.date() if at < opens else local.date() + timedelta(days=1)
    return datetime.combine(day, opens, zone).astimezone(UTC)


def hold_reply(
    session: Session, message: Message, preference: str | None, now: datetime, zone: ZoneInfo
) -> str | None:
    """Hold a caseworker's reply the person said must wait; the reason, or None if it may go."""
    if preference is None or preference == NOW or not valid(preference):
        return None
    until = None if preference == REPLY_FIRST else next_opening(preference, now, zone)
    if preference != REPLY_FIRST and until is None:
        return None
    item = session.scalar(select(OutboxItem).where(OutboxItem.message_id == message.id))
    if item is None:
        return None
    reason = UNTIL_THEY_WRITE if until is None else UNTIL_WINDOW
    item.status = "held"
    item.last_error = reason
    if until is not None:
        item.next_attempt_at = until
    message.status = "held"
    return reason


def release_windows(session: Session, now: datetime) -> int:
    """Replies held for a safe window that has opened may go now; how many."""
    due = now.astimezone(UTC)
    ids = list(
        session.scalars(
            select(OutboxItem.id).where(
                OutboxItem.status == "held",
                OutboxItem.last_error == UNTIL_WINDOW,
                OutboxItem.next_attempt_at <= due,
            )
        )
    )
    if not ids:
        return 0
    session.execute(
        update(OutboxItem)
        .where(OutboxItem.id.in_(ids))
        .values(status="pending", next_attempt_at=due, last_error=None)
    )
    messages = select(OutboxItem.message_id).where(OutboxItem.id.in_(ids))
    session.execute(
        update(Message)
        .where(Message.id.in_(messages), Message.status == "held")
        .values(status="queued")
    )
    return len(ids)


def remember(session: Session, contact_id: int, preference: str) -> list[Case]:
    """Keep the answer on the person's cases that are not closed."""
    cases = list(
        session.scalars(select(Case).where(Case.contact_id == contact_id, Case.status != "closed"))
    )
    for case in cases:
        case.safe_contact = preference
    return cases

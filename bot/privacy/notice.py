"""The privacy notice at first contact, in the person's language, and its acknowledgement.

Sent once per contact, as the last reply of the first turn in which the
conversation has a language, so it never holds back anything else, above all
a safety reply (which comes first in the same turn). Not after a quick exit,
a stop or an erasure. `shown_at` is recorded when it is queued; the person's
next message is the acknowledgement (`acknowledged_at`): they carried on
having received who runs the service, what is kept, for how long and how to
erase it (GDPR art. 13, KVKK art. 10 ask for information, not consent).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from bot.privacy.erasure import ERASED
from bot.storage.privacy_models import PrivacyNotice

if TYPE_CHECKING:
    from datetime import datetime

    from bot.engine.turn import Turn
    from bot.settings import PrivacySettings

NOTICE = "privacy.notice"


def after_turn(turn: Turn, settings: PrivacySettings, now: datetime) -> None:
    """Acknowledge a notice shown before, or show it now (after every other reply)."""
    if not settings.first_contact_notice or turn.contact.kind != "person":
        return
    session = turn.session
    notice = session.scalar(
        select(PrivacyNotice).where(PrivacyNotice.contact_id == turn.contact.id)
    )
    if notice is not None:
        if notice.acknowledged_at is None:
            notice.acknowledged_at = now
        return
    erased = session.info.get(ERASED) == turn.contact.id
    if (
        turn.conversation.language is None
        or turn.contact.opted_out
        or turn.inbound.command == "exit"
        or erased
    ):
        return
    retention = settings.retention
    turn.say(NOTICE, chat_days=retention.conversations_days, days=retention.closed_cases_days)
    session.add(PrivacyNotice(contact_id=turn.contact.id, language=turn.language, shown_at=now))

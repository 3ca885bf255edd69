"""Did the person get help? The bot asks `services.follow_up_days` after a pick.

A scheduler inside `helpline serve` (the app's lifespan, on the engine's clock)
looks every `follow_up_check_seconds` for referrals the person chose in the bot
(source "bot") made at least that many days ago and not asked about yet. The
question goes through the outbox in the person's language and on their channel
(WhatsApp's 24-hour window: the sender holds it until they write). It is marked
asked in the same transaction, so a restart asks nothing twice. Nobody who
stopped messages is asked; an erased person's referrals are gone with them.
The answer (buttons `sv:f:<referral id>:<answer>`) is kept in `outcome`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from bot.periodic import every
from bot.storage import repository
from bot.storage.models import Contact, utcnow
from bot.storage.service_models import Referral

if TYPE_CHECKING:
    from bot.engine.texts import Texts
    from bot.engine.turn import Turn
    from bot.settings import ServiceMapSettings
    from bot.storage.crypto import Vault
    from bot.storage.db import Database

log = logging.getLogger(__name__)

PREFIX = "sv:f:"
ANSWERS = ("got_help", "no_help", "did_not_go")


def buttons(texts: Texts, language: str, referral_id: int) -> list[dict[str, Any]]:
    return [
        {
            "payload": f"{PREFIX}{referral_id}:{answer}",
            "label": texts.get(language, f"services.follow_up.{answer}"),
        }
        for answer in ANSWERS
    ]


class FollowUpSchedule:
    def __init__(
        self,
        db: Database,
        vault: Vault,
        texts: Texts,
        settings: ServiceMapSettings,
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
        """Queue every follow-up question due by `now`; return how many."""
        now = (now or self.clock()).astimezone(UTC)
        due_before = now - timedelta(days=self.settings.follow_up_days)
        asked = 0
        with self.db.transaction() as session:
            rows = session.execute(
                select(Referral, Contact)
                .join(Contact, Contact.id == Referral.contact_id)
                .where(
                    Referral.source == "bot",
                    Referral.asked_at.is_(None),
                    Referral.outcome.is_(None),
                    Referral.created_at <= due_before,
                )
                .order_by(Referral.id)
            ).all()
            for referral, contact in rows:
                referral.asked_at = now
                if contact.opted_out:
                    continue  # stopped messages: never asked (and not asked later either)
                conversation = repository.active_conversation(session, contact)
                language = conversation.language or contact.language or self.default_language
                text = self.texts.get(language, "services.follow_up.ask", name=referral.provider)
                repository.add_outbound(
                    session,
                    self.vault,
                    conversation,
                    contact,
                    text,
                    language,
                    buttons(self.texts, language, referral.id),
                )
                asked += 1
        if asked:
            log.info("referral follow-ups queued: %d", asked)
        return asked

    async def run(self) -> None:
        seconds = self.settings.follow_up_check_seconds
        await every(seconds, self.scan, "referral follow-ups", self.wake)


def tap(turn: Turn, payload: str) -> str | None:
    """An answer to the follow-up question, kept on the referral: the answer, or None.

    None when the payload is not one of these; "" when it names no referral of theirs.
    """
    if not payload.startswith(PREFIX):
        return None
    referral_id, _, answer = payload[len(PREFIX) :].partition(":")
    referral = turn.session.get(Referral, int(referral_id)) if referral_id.isdigit() else None
    if referral is None or referral.contact_id != turn.contact.id or answer not in ANSWERS:
        return ""
    referral.outcome = answer
    turn.say(f"services.follow_up.thanks_{answer}")
    return answer

"""A service the person picks from the bot's results becomes a referral (issue 10).

On channels with real buttons (Telegram, the web chat) every result carries a
button `sv:p:<service id>`; tapping it (even on an older
message) records a referral with source "bot": the category asked for, the
provider as named today and the date; no free text. A second tap on the same
service the same day records nothing new.
"""

from __future__ import annotations

from datetime import UTC, date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from bot.cases import referrals
from bot.services.hours import ISTANBUL
from bot.storage.service_models import Referral, Service

if TYPE_CHECKING:
    from bot.engine.turn import Turn
    from bot.services.directory import Found

PREFIX = "sv:p:"
LABEL_CHARS = 60
# Channels that show buttons as a numbered list (bot/channels/base.py numbered_text):
# there a second list under the results would cost SMS segments and clash with the
# numbers of the question that follows, so they get no pick buttons (yet).
NUMBERED_CHANNELS = frozenset({"whatsapp", "sms", "terminal"})


def offered(turn: Turn) -> bool:
    """Whether the results carry pick buttons on this person's channel."""
    return turn.inbound.channel not in NUMBERED_CHANNELS


def button(number: int, found: Found) -> dict[str, Any]:
    name = found.record.name
    if len(name) > LABEL_CHARS:
        name = name[: LABEL_CHARS - 1] + "…"
    return {"payload": f"{PREFIX}{found.record.id}", "label": f"{number}. {name}"}


def tap(turn: Turn, payload: str) -> bool:
    """A pick button: record the referral and confirm. True when the payload is one."""
    if not payload.startswith(PREFIX):
        return False
    service_id = payload[len(PREFIX) :]
    service = turn.session.get(Service, service_id)
    if service is None:  # gone from the map since it was shown
        turn.say("services.pick_gone")
        return True
    today = turn.desk.now().astimezone(ISTANBUL).date()
    earlier = turn.session.scalars(
        select(Referral).where(
            Referral.contact_id == turn.contact.id,
            Referral.service_id == service_id,
            Referral.source == "bot",
        )
    ).all()
    if not any(_local_date(r) == today for r in earlier):
        category = turn.slots.get("service_category")
        referral = referrals.record(
            turn.session,
            service_id,
            source="bot",
            contact_id=turn.contact.id,
            category=category if category in (service.categories or []) else None,
        )
        referral.created_at = turn.desk.now()
    turn.say("services.picked", name=service.name)
    return True


def _local_date(referral: Referral) -> date:
    created = referral.created_at
    if created.tzinfo is None:
        created = created.replace(tzinfo=UTC)
    return created.astimezone(ISTANBUL).date()

"""Awareness messages: opt-in subscriptions and staff sends through the outbox.

A person subscribes with one word ("abone", "subscribe", "اشتراك", "اشتراک"), in
their language and for the district they name (or the one they spoke of; none:
city-wide only), and unsubscribes with one word. Staff write the message per
language and choose the audience (language, district, programme: people who
signed up for a session of it); the preview counts the people, the SMS segments of
each text and the WhatsApp recipients outside the 24-hour window. Those get the
message only when an approved template (ContentSid) exists for their language: the
outbox then holds it and sends the template (bot/channels/twilio_whatsapp.py);
without one they are left out and counted. Telegram's pace is the sender's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from bot.channels.sms_text import count_segments
from bot.nlu.normalise import fold
from bot.storage import repository
from bot.storage.models import Contact, Message
from bot.storage.programme_models import (
    AwarenessDelivery,
    AwarenessSend,
    AwarenessSubscription,
    ProgrammeSession,
    SessionSignup,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bot.engine.turn import Turn
    from bot.settings import Settings
    from bot.storage.crypto import Vault

WHATSAPP_WINDOW = timedelta(hours=24)
DELIVERY_STATES = ("queued", "held", "sent", "delivered", "read", "undelivered", "failed", "dead")


def _words(turn: Turn, msgid: str) -> set[str]:
    return {fold(w) for w in turn.texts.get(turn.language, msgid).split(",")} - {""}


def answer(turn: Turn, text: str) -> bool:
    """Subscribe or unsubscribe; True when the message was one of those."""
    folded = fold(text)
    if not folded:
        return False
    first = folded.split()[0]
    if first in _words(turn, "awareness.subscribe_words"):
        _subscribe(turn)
        return True
    if folded in _words(turn, "awareness.unsubscribe_words"):
        current = _subscription(turn.session, turn.contact.id)
        if current is None or not current.active:
            return False  # not subscribed: the word means what it means elsewhere
        current.active = False
        current.ended_at = turn.desk.now()
        turn.say("awareness.unsubscribed")
        return True
    return False


def _subscription(session: Session, contact_id: int) -> AwarenessSubscription | None:
    return session.scalar(
        select(AwarenessSubscription).where(AwarenessSubscription.contact_id == contact_id)
    )


def _subscribe(turn: Turn) -> None:
    district = turn.understanding.entity("district") or turn.slots.get("district") or ""
    current = _subscription(turn.session, turn.contact.id)
    if current is None:
        current = AwarenessSubscription(contact_id=turn.contact.id)
        turn.session.add(current)
    current.language = turn.language
    current.district = str(district)
    current.active = True
    current.ended_at = None
    if district:
        turn.say("awareness.subscribed", district=district)
    else:
        turn.say("awareness.subscribed_citywide")


@dataclass(frozen=True)
class Audience:
    language: str = ""
    district: str = ""
    programme: str = ""

    def as_json(self) -> dict[str, str]:
        return {"language": self.language, "district": self.district, "programme": self.programme}


@dataclass
class Recipient:
    contact: Contact
    language: str


def audience(session: Session, chosen: Audience) -> list[Recipient]:
    """Active subscribers that fit, not opted out of every message (STOP)."""
    query = (
        select(AwarenessSubscription, Contact)
        .join(Contact, Contact.id == AwarenessSubscription.contact_id)
        .where(AwarenessSubscription.active.is_(True), Contact.opted_out.is_(False))
        .order_by(AwarenessSubscription.id)
    )
    if chosen.language:
        query = query.where(AwarenessSubscription.language == chosen.language)
    if chosen.programme:
        signed = (
            select(SessionSignup.contact_id)
            .join(ProgrammeSession, ProgrammeSession.id == SessionSignup.session_id)
            .where(ProgrammeSession.programme == chosen.programme)
        )
        query = query.where(AwarenessSubscription.contact_id.in_(signed))
    wanted = fold(chosen.district)
    return [
        Recipient(contact, subscription.language)
        for subscription, contact in session.execute(query)
        if not wanted or fold(subscription.district) == wanted
    ]


def _template(settings: Settings, language: str) -> str | None:
    twilio = settings.twilio
    return (
        twilio.whatsapp_template_content_sids.get(language) or twilio.whatsapp_template_content_sid
    )


def _window_closed(contact: Contact, now: datetime) -> bool:
    last = contact.last_inbound_at
    if last is None:
        return True
    last = last if last.tzinfo is not None else last.replace(tzinfo=UTC)
    return now - last >= WHATSAPP_WINDOW


@dataclass
class Preview:
    recipients: int = 0
    by_language: dict[str, int] = field(default_factory=dict)
    by_channel: dict[str, int] = field(default_factory=dict)
    sms_segments: dict[str, int] = field(default_factory=dict)  # language -> segments
    no_text: int = 0  # a subscriber whose language has no text
    whatsapp_template: int = 0  # outside the window, the approved template goes first
    whatsapp_left_out: int = 0  # outside the window and no template: not sent


def _plan(
    session: Session, settings: Settings, texts: dict[str, str], chosen: Audience, now: datetime
) -> tuple[Preview, list[Recipient]]:
    preview = Preview()
    going: list[Recipient] = []
    for language, text in texts.items():
        preview.sms_segments[language] = count_segments(text).count
    for recipient in audience(session, chosen):
        if not texts.get(recipient.language):
            preview.no_text += 1
            continue
        channel = recipient.contact.channel
        if channel == "whatsapp" and _window_closed(recipient.contact, now):
            if _template(settings, recipient.language) is None:
                preview.whatsapp_left_out += 1
                continue
            preview.whatsapp_template += 1
        going.append(recipient)
        preview.recipients += 1
        preview.by_language[recipient.language] = preview.by_language.get(recipient.language, 0) + 1
        preview.by_channel[channel] = preview.by_channel.get(channel, 0) + 1
    return preview, going


def preview(
    session: Session, settings: Settings, texts: dict[str, str], chosen: Audience, now: datetime
) -> Preview:
    return _plan(session, settings, texts, chosen, now)[0]


def send(
    session: Session,
    vault: Vault,
    settings: Settings,
    staff_id: int | None,
    texts: dict[str, str],
    chosen: Audience,
    now: datetime,
) -> AwarenessSend:
    """Queue the message to everyone in the audience, in one transaction."""
    texts = {k: v.strip() for k, v in texts.items() if v.strip()}
    planned, going = _plan(session, settings, texts, chosen, now)
    record = AwarenessSend(
        staff_id=staff_id, texts=texts, audience=chosen.as_json(), recipients=planned.recipients
    )
    session.add(record)
    session.flush()
    for recipient in going:
        conversation = repository.active_conversation(session, recipient.contact)
        message = repository.add_outbound(
            session, vault, conversation, recipient.contact, texts[recipient.language],
            recipient.language,
        )  # fmt: skip
        session.add(
            AwarenessDelivery(
                send_id=record.id, contact_id=recipient.contact.id, message_id=message.id
            )
        )
    session.flush()
    return record


def counts(session: Session, record: AwarenessSend) -> dict[str, Any]:
    """Delivery states of a send's messages, and how many of its people unsubscribed since."""
    states = dict(
        session.execute(
            select(Message.status, func.count())
            .join(AwarenessDelivery, AwarenessDelivery.message_id == Message.id)
            .where(AwarenessDelivery.send_id == record.id)
            .group_by(Message.status)
        ).all()
    )
    opted_out = session.scalar(
        select(func.count())
        .select_from(AwarenessDelivery)
        .join(Contact, Contact.id == AwarenessDelivery.contact_id)
        .join(AwarenessSubscription, AwarenessSubscription.contact_id == Contact.id)
        .where(
            AwarenessDelivery.send_id == record.id,
            (AwarenessSubscription.active.is_(False)) | Contact.opted_out.is_(True),
        )
    )
    return {
        "recipients": record.recipients,
        "states": {s: int(states.get(s, 0)) for s in DELIVERY_STATES},
        "opted_out": int(opted_out or 0),
    }

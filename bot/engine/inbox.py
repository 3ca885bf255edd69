"""The inbound side of storage: every message is stored once, before it is processed."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.engine.messages import Inbound
from bot.storage import repository
from bot.storage.models import Contact, Message, utcnow

if TYPE_CHECKING:
    from bot.storage.crypto import Vault
    from bot.storage.db import Database


def store_inbound(db: Database, vault: Vault, inbound: Inbound) -> tuple[int, bool]:
    """Store an inbound message once; return its id and whether it was a redelivery.

    The platform's message id is kept as a keyed hash: some platforms build
    it from the chat id, which must not be stored in the clear.
    """
    # Hashed under each key: a redelivery stored before a key rotation is still recognised.
    candidates: list[str] | None = None
    if inbound.platform_message_id is not None:
        candidates = vault.hash_ids(inbound.channel, inbound.platform_message_id)
        inbound = replace(inbound, platform_message_id=candidates[0])
    try:
        with db.transaction() as session:
            existing = repository.find_inbound(session, inbound.channel, candidates)
            if existing is not None:
                return existing.id, True
            contact = repository.contact_for(session, vault, inbound.channel, inbound.sender_id)
            contact.last_inbound_at = utcnow()
            repository.release_held(session, contact.id)
            message = Message(
                contact_id=contact.id,
                direction="in",
                channel=inbound.channel,
                platform_message_id=inbound.platform_message_id,
                platform_ref=inbound.platform_ref,
                text_enc=vault.encrypt(inbound.text),
                extras_enc=_extras(vault, inbound),
                status="received",
            )
            session.add(message)
            session.flush()
            return message.id, False
    except IntegrityError:
        # Two deliveries of the same message raced; the other one won.
        with db.transaction() as session:
            existing = repository.find_inbound(session, inbound.channel, candidates)
            if existing is None:
                raise
            return existing.id, True


# What an Inbound carries besides its text, kept for a recovery (see `unprocessed`).
EXTRAS = ("button", "language_code", "has_media", "command", "platform_ref", "location", "media")


def _extras(vault: Vault, inbound: Inbound) -> str | None:
    values = {name: getattr(inbound, name) for name in EXTRAS if getattr(inbound, name)}
    return vault.encrypt(json.dumps(values)) if values else None


def _with_extras(vault: Vault, inbound: Inbound, extras_enc: str | None) -> Inbound:
    if not extras_enc:
        return inbound
    values: dict[str, Any] = json.loads(vault.decrypt(extras_enc))
    if values.get("location") is not None:
        latitude, longitude = values["location"]
        values["location"] = (float(latitude), float(longitude))
    return replace(inbound, **{k: v for k, v in values.items() if k in EXTRAS})


def unprocessed(db: Database, vault: Vault) -> list[tuple[int, Inbound]]:
    """Inbound messages stored but not processed (a crash came between), oldest first."""
    with db.transaction() as session:
        rows = session.execute(
            select(Message, Contact)
            .join(Contact, Contact.id == Message.contact_id)
            .where(Message.direction == "in", Message.status == "received")
            .order_by(Message.id)
        )
        return [
            (
                message.id,
                _with_extras(
                    vault,
                    Inbound(
                        channel=message.channel,
                        sender_id=vault.decrypt(contact.platform_id_enc),
                        text=vault.decrypt(message.text_enc),
                    ),
                    message.extras_enc,
                ),
            )
            for message, contact in rows
        ]

"""Reading and writing contacts, conversations and messages.

Every function takes an open session; the caller owns the transaction, so
a state change and the replies it causes commit together.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from bot.storage.models import (
    Contact,
    Conversation,
    Message,
    OutboxItem,
    utcnow,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bot.storage.crypto import Vault


def find_contact(session: Session, vault: Vault, channel: str, sender_id: str) -> Contact | None:
    # Under the current key, or a previous one while a key rotation runs.
    digests = vault.hash_ids(channel, sender_id)
    return session.scalar(
        select(Contact)
        .where(Contact.channel == channel, Contact.platform_hash.in_(digests))
        .limit(1)
    )


def contact_for(session: Session, vault: Vault, channel: str, sender_id: str) -> Contact:
    """The contact for this channel and platform id, created on first contact."""
    contact = find_contact(session, vault, channel, sender_id)
    if contact is None:
        contact = Contact(
            channel=channel,
            platform_hash=vault.hash_id(channel, sender_id),
            platform_id_enc=vault.encrypt(sender_id),
        )
        session.add(contact)
        session.flush()
    return contact


def staff_contact(session: Session, vault: Vault, channel: str, chat_id: str) -> Contact:
    """The staff chat (the group that gets alerts) as a contact of kind `staff`.

    Created on first use, encrypted and hashed like every contact; a savepoint
    keeps a concurrent first use from failing the caller's transaction.
    """
    contact = find_contact(session, vault, channel, chat_id)
    if contact is not None:
        return contact
    try:
        with session.begin_nested():
            contact = Contact(
                channel=channel,
                platform_hash=vault.hash_id(channel, chat_id),
                platform_id_enc=vault.encrypt(chat_id),
                kind="staff",
                language="en",
            )
            session.add(contact)
    except IntegrityError:
        contact = find_contact(session, vault, channel, chat_id)
        assert contact is not None
    return contact


def find_inbound(
    session: Session, channel: str, platform_message_ids: list[str] | str | None
) -> Message | None:
    """An inbound message by its (hashed) platform id; several: the hashes under each key."""
    if platform_message_ids is None:
        return None
    if isinstance(platform_message_ids, str):
        platform_message_ids = [platform_message_ids]
    return session.scalar(
        select(Message)
        .where(
            Message.channel == channel,
            Message.direction == "in",
            Message.platform_message_id.in_(platform_message_ids),
        )
        .limit(1)
    )


def earlier_unprocessed(session: Session, message: Message) -> bool:
    """Whether the same person has an earlier inbound message stored but not processed."""
    earlier = session.scalar(
        select(Message.id)
        .where(
            Message.contact_id == message.contact_id,
            Message.direction == "in",
            Message.status == "received",
            Message.id < message.id,
        )
        .limit(1)
    )
    return earlier is not None


def active_conversation(session: Session, contact: Contact) -> Conversation:
    """The contact's active conversation, locked for this transaction; created if none."""
    conversation = session.scalar(
        select(Conversation)
        .where(Conversation.contact_id == contact.id, Conversation.active.is_(True))
        .order_by(Conversation.id.desc())
        .limit(1)
        .with_for_update()
    )
    if conversation is None:
        conversation = Conversation(contact_id=contact.id, language=contact.language, slots={})
        session.add(conversation)
        session.flush()
    return conversation


def add_outbound(
    session: Session,
    vault: Vault,
    conversation: Conversation,
    contact: Contact,
    text: str,
    language: str,
    buttons: list[dict[str, Any]] | None = None,
    staff_id: int | None = None,
    short_text: str | None = None,
    action: str | None = None,
) -> Message:
    """Store an outbound message and queue it in the outbox, in the caller's transaction.

    `short_text` is a shorter version for channels with a length budget (SMS).
    """
    message = Message(
        contact_id=contact.id,
        conversation_id=conversation.id,
        direction="out",
        channel=contact.channel,
        text_enc=vault.encrypt(text),
        status="queued",
        language=language,
        sent_by_staff_id=staff_id,
    )
    session.add(message)
    session.flush()
    session.add(
        OutboxItem(
            message_id=message.id,
            contact_id=contact.id,
            channel=contact.channel,
            choices=buttons or [],
            short_text_enc=vault.encrypt(short_text) if short_text else None,
            action=action,
        )
    )
    return message


# Telegram lets a bot delete messages of a private chat for 48 hours.
CHAT_REFS_MAX_AGE = timedelta(hours=48)


def chat_refs(session: Session, contact_id: int, *, before: int) -> list[str]:
    """Platform ids, inside the chat, of both sides' recent messages (for a quick exit)."""
    rows = session.execute(
        select(Message.direction, Message.platform_ref, Message.platform_message_id).where(
            Message.contact_id == contact_id,
            Message.id < before,
            Message.created_at >= utcnow() - CHAT_REFS_MAX_AGE,
            or_(Message.platform_ref.is_not(None), Message.direction == "out"),
        )
    ).all()
    refs = [ref if direction == "in" else platform_id for direction, ref, platform_id in rows]
    return [ref for ref in refs if ref]


def release_held(session: Session, contact_id: int) -> int:
    """The person wrote again: messages held for them (outside a platform's window) may go."""
    result = session.execute(
        update(OutboxItem)
        .where(OutboxItem.contact_id == contact_id, OutboxItem.status == "held")
        .values(status="pending", next_attempt_at=utcnow())
    )
    released = int(getattr(result, "rowcount", 0) or 0)
    if not released:
        return 0  # nothing was held (the usual case): no second statement on every message
    held_ids = select(OutboxItem.message_id).where(
        OutboxItem.contact_id == contact_id, OutboxItem.status == "pending"
    )
    session.execute(
        update(Message)
        .where(Message.id.in_(held_ids), Message.status == "held")
        .values(status="queued")
    )
    return released

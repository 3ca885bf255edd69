"""A message stored but not processed when the process died is processed as it came.

Its command, tapped button and location are kept (encrypted) with it, so a
recovered `/exit` is still a quick exit and a recovered tap still a tap.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.app import Helpline
from bot.engine.messages import QUICK_EXIT, Inbound
from bot.storage import repository
from bot.storage.models import Conversation, Message, OutboxItem


def outbox_of(helpline: Helpline, sender_id: str) -> list[tuple[str | None, str]]:
    vault = helpline.vault
    with helpline.db.transaction() as session:
        contact = repository.find_contact(session, vault, "test", sender_id)
        assert contact is not None
        rows = session.execute(
            select(OutboxItem.action, Message.text_enc)
            .join(Message, Message.id == OutboxItem.message_id)
            .where(OutboxItem.contact_id == contact.id)
            .order_by(OutboxItem.id)
        ).all()
        return [(action, vault.decrypt(text)) for action, text in rows]


def test_recovery_keeps_commands_taps_and_locations(helpline: Helpline) -> None:
    engine, texts = helpline.engine, helpline.engine.texts
    for person in ("p-tap", "p-where"):  # both had started a conversation before the crash
        engine.receive(Inbound("test", person, "/start", f"{person}-0", language_code="en"))
    stored = [
        Inbound(
            "test", "p-exit", "/exit", "u1", language_code="tr", command="exit", platform_ref="5"
        ),
        Inbound("test", "p-tap", "Health", "u2", button="menu:0:1", language_code="en"),
        Inbound("test", "p-where", "📍", "u3", location=(41.0345, 28.6801), language_code="en"),
    ]
    for inbound in stored:
        engine.store(inbound)
    with helpline.db.transaction() as session:
        kept = list(session.scalars(select(Message.extras_enc).where(Message.direction == "in")))
    assert all(kept) and not any("exit" in value or "41.0" in value for value in kept)

    assert engine.recover() == 3

    assert (QUICK_EXIT, texts.get("tr", "exit.done")) in outbox_of(helpline, "p-exit")
    assert texts.get("en", "faq.health") in [text for _, text in outbox_of(helpline, "p-tap")]
    with helpline.db.transaction() as session:
        contact = repository.find_contact(session, helpline.vault, "test", "p-where")
        assert contact is not None
        slots = session.scalars(
            select(Conversation.slots).where(Conversation.contact_id == contact.id)
        ).one()
    assert slots["location"] == [41.035, 28.68]

"""Storage on SQLite and PostgreSQL: migrations, idempotent inbound, encryption, outbox."""

from __future__ import annotations

import asyncio
import threading

from sqlalchemy import func, inspect, select, text

from bot.app import Helpline
from bot.channels.base import SendError
from bot.engine.messages import Inbound, Outbound
from bot.storage.db import Database
from bot.storage.models import Contact, Message, OutboxItem
from tests.conftest import Person


def count(helpline: Helpline, model: type, *where: object) -> int:
    with helpline.db.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def test_migrations_create_every_table_and_run_twice(database_url: str) -> None:
    db = Database(database_url)
    db.migrate()
    db.migrate()
    tables = set(inspect(db.engine).get_table_names())
    assert {
        "contacts",
        "conversations",
        "messages",
        "outbox",
        "cases",
        "case_events",
        "staff",
        "services",
        "erasures",
        "alembic_version",
    } <= tables
    db.dispose()


def test_a_redelivered_message_is_stored_and_processed_once(person: Person) -> None:
    first = person.says("merhaba", message_id="platform-42")
    again = person.says("merhaba", message_id="platform-42")
    assert first and not again
    assert person.result is not None and person.result.duplicate
    assert count(person.helpline, Message, Message.direction == "in") == 1


def test_concurrent_redeliveries_are_processed_once(helpline: Helpline) -> None:
    inbound = Inbound(
        channel="test", sender_id="racer", text="merhaba", platform_message_id="same-id"
    )
    results = []
    barrier = threading.Barrier(4)

    def deliver() -> None:
        barrier.wait()
        results.append(helpline.engine.receive(inbound))

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.duplicate for r in results) == [False, True, True, True]
    assert count(helpline, Message, Message.direction == "in") == 1


def test_text_and_platform_ids_are_not_stored_in_the_clear(person: Person) -> None:
    person.sender_id = "+905551112233"
    person.says("kimlik kartımı kaybettim ne yapmalıyım")
    with person.helpline.db.engine.connect() as connection:
        dump = " ".join(
            str(row)
            for table in ("contacts", "messages")
            for row in connection.execute(text(f"SELECT * FROM {table}"))
        )
    assert "kaybettim" not in dump
    assert "5551112233" not in dump
    with person.helpline.db.transaction() as session:
        contact = session.scalars(select(Contact)).one()
        assert person.helpline.vault.decrypt(contact.platform_id_enc) == "+905551112233"


def test_every_reply_goes_through_the_outbox_and_is_marked_sent(person: Person) -> None:
    replies = person.says("merhaba")
    assert replies
    assert count(person.helpline, OutboxItem, OutboxItem.status == "sent") == len(replies)
    assert count(
        person.helpline, Message, Message.direction == "out", Message.status == "sent"
    ) == len(replies)


class FlakyChannel:
    """A platform that fails the first `failures` sends, then delivers."""

    def __init__(self, failures: int, permanent: bool = False) -> None:
        self.name = "test"
        self.failures = failures
        self.permanent = permanent
        self.delivered: list[Outbound] = []

    async def send(self, message: Outbound) -> str | None:
        if self.failures > 0:
            self.failures -= 1
            raise SendError("platform unavailable", permanent=self.permanent, retry_after=0)
        self.delivered.append(message)
        return f"p-{message.message_id}"


def test_a_failed_send_is_retried_and_nothing_is_lost(helpline: Helpline) -> None:
    flaky = FlakyChannel(failures=1)
    helpline.sender.channels["test"] = flaky
    helpline.engine.receive(
        Inbound(channel="test", sender_id="u", text="merhaba", platform_message_id="m1")
    )
    queued = count(helpline, OutboxItem)
    asyncio.run(helpline.sender.flush())
    asyncio.run(helpline.sender.flush())
    assert len(flaky.delivered) == queued
    assert count(helpline, OutboxItem, OutboxItem.status == "sent") == queued
    with helpline.db.transaction() as session:
        first = session.scalars(select(OutboxItem).order_by(OutboxItem.id)).first()
        assert first is not None and first.attempts == 2


def test_a_permanent_failure_is_recorded_not_retried(helpline: Helpline) -> None:
    helpline.sender.channels["test"] = FlakyChannel(failures=100, permanent=True)
    helpline.engine.receive(
        Inbound(channel="test", sender_id="u", text="merhaba", platform_message_id="m1")
    )
    asyncio.run(helpline.sender.flush())
    assert count(helpline, OutboxItem, OutboxItem.status == "dead") == count(helpline, OutboxItem)


def test_a_crash_while_sending_leaves_the_row_for_recovery(helpline: Helpline) -> None:
    helpline.engine.receive(
        Inbound(channel="test", sender_id="u", text="merhaba", platform_message_id="m1")
    )
    claimed = helpline.sender._claim(["test"])
    assert claimed
    assert count(helpline, OutboxItem, OutboxItem.status == "sending") == len(claimed)
    helpline.sender.recover()
    assert count(helpline, OutboxItem, OutboxItem.status == "sending") == 0
    asyncio.run(helpline.sender.flush())
    assert count(helpline, OutboxItem, OutboxItem.status == "sent") == count(helpline, OutboxItem)


def test_a_message_stored_before_a_crash_is_processed_at_recovery(helpline: Helpline) -> None:
    _, duplicate = helpline.engine.store(
        Inbound(channel="test", sender_id="u", text="merhaba", platform_message_id="m1")
    )
    assert not duplicate
    assert count(helpline, Message, Message.status == "received") == 1
    assert helpline.engine.recover() == 1
    assert count(helpline, Message, Message.status == "received") == 0
    assert count(helpline, OutboxItem) >= 2
    assert helpline.engine.recover() == 0

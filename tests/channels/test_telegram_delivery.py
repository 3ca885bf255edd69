"""Delivery on Telegram: long texts, failures the Bot API reports, quick-exit chunks, staff
group, long polling. The real app, outbox and PTB against the fake Bot API, SQLite and PG."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.channels.telegram import TelegramChannel, build_telegram
from bot.engine.messages import QUICK_EXIT, Outbound
from bot.nlu.base import NLU
from bot.storage import repository
from tests.channels.telegram_env import TelegramEnv, fixture, telegram_env

STAFF_CHAT = "-1001987654321"


@pytest.fixture
def env(database_url: str, nlu_model_dir: Path, nlu: NLU) -> Iterator[TelegramEnv]:
    with telegram_env(database_url, nlu_model_dir, nlu, staff_chat_id=STAFF_CHAT) as running:
        yield running


def queue_text(env: TelegramEnv, chat: int, text: str) -> int:
    """A reply queued in the outbox for this person (as a caseworker's reply is)."""
    vault = env.helpline.vault
    with env.helpline.db.transaction() as session:
        contact = repository.find_contact(session, vault, "telegram", str(chat))
        assert contact is not None
        conversation = repository.active_conversation(session, contact)
        message = repository.add_outbound(session, vault, conversation, contact, text, "en")
        return message.id


def test_a_text_over_4096_characters_goes_out_in_parts_in_order(env: TelegramEnv) -> None:
    chat = 7100
    env.says(chat, "/start")
    before = len(env.settle(chat))
    paragraphs = [
        f"Paragraph {n}: " + " ".join(["information for families"] * 12) for n in range(30)
    ]
    text = "\n".join(paragraphs)
    assert len(text) > 2 * 4096
    queue_text(env, chat, text)
    parts = env.settle(chat)[before:]
    assert len(parts) == 3
    assert all(len(part) <= 4096 for part in parts)
    assert "\n".join(parts) == text  # cut at line ends, nothing lost, in order
    items = env.outbox()
    item, message = items[-1]
    assert item.status == "sent" and message.platform_message_id is not None
    assert message.platform_message_id.count(",") == 2  # all three parts kept for a quick exit


def test_a_blocked_bot_moves_the_replies_to_dead_letters_with_the_reason(env: TelegramEnv) -> None:
    chat = 7200
    env.fake.block(chat)
    env.says(chat, "/start")
    env.settle(chat)
    items = [(item, message) for item, message in env.outbox() if message.conversation_id]
    assert items
    for item, message in items:
        assert item.status == "dead" and message.status == "dead"
        assert "blocked" in (item.last_error or "")
        assert message.error_code == "403"
        assert item.attempts == 1  # permanent: not retried


def test_flood_control_retry_after_is_honoured_then_everything_is_delivered(
    env: TelegramEnv,
) -> None:
    chat = 7300
    env.fake.fail(
        "sendMessage", 429, "Too Many Requests: retry after 2", retry_after=2, chat_id=chat
    )
    env.says(chat, "/start")
    texts = env.settle(chat, quiet=1.0)
    calls = env.fake.sent(chat)
    assert len(calls) == len(texts) >= 3  # the refused one, then every reply
    assert calls[1].at - calls[0].at >= 2.0  # not before Telegram's retry_after
    assert calls[1].params["text"] == calls[0].params["text"]  # the same message, first
    assert all(item.status == "sent" for item, _ in env.outbox())


def test_a_server_error_is_retried(env: TelegramEnv) -> None:
    chat = 7400
    env.fake.fail("sendMessage", 500, "Internal Server Error", chat_id=chat)
    env.says(chat, "/start")
    texts = env.settle(chat, quiet=1.5)
    assert texts[0] == texts[1]  # refused once, then sent
    assert all(item.status == "sent" for item, _ in env.outbox())
    assert max(item.attempts for item, _ in env.outbox()) == 2


def test_quick_exit_deletes_in_chunks_of_100(env: TelegramEnv) -> None:
    chat = "7500"
    refs = (*(str(n) for n in range(1, 181)), "181,182,183#9")
    channel = build_telegram(env.helpline.settings, env.helpline.db, env.helpline.vault)
    assert channel is not None
    outbound = Outbound(
        channel="telegram",
        recipient_id=chat,
        text="OK",
        action=QUICK_EXIT,
        delete_refs=refs,
        message_id=9,
    )
    assert isinstance(channel, TelegramChannel)

    async def send() -> str | None:
        await channel.bot.initialize()
        try:
            return await channel.send(outbound)
        finally:
            await channel.bot.shutdown()

    platform_id = asyncio.run(send())
    chunks = [call.params["message_ids"] for call in env.fake.calls_to("deleteMessages")]
    assert [len(chunk) for chunk in chunks] == [100, 83]
    assert sorted(i for chunk in chunks for i in chunk) == list(range(1, 184))
    assert platform_id is not None and platform_id.endswith("#9")


def test_staff_alerts_reach_the_staff_group_through_the_same_bot(env: TelegramEnv) -> None:
    chat = 7600
    env.says(chat, "/start")
    env.settle(chat)
    env.says(chat, "My husband beats me every night and tonight he said he will kill me")
    env.settle(chat)
    alerts = env.fake.sent(STAFF_CHAT)
    assert alerts
    assert str(chat) not in alerts[0].params["text"]
    assert "kill" not in alerts[0].params["text"]  # no words of the person's


def test_long_polling_feeds_the_same_intake(
    database_url: str, nlu_model_dir: Path, nlu: NLU
) -> None:
    overrides: dict[str, object] = {
        "public_url": None,
        "telegram": {"polling": True, "poll_timeout_seconds": 1},
    }
    with telegram_env(database_url, nlu_model_dir, nlu, **overrides) as polling:
        polling.fake.wait_for("getUpdates")
        assert polling.fake.calls_to("deleteWebhook")  # PTB deletes the webhook first
        assert not polling.fake.calls_to("setWebhook")
        chat = 5512340001
        update = polling.fake.from_fixture(fixture("text_ar"), chat_id=chat)
        polling.fake.push_update(update)
        polling.fake.push_update(update)  # fetched twice: still answered once
        texts = polling.settle(chat)
        assert texts and texts[0] == polling.helpline.engine.texts.get("ar", "greeting.welcome")
        assert len(polling.inbound()) == 1

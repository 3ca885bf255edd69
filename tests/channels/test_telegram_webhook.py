"""`POST /webhooks/telegram` through the real app, PTB and the fake Bot API, on SQLite and PG."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.engine.texts import COMMAND_NAMES
from bot.nlu.base import NLU
from tests.channels.telegram_env import PUBLIC_URL, SECRET, TelegramEnv, fixture, telegram_env

ARABIC = range(0x0600, 0x06FF + 1)


@pytest.fixture
def env(database_url: str, nlu_model_dir: Path, nlu: NLU) -> Iterator[TelegramEnv]:
    with telegram_env(database_url, nlu_model_dir, nlu) as running:
        yield running


def arabic_letters(text: str) -> int:
    return sum(1 for ch in text if ord(ch) in ARABIC)


def latin_letters(text: str) -> int:
    return sum(1 for ch in text if ch.isascii() and ch.isalpha())


def test_start_registers_the_webhook_and_the_command_menus(env: TelegramEnv) -> None:
    env.fake.wait_for("setWebhook")
    webhook = env.fake.webhook()
    assert webhook["url"] == f"{PUBLIC_URL}/webhooks/telegram"
    assert webhook["secret_token"] == SECRET
    assert webhook["allowed_updates"] == ["message", "edited_message", "callback_query"]
    texts = env.helpline.engine.texts
    for language in env.helpline.settings.languages:
        commands = env.fake.commands(language)
        assert [c["command"] for c in commands] == list(COMMAND_NAMES)
        assert [c["description"] for c in commands] == [
            texts.get(language, f"command.{name}") for name in COMMAND_NAMES
        ]
    assert arabic_letters(env.fake.commands("ar")[0]["description"]) > 0
    assert "fa" in env.helpline.settings.languages
    assert all(arabic_letters(c["description"]) > 0 for c in env.fake.commands("fa"))
    # everyone else sees the default language's (Turkish) menu
    assert env.fake.commands("") == env.fake.commands("tr")


@pytest.mark.parametrize("secret", [None, "wrong-secret", ""])
def test_a_request_without_the_right_secret_gets_403_and_nothing_is_stored(
    env: TelegramEnv, secret: str | None
) -> None:
    update = env.fake.message_update(4242, "hello")
    response = env.post(update, secret=secret)
    assert response.status_code == 403
    assert env.inbound() == []
    assert env.post(update).status_code == 200  # the same update, signed, goes through
    env.replies(4242, 1)


def test_an_arabic_message_gets_an_arabic_reply_through_send_message(env: TelegramEnv) -> None:
    chat = 5512340001
    update = env.fake.from_fixture(fixture("text_ar"), chat_id=chat)
    response = env.post(update)
    assert response.status_code == 200
    texts = env.settle(chat)
    assert len(texts) >= 2
    assert texts[0] == env.helpline.engine.texts.get("ar", "greeting.welcome")
    for text in texts:
        assert arabic_letters(text) > latin_letters(text), text
    stored = env.inbound()
    assert len(stored) == 1 and stored[0].platform_ref == str(update["message"]["message_id"])
    # the platform id is stored hashed, never as the update or chat id
    assert "912345" not in (stored[0].platform_message_id or "")
    assert str(chat) not in (stored[0].platform_message_id or "")


def test_a_redelivered_update_is_acknowledged_and_answered_once(env: TelegramEnv) -> None:
    chat = 3100
    text = "Merhaba, okul kaydı için ne yapmalıyım?"
    update = env.fake.message_update(chat, text, language_code="tr")
    first = env.post(update)
    second = env.post(update)
    assert first.status_code == second.status_code == 200
    assert first.json()["duplicate"] is False and second.json()["duplicate"] is True
    answered = env.settle(chat)
    assert answered
    env.post(update)  # a late redelivery, after the answer went out
    assert env.settle(chat) == answered
    assert len(env.inbound()) == 1


def test_malformed_payloads_get_a_clean_400_and_a_real_message_is_still_stored(
    env: TelegramEnv,
) -> None:
    for body in (b"{not json", b"[1, 2, 3]", b'"text"', "\udcff".encode("utf-8", "surrogatepass")):
        response = env.post(body)
        assert response.status_code == 400, body
    assert env.post(b'{"update_id": "x", "message": 5}').status_code == 400
    assert env.inbound() == []

    chat = 5512340004
    raw = fixture("malformed_message")
    raw["message"]["message_id"] = env.fake.next_message_id(chat)
    response = env.post(raw)
    assert response.status_code == 400
    assert response.json()["stored"] is True
    stored = env.inbound()
    assert [env.text_of(m) for m in stored] == ["I need a lawyer for my residence permit"]
    assert env.settle(chat)  # and the person is answered
    redelivered = env.post(raw)  # acknowledged, so Telegram stops redelivering it
    assert redelivered.status_code == 200 and redelivered.json()["duplicate"] is True
    assert len(env.inbound()) == 1  # and not stored twice


def test_a_group_message_is_acknowledged_and_left_alone(env: TelegramEnv) -> None:
    update = fixture("group_message")
    response = env.post(update)
    assert response.status_code == 200
    time.sleep(0.5)  # nothing should happen; give a wrong implementation the chance to
    assert env.inbound() == []
    assert env.fake.calls_to("sendMessage") == []


def test_an_oversized_body_is_refused(env: TelegramEnv) -> None:
    update = env.fake.message_update(77, "x" * (2 * 1024 * 1024))
    assert env.post(update).status_code == 413
    assert env.inbound() == []


def test_no_text_chat_id_or_token_reaches_the_logs(
    env: TelegramEnv, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    chat = 987654321
    env.says(chat, "Where can my daughter learn Turkish near Zeytinburnu?")
    assert env.settle(chat)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert logged  # the service did log, at DEBUG
    for secret in ("Zeytinburnu", str(chat), env.fake.token, SECRET):
        assert secret not in logged

"""Conversations on Telegram: buttons and taps, commands, what is not text, quick exit.

Everything goes through `POST /webhooks/telegram`, the engine, the outbox and
python-telegram-bot to the fake Bot API, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.channels.telegram_render import QUICK_EXIT_DATA
from bot.nlu.base import NLU
from bot.services.records import flat_record
from bot.services.store import put
from bot.storage.models import Case, Conversation
from tests.channels.telegram_env import TelegramEnv, fixture, telegram_env


@pytest.fixture
def env(database_url: str, nlu_model_dir: Path, nlu: NLU) -> Iterator[TelegramEnv]:
    with telegram_env(database_url, nlu_model_dir, nlu) as running:
        yield running


def t(env: TelegramEnv, language: str, msgid: str) -> str:
    return env.helpline.engine.texts.get(language, msgid)


def keyboard(call: Any) -> list[tuple[str, str]]:
    markup = call.params.get("reply_markup") or {}
    return [
        (b["text"], b["callback_data"]) for row in markup.get("inline_keyboard", []) for b in row
    ]


def bot_message_id(env: TelegramEnv, chat: int, text: str) -> int:
    """The chat's id of the bot's message with this text (the latest one)."""
    ids = [
        line.message_id for line in env.fake.chat(chat) if line.side == "bot" and line.text == text
    ]
    assert ids, f"no bot message {text[:40]!r} in the chat"
    return ids[-1]


def tap(env: TelegramEnv, chat: int, data: str, message_id: int) -> str:
    update = env.fake.callback_update(chat, data, message_id)
    assert env.post(update).status_code == 200
    return str(update["callback_query"]["id"])


def test_buttons_are_inline_keyboards_every_tap_is_answered_and_old_buttons_still_work(
    env: TelegramEnv,
) -> None:
    chat = 6100
    env.says(chat, "/start")
    env.settle(chat)
    menu = [c for c in env.fake.sent(chat) if keyboard(c)][-1]
    assert menu.params["text"] == t(env, "en", "menu.prompt")
    buttons = dict(keyboard(menu))
    assert buttons[t(env, "en", "menu.health")] and all(
        len(d.encode()) <= 64 for d in buttons.values()
    )
    menu_id = bot_message_id(env, chat, t(env, "en", "menu.prompt"))

    first = tap(env, chat, buttons[t(env, "en", "menu.health")], menu_id)
    assert t(env, "en", "faq.health") in env.settle(chat)
    # later, a tap on the same old menu still does what its button said
    before = len(env.fake.sent(chat))
    second = tap(env, chat, buttons[t(env, "en", "menu.legal")], menu_id)
    assert t(env, "en", "faq.legal") in env.settle(chat)[before:]
    # a tap that carries nothing usable is answered too, and nothing breaks
    third = tap(env, chat, "no-such:payload", menu_id)
    env.settle(chat)
    env.fake.wait_for("answerCallbackQuery", 3)
    assert set(env.fake.answered()) >= {first, second, third}


def test_commands_do_what_they_say(env: TelegramEnv) -> None:
    chat = 6200
    steps = [
        ("/start", "greeting.welcome"),
        ("/language", "language.choose"),
        ("/menu", "menu.prompt"),
        ("/delete", "erase.confirm"),
        ("/human", "handoff.queued"),
        ("/stop", "stop.done"),
    ]
    for command, msgid in steps:
        before = len(env.fake.sent(chat))
        env.says(chat, command)
        answered = env.settle(chat)[before:]
        assert t(env, "en", msgid) in answered, (command, answered)
    language_question = [
        c for c in env.fake.sent(chat) if c.params["text"] == t(env, "en", "language.choose")
    ]
    labels = [label for label, _ in keyboard(language_question[0])]
    assert labels == ["Türkçe", "العربية", "English", "دری / فارسی"]


@pytest.mark.parametrize("name", ["photo", "voice", "sticker", "document"])
def test_what_is_not_text_gets_a_polite_text_only_reply_and_is_stored(
    env: TelegramEnv, name: str
) -> None:
    chat = 6300
    env.says(chat, "/start")
    env.settle(chat)
    before = len(env.fake.sent(chat))
    update = env.fake.from_fixture(fixture(name), chat_id=chat)
    assert env.post(update).status_code == 200
    answered = env.settle(chat)[before:]
    # the last of /start's replies may still be on its way (a busy machine): look for ours
    assert t(env, "en", "media.text_only") in answered
    stored = env.inbound()
    assert len(stored) == 2 and stored[-1].status == "processed"
    assert env.text_of(stored[-1])  # the sign of what was sent (and a caption), for staff


def test_an_edited_message_is_stored_and_answered_with_a_note(env: TelegramEnv) -> None:
    chat = 5512340003
    env.says(chat, "/start")
    env.settle(chat)
    before = len(env.fake.sent(chat))
    assert (
        env.post(env.fake.from_fixture(fixture("edited_message"), chat_id=chat)).status_code == 200
    )
    assert env.settle(chat)[before:] == [t(env, "en", "media.edited")]
    assert "Where is the nearest hospital?" in env.text_of(env.inbound()[-1])


def test_a_shared_location_is_kept_for_the_service_look_up(env: TelegramEnv) -> None:
    chat = 5512340003
    env.says(chat, "/start")
    env.settle(chat)
    before = len(env.fake.sent(chat))
    assert env.post(env.fake.from_fixture(fixture("location"), chat_id=chat)).status_code == 200
    assert env.settle(chat)[before:] == [t(env, "en", "services.which_category")]
    with env.helpline.db.transaction() as session:
        slots = session.scalars(select(Conversation.slots)).one()
    assert slots["location"] == [41.035, 28.68]


def test_exit_deletes_both_sides_of_the_chat_and_leaves_one_neutral_line(env: TelegramEnv) -> None:
    chat = 6400
    env.says(chat, "/start")
    env.says(chat, "Where can I find a family doctor?")
    env.settle(chat)
    shown = env.fake.chat(chat)
    assert {line.side for line in shown} == {"user", "bot"} and len(shown) >= 4
    env.says(chat, "/exit")
    env.settle(chat)
    deleted = [
        i for call in env.fake.calls_to("deleteMessages") for i in call.params["message_ids"]
    ]
    assert set(deleted) >= {line.message_id for line in shown}
    left = env.fake.chat(chat)
    assert [(line.side, line.text) for line in left] == [("bot", t(env, "en", "exit.done"))]


def test_every_safety_reply_offers_a_quick_exit_that_clears_the_chat(env: TelegramEnv) -> None:
    chat = 6500
    env.says(chat, "/start")
    env.settle(chat)
    before = len(env.fake.sent(chat))
    env.says(chat, "My husband beats me every night and tonight he said he will kill me")
    env.settle(chat)
    safety = env.fake.sent(chat)[before:]
    assert safety
    label = t(env, "en", "exit.button")
    offered = [c for c in safety if (label, QUICK_EXIT_DATA) in keyboard(c)]
    assert offered, [c.params["text"][:40] for c in safety]
    with env.helpline.db.transaction() as session:
        assert session.scalars(select(Case)).all()
    message_id = bot_message_id(env, chat, offered[-1].params["text"])
    callback = tap(env, chat, QUICK_EXIT_DATA, message_id)
    env.settle(chat)
    assert [line.text for line in env.fake.chat(chat)] == [t(env, "en", "exit.done")]
    env.fake.wait_for("answerCallbackQuery")
    assert callback in env.fake.answered()
    with env.helpline.db.transaction() as session:
        assert session.scalars(select(Case)).all()  # the helpline keeps its record


def test_services_near_a_shared_location_come_nearest_first(env: TelegramEnv) -> None:
    # the shared location (fixture) is in Küçükçekmece, Istanbul
    places = [
        ("far", "Far Clinic", 40.99, 29.03),  # Kadıköy, about 30 km
        ("near", "Near Clinic", 41.037, 28.683),  # a few hundred metres
        ("middle", "Middle Clinic", 41.06, 28.80),  # about 10 km
    ]
    with env.helpline.db.transaction() as session:
        for key, name, latitude, longitude in places:
            record = flat_record(key, name, ["health"], latitude=latitude, longitude=longitude)
            put(session, record, "test")
    chat = 5512340003
    env.says(chat, "/start")
    env.settle(chat)
    assert env.post(env.fake.from_fixture(fixture("location"), chat_id=chat)).status_code == 200
    env.settle(chat)
    question = [c for c in env.fake.sent(chat) if keyboard(c)][-1]
    health = dict(keyboard(question))[t(env, "en", "services.category.health")]
    before = len(env.fake.sent(chat))
    tap(env, chat, health, bot_message_id(env, chat, question.params["text"]))
    found = "\n".join(env.settle(chat)[before:])
    positions = [found.index(name) for _, name, _, _ in places]
    assert positions[1] < positions[2] < positions[0], found

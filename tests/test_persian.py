"""A conversation in Persian (Dari) through the web chat and Telegram, right to left:
greeting → menu → an answer → a service → a disclosure with its safety text.

Real HTTP to the web chat, and Telegram through the webhook and the fake Bot API
(tests/fakes), with the real engine, NLU, storage and outbox, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.app import Helpline
from bot.languages import text_direction
from bot.nlu.base import NLU
from bot.services.records import flat_record
from bot.services.store import put
from bot.web.app import build_web_app
from tests.channels.telegram_env import TelegramEnv, telegram_env
from tests.live import serving

DISCLOSURE = "شوهرم هر شب مرا لت و کوب می‌کند"
SESSION = "f" * 24


def fa(helpline: Helpline, msgid: str) -> str:
    return helpline.engine.texts.get("fa", msgid)


def right_to_left(text: str) -> bool:
    """The text's first letter is Arabic script (Persian), so it reads right to left."""
    first = next(ch for ch in text if ch.isalpha())
    return "\u0600" <= first <= "\u06ff" or "\ufb50" <= first <= "\ufeff"


def a_clinic(helpline: Helpline) -> None:
    with helpline.db.transaction() as session:
        put(
            session,
            flat_record(
                "h1",
                "Esenyurt Göçmen Sağlığı Merkezi",
                ["health"],
                district="Esenyurt",
                phone="+902120000002",
                languages=["tr", "ar", "fa"],
            ),
            "test",
        )


@pytest.fixture
def helpline_fa(helpline: Helpline) -> Iterator[Helpline]:
    a_clinic(helpline)
    yield helpline


def test_persian_through_the_web_chat(helpline_fa: Helpline) -> None:
    helpline = helpline_fa
    assert text_direction("fa") == "rtl"
    with serving(build_web_app(helpline)) as base:
        page = httpx.get(f"{base}/").text
        assert "پیام‌تان را بنویسید" in page

        def post(text: str, button: str | None = None) -> None:
            body: dict[str, Any] = {"session": SESSION, "text": text, "language": "fa-AF"}
            if button:
                body["button"] = button
            assert httpx.post(f"{base}/chat/api/messages", json=body).status_code == 202

        seen: list[dict[str, Any]] = []

        def until(msgid: str) -> list[dict[str, Any]]:
            wanted, deadline = fa(helpline, msgid), time.monotonic() + 15
            while time.monotonic() < deadline:
                got = httpx.get(
                    f"{base}/chat/api/messages",
                    params={"after": seen[-1]["id"] if seen else 0},
                    headers={"X-Chat-Session": SESSION},
                ).json()["messages"]
                new = [m for m in got if m["direction"] == "out"]
                seen.extend(new)
                if any(m["text"] == wanted for m in seen):
                    return seen
                time.sleep(0.1)
            raise AssertionError(f"no {msgid} among {[m['text'][:30] for m in seen]}")

        def tap(msgid: str) -> None:
            label = fa(helpline, msgid)
            button = next(b for m in reversed(seen) for b in m["buttons"] if b["label"] == label)
            post(label, button["payload"])

        post("سلام")
        until("greeting.welcome")
        until("menu.prompt")
        tap("menu.health")
        until("faq.health")
        until("after.topics")  # health offers its topics, then what next
        tap("after.find_service")
        deadline = time.monotonic() + 15
        while not any("Esenyurt Göçmen" in m["text"] for m in seen):
            assert time.monotonic() < deadline, "no service found"
            time.sleep(0.2)
            got = httpx.get(
                f"{base}/chat/api/messages",
                params={"after": seen[-1]["id"]},
                headers={"X-Chat-Session": SESSION},
            ).json()["messages"]
            seen.extend(m for m in got if m["direction"] == "out")
        found = next(m["text"] for m in seen if "Esenyurt Göçmen" in m["text"])
        assert "\u2068+902120000002\u2069" in found and right_to_left(found)
        post(DISCLOSURE)
        until("safety.domestic_violence")
        until("safe_contact.question")
    assert all(right_to_left(m["text"]) for m in seen), [m["text"][:20] for m in seen]
    assert "KADES" in fa(helpline, "safety.domestic_violence")


@pytest.fixture
def env(database_url: str, nlu_model_dir: Path, nlu: NLU) -> Iterator[TelegramEnv]:
    with telegram_env(database_url, nlu_model_dir, nlu) as running:
        yield running


def keyboard(call: Any) -> dict[str, str]:
    markup = call.params.get("reply_markup") or {}
    return {b["text"]: b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row}


def test_persian_on_telegram(env: TelegramEnv) -> None:
    helpline, chat = env.helpline, 7400
    a_clinic(helpline)

    def tap(msgid: str) -> list[str]:
        label = fa(helpline, msgid)
        call = next(c for c in reversed(env.fake.sent(chat)) if label in keyboard(c))
        message_id = next(
            line.message_id
            for line in reversed(env.fake.chat(chat))
            if line.side == "bot" and line.text == call.params["text"]
        )
        before = len(env.fake.sent(chat))
        update = env.fake.callback_update(chat, keyboard(call)[label], message_id)
        assert env.post(update).status_code == 200
        return env.settle(chat)[before:]

    env.says(chat, "سلام", language_code="fa")
    texts = env.settle(chat)
    assert fa(helpline, "greeting.welcome") in texts and fa(helpline, "menu.prompt") in texts
    assert fa(helpline, "faq.health") in tap("menu.health")
    services = tap("after.find_service")
    assert any("Esenyurt Göçmen" in text for text in services)
    before = len(env.fake.sent(chat))
    env.says(chat, DISCLOSURE, language_code="fa")
    told = env.settle(chat)[before:]
    assert fa(helpline, "safety.domestic_violence") in told
    assert told[-1] == fa(helpline, "safe_contact.question")
    bot_texts = [line.text for line in env.fake.chat(chat) if line.side == "bot"]
    assert bot_texts and all(right_to_left(text) for text in bot_texts)
    # the command menu in Persian, registered at start
    commands = env.fake.commands("fa")
    assert commands and commands[0]["description"] == fa(helpline, "command.start")

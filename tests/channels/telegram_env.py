"""The whole service on loopback, its Telegram channel pointed at the fake Bot API.

`TelegramEnv` runs `build_web_app(create_app(settings))` in a real uvicorn
server (lifespan on: the outbox sender, start-up calls, polling) and
python-telegram-bot against `tests/fakes/telegram_api.py`. Tests post
recorded updates to `/webhooks/telegram` as Telegram would and read what
reached the fake Bot API.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from bot.app import Helpline, create_app
from bot.cases.escalation import Clock
from bot.nlu.base import NLU
from bot.storage.models import Message, OutboxItem
from bot.web.app import build_web_app
from tests.conftest import make_settings
from tests.fakes.telegram_api import FakeTelegram
from tests.live import serving

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "telegram"
SECRET = "s3cret-Token_for-the_webhook"
PUBLIC_URL = "https://helpline.example.org"
WEBHOOK = "/webhooks/telegram"


def fixture(name: str) -> dict[str, Any]:
    return dict(json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8")))


@dataclass
class TelegramEnv:
    fake: FakeTelegram
    helpline: Helpline
    url: str
    http: httpx.Client

    def post(self, update: dict[str, Any] | bytes, secret: str | None = SECRET) -> httpx.Response:
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        body = update if isinstance(update, bytes) else json.dumps(update).encode()
        return self.http.post(f"{self.url}{WEBHOOK}", content=body, headers=headers)

    def says(self, chat_id: int, text: str, *, language_code: str | None = "en") -> dict[str, Any]:
        """A person writes; returns the update (posted, answered 200)."""
        update = self.fake.message_update(chat_id, text, language_code=language_code)
        response = self.post(update)
        assert response.status_code == 200, response.text
        return update

    def replies(self, chat_id: int, count: int, timeout: float = 20.0) -> list[str]:
        """Wait until `count` messages have been sent to the chat; their texts."""
        deadline = time.monotonic() + timeout
        while True:
            texts = self.fake.sent_texts(chat_id)
            if len(texts) >= count:
                return texts
            if time.monotonic() > deadline:
                raise AssertionError(f"waited for {count} replies to {chat_id}, got {texts}")
            time.sleep(0.02)

    def settle(self, chat_id: int, quiet: float = 0.6, timeout: float = 20.0) -> list[str]:
        """Texts sent to the chat once nothing new has arrived for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        seen = -1
        since = time.monotonic()
        while time.monotonic() < deadline:
            count = len(self.fake.sent(chat_id))
            pending = self.unfinished()
            if count != seen or pending:
                seen, since = count, time.monotonic()
            elif time.monotonic() - since >= quiet:
                break
            time.sleep(0.02)
        return self.fake.sent_texts(chat_id)

    def unfinished(self) -> int:
        """Replies still to send, and messages still to answer (a webhook answers 200 first)."""
        with self.helpline.db.transaction() as session:
            rows = session.scalars(
                select(OutboxItem).where(OutboxItem.status.in_(("pending", "sending")))
            )
            unanswered = session.scalars(
                select(Message.id).where(Message.direction == "in", Message.status == "received")
            )
            return len(list(rows)) + len(list(unanswered))

    def outbox(self) -> list[tuple[OutboxItem, Message]]:
        with self.helpline.db.transaction() as session:
            rows = session.execute(
                select(OutboxItem, Message)
                .join(Message, Message.id == OutboxItem.message_id)
                .order_by(OutboxItem.id)
            ).all()
            session.expunge_all()
            return [(item, message) for item, message in rows]

    def inbound(self) -> list[Message]:
        with self.helpline.db.transaction() as session:
            rows = list(
                session.scalars(
                    select(Message).where(Message.direction == "in").order_by(Message.id)
                )
            )
            session.expunge_all()
            return rows

    def text_of(self, message: Message) -> str:
        return self.helpline.vault.decrypt(message.text_enc)


@contextmanager
def telegram_env(
    database_url: str,
    model_dir: Path,
    nlu: NLU,
    clock: Clock | None = None,
    **overrides: object,
) -> Iterator[TelegramEnv]:
    with FakeTelegram() as fake:
        values: dict[str, object] = {
            "telegram_bot_token": fake.token,
            "telegram_api_base_url": fake.base_url,
            "telegram_webhook_secret": SECRET,
            "public_url": PUBLIC_URL,
            "delivery": {"poll_seconds": 0.2},
        }
        settings = make_settings(database_url, model_dir, **{**values, **overrides})
        helpline = create_app(settings, nlu=nlu, clock=clock)
        try:
            with serving(build_web_app(helpline)) as url, httpx.Client(timeout=30) as http:
                yield TelegramEnv(fake, helpline, url, http)
        finally:
            helpline.db.dispose()

"""Done when (issue 13, sessions): a parent signs up for a parenting session on Telegram in
Arabic and gets both reminders (the app's scheduler on an injected clock); a full session's
waiting list works, and the freed place goes to the first on it, who is told.

Everything goes through the webhook, the engine, the outbox and python-telegram-bot to the
fake Bot API (tests/fakes/telegram_api.py), on SQLite and PostgreSQL.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.nlu.base import NLU
from bot.programmes.catalogue import import_rows
from bot.programmes.sessions_csv import read_csv
from bot.programmes.signups import details
from bot.services.importer import import_parsed, read_file
from bot.storage.programme_models import ProgrammeSession, SessionSignup
from tests.cases.escalation_support import Clock
from tests.channels.telegram_env import TelegramEnv, telegram_env
from tests.programmes.support import SERVICES_SAMPLE, session_row, write_sessions

SESSION = "parenting-esenyurt-ar"


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime.now(UTC))


@pytest.fixture
def env(
    database_url: str, nlu_model_dir: Path, nlu: NLU, clock: Clock, tmp_path: Path
) -> Iterator[TelegramEnv]:
    overrides: dict[str, Any] = {"programmes": {"reminder_check_seconds": 0.1}}
    with telegram_env(database_url, nlu_model_dir, nlu, clock=clock, **overrides) as running:
        csv_file = write_sessions(
            tmp_path / "sessions.csv", [session_row(SESSION, days=3, capacity="1")]
        )
        with running.helpline.db.transaction() as session:
            assert import_parsed(session, read_file(SERVICES_SAMPLE), "test").applied
            assert import_rows(session, read_csv(csv_file.read_bytes()), "test").applied
        yield running


def t(env: TelegramEnv, msgid: str, **params: Any) -> str:
    return env.helpline.engine.texts.get("ar", msgid, **params)


def about(env: TelegramEnv, msgid: str, **extra: Any) -> str:
    texts = env.helpline.engine.texts
    with env.helpline.db.transaction() as session:
        row = session.get(ProgrammeSession, SESSION)
        assert row is not None
        return texts.get("ar", msgid, **details(session, texts, "ar", row), **extra)


def keyboard(call: Any) -> dict[str, str]:
    markup = call.params.get("reply_markup") or {}
    return {b["text"]: b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row}


def last_keyboard(env: TelegramEnv, chat: int) -> tuple[str, dict[str, str], int]:
    call = [c for c in env.fake.sent(chat) if keyboard(c)][-1]
    text = call.params["text"]
    ids = [ln.message_id for ln in env.fake.chat(chat) if ln.side == "bot" and ln.text == text]
    return text, keyboard(call), ids[-1]


def tap(env: TelegramEnv, chat: int, data: str, message_id: int) -> list[str]:
    before = len(env.fake.sent(chat))
    assert env.post(env.fake.callback_update(chat, data, message_id)).status_code == 200
    return env.settle(chat)[before:]


def wait_for_text(env: TelegramEnv, chat: int, text: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while text not in env.fake.sent_texts(chat):
        assert time.monotonic() < deadline, f"no {text[:30]!r} for {chat}"
        time.sleep(0.05)


def test_an_arabic_parent_signs_up_gets_both_reminders_and_the_waiting_list_moves_up(
    env: TelegramEnv, clock: Clock
) -> None:
    parent, second = 7301, 7302
    env.says(parent, "مرحبا", language_code="ar")
    env.settle(parent)
    _, menu, menu_id = last_keyboard(env, parent)
    shown = tap(env, parent, menu[t(env, "menu.parenting")], menu_id)
    assert t(env, "faq.parenting") in shown
    listing, buttons, listing_id = last_keyboard(env, parent)
    assert listing.startswith(t(env, "programmes.list"))
    assert t(env, "programmes.places_left", count=1) in listing
    assert list(buttons.values()) == [f"ps:j:{SESSION}"]
    assert all(len(data.encode()) <= 64 for data in buttons.values())

    assert tap(env, parent, f"ps:j:{SESSION}", listing_id) == [about(env, "programmes.confirmed")]
    _, confirm_buttons, _ = last_keyboard(env, parent)
    assert list(confirm_buttons.values()) == [f"ps:c:{SESSION}"]

    # A second parent asks in their own words; the only place is taken: the waiting list.
    env.says(second, "جلسات التربية للأهل في اسنيورت", language_code="ar")
    env.settle(second)
    listing, buttons, listing_id = last_keyboard(env, second)
    assert t(env, "programmes.full_mark") in listing
    full = tap(env, second, buttons[next(iter(buttons))], listing_id)
    assert full == [about(env, "programmes.full")]
    _, wait_buttons, full_id = last_keyboard(env, second)
    assert list(wait_buttons.values()) == [f"ps:w:{SESSION}"]
    assert tap(env, second, f"ps:w:{SESSION}", full_id) == [
        about(env, "programmes.waiting", position=1)
    ]

    # The day before: one reminder, to the parent with the place only.
    reminder = about(env, "programmes.reminder")
    before_second = len(env.fake.sent(second))
    clock.advance(days=2, hours=1)  # 23 hours before
    wait_for_text(env, parent, reminder)
    time.sleep(0.5)  # a few more scheduler rounds: nothing twice
    assert env.fake.sent_texts(parent).count(reminder) == 1
    clock.advance(hours=21, minutes=30)  # an hour and a half before
    deadline = time.monotonic() + 15
    while env.fake.sent_texts(parent).count(reminder) < 2:
        assert time.monotonic() < deadline, "no second reminder"
        time.sleep(0.05)
    time.sleep(0.5)
    assert env.fake.sent_texts(parent).count(reminder) == 2
    assert len(env.fake.sent(second)) == before_second  # on the waiting list: no reminder

    # The parent cancels from the reminder; the first on the waiting list gets the place.
    _, reminder_buttons, reminder_id = last_keyboard(env, parent)
    assert list(reminder_buttons.values()) == [f"ps:c:{SESSION}"]
    assert tap(env, parent, f"ps:c:{SESSION}", reminder_id) == [about(env, "programmes.cancelled")]
    wait_for_text(env, second, about(env, "programmes.promoted"))
    wait_for_text(env, second, reminder)  # the nearest reminder still ahead, once
    with env.helpline.db.transaction() as session:
        places = {s.status for s in session.query(SessionSignup).filter_by(session_id=SESSION)}
        assert places == {"cancelled", "confirmed"}
    assert "ps:c:" + SESSION in last_keyboard(env, second)[1].values()

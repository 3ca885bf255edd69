"""Staff alerts through the real Telegram channel (python-telegram-bot against the fake Bot
API on loopback): a disclosure on Telegram reaches the staff group through the same bot, with
priority, category, language and the console link, and nothing of the person's.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.nlu.base import NLU
from tests.cases.escalation_support import (
    PUBLIC_URL,
    STAFF_CHAT,
    assert_no_personal_data,
    cases_of,
    disclosure,
)
from tests.channels.telegram_env import telegram_env

CHATS = {"tr": 70001, "ar": 70002, "en": 70003}


@pytest.mark.parametrize("language", ["tr", "ar", "en"])
def test_a_telegram_disclosure_alerts_the_staff_group_through_the_same_bot(
    database_url: str, nlu_model_dir: Path, nlu: NLU, language: str
) -> None:
    told = disclosure(nlu, "high", language)
    chat = CHATS[language]
    with telegram_env(database_url, nlu_model_dir, nlu, staff_chat_id=STAFF_CHAT) as env:
        env.says(chat, told.text, language_code=language)
        [alert] = env.replies(int(STAFF_CHAT), 1, timeout=10)
        to_person = env.settle(chat)
        [case] = cases_of(env.helpline)
    assert (case.channel, case.priority, case.category) == ("telegram", "high", told.category)
    assert env.helpline.engine.texts.get(language, f"safety.{told.category}") in to_person
    assert "priority: high" in alert and f"category: {told.category}" in alert
    assert f"language: {language}" in alert and "channel: telegram" in alert
    assert f"{PUBLIC_URL}/console/cases/{case.id}" in alert
    assert_no_personal_data(alert, words=told.text, sender_id=str(chat))
    assert "Amal" not in alert  # the person's first name, as Telegram gives it

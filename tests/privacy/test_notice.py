"""The privacy notice at first contact: in the person's language, after every other reply
(a safety reply never waits for it), once; the next message acknowledges it, with the time."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import Helpline, create_app
from bot.channels.collecting import CollectingChannel
from bot.nlu.base import NLU
from bot.storage.privacy_models import PrivacyNotice
from tests.conftest import make_settings
from tests.privacy.chat import GREETING, Chat

DISCLOSURES = {
    "en": "my husband hits me every night",
    "tr": "zevcim her gece bana vuruyor",
    "ar": "زوجي يضربني كل ليلة",
}


@pytest.fixture
def noticing(database_url: str, nlu_model_dir: Path, nlu: NLU) -> Iterator[Helpline]:
    settings = make_settings(database_url, nlu_model_dir, privacy={"first_contact_notice": True})
    helpline = create_app(settings, nlu=nlu, extra_channels=[CollectingChannel("test")])
    yield helpline
    helpline.db.dispose()


def notice_text(helpline: Helpline, language: str) -> str:
    retention = helpline.settings.privacy.retention
    return helpline.engine.texts.get(
        language,
        "privacy.notice",
        chat_days=retention.conversations_days,
        days=retention.closed_cases_days,
    )


def notices(helpline: Helpline) -> list[PrivacyNotice]:
    with helpline.db.transaction() as session:
        return list(session.scalars(select(PrivacyNotice)))


@pytest.mark.parametrize("language", ["tr", "ar", "en"])
def test_first_contact_gets_the_notice_last_once_and_the_next_message_acknowledges_it(
    noticing: Helpline, language: str
) -> None:
    chat = Chat(noticing, language)
    assert chat.send(GREETING[language]) == notice_text(noticing, language)
    assert len(chat.last) >= 2  # the greeting (and menu) came first
    [shown] = notices(noticing)
    assert shown.language == language and shown.acknowledged_at is None
    chat.send(GREETING[language])
    assert notice_text(noticing, language) not in [m.text for m in chat.last]  # once
    [acknowledged] = notices(noticing)
    assert acknowledged.acknowledged_at is not None
    assert acknowledged.acknowledged_at >= acknowledged.shown_at


@pytest.mark.parametrize("language", ["tr", "ar", "en"])
def test_a_safety_reply_never_waits_for_the_notice(noticing: Helpline, language: str) -> None:
    chat = Chat(noticing, language)
    chat.send(DISCLOSURES[language])
    texts = [m.text for m in chat.last]
    safety = noticing.engine.texts.get(language, "safety.domestic_violence")
    assert texts[0].startswith(safety[:40])  # the safety reply is the first thing they get
    assert texts[-1] == notice_text(noticing, language)


def test_no_notice_after_an_erasure(noticing: Helpline) -> None:
    chat = Chat(noticing, "en")
    chat.send("hello")
    chat.send("/delete", command="delete")
    assert chat.tap("erase.yes") == noticing.engine.texts.get("en", "erase.done")
    assert notices(noticing) == []

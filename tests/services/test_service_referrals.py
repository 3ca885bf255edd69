"""A service the person picks in the bot is a referral (issue 10), source "bot", no free text."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlalchemy import select

from bot.app import Helpline, create_app
from bot.channels.collecting import CollectingChannel
from bot.nlu.base import NLU
from bot.services.csvfile import read_csv
from bot.services.hours import ISTANBUL
from bot.services.importer import import_parsed
from bot.settings import Settings
from bot.storage.service_models import Referral
from tests.conftest import Person
from tests.services.support import SAMPLE

THURSDAY_11 = datetime(2026, 12, 3, 11, 0, tzinfo=ISTANBUL)


@pytest.fixture
def mapped(settings: Settings, nlu: NLU) -> Iterator[Helpline]:
    app = create_app(
        settings,
        nlu=nlu,
        extra_channels=[CollectingChannel("test")],
        clock=lambda: THURSDAY_11,
    )
    with app.db.transaction() as session:
        assert import_parsed(session, read_csv(SAMPLE.read_bytes()), "test").applied
    yield app
    app.db.dispose()


def referrals(app: Helpline) -> list[Referral]:
    with app.db.transaction() as session:
        rows = session.scalars(select(Referral).order_by(Referral.id)).all()
        session.expunge_all()
        return list(rows)


@pytest.mark.parametrize("language", ["tr", "ar"])
def test_a_picked_result_is_a_referral_once(mapped: Helpline, language: str) -> None:
    channel = mapped.channels["test"]
    assert isinstance(channel, CollectingChannel)
    someone = Person(helpline=mapped, channel=channel)
    someone.language_code = language
    someone.says({"tr": "merhaba", "ar": "مرحبا"}[language])
    question = {"tr": "Esenyurt'ta ücretsiz avukat nerede bulabilirim",
                "ar": "وين بلاقي محامي ببلاش في اسنيورت"}[language]  # fmt: skip
    [found, *_] = someone.says(question)
    labels = [b.label for b in found.buttons]
    assert len(labels) == 3 and labels[0] == "1. Esenyurt Mülteci Hukuk Danışma Merkezi (örnek)"
    assert referrals(mapped) == []  # shown is not chosen
    someone.taps(labels[0])
    name = "Esenyurt Mülteci Hukuk Danışma Merkezi (örnek)"
    assert someone.last[0].text == mapped.engine.texts.get(language, "services.picked", name=name)
    # the same place again the same day (an older message's button): still one referral
    someone.says(labels[0], button=found.buttons[0].payload)
    [referral] = referrals(mapped)
    assert referral.source == "bot" and referral.service_id == "sample-esenyurt-legalngo"
    assert referral.category == "legal" and referral.provider == "Örnek Mülteci Hakları Derneği"
    assert referral.case_id is None and referral.staff_id is None and referral.outcome is None
    assert referral.contact_id is not None

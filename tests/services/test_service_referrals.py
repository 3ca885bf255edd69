"""A service the person picks in the bot is a referral (issue 10), source "bot", no free text."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from bot.app import Helpline, create_app
from bot.channels.collecting import CollectingChannel
from bot.nlu.base import NLU
from bot.services.csvfile import read_csv
from bot.services.follow_up import ANSWERS, FollowUpSchedule
from bot.services.hours import ISTANBUL
from bot.services.importer import import_parsed
from bot.settings import Settings
from bot.storage.models import Contact
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


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clocked(settings: Settings, nlu: NLU) -> Iterator[tuple[Helpline, Clock]]:
    clock = Clock(THURSDAY_11)
    app = create_app(settings, nlu=nlu, extra_channels=[CollectingChannel("test")], clock=clock)
    with app.db.transaction() as session:
        assert import_parsed(session, read_csv(SAMPLE.read_bytes()), "test").applied
    yield app, clock
    app.db.dispose()


def picker(app: Helpline) -> Person:
    channel = app.channels["test"]
    assert isinstance(channel, CollectingChannel)
    someone = Person(helpline=app, channel=channel)
    someone.language_code = "ar"
    someone.says("مرحبا")
    [found, *_] = someone.says("وين بلاقي محامي ببلاش في اسنيورت")
    someone.taps(found.buttons[0].label)
    return someone


def test_the_follow_up_is_asked_after_the_delay_and_its_answer_kept(
    clocked: tuple[Helpline, Clock],
) -> None:
    app, clock = clocked
    someone = picker(app)
    quiet = picker(app)
    quiet.says("توقف")  # stop: opted out, never asked
    with app.db.transaction() as session:
        contact = session.get(Contact, referrals(app)[1].contact_id)
        assert contact is not None and contact.opted_out
    schedule = FollowUpSchedule(
        app.db, app.vault, app.engine.texts, app.settings.services, "tr", clock=clock
    )
    assert app.settings.services.follow_up_days == 3
    clock.now = THURSDAY_11 + timedelta(days=2, hours=23)
    assert schedule.scan() == 0  # not yet
    clock.now = THURSDAY_11 + timedelta(days=3, minutes=1)
    assert schedule.scan() == 1 and schedule.scan() == 0  # once, and only the one who stayed
    asyncio.run(app.sender.flush())
    [question] = someone.channel.take()
    assert question.recipient_id == someone.sender_id
    texts = app.engine.texts
    provider = "Örnek Mülteci Hakları Derneği"
    assert question.text == texts.get("ar", "services.follow_up.ask", name=provider)
    labels = [b.label for b in question.buttons]
    assert labels == [texts.get("ar", f"services.follow_up.{a}") for a in ANSWERS]
    someone.last = [question]
    replies = someone.taps(texts.get("ar", "services.follow_up.no_help"))
    assert replies[0].text == texts.get("ar", "services.follow_up.thanks_no_help")
    assert replies[-1].text == texts.get("ar", "after.prompt")  # more places or a caseworker
    first, second = referrals(app)
    assert first.outcome == "no_help" and first.asked_at is not None
    assert second.outcome is None  # the opted-out person's: asked never, answer none

"""The find-a-service flow through a channel on the sample map, fixed clock, tr, ar, en, fa."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest

from bot.app import Helpline, create_app
from bot.channels.collecting import CollectingChannel
from bot.engine.messages import Inbound
from bot.nlu.base import NLU
from bot.services.csvfile import read_csv
from bot.services.hours import ISTANBUL
from bot.services.importer import import_parsed
from bot.settings import Settings
from tests.conftest import Person
from tests.services.support import SAMPLE

THURSDAY_11 = datetime(2026, 12, 3, 11, 0, tzinfo=ISTANBUL)
SATURDAY_20 = datetime(2026, 12, 5, 20, 0, tzinfo=ISTANBUL)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(THURSDAY_11)


@pytest.fixture
def mapped(settings: Settings, nlu: NLU, clock: Clock) -> Iterator[Helpline]:
    app = create_app(settings, nlu=nlu, extra_channels=[CollectingChannel("test")], clock=clock)
    with app.db.transaction() as session:
        assert import_parsed(session, read_csv(SAMPLE.read_bytes()), "test").applied
    yield app
    app.db.dispose()


def person(app: Helpline, language: str) -> Person:
    channel = app.channels["test"]
    assert isinstance(channel, CollectingChannel)
    someone = Person(helpline=app, channel=channel)
    someone.language_code = language
    return someone


@pytest.mark.parametrize(
    ("language", "hello", "question", "free_lawyer"),
    [
        ("tr", "merhaba", "Esenyurt'ta ücretsiz avukat nerede bulabilirim", "ücretsiz avukat"),
        ("ar", "مرحبا", "وين بلاقي محامي ببلاش في اسنيورت", "محامٍ مجاني"),
        ("en", "hello", "where can I find a free lawyer in Esenyurt", "free lawyer"),
        ("fa", "سلام", "وکیل رایگان در اسنیورت کجا پیدا کنم", "وکیل رایگان"),
    ],
)
def test_a_free_lawyer_in_esenyurt_in_four_languages(
    mapped: Helpline, language: str, hello: str, question: str, free_lawyer: str
) -> None:
    someone = person(mapped, language)
    someone.says(hello)
    [found, *_] = someone.says(question)
    texts = mapped.engine.texts
    assert found.text.startswith(texts.plural(language, "services.found", 3))
    names = [line for line in found.text.splitlines() if line.startswith("• ")]
    assert len(names) == 3
    assert "Esenyurt Mülteci Hukuk" in names[0]  # legal, in Esenyurt, speaks Arabic too
    if language in ("tr", "en"):  # the bar's legal aid speaks them: Esenyurt or next door
        assert "Esenyurt Adli Yardım" in found.text and free_lawyer in found.text
        assert all("Esenyurt" in n or "Beylikdüzü" in n for n in names)
    else:  # the person's language before the district: the bar (tr, en) comes later
        assert "Adli Yardım" not in found.text
        assert all("Mülteci Hukuk" in n for n in names)
    open_until = texts.get(language, "services.open_until", time="17:30")
    assert open_until in found.text  # open now, Thursday 11:00 Istanbul
    assert texts.get(language, "services.line.phone", phone="+902120001312") in found.text
    description = {"tr": "ücretsiz hukuki danışmanlık", "ar": "استشارات قانونية مجانية",
                   "en": "Free legal advice", "fa": "مشاوره حقوقی رایگان"}[language]  # fmt: skip
    assert description in found.text  # what they do, in the person's language
    assert "Cumhuriyet Mahallesi, Örnek Sokak No: 3, Esenyurt/İstanbul" in found.text
    name = "Esenyurt Mülteci Hukuk Danışma Merkezi (örnek)"
    short = texts.short(language, "services.item", name=name, phone="+902120001312")
    assert found.short_text is not None and short is not None and short in found.short_text
    assert len(found.short_text) < len(found.text) / 2  # SMS: names and phones only


def test_only_districts_with_that_kind_of_service_are_offered_and_a_number_picks(
    mapped: Helpline,
) -> None:
    someone = person(mapped, "en")
    someone.says("hello")
    question = someone.says("where can I find a clinic")[-1]
    texts = mapped.engine.texts
    assert question.text == texts.get("en", "services.which_district")
    labels = [b.label for b in question.buttons]
    assert labels == [
        "Esenyurt",
        "Avcılar",
        "Küçükçekmece",
        "Bağcılar",
        "Başakşehir",
        "Fatih",
        "Anywhere",
    ]  # fmt: skip  (no health service in Beylikdüzü)
    [found, *_] = someone.says("2")  # the second shown: Avcılar
    names = [line for line in found.text.splitlines() if line.startswith("• ")]
    # English before the district (issue 10's order): 112 speaks it, the clinics do not
    assert names[:2] == ["• 112 Acil Çağrı Merkezi", "• Avcılar Göçmen Sağlığı Merkezi (örnek)"]


def test_closed_services_say_when_they_open(mapped: Helpline, clock: Clock) -> None:
    clock.now = SATURDAY_20
    someone = person(mapped, "tr")
    someone.says("merhaba")
    someone.says("Fatih'te göçmen sağlığı merkezi var mı")
    texts = mapped.engine.texts
    assert texts.get("tr", "services.opens_at", when="Pazartesi 08:00") in someone.text


def test_any_district_or_a_shared_location_answers_the_district_question(
    mapped: Helpline,
) -> None:
    someone = person(mapped, "en")
    someone.says("hello")
    question = someone.says("where can I find a clinic")[-1]
    assert question.text == mapped.engine.texts.get("en", "services.which_district")
    someone.taps("Anywhere")
    assert someone.last[0].text.startswith(mapped.engine.texts.plural("en", "services.found", 3))
    other = person(mapped, "en")
    other.says("hello")
    mapped.engine.receive(  # a Telegram location in Avcılar, then the question
        Inbound(channel="test", sender_id=other.sender_id, text="", location=(40.98, 28.72),
                language_code="en", platform_message_id="loc-1")
    )  # fmt: skip
    other.says("where can I find a clinic")
    names = [line for line in other.text.splitlines() if line.startswith("• ")]
    # 112 speaks English (language before distance), then the nearest, no district asked
    assert names[:2] == ["• 112 Acil Çağrı Merkezi", "• Avcılar Göçmen Sağlığı Merkezi (örnek)"]


def test_unverified_services_can_be_hidden_by_config(
    settings: Settings, nlu: NLU, clock: Clock
) -> None:
    hiding = settings.model_copy(
        update={"services": settings.services.model_copy(update={"hide_unverified": True})}
    )
    app = create_app(hiding, nlu=nlu, extra_channels=[CollectingChannel("test")], clock=clock)
    with app.db.transaction() as session:
        import_parsed(session, read_csv(SAMPLE.read_bytes()), "test")
    someone = person(app, "en")
    someone.says("hello")
    someone.says("where can I find a free lawyer in Esenyurt")
    assert "Beylikdüzü Mülteci" not in someone.text  # last verified 1 November 2025
    assert "⚠" not in someone.text
    app.db.dispose()


def test_more_places_shows_the_next_ones_then_says_there_are_none(mapped: Helpline) -> None:
    someone = person(mapped, "en")
    someone.says("hello")
    first = someone.says("where can I find a free lawyer in Esenyurt")[0].text
    shown = [line for line in first.splitlines() if line.startswith("• ")]
    texts = mapped.engine.texts
    more = someone.taps(texts.get("en", "after.more_services"))[0].text
    next_ones = [line for line in more.splitlines() if line.startswith("• ")]
    assert len(next_ones) == 3 and not set(next_ones) & set(shown)
    for _ in range(10):  # 12 services offer legal help: four pages, then none left
        answer = someone.taps(texts.get("en", "after.more_services"))[0].text
        if answer == texts.get("en", "services.no_more"):
            break
    else:
        raise AssertionError("more places never ran out")

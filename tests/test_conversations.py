"""Whole conversations through the real engine, NLU, storage and outbox (SQLite and PostgreSQL)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from sqlalchemy import select

from bot.app import create_app
from bot.channels.collecting import CollectingChannel
from bot.nlu.base import NLU
from bot.services.records import flat_record
from bot.services.store import put
from bot.settings import Settings
from bot.storage.models import Case, CaseEvent, Contact, Erasure, Message
from tests.conftest import ROOT, Person


def said(person: Person, msgid: str, language: str) -> str:
    return person.helpline.engine.texts.get(language, msgid)


JOURNEYS = {
    # language: (greeting, an FAQ by typing, the language to switch to, a question in it)
    "tr": (
        "merhaba",
        "kimlik kartımı kaybettim ne yapmalıyım",
        "en",
        "how can my child go to school",
    ),
    "ar": ("مرحبا", "ضاع الكيمليك تبعي شو لازم اعمل", "tr", "çocuğumu okula nasıl kaydederim"),
    "en": ("hello", "i lost my kimlik card what should i do", "ar", "كيف بسجل ابني بالمدرسة"),
    "fa": ("سلام", "کیملیک خود را گم کردم حالا چی کنم", "en", "how can my child go to school"),
}


@pytest.mark.parametrize("language", ["tr", "ar", "en", "fa"])
def test_greeting_menu_answer_switch_and_another_answer(person: Person, language: str) -> None:
    hello, question, other, other_question = JOURNEYS[language]
    person.language_code = language
    replies = person.says(hello)
    assert replies[0].text == said(person, "greeting.welcome", language)
    assert replies[-1].text == said(person, "menu.prompt", language)
    assert len(replies[-1].buttons) == 13

    person.taps(said(person, "menu.health", language))
    assert person.last[0].text == said(person, "faq.health", language)

    person.says(question)
    assert person.last[0].text == said(person, "faq.registration", language)

    person.says("menu")
    person.taps(said(person, "menu.language", language))
    assert person.last[-1].text == said(person, "language.choose", language)
    person.taps(said(person, f"language.{other}", language))
    assert person.last[0].text == said(person, "language.changed", other)

    person.says(other_question)
    assert person.last[0].text == said(person, "faq.education", other)


def test_choices_work_by_number_by_keyword_and_by_label(person: Person) -> None:
    person.language_code = "en"
    person.says("hi")
    person.says("2")
    assert person.last[0].text == said(person, "faq.health", "en")
    person.says("menu")
    person.says(said(person, "menu.legal", "en").lower())
    assert person.last[0].text == said(person, "faq.legal", "en")
    person.says("change language")
    person.says("türkçe")
    assert person.last[0].text == said(person, "language.changed", "tr")


def test_arabic_digits_pick_a_choice(person: Person) -> None:
    person.language_code = "ar"
    person.says("مرحبا")
    person.says("٣")
    assert person.last[0].text == said(person, "faq.education", "ar")


def test_a_late_tap_on_an_old_menu_still_works(person: Person) -> None:
    person.language_code = "en"
    menu = person.says("hello")[-1]
    person.says("what are your opening hours")
    legal = next(b for b in menu.buttons if b.label == said(person, "menu.legal", "en"))
    person.says(legal.label, button=legal.payload)
    assert person.last[0].text == said(person, "faq.legal", "en")


def test_without_a_language_code_the_bot_follows_the_language_written(person: Person) -> None:
    person.says("مرحبا، بدي اعرف كيف سجل ابني بالمدرسة")
    assert person.last[0].text == said(person, "greeting.welcome", "ar")


def test_a_language_it_cannot_tell_is_asked_for(person: Person) -> None:
    person.says("👋")
    assert person.last[-1].text == said(person, "language.choose", "tr")
    person.taps("English")
    assert said(person, "greeting.welcome", "en") in person.text


def test_the_conversation_switches_when_the_person_clearly_writes_another_language(
    person: Person,
) -> None:
    person.language_code = "tr"
    person.says("merhaba")
    person.says("I need a lawyer for my residence permit please")
    assert person.last[0].text == said(person, "faq.legal", "en")


def test_asking_for_a_person_opens_a_case_and_the_conversation_waits(person: Person) -> None:
    person.language_code = "en"
    person.says("hello")
    person.says("i want to talk to a real person")
    assert person.last[0].text == said(person, "handoff.queued", "en")
    person.says("are you there?")
    assert person.last[0].text == said(person, "handoff.ack", "en")
    person.says("hello??")
    assert person.last == []
    with person.helpline.db.transaction() as session:
        case = session.scalars(select(Case)).one()
        assert (case.status, case.priority, case.category) == ("open", "medium", None)
        inbound = session.scalars(select(Message).where(Message.direction == "in")).all()
        assert len(inbound) == 4


@pytest.mark.parametrize(
    ("language", "text", "category"),
    [
        ("tr", "kocam her gece beni dövüyor", "domestic_violence"),
        ("ar", "بدهم يزوجو بنتي وعمرها ١٣ سنة", "child_marriage"),
        ("en", "i want to kill myself tonight", "self_harm"),
        ("fa", "شوهرم هر شب مرا لت و کوب می‌کند", "domestic_violence"),
    ],
)
def test_a_disclosure_gets_safety_information_and_an_urgent_case(
    person: Person, language: str, text: str, category: str
) -> None:
    person.language_code = language
    person.says("1")
    replies = person.says(text)
    texts = [r.text for r in replies]
    assert said(person, f"safety.{category}", language) in texts
    # then, outside staffed hours (the real clock here), when someone will answer
    assert said(person, "safety.caseworker", language) in texts[-3:]
    # and last, whether a caseworker may write here, and when
    assert texts[-1] == said(person, "safe_contact.question", language)
    with person.helpline.db.transaction() as session:
        case = session.scalars(select(Case)).one()
        assert case.category == category
        assert case.priority in ("high", "imminent")
        event = session.scalars(select(CaseEvent)).first()
        assert event is not None and event.detail["evidence"]


def test_the_risk_check_runs_while_a_caseworker_holds_the_conversation(person: Person) -> None:
    person.language_code = "en"
    person.says("hello")
    person.says("let me speak to a human")
    person.says("my husband is beating me right now, he has a knife")
    assert said(person, "safety.domestic_violence", "en") in person.text
    with person.helpline.db.transaction() as session:
        case = session.scalars(select(Case)).one()
        assert case.priority in ("high", "imminent")
        assert case.category == "domestic_violence"
        kinds = [e.kind for e in session.scalars(select(CaseEvent).order_by(CaseEvent.id))]
        assert kinds == ["opened", "escalated"]


def test_an_information_question_is_answered_while_the_case_waits(person: Person) -> None:
    person.language_code = "en"
    person.says("hello")
    person.says("my husband beats me every night")
    assert said(person, "safety.domestic_violence", "en") in person.text
    person.says("how do i get a family doctor for my son")
    assert person.last[0].text == said(person, "faq.health", "en")
    with person.helpline.db.transaction() as session:
        case = session.scalars(select(Case)).one()
        assert case.status == "open" and case.priority in ("high", "imminent")


def test_stop_opts_out_and_writing_again_opts_back_in(person: Person) -> None:
    person.language_code = "en"
    person.says("hello")
    person.says("stop sending me messages")
    assert person.last[0].text == said(person, "stop.done", "en")
    with person.helpline.db.transaction() as session:
        assert session.scalars(select(Contact)).one().opted_out
    person.says("hello again")
    assert person.last[0].text == said(person, "stop.resumed", "en")


def test_delete_my_data_asks_then_erases_and_logs_it(person: Person) -> None:
    person.language_code = "en"
    person.says("hello")
    person.says("I need a lawyer for my residence permit")
    person.says("menu")
    person.says("please delete my data")
    assert person.last[-1].text == said(person, "erase.confirm", "en")
    person.taps(said(person, "erase.yes", "en"))
    assert person.last[-1].text == said(person, "erase.done", "en")
    with person.helpline.db.transaction() as session:
        # the confirmation has left: then the contact itself is forgotten (tests/privacy)
        assert session.scalars(select(Message)).all() == []
        assert session.scalars(select(Contact)).all() == []
        erasure = session.scalars(select(Erasure)).one()
        assert erasure.counts["messages"] > 3


def test_saying_no_to_erasure_keeps_everything(person: Person) -> None:
    person.language_code = "en"
    person.says("hello")
    person.says("delete all my information")
    person.says("no")
    assert person.last[-1].text == said(person, "menu.prompt", "en")
    with person.helpline.db.transaction() as session:
        assert session.scalars(select(Erasure)).all() == []


# -- bad input: a sensible reply, the message stored, nothing crashes --------------------------

BAD_INPUT = {
    "empty": "",
    "whitespace": "   \n\t  ",
    "huge": "yardım " * 3000,
    "emoji": "😢😢🙏",
    "control": "\x00\x01\x02\x1b[31m",
    "unknown command": "/foobar",
    "binary-looking": "\ufffd\ufffd\x7f\x80",
}


@pytest.mark.parametrize("kind", list(BAD_INPUT))
def test_bad_input_gets_a_reply_and_is_stored(person: Person, kind: str) -> None:
    person.language_code = "tr"
    person.says("merhaba")
    replies = person.says(BAD_INPUT[kind])
    assert replies, f"no reply to {kind} input"
    with person.helpline.db.transaction() as session:
        stored = session.scalars(
            select(Message).where(Message.direction == "in").order_by(Message.id.desc())
        ).first()
        assert stored is not None
        assert person.helpline.vault.decrypt(stored.text_enc) == BAD_INPUT[kind]
        assert stored.status == "processed"


def test_an_empty_first_message_is_answered(person: Person) -> None:
    replies = person.says("")
    assert replies


def test_a_disclosure_at_the_end_of_a_very_long_message_is_caught(person: Person) -> None:
    person.language_code = "tr"
    person.says("merhaba")
    person.says("bilgi almak istiyorum. " * 900 + "kocam beni her gün dövüyor")
    assert said(person, "safety.domestic_violence", "tr") in person.text


def test_a_failure_while_processing_gets_an_apology_and_keeps_the_message(
    settings: Settings, nlu: NLU, tmp_path: Path
) -> None:
    """A catalog with a wrong placeholder makes the service look-up fail for real."""
    locales = tmp_path / "locales"
    shutil.copytree(ROOT / "locales", locales)
    po_file = locales / "en" / "LC_MESSAGES" / "messages.po"
    with po_file.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    catalog["services.item"].string = "{misspelt_placeholder}"
    with po_file.open("wb") as handle:
        write_po(handle, catalog)
    helpline = create_app(
        settings.model_copy(update={"locales_dir": locales}),
        nlu=nlu,
        extra_channels=[CollectingChannel("test")],
    )
    with helpline.db.transaction() as session:
        put(session, flat_record("h1", "Esenyurt Hospital", ["health"], district="Esenyurt"), "t")
    person = Person(helpline=helpline, channel=helpline.channels["test"])  # type: ignore[arg-type]
    person.language_code = "en"
    person.says("hello")
    person.says("where is the nearest hospital in esenyurt")
    assert person.last[-1].text == said(person, "fallback.error", "en")
    with helpline.db.transaction() as session:
        failed = session.scalars(select(Message).where(Message.status == "failed")).one()
        assert helpline.vault.decrypt(failed.text_enc).startswith("where is the nearest")
    person.says("menu")
    assert person.last[-1].text == said(person, "menu.prompt", "en")
    helpline.db.dispose()


def test_a_service_is_found_by_category_and_district(person: Person) -> None:
    with person.helpline.db.transaction() as session:
        for record in [
            flat_record(
                "h1", "Fatih Devlet Hastanesi", ["health"], district="Fatih", phone="+902120000001"
            ),
            flat_record(
                "h2",
                "Esenyurt Göçmen Sağlığı Merkezi",
                ["health"],
                district="Esenyurt",
                address="Örnek Cd. 1",
                phone="+902120000002",
                opening_hours="Mo-Fr 08:00-17:00",
                languages=["tr", "ar"],
            ),
            flat_record("l1", "Baro Adli Yardım", ["legal"], district="Esenyurt"),
        ]:
            put(session, record, "test")
    person.language_code = "ar"
    person.says("مرحبا")
    person.says("وين في مستشفى قريب باسنيورت")
    found = person.last[0].text
    assert found.startswith(person.helpline.engine.texts.plural("ar", "services.found", 2))
    assert found.index("Esenyurt Göçmen") < found.index("Fatih Devlet")
    assert "Baro" not in found
    assert "\u2068+902120000002\u2069" in found

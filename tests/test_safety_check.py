"""Asking when unsure: a weak risk reading gets its answer and a gentle "are you in danger now?".

Yes escalates to high at once; no is recorded and the conversation goes on.
The messages below are read as unsure (the model alone, moderately sure) by the
NLU trained from nlu/; each test checks that first, so a change in the data
that moves them fails here loudly instead of testing nothing.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.nlu.base import NLU
from bot.storage.models import Case, Contact, Conversation
from tests.conftest import Person

UNSURE = {
    "en": "I feel very tired of everything",
    "tr": "kendimi kötü hissediyorum",
    "ar": "حاسة حالي وحيدة كتير",
}
TYPED_YES = {"en": "yes", "tr": "evet", "ar": "نعم"}


def said(person: Person, msgid: str, language: str) -> str:
    return person.helpline.engine.texts.get(language, msgid)


def start(person: Person, nlu: NLU, language: str) -> None:
    assert nlu.parse(UNSURE[language], language).risk.unsure, "the example is no longer unsure"
    person.language_code = language
    person.says({"en": "hello", "tr": "merhaba", "ar": "مرحبا"}[language])


def cases(person: Person) -> list[Case]:
    with person.helpline.db.transaction() as session:
        rows = list(session.scalars(select(Case)))
        session.expunge_all()
        return rows


def slots(person: Person) -> dict[str, object]:
    with person.helpline.db.transaction() as session:
        conversation = session.scalars(
            select(Conversation).order_by(Conversation.id.desc())
        ).first()
        assert conversation is not None
        return dict(conversation.slots)


@pytest.mark.parametrize("language", ["en", "tr", "ar"])
def test_an_unsure_message_is_answered_then_asked_about(
    person: Person, nlu: NLU, language: str
) -> None:
    start(person, nlu, language)
    replies = person.says(UNSURE[language])
    question = replies[-1]
    assert question.text == said(person, "safety_check.question", language)
    assert [b.label for b in question.buttons] == [
        said(person, "safety_check.yes", language),
        said(person, "safety_check.no", language),
    ]
    assert len(replies) >= 2, "the message itself is answered before the question"
    assert cases(person) == [], "an unsure reading is not an escalation"


@pytest.mark.parametrize("language", ["en", "tr", "ar"])
def test_yes_escalates_to_high_at_once(person: Person, nlu: NLU, language: str) -> None:
    start(person, nlu, language)
    person.says(UNSURE[language])
    person.taps(said(person, "safety_check.yes", language))
    assert said(person, "safety.caseworker", language) in person.text
    [case] = cases(person)
    assert case.priority == "high"
    assert case.category == nlu.parse(UNSURE[language], language).risk.category


@pytest.mark.parametrize("language", ["en", "tr", "ar"])
def test_yes_typed_in_words_escalates_too(person: Person, nlu: NLU, language: str) -> None:
    start(person, nlu, language)
    person.says(UNSURE[language])
    person.says(TYPED_YES[language])
    assert [c.priority for c in cases(person)] == ["high"]


def test_no_but_not_safe_counts_as_yes(person: Person, nlu: NLU) -> None:
    start(person, nlu, "en")
    person.says(UNSURE["en"])
    person.says("no we are not safe")
    assert [c.priority for c in cases(person)] == ["high"]


def test_no_is_recorded_and_the_conversation_goes_on(person: Person, nlu: NLU) -> None:
    start(person, nlu, "en")
    person.says(UNSURE["en"])
    person.taps(said(person, "safety_check.no", "en"))
    assert person.last[0].text == said(person, "safety_check.noted", "en")
    assert cases(person) == []
    answers = slots(person)["safety_answers"]
    assert isinstance(answers, list) and answers[0]["answer"] == "no"

    person.says("how can my child go to school")
    assert person.last[0].text == said(person, "faq.education", "en")
    # the same worry again is not asked about again in this conversation
    person.says(UNSURE["en"])
    assert person.last[-1].text != said(person, "safety_check.question", "en")
    assert cases(person) == []


def test_an_old_question_tapped_later_still_escalates(person: Person, nlu: NLU) -> None:
    start(person, nlu, "en")
    person.says(UNSURE["en"])
    question = person.last[-1]
    person.says("how can my child go to school")
    person.last = [question]
    person.taps(said(person, "safety_check.yes", "en"))
    assert [c.priority for c in cases(person)] == ["high"]


def test_a_worry_that_reads_like_stop_does_not_opt_the_person_out(person: Person, nlu: NLU) -> None:
    text = "i can't take it anymore"
    understanding = nlu.parse(text, "en")
    assert understanding.intent == "stop" and understanding.risk.level.label != "none"
    start(person, nlu, "en")
    person.says(text)
    with person.helpline.db.transaction() as session:
        contact = session.get(Contact, 1)
        assert contact is not None and not contact.opted_out
    assert said(person, "stop.done", "en") not in person.text

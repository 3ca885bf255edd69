"""While a caseworker holds the conversation (a claimed case), the bot is quiet: the person's
messages join the case; only the risk check and the always-available commands (stop, delete
my data, language) still act. Handed back, the bot answers again.
"""

from __future__ import annotations

import pytest

from bot.app import Helpline
from bot.nlu.base import NLU
from tests.cases.escalation_support import (
    app_fixture,  # noqa: F401  (fixture `app`)
    cases_of,
    claim,
    clock_fixture,  # noqa: F401  (fixture `clock`)
    disclosure,
    events_of,
    hand_back,
    inbound_texts,
    make_helpline_fixture,  # noqa: F401  (fixture `make_helpline`)
    person_on,
    said,
    staff_alerts,
)

QUESTION = {
    "tr": "aile hekimi nasıl bulurum",
    "ar": "كيف بلاقي طبيب عائلة لابني",
    "en": "how do i get a family doctor for my son",
}
CHANGE_LANGUAGE = {"tr": "dil değiştir", "ar": "بدي غير اللغة", "en": "change language"}


@pytest.mark.parametrize("language", ["tr", "ar", "en"])
def test_a_claimed_conversation_is_quiet_and_the_messages_join_the_case(
    app: Helpline, nlu: NLU, language: str
) -> None:
    person = person_on(app, language)
    person.says(disclosure(nlu, "high", language).text)
    [case] = cases_of(app)
    claim(app, case.id)

    assert person.says(QUESTION[language]) == []
    assert person.says("?") == []
    # the same question is answered while the case waits unclaimed (a false alarm is not
    # left without an answer), so the silence above is the claim's doing
    stored = inbound_texts(app)
    assert [text for _, text in stored[-2:]] == [QUESTION[language], "?"]
    assert {conversation for conversation, _ in stored} == {case.conversation_id}

    person.says(CHANGE_LANGUAGE[language])
    assert person.last[-1].text == said(app, "language.choose", language)
    person.taps(said(app, "language.en", language))
    assert person.last[0].text == said(app, "language.changed", "en")
    assert cases_of(app)[0].status == "claimed"


def test_unclaimed_the_same_question_is_answered(app: Helpline, nlu: NLU) -> None:
    person = person_on(app, "en")
    person.says(disclosure(nlu, "high", "en").text)
    person.says(QUESTION["en"])
    assert said(app, "faq.health", "en") in [reply.text for reply in person.last]


@pytest.mark.parametrize("language", ["tr", "ar", "en"])
def test_the_risk_check_still_runs_in_a_claimed_conversation(
    app: Helpline, nlu: NLU, language: str
) -> None:
    person = person_on(app, language)
    person.says(disclosure(nlu, "high", language).text)
    [case] = cases_of(app)
    claim(app, case.id)
    staff_alerts(app)

    imminent = disclosure(nlu, "imminent", language)
    person.says(imminent.text)
    assert said(app, "safety.imminent", language) in person.text
    assert said(app, f"safety.{imminent.category}", language) in person.text
    [raised] = cases_of(app)
    assert (raised.id, raised.status, raised.priority) == (case.id, "claimed", "imminent")
    escalated = [event for event in events_of(app, case.id) if event.kind == "escalated"]
    assert len(escalated) == 1 and escalated[0].detail["evidence"]
    assert len(staff_alerts(app)) == 1

    person.says(imminent.text)  # told already: the caseworker answers, the bot says nothing
    assert person.last == []
    assert [event.kind for event in events_of(app, case.id)][-1] == "disclosure"


def test_stop_and_delete_still_work_in_a_claimed_conversation(app: Helpline, nlu: NLU) -> None:
    person = person_on(app, "en")
    person.says(disclosure(nlu, "high", "en").text)
    claim(app, cases_of(app)[0].id)
    person.says("delete my data")
    confirm = person.last[-1]
    assert confirm.text == said(app, "erase.confirm", "en")
    assert person.says(QUESTION["en"]) == []  # not an answer to the question: still quiet
    [keep] = [b for b in confirm.buttons if b.label == said(app, "erase.no", "en")]
    assert person.says(keep.label, button=keep.payload) != []
    person.says("stop")
    assert person.last[0].text == said(app, "stop.done", "en")


def test_handed_back_the_bot_answers_again(app: Helpline, nlu: NLU) -> None:
    person = person_on(app, "tr")
    person.says(disclosure(nlu, "high", "tr").text)
    [case] = cases_of(app)
    claim(app, case.id)
    assert person.says(QUESTION["tr"]) == []
    hand_back(app, case.id)
    person.says(QUESTION["tr"])
    assert said(app, "faq.health", "tr") in [reply.text for reply in person.last]

"""Escalation through the real engine, NLU, storage and outbox, in Turkish, Arabic and English:
one case per person, prioritised as disclosed, raised only upward with events, staff alerted
without personal data; medium risk offers a follow-up; asking for a person opens a case.
"""

from __future__ import annotations

import time

import httpx
import pytest

from bot.app import Helpline
from bot.cases.escalation import PRIORITY_RANK
from bot.channels.collecting import CollectingChannel
from bot.nlu.base import NLU
from bot.storage.models import Case, Contact
from bot.web.app import build_web_app
from tests.cases.escalation_support import (
    PUBLIC_URL,
    STAFF_CHAT,
    MakeHelpline,
    app_fixture,  # noqa: F401  (fixture `app`)
    assert_no_personal_data,
    cases_of,
    clock_fixture,  # noqa: F401  (fixture `clock`)
    disclosure,
    events_of,
    make_helpline_fixture,  # noqa: F401  (fixture `make_helpline`)
    person_on,
    said,
    staff_alerts,
)
from tests.live import serving

LANGUAGES = ["tr", "ar", "en"]
HELLO = {"tr": "merhaba", "ar": "مرحبا", "en": "hello"}
ASK_FOR_A_PERSON = {
    "tr": "bir görevliyle konuşmak istiyorum",
    "ar": "بدي احكي مع موظف",
    "en": "i want to talk to a real person",
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("level", ["imminent", "high"])
def test_a_disclosure_opens_a_case_of_its_priority_and_alerts_staff_without_personal_data(
    app: Helpline, nlu: NLU, language: str, level: str
) -> None:
    told = disclosure(nlu, level, language)
    person = person_on(app, language)
    replies = person.says(told.text)

    texts = [reply.text for reply in replies]
    assert said(app, f"safety.{told.category}", language) in texts
    assert said(app, "safety.caseworker", language) in texts
    assert (said(app, "safety.imminent", language) in texts) == (level == "imminent")

    [case] = cases_of(app)
    assert (case.status, case.priority, case.category, case.language) == (
        "open",
        level,
        told.category,
        language,
    )
    assert case.deadline_at is not None
    [opened] = events_of(app, case.id)[:1]
    assert opened.kind == "opened" and opened.detail["evidence"]

    [alert] = staff_alerts(app)
    assert alert.recipient_id == STAFF_CHAT
    assert f"priority: {level}" in alert.text
    assert f"category: {told.category}" in alert.text
    assert f"language: {language}" in alert.text
    assert f"{PUBLIC_URL}/console/cases/{case.id}" in alert.text
    assert_no_personal_data(alert.text, words=told.text, sender_id=person.sender_id)


@pytest.mark.parametrize("language", LANGUAGES)
def test_priority_only_goes_up_and_every_rise_is_an_event_with_its_evidence(
    app: Helpline, nlu: NLU, language: str
) -> None:
    person = person_on(app, language)
    person.says(HELLO[language])
    steps = [
        ("human", None),
        ("high", disclosure(nlu, "high", language)),
        ("medium", disclosure(nlu, "medium", language)),
        ("imminent", disclosure(nlu, "imminent", language)),
        ("high", disclosure(nlu, "high", language)),
    ]
    highest = 0
    rises = []
    for level, told in steps:
        person.says(ASK_FOR_A_PERSON[language] if told is None else told.text)
        [case] = cases_of(app)  # one case for the person, whatever they disclose
        rank = PRIORITY_RANK["medium" if level == "human" else level]
        if rank > highest:
            if highest:
                rises.append(level)
            highest = rank
        assert case.priority_rank == highest, f"after {level}: {case.priority}"

    events = events_of(app, case.id)
    escalated = [event for event in events if event.kind == "escalated"]
    assert [event.detail["to"] for event in escalated] == rises == ["high", "imminent"]
    assert [event.detail["from"] for event in escalated] == ["medium", "high"]
    assert all(event.detail["evidence"] for event in escalated)
    # the lower or equal disclosures are kept on the case as events too
    assert [event.kind for event in events].count("disclosure") == 2
    alerts = staff_alerts(app)
    assert len(alerts) == 2  # raised to high, raised to imminent; the medium start alerts nobody
    assert "raised to HIGH" in alerts[0].text and "raised to IMMINENT" in alerts[1].text


def test_one_open_case_per_person_and_a_new_one_after_closing(app: Helpline, nlu: NLU) -> None:
    first, second = person_on(app, "en"), person_on(app, "en")
    told = disclosure(nlu, "high", "en")
    first.says(told.text)
    second.says(told.text)
    first.says(disclosure(nlu, "imminent", "en").text)
    cases = cases_of(app)
    assert len(cases) == 2
    assert len({case.contact_id for case in cases}) == 2
    with app.db.transaction() as session:
        case = session.get(Case, cases[0].id)
        assert case is not None
        case.status = "closed"
    first.says(told.text)
    later = cases_of(app)
    assert len(later) == 3
    assert later[2].contact_id == cases[0].contact_id and later[2].priority == "high"


@pytest.mark.parametrize("language", LANGUAGES)
def test_asking_for_a_person_opens_a_medium_case_without_category(
    app: Helpline, language: str
) -> None:
    person = person_on(app, language)
    person.says(HELLO[language])
    person.says(ASK_FOR_A_PERSON[language])
    assert person.last[0].text == said(app, "handoff.queued", language)
    [case] = cases_of(app)
    assert (case.status, case.priority, case.category) == ("open", "medium", None)
    assert staff_alerts(app) == []  # medium cases wait in the queue; only urgent ones alert


@pytest.mark.parametrize("language", LANGUAGES)
def test_medium_risk_offers_a_follow_up_and_yes_opens_a_medium_case(
    app: Helpline, nlu: NLU, language: str
) -> None:
    told = disclosure(nlu, "medium", language)
    person = person_on(app, language)
    person.says(told.text)
    offer = person.last[-1]
    assert offer.text == said(app, "followup.offer", language)
    assert [b.label for b in offer.buttons] == [
        said(app, "followup.yes", language),
        said(app, "followup.no", language),
    ]
    assert cases_of(app) == []

    person.taps(said(app, "followup.yes", language))
    assert person.last[0].text == said(app, "followup.accepted", language)
    [case] = cases_of(app)
    assert (case.priority, case.category, case.language) == ("medium", told.category, language)
    [opened] = events_of(app, case.id)
    assert opened.detail["agreed"] is True and opened.detail["evidence"]
    assert staff_alerts(app) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_medium_risk_no_thanks_is_respected(app: Helpline, nlu: NLU, language: str) -> None:
    told = disclosure(nlu, "medium", language)
    person = person_on(app, language)
    person.says(told.text)
    person.taps(said(app, "followup.no", language))
    assert person.last[0].text == said(app, "followup.declined", language)
    person.says(told.text)  # the same worry again: not asked again
    assert said(app, "followup.offer", language) not in person.text
    assert cases_of(app) == []


def test_a_typed_yes_accepts_the_follow_up(app: Helpline, nlu: NLU) -> None:
    person = person_on(app, "tr")
    person.says(disclosure(nlu, "medium", "tr").text)
    person.says("evet")
    assert person.last[0].text == said(app, "followup.accepted", "tr")
    assert [case.priority for case in cases_of(app)] == ["medium"]


def test_medium_opens_a_case_at_once_where_the_config_says_so(
    make_helpline: MakeHelpline, nlu: NLU
) -> None:
    app = make_helpline(medium_opens_case=True)
    told = disclosure(nlu, "medium", "ar")
    person = person_on(app, "ar")
    person.says(told.text)
    assert said(app, "safety.medium", "ar") in person.text
    assert said(app, "followup.offer", "ar") not in person.text
    [case] = cases_of(app)
    assert (case.priority, case.category) == ("medium", told.category)


def test_the_staff_contact_is_kept_encrypted_and_apart_from_people(app: Helpline, nlu: NLU) -> None:
    person_on(app, "en").says(disclosure(nlu, "high", "en").text)
    with app.db.transaction() as session:
        staff = session.query(Contact).filter(Contact.kind == "staff").one()
        assert staff.channel == "telegram"
        assert STAFF_CHAT not in staff.platform_id_enc
        assert app.vault.decrypt(staff.platform_id_enc) == STAFF_CHAT


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_disclosure_in_the_web_chat_is_a_case_and_reaches_the_staff_group(
    app: Helpline, nlu: NLU, language: str
) -> None:
    told = disclosure(nlu, "imminent", language)
    session = f"web-{language}-" + "x" * 20
    alerts = app.channels["telegram"]
    assert isinstance(alerts, CollectingChannel)
    with serving(build_web_app(app)) as url:
        posted = httpx.post(
            f"{url}/chat/api/messages",
            json={"session": session, "text": told.text, "language": language},
        )
        assert posted.status_code == 202
        deadline = time.monotonic() + 10  # the bound for a staff alert
        while not alerts.sent and time.monotonic() < deadline:
            time.sleep(0.05)
        got = httpx.get(f"{url}/chat/api/messages", headers={"X-Chat-Session": session})
    [case] = cases_of(app)
    assert (case.channel, case.priority, case.category) == ("web", "imminent", told.category)
    out = [m["text"] for m in got.json()["messages"] if m["direction"] == "out"]
    assert said(app, "safety.imminent", language) in out
    [alert] = staff_alerts(app)
    assert f"/console/cases/{case.id}" in alert.text and "channel: web" in alert.text
    assert_no_personal_data(alert.text, words=told.text, sender_id=session)

"""Erasure with cases: an open high or imminent case stays (the person is told why and for
how long, in their language); everything else goes. And the admin's erasure endpoint."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from bot.app import Helpline
from bot.privacy.erasure import FORGET
from bot.storage.models import (
    AuditEvent,
    Case,
    CaseEvent,
    Contact,
    Conversation,
    Erasure,
    Message,
    OutboxItem,
)
from bot.storage.programme_models import SessionSignup
from bot.storage.service_models import Referral
from tests.cases.conftest import Api
from tests.privacy.chat import DISCLOSURE, EARLIER, GREETING, Chat, count
from tests.privacy.scan import traces


@pytest.mark.parametrize("language", ["tr", "ar", "en"])
def test_delete_confirms_in_the_persons_language_and_forgets_them(
    helpline: Helpline, language: str
) -> None:
    chat = Chat(helpline, language)
    chat.send(GREETING[language])
    chat.send(EARLIER)
    texts = helpline.engine.texts
    assert chat.send("/delete", command="delete") == texts.get(language, "erase.confirm")
    assert chat.tap("erase.yes") == texts.get(language, "erase.done")
    for model in (Contact, Conversation, Message, OutboxItem, Case):
        assert count(helpline, model) == 0, model.__name__
    assert traces(helpline.db, helpline.vault, ["Papatya", chat.sender_id]) == []


@pytest.mark.parametrize(("language", "priority"), [("tr", "high"), ("ar", "imminent")])
def test_an_open_serious_case_is_kept_the_person_is_told_why_and_the_rest_goes(
    helpline: Helpline, language: str, priority: str
) -> None:
    chat = Chat(helpline, language)
    chat.send(GREETING[language])
    chat.send(EARLIER)
    with helpline.db.transaction() as session:
        old_conversation = session.scalars(select(Conversation.id)).one()
        session.execute(  # an earlier conversation, then a fresh one holds the case
            Conversation.__table__.update().values(active=False)
        )
    case_id = chat.open_case(priority)
    chat.refer(case_id=None)  # a service the person chose in the bot: erased
    chat.refer(case_id=case_id)  # a referral of the kept case: kept with it
    chat.sign_up("Yasemin")  # a programme sign-up with a first name: erased
    chat.send("/delete", command="delete")
    days = helpline.settings.privacy.retention.closed_cases_days
    told = chat.tap("erase.yes")
    assert told == helpline.engine.texts.get(language, "erase.kept", days=days)
    assert str(days) in told
    with helpline.db.transaction() as session:
        case = session.get(Case, case_id)
        assert case is not None and case.status == "open"
        assert session.scalar(select(func.count()).select_from(CaseEvent)) == 1
        assert session.get(Conversation, old_conversation) is None
        assert session.scalars(select(Contact)).one()  # needed to reach them about the case
        kept = session.scalars(select(Message.id).where(Message.contact_id == case.contact_id))
        assert min(kept) == case.first_message_id
        assert FORGET not in {item.action for item in session.scalars(select(OutboxItem))}
        [erasure] = session.scalars(select(Erasure))
        assert erasure.counts["contacts"] == 0 and erasure.counts["messages"] >= 4
        assert erasure.counts["referrals"] == 1
        assert list(session.scalars(select(Referral.case_id))) == [case_id]
    assert traces(helpline.db, helpline.vault, ["Papatya", "Yasemin"]) == []
    assert traces(helpline.db, helpline.vault, [DISCLOSURE])  # kept, for their safety
    assert count(helpline, SessionSignup) == 0


def test_a_medium_or_closed_case_is_erased_with_everything_else(helpline: Helpline) -> None:
    chat = Chat(helpline, "en")
    chat.send("hello")
    chat.open_case("medium")
    chat.send("/delete", command="delete")
    assert chat.tap("erase.yes") == helpline.engine.texts.get("en", "erase.done")
    for model in (Contact, Message, Case, CaseEvent):
        assert count(helpline, model) == 0, model.__name__


def test_an_admin_erases_a_person_at_once_and_it_is_audited(api: Api) -> None:
    helpline = api.helpline
    chat = Chat(helpline, "en")
    chat.send("hello")
    chat.send(EARLIER)
    case_id = chat.open_case("high")
    chat.refer(case_id=case_id)
    before = len(chat.channel.take())
    admin, supervisor = api.staff("admin"), api.staff("supervisor")
    body = {"case_id": case_id}
    assert api.post("/api/privacy/erase", supervisor, json=body).status_code == 403
    assert api.post("/api/privacy/erase", None, json=body).status_code == 401
    refused = api.post("/api/privacy/erase", admin, json=body)
    assert refused.status_code == 409 and "include_open_cases" in refused.json()["error"]
    assert count(helpline, Message) > 0  # nothing changed
    answer = api.post("/api/privacy/erase", admin, json={**body, "include_open_cases": True})
    assert answer.status_code == 200, answer.text
    assert answer.json()["erased"]["cases"] == 1
    for model in (Contact, Conversation, Message, OutboxItem, Case, CaseEvent, Referral):
        assert count(helpline, model) == 0, model.__name__
    asyncio.run(helpline.sender.flush())
    assert len(chat.channel.take()) == before == 0  # nothing is sent to the person
    assert traces(helpline.db, helpline.vault, ["Papatya", DISCLOSURE, chat.sender_id]) == []
    with helpline.db.transaction() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "erase")).one()
        assert event.case_id == case_id and event.staff_id == admin.id
        assert event.detail["counts"]["messages"] >= 3
        [erasure] = session.scalars(select(Erasure))
        assert erasure.reason == "staff_request"
    assert api.post("/api/privacy/erase", admin, json=body).status_code == 404
    assert api.post("/api/privacy/erase", admin, json={"case_id": "x"}).status_code == 422

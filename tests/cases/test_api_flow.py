"""End to end through the engine: a disclosure becomes a case; a caseworker claims it, replies
on the person's channel, the person's answer joins the case, and the case closes. The audit
log shows every step."""

from __future__ import annotations

import asyncio
import logging
import secrets

import pytest

from bot.nlu.base import NLU
from tests.cases.conftest import Api
from tests.conftest import Person

DISCLOSURES = {
    "tr": [
        "kocam beni her gün dövüyor, bugün de öldürmekle tehdit etti",
        "eşim bana şiddet uyguluyor ve çok korkuyorum",
    ],
    "en": [
        "my husband beats me every day and threatened to kill me tonight",
        "my husband hits me and I am scared",
    ],
}


def high_risk_text(nlu: NLU, language: str) -> str:
    for text in DISCLOSURES[language]:
        if nlu.parse(text, language).risk.level.label in ("high", "imminent"):
            return text
    raise AssertionError(f"the NLU reads none of the {language} disclosures as high")


def test_a_disclosure_is_claimed_answered_joined_and_closed(
    api: Api, person: Person, nlu: NLU, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    worker, boss = api.staff("caseworker", ["tr"]), api.staff("supervisor")
    person.language_code = "tr"
    disclosure = high_risk_text(nlu, "tr")
    person.says(disclosure)
    queue = api.get("/api/cases?status=open", worker).json()
    assert len(queue) == 1
    case = queue[0]
    assert case["priority"] in ("high", "imminent") and case["channel"] == "test"
    case_id = case["id"]

    assert api.post(f"/api/cases/{case_id}/claim", worker).status_code == 200
    sent = api.post(f"/api/cases/{case_id}/reply", worker, json={"text": "Merhaba, ben Ayşe."})
    assert sent.status_code == 201
    asyncio.run(api.helpline.sender.flush())
    received = person.channel.take()
    assert [m.text for m in received] == ["Merhaba, ben Ayşe."]

    bot_replies = person.says("tamam, yarın öğleden sonra konuşabiliriz")
    assert bot_replies == []  # the caseworker holds the conversation: the bot stays quiet
    detail = api.get(f"/api/cases/{case_id}", worker).json()
    directions = [(m["direction"], m["from"]) for m in detail["messages"]]
    assert directions[-2:] == [("out", "staff"), ("in", "person")]
    assert detail["messages"][-1]["text"] == "tamam, yarın öğleden sonra konuşabiliriz"
    assert detail["messages"][-2]["delivery_status"] == "sent"

    closing = api.post(f"/api/cases/{case_id}/close", worker, json={"outcome": "referred"})
    assert closing.status_code == 200
    assert closing.json()["conversation_mode"] == "bot"
    assert person.says("merhaba") != []  # the bot answers again

    actions = [e["action"] for e in api.get(f"/api/audit?case_id={case_id}", boss).json()]
    assert actions == ["close", "view", "reply", "claim"]
    # no case content in the logs: not the disclosure, the reply, the answer or the token
    logged = caplog.text
    assert caplog.records  # something was logged, so the check below means something
    for content in (disclosure, "Merhaba, ben Ayşe", "yarın öğleden sonra", worker.token):
        assert content not in logged
    assert person.sender_id not in logged


def test_a_reply_reaches_a_web_chat_person(api: Api, nlu: NLU) -> None:
    worker = api.staff("caseworker", ["en"])
    session_id = secrets.token_hex(12)
    headers = {"X-Chat-Session": session_id}
    posted = api.client.post(
        "/chat/api/messages",
        json={"session": session_id, "text": high_risk_text(nlu, "en"), "language": "en"},
    )
    assert posted.status_code == 202
    case = api.get("/api/cases", worker).json()[0]
    assert case["channel"] == "web"
    reply = api.post(
        f"/api/cases/{case['id']}/reply", worker, json={"text": "I am Sam, I read you."}
    )
    assert reply.status_code == 201
    asyncio.run(api.helpline.sender.flush())
    shown = api.client.get("/chat/api/messages", headers=headers).json()["messages"]
    assert shown[-1]["direction"] == "out" and shown[-1]["text"] == "I am Sam, I read you."
    detail = api.get(f"/api/cases/{case['id']}", worker).json()
    assert detail["messages"][-1]["delivery_status"] == "sent"

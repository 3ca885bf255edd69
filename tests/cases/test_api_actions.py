"""Claim, reply, note, hand-back, reassign and close: what each changes, and bad input."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from bot.channels.collecting import CollectingChannel
from bot.storage.models import (
    AuditEvent,
    Case,
    CaseEvent,
    Contact,
    Conversation,
    Message,
    OutboxItem,
)
from tests.cases.conftest import Api


def snapshot(api: Api, case_id: int) -> tuple[object, ...]:
    """Everything a staff action could change, to show that a refused one changed nothing."""
    with api.helpline.db.transaction() as session:
        case = session.get(Case, case_id)
        assert case is not None
        conversation = session.get(Conversation, case.conversation_id)
        assert conversation is not None
        return (
            case.status,
            case.assignee_id,
            case.outcome,
            case.first_response_at,
            case.handed_back,
            conversation.mode,
            session.scalar(select(func.count()).select_from(Message)),
            session.scalar(select(func.count()).select_from(OutboxItem)),
            session.scalar(select(func.count()).select_from(CaseEvent)),
            session.scalar(select(func.count()).select_from(AuditEvent)),
        )


def test_claim_takes_the_case_and_puts_the_conversation_in_human_mode(api: Api) -> None:
    worker, other = api.staff(), api.staff()
    case_id = api.case()
    response = api.post(f"/api/cases/{case_id}/claim", worker)
    assert response.status_code == 200
    assert response.json()["status"] == "claimed" and response.json()["assignee"] == worker.name
    case = api.row(case_id)
    assert case.assignee_id == worker.id and case.claimed_at is not None
    assert response.json()["conversation_mode"] == "human"
    # claiming your own case again changes nothing; someone else gets 409
    before = snapshot(api, case_id)
    assert api.post(f"/api/cases/{case_id}/claim", worker).status_code == 200
    taken = api.post(f"/api/cases/{case_id}/claim", other)
    assert taken.status_code == 409 and "held" in taken.json()["error"]
    assert snapshot(api, case_id) == before


def test_a_reply_reaches_the_person_on_their_channel_and_its_delivery_shows(api: Api) -> None:
    worker = api.staff()
    case_id = api.case()
    api.post(f"/api/cases/{case_id}/claim", worker)
    response = api.post(f"/api/cases/{case_id}/reply", worker, json={"text": "Merhaba, buradayım"})
    assert response.status_code == 201
    message = response.json()["message"]
    assert message["direction"] == "out" and message["delivery_status"] == "queued"
    with api.helpline.db.transaction() as session:
        item = session.scalar(select(OutboxItem).where(OutboxItem.message_id == message["id"]))
        assert item is not None and item.channel == "test"
        stored = session.get(Message, message["id"])
        assert stored is not None and stored.sent_by_staff_id == worker.id
        assert "buradayım" not in stored.text_enc  # encrypted at rest
    channel = api.helpline.channels["test"]
    assert isinstance(channel, CollectingChannel)
    asyncio.run(api.helpline.sender.flush())
    assert [m.text for m in channel.take()] == ["Merhaba, buradayım"]
    case = api.get(f"/api/cases/{case_id}", worker).json()
    assert case["messages"][-1]["delivery_status"] == "sent"
    assert case["first_response_at"] is not None


def test_the_first_reply_sets_the_first_response_time_once(api: Api) -> None:
    worker = api.staff()
    case_id = api.case()
    api.post(f"/api/cases/{case_id}/reply", worker, json={"text": "first"})
    first = api.row(case_id).first_response_at
    assert first is not None
    api.post(f"/api/cases/{case_id}/reply", worker, json={"text": "second"})
    assert api.row(case_id).first_response_at == first


def test_replying_to_an_open_case_claims_it_for_the_replier(api: Api) -> None:
    worker, other = api.staff(), api.staff()
    case_id = api.case()
    assert (
        api.post(f"/api/cases/{case_id}/reply", worker, json={"text": "hello"}).status_code == 201
    )
    case = api.row(case_id)
    assert case.status == "claimed" and case.assignee_id == worker.id
    before = snapshot(api, case_id)
    refused = api.post(f"/api/cases/{case_id}/reply", other, json={"text": "me too"})
    assert refused.status_code == 409
    assert snapshot(api, case_id) == before


def test_bad_replies_are_clean_4xx_and_change_nothing(api: Api) -> None:
    worker = api.staff()
    case_id = api.case()
    api.post(f"/api/cases/{case_id}/claim", worker)
    path = f"/api/cases/{case_id}/reply"
    before = snapshot(api, case_id)
    for body, status in (
        ({"text": ""}, 422),
        ({"text": "   \n "}, 422),
        ({"text": "x" * 10_000}, 422),
        ({"text": "x" * 4001}, 422),
        ({"text": 42}, 422),
        ({}, 422),
        ([], 400),
        ("just a string", 400),
    ):
        response = api.post(path, worker, json=body)
        assert response.status_code == status, (body, response.text)
        assert response.json()["error"]
    for raw in (b"{not json", b"", b"\xff\xfe"):
        response = api.client.post(
            path, content=raw, headers={**worker.headers, "Content-Type": "application/json"}
        )
        assert response.status_code == 400 and response.json()["error"]
    huge = api.client.post(path, content=b"{" + b" " * 70_000 + b"}", headers=worker.headers)
    assert huge.status_code == 413
    assert snapshot(api, case_id) == before
    # the longest allowed reply goes out
    assert api.post(path, worker, json={"text": "y" * 4000}).status_code == 201


def test_a_closed_case_takes_no_reply_claim_handback_or_second_close(api: Api) -> None:
    worker = api.staff()
    case_id = api.case()
    closing = api.post(f"/api/cases/{case_id}/close", worker, json={"outcome": "false_alarm"})
    assert closing.status_code == 200
    body = closing.json()
    assert body["status"] == "closed" and body["outcome"] == "false_alarm"
    assert body["closed_at"] and body["conversation_mode"] == "bot"
    before = snapshot(api, case_id)
    for action, payload in (
        ("reply", {"text": "hello"}),
        ("claim", None),
        ("handback", None),
        ("close", {"outcome": "resolved"}),
    ):
        response = api.post(f"/api/cases/{case_id}/{action}", worker, json=payload)
        assert response.status_code == 409, action
        assert "closed" in response.json()["error"]
    assert snapshot(api, case_id) == before
    # a note on a closed case is still possible (follow-up written down afterwards)
    assert api.post(f"/api/cases/{case_id}/note", worker, json={"text": "ok"}).status_code == 201


def test_close_needs_an_outcome_from_the_configured_list(api: Api) -> None:
    worker = api.staff()
    case_id = api.case()
    api.post(f"/api/cases/{case_id}/claim", worker)
    before = snapshot(api, case_id)
    for body in ({}, {"outcome": "done"}, {"outcome": ""}, {"outcome": ["resolved"]}):
        response = api.post(f"/api/cases/{case_id}/close", worker, json=body)
        assert response.status_code == 422, body
        assert "resolved" in response.json()["error"]  # the message lists the outcomes
    bad_service = api.post(
        f"/api/cases/{case_id}/close", worker, json={"outcome": "referred", "service_id": "nope"}
    )
    assert bad_service.status_code == 422
    assert snapshot(api, case_id) == before
    assert api.helpline.settings.cases.outcomes[0] == "resolved"


def test_a_caseworker_cannot_close_or_hand_back_a_case_someone_else_holds(api: Api) -> None:
    holder, other, boss = api.staff(), api.staff(), api.staff("supervisor")
    case_id = api.case()
    api.post(f"/api/cases/{case_id}/claim", holder)
    before = snapshot(api, case_id)
    assert api.post(f"/api/cases/{case_id}/handback", other).status_code == 409
    closing = api.post(f"/api/cases/{case_id}/close", other, json={"outcome": "resolved"})
    assert closing.status_code == 409
    assert snapshot(api, case_id) == before
    # a supervisor may
    assert api.post(f"/api/cases/{case_id}/handback", boss).status_code == 200


def test_a_note_is_internal_and_never_sent(api: Api) -> None:
    worker = api.staff()
    case_id = api.case()
    response = api.post(
        f"/api/cases/{case_id}/note", worker, json={"text": "mother is the contact"}
    )
    assert response.status_code == 201
    assert response.json()["note"]["detail"]["text"] == "mother is the contact"
    with api.helpline.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(OutboxItem)) == 0
        note = session.scalar(select(CaseEvent).where(CaseEvent.kind == "note"))
        assert note is not None and "mother" not in str(note.detail)  # encrypted
    asyncio.run(api.helpline.sender.flush())
    channel = api.helpline.channels["test"]
    assert isinstance(channel, CollectingChannel) and channel.take() == []
    for body in ({"text": ""}, {"text": "z" * 10_000}, {"txt": "x"}):
        assert api.post(f"/api/cases/{case_id}/note", worker, json=body).status_code == 422


def test_handback_gives_the_conversation_to_the_bot_and_leaves_the_case(api: Api) -> None:
    worker = api.staff()
    case_id = api.case()
    api.post(f"/api/cases/{case_id}/claim", worker)
    response = api.post(f"/api/cases/{case_id}/handback", worker)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "claimed" and body["assignee"] == worker.name
    assert body["handed_back"] is True and body["conversation_mode"] == "bot"
    # claiming or replying again takes it back from the bot
    api.post(f"/api/cases/{case_id}/reply", worker, json={"text": "back again"})
    again = api.get(f"/api/cases/{case_id}", worker).json()
    assert again["handed_back"] is False and again["conversation_mode"] == "human"


def test_reassign_moves_the_case_to_the_named_staff(api: Api) -> None:
    boss, first, second = api.staff("supervisor"), api.staff(), api.staff()
    case_id = api.case()
    api.post(f"/api/cases/{case_id}/claim", first)
    response = api.post(f"/api/cases/{case_id}/reassign", boss, json={"staff": second.name})
    assert response.status_code == 200 and response.json()["assignee"] == second.name
    assert api.post(f"/api/cases/{case_id}/reply", first, json={"text": "x"}).status_code == 409
    assert api.post(f"/api/cases/{case_id}/reply", second, json={"text": "x"}).status_code == 201
    before = snapshot(api, case_id)
    gone = api.staff()
    api.revoke(gone)
    for body in ({"staff": "nobody"}, {"staff": ""}, {}, {"staff": 7}, {"staff": gone.name}):
        response = api.post(f"/api/cases/{case_id}/reassign", boss, json=body)
        assert response.status_code == 422, body
    assert snapshot(api, case_id) == before


def test_no_reply_goes_to_a_person_who_said_stop(api: Api) -> None:
    worker = api.staff()
    case_id = api.case()
    api.post(f"/api/cases/{case_id}/claim", worker)
    with api.helpline.db.transaction() as session:
        contact = session.get(Contact, api.row(case_id).contact_id)
        assert contact is not None
        contact.opted_out = True
    before = snapshot(api, case_id)
    refused = api.post(f"/api/cases/{case_id}/reply", worker, json={"text": "are you there?"})
    assert refused.status_code == 409 and "no more messages" in refused.json()["error"]
    assert snapshot(api, case_id) == before

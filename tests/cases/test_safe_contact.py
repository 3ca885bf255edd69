"""Safe to write (issue 12, item 2): after a disclosure the person says whether and when a
caseworker may write; a caseworker's reply outside that waits in the outbox as `held`.

Through the real engine, NLU, storage, staff API and outbox sender, on SQLite and
PostgreSQL; the clock is injected for the reply and for the sender.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from starlette.testclient import TestClient

from bot.cases import safe_contact
from bot.cases.staff import add_staff
from bot.cases.work import Desk, reply
from bot.storage.models import Case, Message, OutboxItem, Staff
from bot.web.app import build_web_app
from tests.conftest import Person

ISTANBUL = ZoneInfo("Europe/Istanbul")
# A Wednesday, 14:00 in Istanbul (11:00 UTC)
AFTERNOON = datetime(2026, 12, 2, 11, 0, tzinfo=UTC)


def said(person: Person, msgid: str, language: str = "en") -> str:
    return person.helpline.engine.texts.get(language, msgid)


def disclose_and_answer(person: Person, answer: str | None, *hours: str) -> int:
    person.language_code = "en"
    person.says("hello")
    person.says("my husband beats me every night")
    assert said(person, "safety.domestic_violence") in person.text
    question = person.last[-1]
    assert question.text == said(person, "safe_contact.question")
    assert [b.label for b in question.buttons] == [
        said(person, "safe_contact.now"),
        said(person, "safe_contact.later"),
        said(person, "safe_contact.reply_first"),
    ]
    if answer is not None:
        person.taps(said(person, answer))
    for label in hours:
        person.taps(said(person, label))
    with person.helpline.db.transaction() as session:
        return session.scalars(select(Case)).one().id


def caseworker_reply(person: Person, case_id: int, text: str, now: datetime) -> int:
    with person.helpline.db.transaction() as session:
        staff = session.scalar(select(Staff))
        if staff is None:
            staff, _ = add_staff(session, "Ayla", "caseworker", ["en"], "correct horse battery")
        desk = Desk(session=session, staff=staff, now=now, fallback_minutes=10)
        return reply(desk, person.helpline.vault, case_id, text).id


def status(person: Person, message_id: int) -> tuple[str, str]:
    with person.helpline.db.transaction() as session:
        item = session.scalars(select(OutboxItem).where(OutboxItem.message_id == message_id)).one()
        message = session.get(Message, message_id)
        assert message is not None
        return item.status, message.status


def flush(person: Person) -> list[str]:
    asyncio.run(person.helpline.sender.flush())
    return [m.text for m in person.channel.take()]


def test_only_if_i_write_first_holds_the_reply_until_the_person_writes(person: Person) -> None:
    case_id = disclose_and_answer(person, "safe_contact.reply_first")
    assert person.last[0].text == said(person, "safe_contact.noted_reply_first")
    with person.helpline.db.transaction() as session:
        assert session.get(Case, case_id).safe_contact == "reply_first"  # type: ignore[union-attr]
    # shown in the case JSON of the API
    with person.helpline.db.transaction() as session:
        _, token = add_staff(session, "Deniz", "caseworker", ["en"], "correct horse battery")
    with TestClient(build_web_app(person.helpline)) as client:
        got = client.get(f"/api/cases/{case_id}", headers={"Authorization": f"Bearer {token}"})
    assert got.status_code == 200
    case_json = got.json().get("case", got.json())
    assert case_json["safe_contact"] == "reply_first"

    message_id = caseworker_reply(person, case_id, "Hello, I am Ayla from the helpline.", AFTERNOON)
    assert status(person, message_id) == ("held", "held")
    assert "Hello, I am Ayla from the helpline." not in flush(person)
    assert status(person, message_id) == ("held", "held")

    person.says("are you there?")  # the person writes first: the reply may go
    assert "Hello, I am Ayla from the helpline." in [m.text for m in person.last] + flush(person)
    assert status(person, message_id)[0] == "sent"


def test_not_now_after_18_holds_the_reply_until_the_window_opens(person: Person) -> None:
    case_id = disclose_and_answer(person, "safe_contact.later", "safe_contact.evening")
    assert person.last[0].text == said(person, "safe_contact.noted_hours")
    with person.helpline.db.transaction() as session:
        assert session.get(Case, case_id).safe_contact == "18:00-22:00"  # type: ignore[union-attr]

    message_id = caseworker_reply(person, case_id, "Is now a good time?", AFTERNOON)
    assert status(person, message_id) == ("held", "held")
    with person.helpline.db.transaction() as session:
        item = session.scalars(select(OutboxItem).where(OutboxItem.message_id == message_id)).one()
        opens = item.next_attempt_at.astimezone(ISTANBUL)
        assert (opens.hour, opens.minute, opens.day) == (18, 0, 2)

    sender = person.helpline.sender
    sender.clock = lambda: datetime(2026, 12, 2, 14, 59, tzinfo=UTC)  # 17:59 in Istanbul
    assert "Is now a good time?" not in flush(person)
    assert status(person, message_id) == ("held", "held")
    sender.clock = lambda: datetime(2026, 12, 2, 15, 1, tzinfo=UTC)  # 18:01 in Istanbul
    assert "Is now a good time?" in flush(person)
    assert status(person, message_id)[0] == "sent"


def test_safe_now_sends_at_once_and_no_answer_changes_nothing(person: Person) -> None:
    case_id = disclose_and_answer(person, "safe_contact.now")
    assert person.last[0].text == said(person, "safe_contact.noted")
    message_id = caseworker_reply(person, case_id, "Hello from Ayla.", AFTERNOON)
    assert status(person, message_id)[0] == "pending"
    assert "Hello from Ayla." in flush(person)


def test_a_message_that_is_no_answer_leaves_the_question_quietly(person: Person) -> None:
    case_id = disclose_and_answer(person, None)
    person.says("he took my phone yesterday")
    assert said(person, "fallback.choose") not in person.text
    with person.helpline.db.transaction() as session:
        assert session.get(Case, case_id).safe_contact is None  # type: ignore[union-attr]
    message_id = caseworker_reply(person, case_id, "Hello.", AFTERNOON)
    assert status(person, message_id)[0] == "pending"  # not answered: nothing is held


def test_windows_are_daily_local_times() -> None:
    evening = "18:00-22:00"
    assert (
        safe_contact.next_opening(evening, datetime(2026, 12, 2, 16, 0, tzinfo=UTC), ISTANBUL)
        is None
    )
    late = safe_contact.next_opening(evening, datetime(2026, 12, 2, 20, 0, tzinfo=UTC), ISTANBUL)
    assert late == datetime(2026, 12, 3, 15, 0, tzinfo=UTC)
    assert safe_contact.valid("reply_first") and not safe_contact.valid("25:00-26:00")

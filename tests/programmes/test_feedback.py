"""Done when (issue 13, complaints): a complaint reaches a supervisor, not a caseworker's
queue; feedback is a rating with a comment. Every language has the one word."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from bot.app import Helpline, create_app
from bot.channels.collecting import CollectingChannel
from bot.nlu.base import NLU
from bot.storage.models import Case, Contact, Message
from bot.storage.programme_models import Feedback
from bot.web.app import build_web_app
from tests.cases.conftest import Api
from tests.conftest import Person, make_settings
from tests.console.conftest import ConsoleClient

STAFF_CHAT = "-100555"
SUPERVISORS = "-100777"
COMPLAINTS = {
    "tr": "Telefonla aradım, kimse açmadı; hizmetinizden memnun değilim.",
    "ar": "اتصلت بكم ولم يرد أحد، ولست راضياً عن الخدمة.",
    "en": "The office was closed when you said it would be open.",
}


@pytest.fixture
def helpline(database_url: str, nlu_model_dir: Path, nlu: NLU) -> Iterator[Helpline]:
    settings = make_settings(database_url, nlu_model_dir, staff_chat_id=STAFF_CHAT)
    cases = settings.cases.model_copy(update={"supervisor_chat_id": SUPERVISORS})
    app = create_app(
        settings.model_copy(update={"cases": cases}),
        nlu=nlu,
        extra_channels=[CollectingChannel("test")],
    )
    yield app
    app.db.dispose()


def someone(helpline: Helpline, greeting: str) -> Person:
    person = Person(helpline=helpline, channel=helpline.channels["test"])  # type: ignore[arg-type]
    person.says(greeting)
    return person


def alerts(helpline: Helpline) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    with helpline.db.transaction() as session:
        rows = session.execute(
            select(Contact, Message)
            .join(Message, Message.contact_id == Contact.id)
            .where(Contact.kind == "staff")
        )
        for contact, message in rows:
            chat = helpline.vault.decrypt(contact.platform_id_enc)
            found.setdefault(chat, []).append(helpline.vault.decrypt(message.text_enc))
    return found


@pytest.mark.parametrize(
    ("greeting", "word", "language"),
    [("merhaba", "şikayet", "tr"), ("مرحبا", "شكوى", "ar"), ("hello", "complaint", "en")],
)
def test_a_complaint_reaches_the_supervisors_and_no_caseworker_queue(
    helpline: Helpline, greeting: str, word: str, language: str
) -> None:
    texts = helpline.engine.texts
    complaint = COMPLAINTS[language]
    person = someone(helpline, greeting)
    assert person.says(word)[-1].text == texts.get(language, "feedback.complaint_ask")
    assert person.says(complaint)[-1].text == texts.get(language, "feedback.complaint_received")
    with helpline.db.transaction() as session:
        [row] = session.scalars(select(Feedback)).all()
        assert row.kind == "complaint" and complaint not in (row.text_enc or "")
        assert session.scalars(select(Case)).all() == []  # never in a caseworker's queue
    sent = alerts(helpline)
    assert set(sent) == {STAFF_CHAT, SUPERVISORS}
    assert all(
        complaint not in text and "/console/complaints" in text for text in sent[SUPERVISORS]
    )

    api = Api(helpline, TestClient(build_web_app(helpline, run_sender=False)))
    supervisor = ConsoleClient(helpline)
    supervisor.login(api.staff("supervisor"))
    page = supervisor.http.get("/console/complaints")
    assert page.status_code == 200 and complaint in page.text
    caseworker = ConsoleClient(helpline)
    caseworker.login(api.staff("caseworker"))
    assert caseworker.http.get("/console/complaints").status_code == 403


def test_feedback_is_a_rating_and_a_comment(helpline: Helpline) -> None:
    texts = helpline.engine.texts
    person = someone(helpline, "hello")
    ask = person.says("feedback")[-1]
    assert ask.text == texts.get("en", "feedback.rating_ask")
    assert [b.payload for b in ask.buttons] == [f"fb:r:{n}" for n in range(1, 6)]
    assert person.says("4", button="fb:r:4")[-1].text == texts.get("en", "feedback.comment_ask")
    assert person.says("Quick and kind answers.")[-1].text == texts.get("en", "feedback.thanks")
    with helpline.db.transaction() as session:
        [row] = session.scalars(select(Feedback)).all()
        assert (row.kind, row.rating) == ("rating", 4)
        assert helpline.vault.decrypt(row.text_enc or "") == "Quick and kind answers."

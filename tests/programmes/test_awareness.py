"""Done when (issue 13, awareness): a message reaches only the opted-in Turkish speakers of
one district, and a one-word unsubscribe stops the next one. Staff write and send it in
the console (supervisor), after a preview that counts people and SMS segments."""

from __future__ import annotations

import asyncio
import re

from starlette.testclient import TestClient

from bot.app import Helpline
from bot.channels.sms_text import count_segments
from bot.storage.programme_models import AwarenessSubscription
from bot.web.app import build_web_app
from tests.cases.conftest import Api
from tests.conftest import Person
from tests.console.conftest import ConsoleClient

TURKISH = "Okul kayıtları 15 Ocak'ta başlıyor. Çocuğunuzu kaydettirmeyi unutmayın."


def person(helpline: Helpline, language: str, *lines: str) -> Person:
    someone = Person(helpline=helpline, channel=helpline.channels["test"])  # type: ignore[arg-type]
    someone.says({"tr": "merhaba", "ar": "مرحبا", "en": "hello"}[language])
    for line in lines:
        someone.says(line)
    return someone


def supervisor_console(helpline: Helpline) -> ConsoleClient:
    api = Api(helpline, TestClient(build_web_app(helpline, run_sender=False)))
    client = ConsoleClient(helpline)
    assert client.login(api.staff("supervisor")).status_code in (302, 303)
    client.page("/console/awareness")
    return client


def post(client: ConsoleClient, action: str, **form: str) -> str:
    response = client.http.post(
        "/console/awareness", data={"csrf_token": client.csrf, "action": action, **form}
    )
    assert response.status_code == 200, response.text
    return str(response.text)


def received(someone: Person) -> list[str]:
    asyncio.run(someone.helpline.sender.flush())
    return [m.text for m in someone.channel.take() if m.recipient_id == someone.sender_id]


def test_a_message_reaches_only_subscribed_turkish_speakers_of_one_district(
    helpline: Helpline,
) -> None:
    texts = helpline.engine.texts
    esenyurt = person(helpline, "tr", "abone Esenyurt")
    assert esenyurt.text == texts.get("tr", "awareness.subscribed", district="Esenyurt")
    fatih = person(helpline, "tr", "abone Fatih")
    arabic = person(helpline, "ar", "اشتراك اسنيورت")
    not_subscribed = person(helpline, "tr", "Esenyurt'ta hastane nerede?")
    with helpline.db.transaction() as session:
        kept = {(s.language, s.district) for s in session.query(AwarenessSubscription)}
        assert kept == {("tr", "Esenyurt"), ("tr", "Fatih"), ("ar", "Esenyurt")}
    for someone in (esenyurt, fatih, arabic, not_subscribed):
        someone.channel.take()

    client = supervisor_console(helpline)
    form = {"text_tr": TURKISH, "text_ar": "التسجيل في المدارس يبدأ", "language": "tr",
            "district": "esenyurt", "programme": ""}  # fmt: skip
    shown = post(client, "preview", **form)
    assert 'data-test="awareness-recipients" data-count="1"' in shown
    segments = count_segments(TURKISH).count
    assert f'data-language="tr" data-count="{segments}"' in shown
    assert 'data-language="ar"' not in shown  # the audience is Turkish: only that text
    sent = post(client, "send", **form)
    assert 'data-test="awareness-sent"' in sent
    assert received(esenyurt) == [TURKISH]
    assert received(fatih) == received(arabic) == received(not_subscribed) == []

    # One word, and the next message does not reach them.
    assert esenyurt.says("ayrıl")[-1].text == texts.get("tr", "awareness.unsubscribed")
    history = post(client, "preview", **form)
    assert 'data-test="awareness-recipients" data-count="0"' in history
    assert re.search(r'data-test="awareness-row" data-send-id="\d+" data-opted-out="1"', history)
    post(client, "send", **{**form, "text_tr": "Aşı kampanyası başladı."})
    assert received(esenyurt) == []
    # Not subscribed any more, the word means what it meant before (no awareness reply).
    assert esenyurt.says("ayrıl")[-1].text != texts.get("tr", "awareness.unsubscribed")


def test_caseworkers_cannot_send_awareness_messages(helpline: Helpline) -> None:
    api = Api(helpline, TestClient(build_web_app(helpline, run_sender=False)))
    client = ConsoleClient(helpline)
    client.login(api.staff("caseworker"))
    assert client.http.get("/console/awareness").status_code == 403

"""A conversation on each channel, then "delete my data": no trace of the person is left.

Web chat (HTTP, the page's own API), Telegram (the fake Bot API), WhatsApp and
SMS (the fake Twilio), each on SQLite and PostgreSQL. After the confirmation
has reached the person, every value of every table is read (raw, and decrypted
with the key) and the database dump (pg_dump / the SQLite file and WAL) is
searched for what they wrote and their number, chat id or session.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from sqlalchemy import func, select

from bot.app import Helpline, create_app
from bot.nlu.base import NLU
from bot.storage.models import Contact, Erasure, Message, OutboxItem
from bot.web.app import build_web_app
from tests.channels.telegram_env import telegram_env
from tests.channels.twilio_harness import rig_for
from tests.conftest import make_settings
from tests.live import serving
from tests.privacy.scan import dump_text, traces

SECRET_WORDS = "Leyla Demirtaş from Lale Sokak 14"
OPENING = f"Hello, I am {SECRET_WORDS}, when is the parenting session"


def wait_until(check: Callable[[], bool], what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout} s for {what}")
        time.sleep(0.05)


def people(helpline: Helpline) -> int:
    with helpline.db.transaction() as session:
        query = select(func.count()).select_from(Contact).where(Contact.kind == "person")
        return int(session.scalar(query) or 0)


def assert_no_trace(helpline: Helpline, needles: list[str]) -> None:
    wait_until(lambda: people(helpline) == 0, "the contact to be forgotten")
    needles = [*needles, "Leyla", "Demirtaş", "Lale Sokak"]
    assert traces(helpline.db, helpline.vault, needles) == []
    dump = dump_text(helpline.db).lower()
    assert [n for n in needles if n.lower() in dump] == []
    with helpline.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Message)) == 0
        assert session.scalar(select(func.count()).select_from(OutboxItem)) == 0
        [erasure] = session.scalars(select(Erasure))
        assert erasure.reason == "person_request" and erasure.counts["messages"] >= 4


def assert_stored_encrypted(helpline: Helpline, needle: str) -> None:
    """Before erasure the scan finds the person, but only with the key: not in the raw
    values, nor in a dump of the database."""
    assert traces(helpline.db, helpline.vault, [SECRET_WORDS, needle])
    assert traces(helpline.db, None, [SECRET_WORDS, needle]) == []
    dump = dump_text(helpline.db).lower()  # pg_dump, or the SQLite file and its WAL
    assert [n for n in (SECRET_WORDS, needle) if n.lower() in dump] == []


def text(helpline: Helpline, msgid: str) -> str:
    return helpline.engine.texts.get("en", msgid)


def test_web_chat(database_url: str, nlu_model_dir: Path, nlu: NLU) -> None:
    settings = make_settings(database_url, nlu_model_dir, delivery={"poll_seconds": 0.2})
    helpline = create_app(settings, nlu=nlu)
    session_id = f"web-{secrets.token_hex(12)}"
    seen: list[str] = []
    try:
        with serving(build_web_app(helpline)) as url, httpx.Client(timeout=30) as http:

            def says(words: str, expect: str) -> None:
                body = {"session": session_id, "text": words, "language": "en",
                        "client_id": secrets.token_hex(4)}  # fmt: skip
                assert http.post(f"{url}/chat/api/messages", json=body).status_code == 202

                def arrived() -> bool:
                    answer = http.get(
                        f"{url}/chat/api/messages", headers={"X-Chat-Session": session_id},
                        params={"after": "0"},
                    )  # fmt: skip
                    seen[:] = [m["text"] for m in answer.json()["messages"]] or seen
                    return any(expect in line for line in seen)

                wait_until(arrived, f"{expect[:30]!r} on the page")

            says(OPENING, text(helpline, "faq.parenting").split("\n")[0][:20])
            assert_stored_encrypted(helpline, session_id)
            says("please delete my data", text(helpline, "erase.confirm"))
            says("yes", text(helpline, "erase.done"))
        assert_no_trace(helpline, [session_id])
    finally:
        helpline.db.dispose()


def test_telegram(database_url: str, nlu_model_dir: Path, nlu: NLU) -> None:
    chat_id = 7000000000 + secrets.randbelow(10**8)
    with telegram_env(database_url, nlu_model_dir, nlu) as env:
        env.says(chat_id, OPENING)
        env.settle(chat_id)
        assert_stored_encrypted(env.helpline, str(chat_id))
        env.says(chat_id, "/delete")
        wait_until(
            lambda: text(env.helpline, "erase.confirm") in env.fake.sent_texts(chat_id), "confirm"
        )
        env.says(chat_id, "yes")
        wait_until(lambda: text(env.helpline, "erase.done") in env.fake.sent_texts(chat_id), "done")
        assert_no_trace(env.helpline, [str(chat_id), "Amal"])


def twilio_conversation(database_url: str, nlu_model_dir: Path, nlu: NLU, whatsapp: bool) -> None:
    number = f"+90555{secrets.randbelow(10**7):07d}"
    to = f"whatsapp:{number}" if whatsapp else number
    with rig_for(database_url, nlu_model_dir, nlu) as rig:
        send = rig.whatsapp if whatsapp else rig.sms
        for words in (OPENING, "please delete my data"):
            assert send(number, words).status_code == 200
            rig.answered(to)
            assert_stored_encrypted(rig.helpline, number)
        assert send(number, "yes").status_code == 200
        done = text(rig.helpline, "erase.done")
        short = rig.helpline.engine.texts.short("en", "erase.done") or done
        wait_until(lambda: bool({done, short} & set(rig.fake.bodies(to))), "erase.done")
        assert_no_trace(rig.helpline, [number.lstrip("+"), number[-7:]])


def test_whatsapp(database_url: str, nlu_model_dir: Path, nlu: NLU) -> None:
    twilio_conversation(database_url, nlu_model_dir, nlu, whatsapp=True)


def test_sms(database_url: str, nlu_model_dir: Path, nlu: NLU) -> None:
    twilio_conversation(database_url, nlu_model_dir, nlu, whatsapp=False)

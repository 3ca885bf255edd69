"""The logs of a full conversation on every channel: JSON lines, and no message text, phone
number, chat id, web chat session, token or password in them, not even masked.

The service is configured as `helpline serve` configures it (bot/logs.py), at DEBUG. Each
channel gets a greeting, a question, a disclosure (a case, the staff alert path) and a
caseworker's reply through the staff API with a bearer token.
"""

from __future__ import annotations

import io
import json
import logging
import secrets
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.app import Helpline
from bot.cases.staff import add_staff
from bot.logs import QUIET, configure
from bot.nlu.base import NLU
from tests.channels.telegram_env import SECRET, telegram_env
from tests.channels.twilio_harness import rig_for

QUESTION = "Hello, I am Selin Karaağaç, when is the parenting session in Kıraç"
DISCLOSURE = "my husband Burak hits me and the children every night"
STAFF_REPLY = "Selin, a colleague from Avcılar will call you at ten"
PASSWORD = "pw-Zq81-not-in-logs"
WORDS = ["Selin", "Karaağaç", "Kıraç", "Burak", "hits me", "Avcılar", PASSWORD]


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'helpline.db'}"


@pytest.fixture
def logged() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    root = logging.getLogger()
    level = root.level
    handler = configure(logging.DEBUG, stream, replace=False)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        for name in QUIET:
            logging.getLogger(name).setLevel(logging.NOTSET)


def wait(check: object, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def caseworker_replies(helpline: Helpline, url: str) -> str:
    """A caseworker takes the newest case and replies through the API; returns the token."""
    with helpline.db.transaction() as session:
        _, token = add_staff(session, f"cw-{secrets.token_hex(3)}", "caseworker", ["en"], PASSWORD)
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(timeout=30) as http:
        cases = http.get(f"{url}/api/cases", headers=headers).json()
        assert cases, "the disclosure opened no case"
        case_id = cases[0]["id"]
        answer = http.post(
            f"{url}/api/cases/{case_id}/reply", headers=headers, json={"text": STAFF_REPLY}
        )
        assert answer.status_code == 201, answer.text
    return token


def check(stream: io.StringIO, secrets_: list[str]) -> None:
    lines = stream.getvalue().splitlines()
    assert len(lines) >= 3, "the service logged (so the check means something)"
    entries = [json.loads(line) for line in lines]  # every line is one JSON object
    assert all({"at", "level", "logger", "message"} <= set(e) for e in entries)
    text = stream.getvalue().lower()
    assert [s for s in secrets_ if s.lower() in text] == []
    assert "[number]" not in text and "[token]" not in text  # nothing even needed masking


def test_web_chat_logs(helpline: Helpline, logged: io.StringIO) -> None:
    from bot.web.app import build_web_app
    from tests.live import serving

    session_id = f"web{secrets.token_hex(10)}"
    with serving(build_web_app(helpline)) as url, httpx.Client(timeout=30) as http:
        for n, words in enumerate([QUESTION, DISCLOSURE]):
            body = {"session": session_id, "text": words, "language": "en", "client_id": f"c{n}"}
            assert http.post(f"{url}/chat/api/messages", json=body).status_code == 202
        token = caseworker_replies(helpline, url)
        wait(lambda: any(m["text"] == STAFF_REPLY for m in http.get(
            f"{url}/chat/api/messages", headers={"X-Chat-Session": session_id}
        ).json()["messages"]))  # fmt: skip
    check(logged, [*WORDS, session_id, token, token.split(".")[1]])


def test_telegram_logs(
    database_url: str, nlu_model_dir: Path, nlu: NLU, logged: io.StringIO
) -> None:
    chat = 7100000000 + secrets.randbelow(10**8)
    with telegram_env(database_url, nlu_model_dir, nlu) as env:
        env.says(chat, QUESTION)
        env.says(chat, DISCLOSURE)
        env.settle(chat)
        token = caseworker_replies(env.helpline, env.url)
        wait(lambda: STAFF_REPLY in env.fake.sent_texts(chat))
        check(logged, [*WORDS, str(chat), env.fake.token, SECRET, token.split(".")[1]])


@pytest.mark.parametrize("whatsapp", [True, False], ids=["whatsapp", "sms"])
def test_twilio_logs(
    database_url: str, nlu_model_dir: Path, nlu: NLU, logged: io.StringIO, whatsapp: bool
) -> None:
    number = f"+90532{secrets.randbelow(10**7):07d}"
    to = f"whatsapp:{number}" if whatsapp else number
    with rig_for(database_url, nlu_model_dir, nlu) as rig:
        send = rig.whatsapp if whatsapp else rig.sms
        for words in (QUESTION, DISCLOSURE):
            assert send(number, words).status_code == 200
            rig.answered(to)
        token = caseworker_replies(rig.helpline, rig.url)
        wait(lambda: any(STAFF_REPLY in body for body in rig.fake.bodies(to)))
        secrets_ = [*WORDS, number.lstrip("+"), number[-7:], rig.fake.auth_token]
        check(logged, [*secrets_, token.split(".")[1]])


def test_the_formatter_masks_what_a_library_might_log() -> None:
    from bot.logs import mask

    line = (
        "POST http://api/bot123456789:AAbbCCddEEffGGhhIIjjKKllMMnnOOppQQ/sendMessage "
        "chat 987654321 from +90 555 123 45 67 Authorization: Bearer 3.abcDEF password=hunter2 "
        "outbox 42 at 2026-12-03 12:00"
    )
    assert mask(line) == (
        "POST http://api/bot[token]/sendMessage chat [number] from [number] "
        "Authorization: Bearer [token] password=[hidden] outbox 42 at 2026-12-03 12:00"
    )

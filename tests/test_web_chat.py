"""The web chat API and /healthz over real HTTP (uvicorn on loopback), on both databases."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from bot.app import Helpline, create_app
from bot.nlu.base import NLU
from bot.settings import Settings
from bot.storage.db import Database
from bot.web.app import build_web_app
from tests.live import serving

SESSION = "s" * 24


@pytest.fixture
def server(helpline: Helpline) -> Iterator[str]:
    with serving(build_web_app(helpline)) as url:
        yield url


def replies(base: str, session: str = SESSION, after: int = 0, want: int = 1) -> list[dict]:
    deadline = time.monotonic() + 10
    while True:
        got = httpx.get(
            f"{base}/chat/api/messages",
            params={"after": after},
            headers={"X-Chat-Session": session},
        )
        assert got.status_code == 200
        out = [m for m in got.json()["messages"] if m["direction"] == "out"]
        if len(out) >= want or time.monotonic() > deadline:
            return out
        time.sleep(0.1)


def test_the_page_is_served(server: str) -> None:
    page = httpx.get(f"{server}/")
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    assert "/chat/api/messages" in page.text


def test_a_message_is_answered_through_the_outbox(server: str, helpline: Helpline) -> None:
    posted = httpx.post(
        f"{server}/chat/api/messages",
        json={"session": SESSION, "text": "merhaba", "language": "tr-TR"},
    )
    assert posted.status_code == 202
    out = replies(server, want=2)
    assert out[0]["text"] == helpline.engine.texts.get("tr", "greeting.welcome")
    assert out[-1]["buttons"] and all({"payload", "label"} <= set(b) for b in out[-1]["buttons"])


def test_a_button_tap_is_a_choice(server: str, helpline: Helpline) -> None:
    httpx.post(
        f"{server}/chat/api/messages", json={"session": SESSION, "text": "hello", "language": "en"}
    )
    menu = replies(server, want=2)[-1]
    health = next(
        b for b in menu["buttons"] if b["label"] == helpline.engine.texts.get("en", "menu.health")
    )
    httpx.post(
        f"{server}/chat/api/messages",
        json={"session": SESSION, "text": health["label"], "button": health["payload"]},
    )
    out = replies(server, after=menu["id"], want=1)
    assert out[0]["text"] == helpline.engine.texts.get("en", "faq.health")


def test_a_retried_post_with_the_same_client_id_is_stored_once(server: str) -> None:
    body = {"session": SESSION, "text": "hello", "client_id": "abc123"}
    first = httpx.post(f"{server}/chat/api/messages", json=body).json()
    second = httpx.post(f"{server}/chat/api/messages", json=body).json()
    assert first["id"] == second["id"] and second["duplicate"] and not first["duplicate"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"not json", 400),
        (b"[1, 2]", 400),
        (b'{"text": "hi"}', 400),
        (b'{"session": "short", "text": "hi"}', 400),
        (b'{"session": "' + b"s" * 24 + b'", "text": 42}', 400),
        (b'{"session": "' + b"s" * 24 + b'", "text": "hi", "button": {"x": 1}}', 400),
        (b'{"session": "' + b"s" * 24 + b'", "text": "' + b"a" * 60_000 + b'"}', 413),
        (b"\xff\xfe\x00garbage", 400),
        (b"{" * 300_000, 413),
    ],
)
def test_malformed_requests_get_a_clean_4xx(server: str, body: bytes, status: int) -> None:
    response = httpx.post(
        f"{server}/chat/api/messages", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == status
    assert "error" in response.json()
    assert httpx.get(f"{server}/healthz").status_code == 200


@pytest.mark.parametrize(
    ("session", "query"),
    [("short", "after=0"), (SESSION, "after=-1"), (SESSION, "after=abc"), (None, "after=0")],
)
def test_malformed_polls_get_a_clean_400(server: str, session: str | None, query: str) -> None:
    headers = {"X-Chat-Session": session} if session else {}
    response = httpx.get(f"{server}/chat/api/messages?{query}", headers=headers)
    assert response.status_code == 400


def test_the_session_is_not_taken_from_the_url(server: str) -> None:
    """The session id is a chat id: it stays out of URLs, and so out of access logs."""
    httpx.post(f"{server}/chat/api/messages", json={"session": SESSION, "text": "hello"})
    replies(server, want=1)
    assert httpx.get(f"{server}/chat/api/messages?session={SESSION}").status_code == 400


def test_bad_text_is_stored_and_answered(server: str) -> None:
    for text in ["", "   ", "😀😀", "\x00\x07", "x" * 20_000]:
        assert (
            httpx.post(
                f"{server}/chat/api/messages", json={"session": SESSION, "text": text}
            ).status_code
            == 202
        )
    out = replies(server, want=5)
    assert len(out) >= 5


def test_healthz_is_ok_when_the_database_answers(server: str) -> None:
    response = httpx.get(f"{server}/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_fails_when_the_database_does_not_answer(settings: Settings, nlu: NLU) -> None:
    helpline = create_app(settings, nlu=nlu)
    helpline.db.dispose()
    helpline.db = Database("postgresql+psycopg://nobody@127.0.0.1:1/x")  # nothing listens
    with serving(build_web_app(helpline, run_sender=False)) as url:
        response = httpx.get(f"{url}/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"

"""The live streams with two processes' worth of app on one database: a change written through
one app instance (its own engine and pool, as another process would have) reaches a console
stream served by the other; a revoked account's stream ends. On SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from bot.app import Helpline, create_app
from bot.nlu.base import NLU
from bot.settings import Settings
from bot.storage.models import Case, Message
from bot.web.app import build_web_app
from tests.cases.conftest import PASSWORD, Api
from tests.console.conftest import CSRF_INPUT
from tests.live import serving


@pytest.fixture
def other(settings: Settings, nlu: NLU) -> Iterator[Helpline]:
    """A second app on the same database: what another process would be."""
    app = create_app(settings, nlu=nlu, migrate=False)
    yield app
    app.db.dispose()


def events(response: httpx.Response) -> Iterator[tuple[str, Any]]:
    name, data = "message", []
    for line in response.iter_lines():
        if line.startswith("event:"):
            name = line.partition(":")[2].strip()
        elif line.startswith("data:"):
            data.append(line.partition(":")[2].strip())
        elif not line and data:
            yield name, json.loads("\n".join(data))
            name, data = "message", []


def logged_in(url: str, name: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=20)
    page = client.get("/console/login")
    token = CSRF_INPUT.search(page.text)
    assert token is not None
    answer = client.post(
        "/console/login", data={"name": name, "password": PASSWORD, "csrf_token": token.group(1)}
    )
    assert answer.status_code == 303
    return client


def test_changes_from_another_process_reach_the_open_streams(
    helpline: Helpline, other: Helpline, staff_api: Api
) -> None:
    account = staff_api.staff("caseworker")
    elsewhere = Api(other, staff_api.client)  # writes through the other app's engine
    first = elsewhere.case("high", text="first message")
    with serving(build_web_app(helpline, run_sender=False)) as url:
        client = logged_in(url, account.name)
        with client.stream("GET", "/console/events") as queue:
            stream = events(queue)
            name, rows = next(stream)
            assert name == "queue" and [row["id"] for row in rows] == [first]
            second = elsewhere.case("imminent", text="second")
            name, rows = next(stream)
            assert name == "queue" and [row["id"] for row in rows] == [second, first]
            assert rows[0]["priority"] == "imminent" and rows[0]["deadline_at"] is None

        with client.stream("GET", f"/console/cases/{first}/events?after=0") as case:
            stream = events(case)
            name, item = next(stream)
            assert (name, item["direction"], item["text"]) == ("message", "in", "first message")
            words = f"still there? {secrets.token_hex(2)} <b>"
            _person_writes(other, first, words)
            name, item = next(stream)
            assert (name, item["text"]) == ("message", words)
            staff_api.revoke(account)
            assert next(stream)[0] == "ended"
        assert client.get("/console/events").status_code == 401
        assert client.get(f"/console/cases/{first}/events").status_code == 401
        client.close()


def _person_writes(app: Helpline, case_id: int, text: str) -> None:
    with app.db.transaction() as session:
        case = session.get(Case, case_id)
        assert case is not None
        session.add(
            Message(
                contact_id=case.contact_id,
                conversation_id=case.conversation_id,
                direction="in",
                channel="test",
                platform_message_id=secrets.token_hex(8),
                text_enc=app.vault.encrypt(text),
                status="processed",
            )
        )


def test_a_stream_needs_a_session(helpline: Helpline) -> None:
    with serving(build_web_app(helpline, run_sender=False)) as url:
        assert httpx.get(f"{url}/console/events").status_code == 401
        assert httpx.get(f"{url}/console/cases/1/events").status_code == 401
        assert re.search("log in", httpx.get(f"{url}/console/events").text)

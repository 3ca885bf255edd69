"""Rate limits per sender and per address on the web chat and the webhooks: a clean 429
(JSON error, Retry-After), nothing stored for the refused request, others unaffected."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient

from bot.app import Helpline, create_app
from bot.nlu.base import NLU
from bot.storage.models import Message
from bot.web.app import build_web_app
from tests.channels.telegram_env import telegram_env
from tests.channels.twilio_harness import rig_for
from tests.conftest import make_settings

LIMITS = {
    "web_chat_per_session": "3/minute",
    "web_chat_per_address": "6/minute",
    "webhook_per_sender": "2/minute",
}


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'helpline.db'}"


def inbound(helpline: Helpline) -> int:
    with helpline.db.transaction() as session:
        query = select(func.count()).select_from(Message).where(Message.direction == "in")
        return int(session.scalar(query) or 0)


@pytest.fixture
def web(database_url: str, nlu_model_dir: Path, nlu: NLU) -> Iterator[TestClient]:
    settings = make_settings(database_url, nlu_model_dir, rate_limits=LIMITS)
    helpline = create_app(settings, nlu=nlu)
    with TestClient(build_web_app(helpline, run_sender=False)) as client:
        client.helpline = helpline  # type: ignore[attr-defined]
        yield client
    helpline.db.dispose()


def post(client: TestClient, session: str, n: int) -> int:
    body = {"session": session, "text": "hello", "language": "en", "client_id": f"m{n}"}
    return client.post("/chat/api/messages", json=body).status_code


def test_web_chat_per_session_then_per_address(web: TestClient) -> None:
    a, b = "session-aaaaaaaaaaaaaaaa", "session-bbbbbbbbbbbbbbbb"
    assert [post(web, a, n) for n in range(3)] == [202, 202, 202]
    refused = web.post(
        "/chat/api/messages", json={"session": a, "text": "hello", "client_id": "m9"}
    )
    assert refused.status_code == 429
    assert refused.json()["error"].startswith("too many requests")
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    # Another session from the same address: allowed until the address's 6 a minute.
    assert [post(web, b, n) for n in range(3)] == [202, 202, 429]
    assert inbound(web.helpline) == 5  # type: ignore[attr-defined]
    polled = web.get("/chat/api/messages", headers={"X-Chat-Session": a})
    assert polled.status_code == 200  # reading replies has its own, larger limit


def test_telegram_webhook_per_chat(database_url: str, nlu_model_dir: Path, nlu: NLU) -> None:
    with telegram_env(database_url, nlu_model_dir, nlu, rate_limits=LIMITS) as env:
        codes = []
        for _ in range(3):
            update = env.fake.message_update(7300000001, "hello")
            codes.append(env.post(update).status_code)
        assert codes == [200, 200, 429]
        assert env.post(env.fake.message_update(7300000002, "hello")).status_code == 200
        assert inbound(env.helpline) == 3


def test_twilio_webhook_per_number(database_url: str, nlu_model_dir: Path, nlu: NLU) -> None:
    with rig_for(database_url, nlu_model_dir, nlu, rate_limits=LIMITS) as rig:
        codes = [rig.whatsapp("+905320000001", "hello").status_code for _ in range(3)]
        assert codes == [200, 200, 429]
        assert rig.sms("+905320000002", "hello").status_code == 200
        assert inbound(rig.helpline) == 3

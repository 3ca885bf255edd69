"""Shared fixtures: every storage test runs on SQLite and on the local PostgreSQL.

PostgreSQL (127.0.0.1:5432, user postgres, database test) is used when it
answers; otherwise its tests are skipped with a reason that says so, unless
HELPLINE_REQUIRE_POSTGRES=1 (CI), where they fail instead. Each PostgreSQL
test gets its own schema, dropped afterwards.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest

from bot.app import Helpline, create_app
from bot.channels.collecting import CollectingChannel
from bot.engine.messages import HandleResult, Inbound, Outbound
from bot.nlu.base import NLU
from bot.nlu.embedded import build_nlu
from bot.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent
# The privacy notice at first contact (an extra reply) is off in tests that do not ask for
# it (make_settings(..., privacy={"first_contact_notice": True})): tests/privacy tests it.
# An environment variable, so the `helpline` processes tests start inherit it too.
os.environ.setdefault("HELPLINE_PRIVACY__FIRST_CONTACT_NOTICE", "false")
PG_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=test connect_timeout=3"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _postgres_problem() -> str | None:
    try:
        with psycopg.connect(PG_DSN) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as exc:
        return f"PostgreSQL at 127.0.0.1:5432 is not reachable ({type(exc).__name__})"
    return None


@pytest.fixture(scope="session")
def postgres_available() -> str | None:
    return _postgres_problem()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_available: str | None
) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'helpline.db'}"
        return
    if postgres_available:
        if os.environ.get("HELPLINE_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"{postgres_available}; HELPLINE_REQUIRE_POSTGRES=1 needs it")
        pytest.skip(f"{postgres_available}: PostgreSQL tests skipped")
    schema = f"t_{secrets.token_hex(6)}"
    with psycopg.connect(PG_DSN, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(PG_DSN, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(scope="session")
def nlu_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh directory; or HELPLINE_TEST_NLU_DIR, to keep the trained model between runs of a
    few tests (it is retrained when nlu/ changes)."""
    if os.environ.get("HELPLINE_TEST_NLU_DIR"):
        path = Path(os.environ["HELPLINE_TEST_NLU_DIR"])
        path.mkdir(parents=True, exist_ok=True)
        return path
    return tmp_path_factory.mktemp("nlu-model")


@pytest.fixture(scope="session")
def nlu(nlu_model_dir: Path) -> NLU:
    """The real embedded NLU, trained once per test session from nlu/."""
    settings = make_settings("sqlite://", nlu_model_dir)
    return build_nlu(settings)


def make_settings(database_url: str, model_dir: Path, **overrides: object) -> Settings:
    nlu_settings = {
        "backend": "embedded",
        "data_dir": ROOT / "nlu",
        "model_path": model_dir / "nlu.pkl",
    }
    values: dict[str, object] = {
        "database_url": database_url,
        "secret_key": "test-secret-key-not-for-production",
        "flows_dir": ROOT / "flows",
        "locales_dir": ROOT / "locales",
        "nlu": nlu_settings,
    }
    return load_settings(ROOT / "config.yml", **{**values, **overrides})


@pytest.fixture
def settings(database_url: str, nlu_model_dir: Path) -> Settings:
    return make_settings(database_url, nlu_model_dir)


@dataclass
class Person:
    """Somebody talking to the helpline on the test channel; collects what the bot sends."""

    helpline: Helpline
    channel: CollectingChannel
    sender_id: str = field(default_factory=lambda: f"person-{secrets.token_hex(4)}")
    language_code: str | None = None
    counter: int = 0
    last: list[Outbound] = field(default_factory=list)
    result: HandleResult | None = None

    def says(
        self, text: str, button: str | None = None, message_id: str | None = None
    ) -> list[Outbound]:
        self.counter += 1
        self.result = self.helpline.engine.receive(
            Inbound(
                channel=self.channel.name,
                sender_id=self.sender_id,
                text=text,
                button=button,
                language_code=self.language_code,
                platform_message_id=message_id or f"{self.sender_id}-{self.counter}",
            )
        )
        asyncio.run(self.helpline.sender.flush())
        self.last = self.channel.take()
        return self.last

    def taps(self, label: str) -> list[Outbound]:
        """Tap the button with this label on the last message that had buttons."""
        for message in reversed(self.last):
            for button in message.buttons:
                if button.label == label:
                    return self.says(button.label, button=button.payload)
        labels = [b.label for m in self.last for b in m.buttons]
        raise AssertionError(f"no button {label!r} among {labels}")

    @property
    def text(self) -> str:
        return "\n".join(message.text for message in self.last)


@pytest.fixture
def helpline(settings: Settings, nlu: NLU) -> Iterator[Helpline]:
    app = create_app(settings, nlu=nlu, extra_channels=[CollectingChannel("test")])
    yield app
    app.db.dispose()


@pytest.fixture
def person(helpline: Helpline) -> Person:
    channel = helpline.channels["test"]
    assert isinstance(channel, CollectingChannel)
    return Person(helpline=helpline, channel=channel)

"""What the delivery tests share: signed SMS webhooks, `helpline serve` as a subprocess,
throwaway PostgreSQL databases, and reading back what was stored and what reached Twilio.

The platform is the fake Twilio REST API (tests/fakes/twilio_api.py) on loopback; the SMS
channel is the real one (twilio 9 over HTTP). A person is a phone number; their messages are
signed as Twilio signs them.
"""

from __future__ import annotations

import itertools
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg
from sqlalchemy import select

from bot.storage.crypto import Vault
from bot.storage.db import Database
from bot.storage.models import Contact, Message, OutboxItem
from tests.conftest import PG_DSN, ROOT
from tests.fakes.twilio_api import FakeTwilio, fixture
from tests.live import free_port

SECRET = "delivery-test-secret-key-not-for-production"
_sids = itertools.count(1)

# Fast retries for tests: the "minute" of an outage is a few seconds.
FAST_DELIVERY = {
    "backoff_base_seconds": 0.05,
    "backoff_max_seconds": 0.4,
    "max_attempts": 1000,
    "poll_seconds": 0.05,
    # Longer than any send may take (the Twilio client gives up after 5 s, below): a lease
    # that ran out while its send was still going would let another sender send it again.
    "sending_timeout_seconds": 10.0,
}


def new_sid() -> str:
    return f"SM{next(_sids):08d}{secrets.token_hex(12)}"


def number(index: int) -> str:
    return f"+9055500{index:05d}"


def sms_webhook(
    client: httpx.Client, base_url: str, fake: FakeTwilio, sender: str, body: str, sid: str
) -> httpx.Response:
    """POST /webhooks/twilio as Twilio sends an inbound SMS, signed."""
    params = fixture("inbound_sms")
    params.update(MessageSid=sid, SmsMessageSid=sid, SmsSid=sid, Body=body, From=sender)
    url = f"{base_url}/webhooks/twilio"
    return client.post(url, data=params, headers={"X-Twilio-Signature": fake.sign(url, params)})


def wait_until(condition: object, timeout: float, what: str) -> None:
    """Bounded wait for a condition (a callable returning true); fails saying what."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


# -- what was stored ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Stored:
    inbound: dict[str, list[str]]  # number -> statuses of their inbound messages, oldest first
    outbound: dict[str, list[str | None]]  # number -> Twilio SIDs of replies, in outbox order
    outbox: dict[str, int]  # status -> count


def stored(database_url: str, secret: str = SECRET) -> Stored:
    vault = Vault(secret)
    db = Database(database_url)
    inbound: dict[str, list[str]] = {}
    outbound: dict[str, list[str | None]] = {}
    outbox: dict[str, int] = {}
    try:
        with db.transaction() as session:
            rows = session.execute(
                select(Message, Contact)
                .join(Contact, Contact.id == Message.contact_id)
                .order_by(Message.id)
            ).all()
            for message, contact in rows:
                who = vault.decrypt(contact.platform_id_enc)
                if message.direction == "in":
                    inbound.setdefault(who, []).append(message.status)
                else:
                    outbound.setdefault(who, []).append(message.platform_message_id)
            for item in session.scalars(select(OutboxItem)):
                outbox[item.status] = outbox.get(item.status, 0) + 1
    finally:
        db.dispose()
    return Stored(inbound, outbound, outbox)


def accepted_sids(fake: FakeTwilio, to: str) -> list[str | None]:
    return [call.sid for call in fake.sent(to)]


# -- throwaway PostgreSQL databases ---------------------------------------------------------------


@contextmanager
def postgres_database() -> Iterator[str]:
    """A new, uniquely named database on the local PostgreSQL, dropped afterwards."""
    name = f"helpline_delivery_{secrets.token_hex(5)}"
    with psycopg.connect(PG_DSN, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(PG_DSN, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -- `helpline serve` as a subprocess -------------------------------------------------------------


def serve_env(
    database_url: str, fake: FakeTwilio, model: tuple[Path, Path], **extra: str
) -> dict[str, str]:
    """The environment of a `helpline serve` on `database_url`, Twilio at the fake."""
    data_dir, model_path = model
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("HELPLINE_", "TWILIO_", "TELEGRAM_"))
    }
    env.update(
        HELPLINE_DATABASE_URL=database_url,
        HELPLINE_SECRET_KEY=SECRET,
        HELPLINE_NLU__MODEL_PATH=str(model_path),
        HELPLINE_NLU__DATA_DIR=str(data_dir),
        **{key.upper(): str(value) for key, value in fake.settings().items()},
    )
    env.update({f"HELPLINE_DELIVERY__{k.upper()}": str(v) for k, v in FAST_DELIVERY.items()})
    env["HELPLINE_TWILIO__REQUEST_TIMEOUT_SECONDS"] = "5"
    env.update(extra)
    return env


class Served:
    """One `helpline serve` process on a free port; its output goes to a log file."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.env = env
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 240.0) -> Served:
        helpline = str(Path(sys.executable).parent / "helpline")
        command = [helpline, "serve", "--port", str(self.port)]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"helpline serve exited: {self.log_tail()}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"helpline serve did not start in {timeout:.0f} s: {self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL: no shutdown, no drain, nothing flushed."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

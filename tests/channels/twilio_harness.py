"""The helpline served for real (uvicorn on loopback) with its Twilio channels pointed at the
fake Twilio REST API: webhooks are signed as Twilio signs them, replies are read at the fake.

Use the `twilio_rig` fixture (import `twilio_rig_fixture` into the test module), or
`rig_for(...)` for settings of your own (a template, another segment budget).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute

from bot.app import Helpline, create_app
from bot.nlu.base import NLU
from bot.storage import repository
from bot.storage.models import Contact, Message, OutboxItem, utcnow
from bot.web.app import build_web_app
from tests.conftest import make_settings
from tests.fakes.twilio_api import FakeTwilio, fixture
from tests.live import serving

T = TypeVar("T")

PUBLIC_URL = "https://helpline.example.org/base"
_sids = itertools.count(1)


def new_sid() -> str:
    return f"SM{next(_sids):08d}{'f' * 24}"


@dataclass
class TwilioRig:
    helpline: Helpline
    fake: FakeTwilio
    url: str  # where the service listens (what a proxy in front of it would call)
    public_url: str | None
    client: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=20))

    # -- webhooks as Twilio sends them -------------------------------------------------------

    def signed_url(self, path: str) -> str:
        return f"{self.public_url or self.url}{path}"

    def post(
        self,
        path: str,
        params: dict[str, str],
        *,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        signature = signature or self.fake.sign(self.signed_url(path), params)
        return self.client.post(
            f"{self.url}{path}",
            data=params,
            headers={"X-Twilio-Signature": signature, **(headers or {})},
        )

    def whatsapp(self, number: str, body: str, sid: str | None = None) -> httpx.Response:
        params = fixture("inbound_whatsapp_text")
        sid = sid or new_sid()
        params.update(
            MessageSid=sid, SmsMessageSid=sid, SmsSid=sid, Body=body,
            From=f"whatsapp:{number}", WaId=number.lstrip("+"),
        )  # fmt: skip
        return self.post("/webhooks/twilio", params)

    def sms(self, number: str, body: str, sid: str | None = None) -> httpx.Response:
        params = fixture("inbound_sms")
        sid = sid or new_sid()
        params.update(MessageSid=sid, SmsMessageSid=sid, SmsSid=sid, Body=body, From=number)
        return self.post("/webhooks/twilio", params)

    def status(self, name: str, sid: str, error_code: str | None = None) -> httpx.Response:
        """A status callback from a recorded one (`status_sent`, `status_read`...)."""
        params = fixture(name)
        params.update(MessageSid=sid, SmsSid=sid)
        if error_code is not None:
            params["ErrorCode"] = error_code
        return self.post("/webhooks/twilio/status", params)

    # -- what the service did ----------------------------------------------------------------

    def replies(self, to: str, count: int) -> list[str]:
        """Wait (bounded) until `count` messages reached Twilio for `to`; their bodies."""
        return [call.params.get("Body", "") for call in self.fake.wait_for(count, to=to)][:count]

    def answered(self, to: str, timeout: float = 30) -> list[str]:
        """Wait until the newest message of `to` is processed and every reply to the person
        has left the outbox; the bodies Twilio accepted for them, oldest first."""
        self.wait_for_inbound_processed(to, timeout)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            statuses = self.outbound_statuses(to)
            if statuses and "queued" not in statuses:
                return self.fake.bodies(to)
            time.sleep(0.05)
        raise AssertionError(f"replies still queued: {self.outbound_statuses(to)}")

    def outbound_statuses(self, to: str) -> list[str]:
        return self._outbound(to, Message.status)

    def _outbound(self, to: str, column: InstrumentedAttribute[T]) -> list[T]:
        """One column of the messages sent to `to`, oldest first."""
        contact = self.contact(to)
        if contact is None:
            return []
        with self.helpline.db.transaction() as session:
            return list(
                session.scalars(
                    select(column)
                    .where(Message.contact_id == contact.id, Message.direction == "out")
                    .order_by(Message.id)
                ).all()
            )

    def contact(self, to: str) -> Contact | None:
        channel = "whatsapp" if to.startswith("whatsapp:") else "sms"
        with self.helpline.db.transaction() as session:
            return repository.find_contact(
                session, self.helpline.vault, channel, to.removeprefix("whatsapp:")
            )

    def outbound_ids(self, to: str) -> list[int]:
        return self._outbound(to, Message.id)

    def inbound_count(self, to: str) -> int:
        contact = self.contact(to)
        if contact is None:
            return 0
        with self.helpline.db.transaction() as session:
            return len(
                session.scalars(
                    select(Message.id).where(
                        Message.contact_id == contact.id, Message.direction == "in"
                    )
                ).all()
            )

    def wait_for_inbound_processed(self, to: str, timeout: float = 30) -> int:
        """The id of the newest inbound message of `to`, once it is processed."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            contact = self.contact(to)
            if contact is not None:
                with self.helpline.db.transaction() as session:
                    newest = session.scalars(
                        select(Message)
                        .where(Message.contact_id == contact.id, Message.direction == "in")
                        .order_by(Message.id.desc())
                        .limit(1)
                    ).first()
                    if newest is not None and newest.status != "received":
                        return newest.id
            time.sleep(0.05)
        raise AssertionError(f"no processed inbound message for {to[-4:]}")

    def message(self, sid: str) -> Message:
        with self.helpline.db.transaction() as session:
            message = session.scalar(select(Message).where(Message.platform_message_id == sid))
            assert message is not None, f"no message with SID {sid}"
            session.expunge(message)
            return message

    def message_by_id(self, message_id: int) -> tuple[Message, OutboxItem | None]:
        with self.helpline.db.transaction() as session:
            message = session.get(Message, message_id)
            assert message is not None
            item = session.scalar(select(OutboxItem).where(OutboxItem.message_id == message_id))
            session.expunge_all()
            return message, item

    def wait_for_status(self, message_id: int, status: str, timeout: float = 20) -> Message:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            message, _ = self.message_by_id(message_id)
            if message.status == status:
                return message
            time.sleep(0.05)
        raise AssertionError(f"message {message_id} is {message.status!r}, not {status!r}")

    def close_window(self, to: str, hours: float = 25) -> None:
        """As if the person last wrote `hours` ago (25: WhatsApp's window has closed)."""
        contact = self.contact(to)
        assert contact is not None
        with self.helpline.db.transaction() as session:
            row = session.get(Contact, contact.id)
            assert row is not None
            row.last_inbound_at = utcnow() - timedelta(hours=hours)

    def queue_reply(self, to: str, text: str) -> int:
        """An outbound message queued as a caseworker's reply would be; returns its id."""
        contact = self.contact(to)
        assert contact is not None
        with self.helpline.db.transaction() as session:
            row = session.get(Contact, contact.id)
            assert row is not None
            conversation = repository.active_conversation(session, row)
            message = repository.add_outbound(
                session, self.helpline.vault, conversation, row, text, "ar"
            )
            session.flush()
            message_id = message.id
        self.helpline.sender.wake()
        return message_id


@contextmanager
def rig_for(
    database_url: str,
    model_dir: Path,
    nlu: NLU,
    *,
    public_url: str | None = PUBLIC_URL,
    **overrides: object,
) -> Iterator[TwilioRig]:
    with FakeTwilio() as fake:
        settings = make_settings(
            database_url, model_dir, **fake.settings(public_url=public_url, **overrides)
        )
        helpline = create_app(settings, nlu=nlu)
        try:
            with serving(build_web_app(helpline)) as url:
                rig = TwilioRig(helpline=helpline, fake=fake, url=url, public_url=public_url)
                try:
                    yield rig
                finally:
                    rig.client.close()
        finally:
            helpline.db.dispose()


@pytest.fixture(name="twilio_rig")
def twilio_rig_fixture(database_url: str, nlu_model_dir: Path, nlu: NLU) -> Iterator[TwilioRig]:
    with rig_for(database_url, nlu_model_dir, nlu) as rig:
        yield rig

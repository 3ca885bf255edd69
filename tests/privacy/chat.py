"""Someone on the collecting `test` channel, with commands and cases made as the engine
makes them (so the privacy tests do not depend on the NLU's judgement of a disclosure)."""

from __future__ import annotations

import asyncio
import secrets
from datetime import timedelta

from sqlalchemy import func, select

from bot.app import Helpline
from bot.channels.collecting import CollectingChannel
from bot.engine.messages import Inbound, Outbound
from bot.storage import repository
from bot.storage.models import Case, CaseEvent, Message, utcnow
from bot.storage.programme_models import ProgrammeSession, SessionSignup
from bot.storage.service_models import Referral
from tests.cases.conftest import RANK

GREETING = {"tr": "merhaba", "ar": "مرحبا", "en": "hello"}
EARLIER = "where do I register my kimlik, I live at Papatya Sokak 9"
DISCLOSURE = "my husband hits me every night"


class Chat:
    """Someone on the `test` channel; `send` can carry a command, like Telegram's /delete."""

    def __init__(self, helpline: Helpline, language: str) -> None:
        self.helpline = helpline
        self.language = language
        self.sender_id = f"p-{secrets.token_hex(4)}"
        self.count = 0
        self.last: list[Outbound] = []
        channel = helpline.channels["test"]
        assert isinstance(channel, CollectingChannel)
        self.channel = channel

    def send(self, text: str, command: str | None = None, button: str | None = None) -> str:
        self.count += 1
        self.helpline.engine.receive(
            Inbound(channel="test", sender_id=self.sender_id, text=text, command=command,
                    button=button, language_code=self.language,
                    platform_message_id=f"{self.sender_id}-{self.count}")
        )  # fmt: skip
        asyncio.run(self.helpline.sender.flush())
        self.last = self.channel.take()
        return self.last[-1].text if self.last else ""

    def tap(self, msgid: str) -> str:
        label = self.helpline.engine.texts.get(self.language, msgid)
        [button] = [b for m in self.last for b in m.buttons if b.label == label]
        return self.send(label, button=button.payload)

    def refer(self, case_id: int | None) -> None:
        with self.helpline.db.transaction() as session:
            contact = repository.find_contact(session, self.helpline.vault, "test", self.sender_id)
            assert contact is not None
            session.add(Referral(provider="Esenyurt Legal Aid", category="legal", source="bot",
                                 contact_id=contact.id, case_id=case_id))  # fmt: skip

    def sign_up(self, first_name: str) -> None:
        """A sign-up for a programme session (bot/storage/programme_models.py), with a name."""
        vault = self.helpline.vault
        with self.helpline.db.transaction() as session:
            contact = repository.find_contact(session, vault, "test", self.sender_id)
            assert contact is not None
            starts = utcnow() + timedelta(days=3)
            session.merge(ProgrammeSession(
                id="parenting-1", programme="parenting", titles={"en": "Parenting"},
                language="en", starts_at=starts, ends_at=starts + timedelta(hours=2), capacity=9,
            ))  # fmt: skip
            session.flush()
            session.add(SessionSignup(session_id="parenting-1", contact_id=contact.id,
                                      status="confirmed", first_name_enc=vault.encrypt(first_name),
                                      names_consent=True))  # fmt: skip

    def open_case(self, priority: str, text: str = DISCLOSURE) -> int:
        """A case as the engine stores one, after a message from this person."""
        vault = self.helpline.vault
        with self.helpline.db.transaction() as session:
            contact = repository.contact_for(session, vault, "test", self.sender_id)
            conversation = repository.active_conversation(session, contact)
            message = Message(
                contact_id=contact.id, conversation_id=conversation.id, direction="in",
                channel="test", text_enc=vault.encrypt(text), status="processed",
            )  # fmt: skip
            session.add(message)
            session.flush()
            case = Case(
                contact_id=contact.id, conversation_id=conversation.id, status="open",
                priority=priority, priority_rank=RANK[priority], category="domestic_violence",
                channel="test", language=self.language, first_message_id=message.id,
            )  # fmt: skip
            session.add(case)
            session.flush()
            session.add(CaseEvent(case_id=case.id, kind="opened", detail={"level": priority}))
            return case.id


def count(helpline: Helpline, model: type) -> int:
    with helpline.db.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


GREETING = {"tr": "merhaba", "ar": "مرحبا", "en": "hello"}

"""Fixtures for the staff API: the web app, staff accounts with tokens, and cases.

Cases are made the way the engine stores them (a contact on the collecting
`test` channel, its conversation, an inbound message, a case row), so the
API tests do not depend on the NLU's judgement; tests/cases/test_api_flow.py
goes through the engine end to end.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from bot.app import Helpline
from bot.cases.staff import add_staff, revoke_staff
from bot.storage import repository
from bot.storage.models import Case, CaseEvent, Message, utcnow
from bot.web.app import build_web_app

RANK = {"imminent": 3, "high": 2, "medium": 1}

PASSWORD = "correct horse battery"


@dataclass
class Account:
    id: int
    name: str
    role: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


class Api:
    """A test client with the staff helpers the API tests need."""

    def __init__(self, helpline: Helpline, client: TestClient) -> None:
        self.helpline = helpline
        self.client = client

    def staff(self, role: str = "caseworker", languages: list[str] | None = None) -> Account:
        name = f"{role}-{secrets.token_hex(3)}"
        with self.helpline.db.transaction() as session:
            account, token = add_staff(
                session, name, role, languages or ["tr", "ar", "en"], PASSWORD
            )
            return Account(account.id, name, role, token)

    def revoke(self, account: Account) -> None:
        with self.helpline.db.transaction() as session:
            revoke_staff(session, account.name)

    def case(
        self,
        priority: str = "high",
        language: str = "tr",
        category: str | None = "domestic_violence",
        text: str = "help me please",
        age: timedelta = timedelta(0),
    ) -> int:
        """A person on the `test` channel wrote `text`; a case is open for it."""
        vault = self.helpline.vault
        with self.helpline.db.transaction() as session:
            contact = repository.contact_for(session, vault, "test", f"p-{secrets.token_hex(4)}")
            conversation = repository.active_conversation(session, contact)
            conversation.language = language
            conversation.mode = "human"
            created = utcnow() - age
            message = Message(
                contact_id=contact.id,
                conversation_id=conversation.id,
                direction="in",
                channel="test",
                platform_message_id=secrets.token_hex(8),
                text_enc=vault.encrypt(text),
                status="processed",
                language=language,
                created_at=created,
            )
            session.add(message)
            session.flush()
            case = Case(
                contact_id=contact.id,
                conversation_id=conversation.id,
                status="open",
                priority=priority,
                priority_rank=RANK[priority],
                category=category,
                channel="test",
                language=language,
                first_message_id=message.id,
                created_at=created,
            )
            session.add(case)
            session.flush()
            session.add(CaseEvent(case_id=case.id, kind="opened", detail={"level": priority}))
            return case.id

    def get(self, path: str, who: Account | None = None, **kwargs: Any) -> Any:
        return self.client.get(path, headers=who.headers if who else {}, **kwargs)

    def post(self, path: str, who: Account | None = None, json: Any = None, **kwargs: Any) -> Any:
        headers = who.headers if who else {}
        return self.client.post(path, headers=headers, json=json, **kwargs)

    def row(self, case_id: int) -> Case:
        with self.helpline.db.transaction() as session:
            case = session.get(Case, case_id)
            assert case is not None
            return case


@pytest.fixture
def api(helpline: Helpline) -> Iterator[Api]:
    # No lifespan: the sender does not run in the background; tests flush it themselves.
    client = TestClient(build_web_app(helpline, run_sender=False), raise_server_exceptions=True)
    yield Api(helpline, client)
    client.close()


def minutes_ago(minutes: int) -> datetime:
    return utcnow() - timedelta(minutes=minutes)

"""Staff alerts: new urgent cases and missed deadlines, to the staff Telegram group.

An alert is an outbound message to a staff contact (kind `staff`, the group
chat `HELPLINE_STAFF_CHAT_ID`), written to the outbox in the same transaction
as the case change, so the outbox sender delivers it through the same bot
within seconds, with retries. It says what kind of case, how urgent, in which
language, and links to the case in the console. It never carries the person's
words, name, number or chat id: only the case's own fields.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.storage import repository
from bot.storage.models import CaseEvent, Message, OutboxItem

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy.orm import Session

    from bot.settings import Settings
    from bot.storage.crypto import Vault
    from bot.storage.models import Case

log = logging.getLogger(__name__)

STAFF_CHANNEL = "telegram"
ALERT_LANGUAGE = "en"
MARKS = {"imminent": "🔴", "high": "🟠", "medium": "🟡"}


def case_link(public_url: str | None, case_id: int) -> str:
    base = (public_url or "").rstrip("/")
    return f"{base}/console/cases/{case_id}"


def describe(case: Case) -> str:
    """The case's fields an alert may carry (never anything the person wrote)."""
    return (
        f"priority: {case.priority} · category: {case.category or 'asked for a person'} · "
        f"language: {case.language} · channel: {case.channel}"
    )


def new_case_text(case: Case, public_url: str | None, *, upgraded: bool, on_call: bool) -> str:
    mark = MARKS.get(case.priority, "")
    title = "Case raised to" if upgraded else "New case"
    lines = [f"{mark} {title} {case.priority.upper()} #{case.id}".strip(), describe(case)]
    if on_call:
        lines.append("Outside staffed hours: on-call staff, please answer now.")
    lines.append(case_link(public_url, case.id))
    return "\n".join(lines)


def breach_text(case: Case, public_url: str | None, deadline_at: datetime) -> str:
    return "\n".join(
        [
            f"⏰ Deadline missed #{case.id}: no first response by "
            f"{deadline_at:%Y-%m-%d %H:%M} UTC (supervisor)",
            describe(case),
            case_link(public_url, case.id),
        ]
    )


class StaffAlerts:
    def __init__(self, settings: Settings, vault: Vault) -> None:
        self.settings = settings
        self.vault = vault

    def _chats(self, extra: str | None) -> list[str]:
        chats = [self.settings.staff_chat_id, extra]
        return list(dict.fromkeys(chat for chat in chats if chat))

    def _queue(self, session: Session, chat_id: str, text: str) -> Message:
        contact = repository.staff_contact(session, self.vault, STAFF_CHANNEL, chat_id)
        message = Message(
            contact_id=contact.id,
            conversation_id=None,
            direction="out",
            channel=contact.channel,
            text_enc=self.vault.encrypt(text),
            status="queued",
            language=ALERT_LANGUAGE,
        )
        session.add(message)
        session.flush()
        session.add(
            OutboxItem(message_id=message.id, contact_id=contact.id, channel=contact.channel)
        )
        return message

    def _send(self, session: Session, case: Case, kind: str, text: str, extra: str | None) -> int:
        chats = self._chats(extra)
        if not chats:
            log.warning(
                "case %s: no staff chat configured (HELPLINE_STAFF_CHAT_ID), no alert", case.id
            )
            return 0
        ids = [self._queue(session, chat, text).id for chat in chats]
        session.add(
            CaseEvent(case_id=case.id, kind="alerted", detail={"alert": kind, "messages": ids})
        )
        return len(ids)

    def new_case(self, session: Session, case: Case, *, upgraded: bool, on_call: bool) -> int:
        """A case became high or imminent: tell the staff group (and on-call staff)."""
        text = new_case_text(case, self.settings.public_url, upgraded=upgraded, on_call=on_call)
        extra = self.settings.cases.on_call_chat_id if on_call else None
        return self._send(session, case, "raised" if upgraded else "new", text, extra)

    def breach(self, session: Session, case: Case) -> int:
        """A case passed its first-response deadline: tell the supervisors."""
        from bot.cases.deadlines import aware

        assert case.deadline_at is not None
        text = breach_text(case, self.settings.public_url, aware(case.deadline_at))
        return self._send(session, case, "breach", text, self.settings.cases.supervisor_chat_id)

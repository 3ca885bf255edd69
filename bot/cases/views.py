"""Cases, messages, events and audit entries as the staff API shows them (JSON-ready dicts).

Message text and notes are decrypted here, for the staff who asked; nothing
here logs anything.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from bot.storage.models import CaseEvent, Conversation, Message, Staff

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bot.storage.crypto import Vault
    from bot.storage.models import AuditEvent, Case


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def iso(moment: datetime | None) -> str | None:
    return as_utc(moment).isoformat() if moment is not None else None


def staff_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(select(Staff.id, Staff.name).where(Staff.id.in_(ids))).all()
    return {staff_id: name for staff_id, name in rows}


def case_summary(case: Case, names: dict[int, str], mode: str | None) -> dict[str, Any]:
    return {
        "id": case.id,
        "status": case.status,
        "priority": case.priority,
        "category": case.category,
        "channel": case.channel,
        "language": case.language,
        "created_at": iso(case.created_at),
        "updated_at": iso(case.updated_at),
        "assignee": names.get(case.assignee_id) if case.assignee_id else None,
        "claimed_at": iso(case.claimed_at),
        "first_response_at": iso(case.first_response_at),
        "deadline_at": iso(case.deadline_at),
        "breached": case.breached_at is not None,
        "breached_at": iso(case.breached_at),
        "closed_at": iso(case.closed_at),
        "outcome": case.outcome,
        "referred_service_id": case.referred_service_id,
        "handed_back": case.handed_back,
        # May a caseworker write: "now", "reply_first", a daily window "18:00-22:00"
        # (Istanbul time), or null (not answered); a reply outside it is held.
        "safe_contact": case.safe_contact,
        # Who holds the conversation now: `human` (the bot stays quiet) or `bot`.
        "conversation_mode": mode,
    }


def message_json(message: Message, vault: Vault, names: dict[int, str]) -> dict[str, Any]:
    by_staff = message.sent_by_staff_id
    return {
        "id": message.id,
        "direction": message.direction,
        "text": vault.decrypt(message.text_enc),
        "at": iso(message.created_at),
        # in: received | processed | failed; out: queued | held | sent | delivered | read |
        # undelivered | failed | dead (the delivery status, updated by the sender and callbacks)
        "status": message.status,
        "delivery_status": message.status if message.direction == "out" else None,
        "error_code": message.error_code,
        "from": "person" if message.direction == "in" else ("staff" if by_staff else "bot"),
        "staff": names.get(by_staff) if by_staff else None,
    }


def event_json(event: CaseEvent, vault: Vault, names: dict[int, str]) -> dict[str, Any]:
    detail = dict(event.detail or {})
    if "text_enc" in detail:
        detail["text"] = vault.decrypt(str(detail.pop("text_enc")))
    return {
        "id": event.id,
        "kind": event.kind,
        "at": iso(event.at),
        "staff": names.get(event.staff_id) if event.staff_id else None,
        "detail": detail,
    }


def cases_json(session: Session, vault: Vault, cases: list[Case]) -> list[dict[str, Any]]:
    """Cases with their conversations (oldest message first), in the order given."""
    conversation_ids = {case.conversation_id for case in cases}
    messages: dict[int, list[Message]] = {cid: [] for cid in conversation_ids}
    modes: dict[int, str] = {}
    if conversation_ids:
        for message in session.scalars(
            select(Message)
            .where(Message.conversation_id.in_(conversation_ids))
            .order_by(Message.id)
        ):
            messages[message.conversation_id or 0].append(message)
        rows = session.execute(
            select(Conversation.id, Conversation.mode).where(Conversation.id.in_(conversation_ids))
        ).all()
        modes = {conversation_id: mode for conversation_id, mode in rows}
    staff_ids = {case.assignee_id for case in cases if case.assignee_id}
    staff_ids |= {m.sent_by_staff_id for ms in messages.values() for m in ms if m.sent_by_staff_id}
    names = staff_names(session, staff_ids)
    result = []
    for case in cases:
        item = case_summary(case, names, modes.get(case.conversation_id))
        item["messages"] = [
            message_json(m, vault, names) for m in messages.get(case.conversation_id, [])
        ]
        result.append(item)
    return result


def case_detail(session: Session, vault: Vault, case: Case) -> dict[str, Any]:
    """One case: its fields, the whole conversation, and its events (notes decrypted)."""
    item = cases_json(session, vault, [case])[0]
    events = list(
        session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
        )
    )
    names = staff_names(session, {e.staff_id for e in events if e.staff_id})
    item["events"] = [event_json(event, vault, names) for event in events]
    item["notes"] = [e for e in item["events"] if e["kind"] == "note"]
    return item


def audit_json(event: AuditEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "at": iso(event.at),
        "staff": event.staff_name,
        "staff_id": event.staff_id,
        "action": event.action,
        "case_id": event.case_id,
        "detail": event.detail,
    }

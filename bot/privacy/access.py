"""A person's data for an access request, and an admin's erasure of a person.

Both find the person by one of their cases (what staff see) and are audited in
the same transaction: `export` and `erase` in the audit log, with counts and
ids only.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select

from bot.cases import audit
from bot.cases.views import case_summary, event_json, iso, message_json, staff_names
from bot.cases.work import CaseError
from bot.privacy.erasure import HANDLED, erase_person, kept_cases
from bot.privacy.tables import person_tables
from bot.storage.models import Case, CaseEvent, Contact, Conversation, Message
from bot.storage.privacy_models import PrivacyNotice
from bot.storage.service_models import Referral

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bot.storage.crypto import Vault
    from bot.storage.models import Staff

FORMAT = "helpline-access-request/1"


class AccessError(CaseError):
    """404 for an unknown case, 409 for an open case that erasure would keep."""


def contact_of_case(session: Session, case_id: int) -> Contact:
    case = session.get(Case, case_id)
    contact = session.get(Contact, case.contact_id) if case is not None else None
    if contact is None:
        raise AccessError(404, f"no case {case_id}")
    return contact


def export_person(
    session: Session, vault: Vault, case_id: int, staff: Staff | None, via: str
) -> dict[str, Any]:
    """Everything stored about the person of `case_id`, decrypted, as JSON-ready data."""
    contact = contact_of_case(session, case_id)
    messages = list(
        session.scalars(
            select(Message).where(Message.contact_id == contact.id).order_by(Message.id)
        )
    )
    cases = list(
        session.scalars(select(Case).where(Case.contact_id == contact.id).order_by(Case.id))
    )
    events = list(
        session.scalars(
            select(CaseEvent)
            .where(CaseEvent.case_id.in_([case.id for case in cases]))
            .order_by(CaseEvent.id)
        )
    )
    conversations = list(
        session.scalars(
            select(Conversation)
            .where(Conversation.contact_id == contact.id)
            .order_by(Conversation.id)
        )
    )
    notice = session.scalar(select(PrivacyNotice).where(PrivacyNotice.contact_id == contact.id))
    referrals = list(
        session.scalars(
            select(Referral).where(Referral.contact_id == contact.id).order_by(Referral.id)
        )
    )
    ids = {m.sent_by_staff_id for m in messages if m.sent_by_staff_id}
    ids |= {c.assignee_id for c in cases if c.assignee_id} | {
        e.staff_id for e in events if e.staff_id
    }
    names = staff_names(session, {i for i in ids if i is not None})
    result = {
        "format": FORMAT,
        "person": {
            "channel": contact.channel,
            "platform_id": vault.decrypt(contact.platform_id_enc),
            "language": contact.language,
            "opted_out": contact.opted_out,
            "first_contact_at": iso(contact.created_at),
            "last_message_at": iso(contact.last_inbound_at),
            "notice": None
            if notice is None
            else {
                "language": notice.language,
                "shown_at": iso(notice.shown_at),
                "acknowledged_at": iso(notice.acknowledged_at),
            },
        },
        "conversations": [
            {
                "id": c.id,
                "language": c.language,
                "mode": c.mode,
                "state": c.slots,
                "started_at": iso(c.created_at),
                "updated_at": iso(c.updated_at),
            }
            for c in conversations
        ],
        "messages": [
            {
                **message_json(m, vault, names),
                "conversation_id": m.conversation_id,
                "intent": m.intent,
                "risk_level": m.risk_level,
                "risk_category": m.risk_category,
            }
            for m in messages
        ],
        "referrals": [
            {
                "service_id": r.service_id,
                "provider": r.provider,
                "category": r.category,
                "case_id": r.case_id,
                "source": r.source,
                "outcome": r.outcome,
                "at": iso(r.created_at),
            }
            for r in referrals
        ],
        # Every other table with the person's rows (e.g. programme sign-ups), as stored,
        # encrypted columns decrypted.
        "other": {
            table.name: [
                _row(dict(row._mapping), vault)
                for row in session.execute(select(table).where(table.c.contact_id == contact.id))
            ]
            for table in person_tables(HANDLED)
        },
        "cases": [
            {
                **case_summary(case, names, None),
                "events": [event_json(e, vault, names) for e in events if e.case_id == case.id],
            }
            for case in cases
        ],
    }
    audit.record(
        session,
        staff,
        "export",
        case_id,
        detail={"via": via, "messages": len(messages), "cases": len(cases)},
    )
    return result


def _row(values: dict[str, Any], vault: Vault) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for name, value in values.items():
        if name.endswith("_enc"):
            row[name.removesuffix("_enc")] = vault.decrypt(value) if value else None
        elif isinstance(value, datetime):
            row[name] = iso(value)
        elif isinstance(value, date):
            row[name] = value.isoformat()
        else:
            row[name] = value
    return row


def _message(message: Message, vault: Vault, names: dict[int, str]) -> dict[str, Any]:
    return {
        **message_json(message, vault, names),
        "conversation_id": message.conversation_id,
        "intent": message.intent,
        "risk_level": message.risk_level,
        "risk_category": message.risk_category,
    }


def erase_by_staff(
    session: Session, case_id: int, staff: Staff | None, *, include_open_cases: bool
) -> dict[str, int]:
    """An admin erases the person of `case_id` at once: no message is sent to them.

    An open high or imminent case is erased only with `include_open_cases` (409 otherwise).
    """
    contact = contact_of_case(session, case_id)
    kept = kept_cases(session, contact.id)
    if kept and not include_open_cases:
        raise AccessError(
            409,
            "the person has an open high or imminent case "
            f"({', '.join(str(c.id) for c in kept)}); "
            "send include_open_cases: true to erase it too",
        )
    counts = erase_person(session, contact, "staff_request", keep_open_cases=False).counts
    session.execute(
        delete(Contact)
        .where(Contact.id == contact.id)
        .execution_options(synchronize_session="fetch")
    )
    audit.record(session, staff, "erase", case_id, detail={"counts": dict(counts)})
    return counts

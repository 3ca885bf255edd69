"""The retention purge: delete what the periods in `config.yml` say has expired.

Kinds and what "expired" means (periods in `privacy.retention`, days):

- `cases`, `case_events`: a closed case `closed_cases_days` after closing, with its
  events; `referrals`: a closed case that recorded a referral goes after
  `referrals_days` instead (counted apart, not in `cases`), with its `referrals`
  row; a referral without a case (a person's own choice in the bot) goes
  `referrals_days` after it was made.
- `messages`: older than `conversations_days`, unless their conversation has a
  case that is still kept (open, claimed, or closed within its period);
  `outbox`: the outbox items of those messages, pending or not.
- `delivery_records`: outbox items sent or given up on, `delivery_days` after.
- `conversations`: no case, no message left, state untouched `conversations_days`.
- `contacts`: a person with nothing left, not heard from `conversations_days`.
- `audit_events`: older than `audit_days` (through the permit of migration 0007).

One transaction; the destruction log (`erasures`) gets the counts, never content.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, delete, exists, func, or_, select

from bot.privacy.erasure import FORGET, forget
from bot.storage.models import (
    AuditEvent,
    Case,
    CaseEvent,
    Contact,
    Conversation,
    Erasure,
    Message,
    OutboxItem,
)
from bot.storage.privacy_models import AuditPurgePermit
from bot.storage.service_models import Referral

if TYPE_CHECKING:
    from sqlalchemy.orm import Session
    from sqlalchemy.sql.elements import ColumnElement

    from bot.settings import RetentionSettings

KINDS = (
    "messages",
    "outbox",
    "delivery_records",
    "conversations",
    "contacts",
    "cases",
    "referrals",
    "case_events",
    "audit_events",
)
# Outbox items whose delivery is over: what is left of them is a delivery record.
DONE = ("sent", "dead")
# An erasure's confirmation not fetched by then: the contact is forgotten anyway.
FORGET_AFTER = timedelta(hours=1)


def _delete(session: Session, model: type[Any], *where: ColumnElement[bool]) -> int:
    result = session.execute(
        delete(model).where(*where).execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _count(session: Session, model: type[Any], *where: ColumnElement[bool]) -> int:
    return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def purge(session: Session, retention: RetentionSettings, now: datetime) -> dict[str, int]:
    """Delete everything expired at `now`; return the counts by kind (also logged)."""
    days = timedelta(days=1)
    conversations_cut = now - retention.conversations_days * days
    closed_cut = now - retention.closed_cases_days * days
    referral_cut = now - retention.referrals_days * days
    counts = dict.fromkeys(KINDS, 0)
    counts["contacts"] = forget_erased(session, now)

    expired_case = and_(
        Case.status == "closed",
        Case.closed_at.is_not(None),
        or_(
            and_(Case.referred_service_id.is_(None), Case.closed_at < closed_cut),
            and_(Case.referred_service_id.is_not(None), Case.closed_at < referral_cut),
        ),
    )
    expired_cases = select(Case.id).where(expired_case)
    counts["referrals"] = _count(session, Case, expired_case, Case.referred_service_id.is_not(None))
    _delete(session, Referral, Referral.case_id.in_(expired_cases))  # counted with its case
    counts["referrals"] += _delete(
        session, Referral, Referral.case_id.is_(None), Referral.created_at < referral_cut
    )
    counts["case_events"] = _delete(session, CaseEvent, CaseEvent.case_id.in_(expired_cases))
    counts["cases"] = _delete(session, Case, Case.id.in_(expired_cases)) - counts["referrals"]

    # Every case left is kept, and so is its whole conversation.
    expired_message = and_(
        Message.created_at < conversations_cut,
        or_(
            Message.conversation_id.is_(None),
            Message.conversation_id.not_in(select(Case.conversation_id)),
        ),
    )
    counts["outbox"] = _delete(
        session, OutboxItem, OutboxItem.message_id.in_(select(Message.id).where(expired_message))
    )
    counts["messages"] = _delete(session, Message, expired_message)
    counts["delivery_records"] = _delete(
        session,
        OutboxItem,
        OutboxItem.status.in_(DONE),
        func.coalesce(OutboxItem.sent_at, OutboxItem.created_at)
        < now - retention.delivery_days * days,
    )
    counts["conversations"] = _delete(
        session,
        Conversation,
        Conversation.updated_at < conversations_cut,
        ~exists().where(Case.conversation_id == Conversation.id),
        ~exists().where(Message.conversation_id == Conversation.id),
    )
    counts["contacts"] += _delete(
        session,
        Contact,
        Contact.kind == "person",
        func.coalesce(Contact.last_inbound_at, Contact.created_at) < conversations_cut,
        ~exists().where(Conversation.contact_id == Contact.id),
        ~exists().where(Message.contact_id == Contact.id),
        ~exists().where(Case.contact_id == Contact.id),
    )
    counts["audit_events"] = purge_audit(session, now - retention.audit_days * days)
    session.add(Erasure(channel="all", reason="retention", counts=dict(counts), at=now))
    return counts


def forget_erased(session: Session, now: datetime) -> int:
    """People who asked for erasure whose confirmation left over an hour ago but was never
    fetched (a web chat page closed first): forget them now. How many contacts went."""
    rows = session.execute(
        select(OutboxItem.contact_id, OutboxItem.message_id).where(
            OutboxItem.action == FORGET,
            OutboxItem.status.in_(DONE),
            func.coalesce(OutboxItem.sent_at, OutboxItem.created_at) < now - FORGET_AFTER,
        )
    ).all()
    return sum(forget(session, contact_id, message_id) for contact_id, message_id in rows)


def purge_audit(session: Session, before: datetime) -> int:
    """Delete audit events older than `before`: the permit exists only inside this call."""
    permit = AuditPurgePermit(before=before)
    session.add(permit)
    session.flush()
    deleted = _delete(session, AuditEvent, AuditEvent.at < before)
    session.delete(permit)
    session.flush()
    return deleted

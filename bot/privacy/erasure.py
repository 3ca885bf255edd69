"""Erasing a person's data, on their request (`delete_data`, `/delete`) or by an admin.

Everything stored about the person goes, in every table: messages (both
sides), their outbox items (pending ones too), conversation state, cases with
their events and referrals, the notice acknowledgement. One exception, for the
person's safety: an open (or claimed) case of priority high or imminent stays,
with its conversation from the case's first message on, until it is closed
and its retention period (`closed_cases_days`) has passed; the person is told.

On the person's request the contact row (the encrypted platform id we reply
to) is needed for one more message, the confirmation: it leaves with the
outbox action `forget`, and once it is delivered (or given up on) `forget`
removes the contact and the confirmation too. The web chat has no push: there
the page's fetch of the confirmation forgets. The destruction log (`erasures`)
records counts, never whose.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, delete, false, or_, select

from bot.privacy.tables import person_tables
from bot.storage.models import Case, CaseEvent, Contact, Conversation, Erasure, Message, OutboxItem
from bot.storage.privacy_models import PrivacyNotice
from bot.storage.service_models import Referral

if TYPE_CHECKING:
    from sqlalchemy.orm import Session
    from sqlalchemy.sql.elements import ColumnElement

# The outbox action of a confirmation after which the contact itself is forgotten.
FORGET = "forget"
# Tables erasure handles on their own terms; every other table with a contact_id is
# emptied of the person's rows (bot/privacy/tables.py).
HANDLED = {
    "contacts", "conversations", "messages", "outbox", "cases", "case_events",
    "referrals", "privacy_notices",
}  # fmt: skip
# `Session.info` key: the contact this transaction erased.
ERASED = "privacy_erased_contact"
KEPT_PRIORITIES = ("high", "imminent")
OPEN_STATUSES = ("open", "claimed")
# What a kept case's conversation still needs to carry on (no content, no location).
KEPT_SLOTS = frozenset({"greeted", "case_id", "hours_told", "acknowledged", "safety_told"})


@dataclass
class Erased:
    counts: dict[str, int] = field(default_factory=dict)
    kept_case_ids: list[int] = field(default_factory=list)


def _delete(session: Session, model: type[Any], *where: ColumnElement[bool]) -> int:
    # "fetch": ORM objects of the caller's session (the message being processed) are
    # marked deleted, so the rest of the turn does not write to a row that is gone.
    result = session.execute(
        delete(model).where(*where).execution_options(synchronize_session="fetch")
    )
    return int(getattr(result, "rowcount", 0) or 0)


def kept_cases(session: Session, contact_id: int) -> list[Case]:
    """The person's open high or imminent cases, which erasure keeps for their safety."""
    return list(
        session.scalars(
            select(Case).where(
                Case.contact_id == contact_id,
                Case.status.in_(OPEN_STATUSES),
                Case.priority.in_(KEPT_PRIORITIES),
            )
        )
    )


def _case_thread(case: Case) -> ColumnElement[bool]:
    start = (
        Message.id >= case.first_message_id
        if case.first_message_id is not None
        else Message.created_at >= case.created_at
    )
    return and_(Message.conversation_id == case.conversation_id, start)


def erase_person(
    session: Session,
    contact: Contact,
    reason: str,
    keep_conversation: Conversation | None = None,
    *,
    keep_open_cases: bool = True,
) -> Erased:
    """Erase the contact's data but `keep_conversation`'s row (emptied) and kept cases.

    `keep_open_cases=False` (an admin's decision) erases those cases too.
    """
    kept = kept_cases(session, contact.id) if keep_open_cases else []
    kept_ids = [case.id for case in kept]
    kept_thread = or_(false(), *(_case_thread(case) for case in kept))
    kept_messages = select(Message.id).where(Message.contact_id == contact.id, kept_thread)
    mine = Case.contact_id == contact.id
    erased_cases = select(Case.id).where(mine, Case.id.not_in(kept_ids))
    counts = {
        "outbox": _delete(
            session,
            OutboxItem,
            OutboxItem.contact_id == contact.id,
            OutboxItem.message_id.not_in(kept_messages),
        ),
        "messages": _delete(session, Message, Message.contact_id == contact.id, ~kept_thread),
        "case_events": _delete(session, CaseEvent, CaseEvent.case_id.in_(erased_cases)),
    }
    # The referrals table (bot/storage/service_models.py): the person's, but a kept case's.
    counts["referrals"] = _delete(
        session,
        Referral,
        or_(Referral.contact_id == contact.id, Referral.case_id.in_(erased_cases)),
        or_(Referral.case_id.is_(None), Referral.case_id.not_in(kept_ids)),
    )
    counts["cases"] = _delete(session, Case, mine, Case.id.not_in(kept_ids))
    keep_conversations = {case.conversation_id for case in kept}
    if keep_conversation is not None:
        keep_conversations.add(keep_conversation.id)
    counts["conversations"] = _delete(
        session,
        Conversation,
        Conversation.contact_id == contact.id,
        Conversation.id.not_in(keep_conversations),
    )
    counts["privacy_notices"] = _delete(
        session, PrivacyNotice, PrivacyNotice.contact_id == contact.id
    )
    for table in person_tables(HANDLED):  # e.g. programme sign-ups: every other table of theirs
        result = session.execute(delete(table).where(table.c.contact_id == contact.id))
        counts[table.name] = int(getattr(result, "rowcount", 0) or 0)
    if keep_conversation is not None:
        counts["conversations"] += 1  # its state is emptied: the row only carries the reply
        in_case = keep_conversation.id in {case.conversation_id for case in kept}
        keep_conversation.slots = (
            {k: v for k, v in keep_conversation.slots.items() if k in KEPT_SLOTS} if in_case else {}
        )
        keep_conversation.flow = None
        keep_conversation.step = 0
        if not in_case:
            keep_conversation.mode = "bot"
    counts["contacts"] = 0 if kept else 1
    session.add(Erasure(channel=contact.channel, reason=reason, counts=counts))
    session.info[ERASED] = contact.id  # this transaction erased them (no notice after it)
    return Erased(counts=counts, kept_case_ids=kept_ids)


def forget(session: Session, contact_id: int, up_to_message: int) -> bool:
    """After the confirmation: its rows and, with nothing newer left, the contact go.

    True when the contact itself was removed. A person who wrote again meanwhile
    keeps their new messages (and so the contact row).
    """
    session.execute(
        delete(OutboxItem)
        .where(OutboxItem.contact_id == contact_id, OutboxItem.message_id <= up_to_message)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        delete(Message)
        .where(Message.contact_id == contact_id, Message.id <= up_to_message)
        .execution_options(synchronize_session=False)
    )
    newer = session.scalar(select(Message.id).where(Message.contact_id == contact_id).limit(1))
    case = session.scalar(select(Case.id).where(Case.contact_id == contact_id).limit(1))
    if newer is not None or case is not None:
        return False
    for model, column in (
        (PrivacyNotice, PrivacyNotice.contact_id),
        (Conversation, Conversation.contact_id),
        (Contact, Contact.id),
    ):
        session.execute(
            delete(model).where(column == contact_id).execution_options(synchronize_session=False)
        )
    return True

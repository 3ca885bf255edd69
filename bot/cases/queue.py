"""Cases: the caseworkers' queue, most urgent first.

A conversation has at most one case that is not closed; a new disclosure
while it is open adds an event and raises the priority if it is higher.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from bot.storage.models import Case, CaseEvent

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bot.storage.models import Contact, Conversation

PRIORITY_RANK = {"imminent": 3, "high": 2, "medium": 1}


def open_case_for(session: Session, conversation: Conversation) -> Case | None:
    return session.scalar(
        select(Case)
        .where(Case.conversation_id == conversation.id, Case.status != "closed")
        .order_by(Case.id.desc())
        .limit(1)
    )


def open_or_escalate(
    session: Session,
    contact: Contact,
    conversation: Conversation,
    *,
    priority: str,
    category: str,
    language: str,
    message_id: int | None,
    detail: dict[str, Any],
) -> Case:
    """Open a case, or add to the open one, raising its priority when this is more urgent."""
    case = open_case_for(session, conversation)
    if case is None:
        case = Case(
            contact_id=contact.id,
            conversation_id=conversation.id,
            status="open",
            priority=priority,
            priority_rank=PRIORITY_RANK[priority],
            category=category,
            channel=contact.channel,
            language=language,
            first_message_id=message_id,
        )
        session.add(case)
        session.flush()
        session.add(CaseEvent(case_id=case.id, kind="opened", detail=detail))
        return case
    if PRIORITY_RANK[priority] > case.priority_rank:
        case.priority = priority
        case.priority_rank = PRIORITY_RANK[priority]
        case.category = category
        session.add(CaseEvent(case_id=case.id, kind="escalated", detail=detail))
    elif case.category == "human_request" and category != "human_request":
        case.category = category
        session.add(CaseEvent(case_id=case.id, kind="disclosure", detail=detail))
    else:
        session.add(CaseEvent(case_id=case.id, kind="disclosure", detail=detail))
    return case

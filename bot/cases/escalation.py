"""Escalation: one open case per person, opened or raised, never lowered.

A person (a contact) has at most one case that is not closed. A disclosure or
a request for a person opens it, or adds to it: the priority only goes up,
each rise is an `escalated` event carrying the evidence, and a disclosure
that does not raise it is a `disclosure` event. A case that becomes high or
imminent alerts the staff group in the same transaction. The first-response
deadline follows the priority and never moves later.

`CaseDesk` carries the clock (injected in tests), staffed hours and alerts;
the engine decides what the person is told.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from bot.cases.alerts import StaffAlerts
from bot.cases.deadlines import aware, deadline_for
from bot.cases.hours import StaffedHours, format_when
from bot.storage.models import Case, CaseEvent, utcnow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bot.settings import Settings
    from bot.storage.crypto import Vault
    from bot.storage.models import Contact, Conversation

Clock = Callable[[], datetime]

PRIORITY_RANK = {"imminent": 3, "high": 2, "medium": 1}
ALERTED = frozenset({"high", "imminent"})


@dataclass(frozen=True)
class Raised:
    """What raising a case did, for the engine to tell the person."""

    case: Case
    opened: bool
    upgraded: bool
    # Outside staffed hours: when someone will next be on shift (None while staffed).
    next_opening: datetime | None
    # An imminent case outside staffed hours: on-call staff were alerted.
    on_call: bool

    @property
    def changed(self) -> bool:
        return self.opened or self.upgraded


class CaseDesk:
    def __init__(self, settings: Settings, vault: Vault, clock: Clock = utcnow) -> None:
        self.settings = settings
        self.cases = settings.cases
        self.clock = clock
        self.hours = StaffedHours(settings.cases)
        self.alerts = StaffAlerts(settings, vault)

    def now(self) -> datetime:
        return self.clock().astimezone(UTC)

    def when_text(self, when: datetime, language: str) -> str:
        return format_when(when, language, self.hours.zone)

    def open_case(self, session: Session, contact: Contact) -> Case | None:
        """The person's case that is not closed, if any (locked for this transaction)."""
        return session.scalar(
            select(Case)
            .where(Case.contact_id == contact.id, Case.status != "closed")
            .order_by(Case.id.desc())
            .limit(1)
            .with_for_update()
        )

    def held_by_caseworker(self, session: Session, contact: Contact) -> bool:
        """A caseworker has claimed the person's case and not handed it back to the bot."""
        case = self.open_case(session, contact)
        return case is not None and case.status == "claimed" and not case.handed_back

    def raise_case(
        self,
        session: Session,
        contact: Contact,
        conversation: Conversation,
        *,
        priority: str,
        category: str | None,
        language: str,
        message_id: int | None,
        detail: dict[str, Any],
    ) -> Raised:
        """Open the person's case, or add this to it, raising its priority if more urgent."""
        now = self.now()
        case = self.open_case(session, contact)
        opened = upgraded = False
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
                created_at=now,
                deadline_at=deadline_for(priority, now, self.cases, self.hours),
            )
            session.add(case)
            session.flush()
            session.add(CaseEvent(case_id=case.id, kind="opened", detail=detail, at=now))
            opened = True
        elif PRIORITY_RANK[priority] > case.priority_rank:
            before = case.priority
            case.priority = priority
            case.priority_rank = PRIORITY_RANK[priority]
            if category is not None:
                case.category = category
            deadline = deadline_for(priority, now, self.cases, self.hours)
            current = aware(case.deadline_at) if case.deadline_at is not None else None
            # nearer, never later, unless the old one has passed: then the new one is watched
            if current is None or deadline < current or current <= now:
                case.deadline_at = deadline
                if case.first_response_at is None:
                    case.breached_at = None
            if priority in ALERTED:
                case.handed_back = False  # a caseworker takes the conversation again
            session.add(
                CaseEvent(
                    case_id=case.id,
                    kind="escalated",
                    detail={**detail, "from": before, "to": priority},
                    at=now,
                )
            )
            upgraded = True
        else:
            if case.category is None and category is not None:
                case.category = category
            session.add(CaseEvent(case_id=case.id, kind="disclosure", detail=detail, at=now))
        staffed = self.hours.is_open(now)
        on_call = case.priority == "imminent" and not staffed
        if (opened or upgraded) and case.priority in ALERTED:
            self.alerts.new_case(session, case, upgraded=upgraded, on_call=on_call)
        return Raised(
            case=case,
            opened=opened,
            upgraded=upgraded,
            next_opening=None if staffed else self.hours.next_opening(now),
            on_call=on_call,
        )

"""What staff do to a case: claim, reply, note, reassign, hand back, close.

Every function runs in the caller's transaction and either does all of its
work (case change, case event, audit event, outbound message) or raises
`CaseError` before changing anything, so an error leaves nothing behind.

Locks are taken in the engine's order, conversation first and then case, so
a staff action and an inbound message for the same person never deadlock.
A claim is one conditional UPDATE (`... WHERE status = 'open'`): of two
caseworkers claiming at once exactly one changes the row; the other gets 409.

Replying to an open case claims it for the replier first (one voice per
person; nobody else replies over them). Replying to a case someone else
holds, or to a closed case, is refused (409): a supervisor reassigns first.
So is replying to a person who said stop, until they write again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from bot.cases import audit, referrals, safe_contact
from bot.cases.listing import can_see
from bot.cases.staff import has_role
from bot.storage import repository
from bot.storage.models import Case, CaseEvent, Contact, Conversation, Message, Staff
from bot.storage.service_models import Service

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bot.storage.crypto import Vault

MAX_TEXT = 4000


class CaseError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Desk:
    """One staff member's request: who, when, and the queue's settings."""

    session: Session
    staff: Staff
    now: datetime
    fallback_minutes: int
    timezone: str = "Europe/Istanbul"  # cases.timezone: a safe window is in local time


def clean_text(value: Any, what: str = "text") -> str:
    if not isinstance(value, str):
        raise CaseError(422, f"{what} must be a string")
    text = value.strip()
    if not text:
        raise CaseError(422, f"{what} must not be empty")
    if len(text) > MAX_TEXT:
        raise CaseError(422, f"{what} must have at most {MAX_TEXT} characters (got {len(text)})")
    return text


def get_case(desk: Desk, case_id: int) -> Case:
    """The case, if it exists (404) and this account may see it (403)."""
    case = desk.session.get(Case, case_id)
    if case is None:
        raise CaseError(404, f"no case {case_id}")
    if not can_see(desk.staff, case, desk.fallback_minutes, desk.now):
        raise CaseError(403, "this case is offered first to staff who speak its language")
    return case


def _lock(desk: Desk, case: Case) -> tuple[Conversation, Case]:
    """Lock the conversation, then the case, and re-read both."""
    conversation = desk.session.scalar(
        select(Conversation).where(Conversation.id == case.conversation_id).with_for_update()
    )
    if conversation is None:  # pragma: no cover - the foreign key cascades
        raise CaseError(404, f"case {case.id} has no conversation")
    locked = desk.session.scalar(
        select(Case)
        .where(Case.id == case.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    assert locked is not None
    return conversation, locked


def _event(desk: Desk, case: Case, kind: str, detail: dict[str, Any] | None = None) -> None:
    desk.session.add(
        CaseEvent(case_id=case.id, kind=kind, staff_id=desk.staff.id, detail=detail or {})
    )


def _human(conversation: Conversation, case: Case) -> None:
    """A person holds the conversation: the bot stays quiet (risk check and commands aside)."""
    conversation.mode = "human"
    conversation.slots = {**(conversation.slots or {}), "case_id": case.id, "acknowledged": True}
    case.handed_back = False


def _take(desk: Desk, case: Case) -> bool:
    """The conditional claim. True when this call changed the row."""
    result = desk.session.execute(
        update(Case)
        .where(Case.id == case.id, Case.status == "open")
        .values(status="claimed", assignee_id=desk.staff.id, claimed_at=desk.now)
        .execution_options(synchronize_session=False)
    )
    won = bool(getattr(result, "rowcount", 0))
    desk.session.refresh(case)
    return won


def _holder_check(desk: Desk, case: Case) -> None:
    if case.status == "closed":
        raise CaseError(409, f"case {case.id} is closed")
    if case.status == "claimed" and case.assignee_id != desk.staff.id:
        raise CaseError(409, f"case {case.id} is held by someone else")


def claim(desk: Desk, case_id: int) -> Case:
    case = get_case(desk, case_id)
    conversation, case = _lock(desk, case)
    if case.status == "claimed" and case.assignee_id == desk.staff.id:
        return case  # already yours: nothing changes
    _holder_check(desk, case)
    if not _take(desk, case):
        _holder_check(desk, case)  # someone won between our read and the update
    _human(conversation, case)
    _event(desk, case, "claimed")
    audit.record(desk.session, desk.staff, "claim", case.id)
    return case


def reply(desk: Desk, vault: Vault, case_id: int, text: Any) -> Message:
    body = clean_text(text)
    case = get_case(desk, case_id)
    conversation, case = _lock(desk, case)
    _holder_check(desk, case)
    contact = desk.session.get(Contact, case.contact_id)
    assert contact is not None
    if contact.opted_out:
        # They said stop: nothing more is sent until they write again (which lifts it).
        raise CaseError(409, "the person asked for no more messages; a reply waits for them")
    claimed_now = False
    if case.status == "open":
        if not _take(desk, case):
            _holder_check(desk, case)
        claimed_now = True
    language = conversation.language or case.language
    message = repository.add_outbound(
        desk.session, vault, conversation, contact, body, language, staff_id=desk.staff.id
    )
    held = safe_contact.hold_reply(
        desk.session, message, case.safe_contact, desk.now, ZoneInfo(desk.timezone)
    )
    if case.first_response_at is None:
        case.first_response_at = desk.now
    _human(conversation, case)
    if claimed_now:
        _event(desk, case, "claimed", {"by": "reply"})
        audit.record(desk.session, desk.staff, "claim", case.id, {"by": "reply"})
    _event(desk, case, "reply", {"message_id": message.id, **({"held": held} if held else {})})
    audit.record(desk.session, desk.staff, "reply", case.id, {"message_id": message.id})
    return message


def note(desk: Desk, vault: Vault, case_id: int, text: Any) -> CaseEvent:
    """An internal note: stored encrypted with the case, never sent to the person."""
    body = clean_text(text)
    case = get_case(desk, case_id)
    event = CaseEvent(
        case_id=case.id,
        kind="note",
        staff_id=desk.staff.id,
        detail={"text_enc": vault.encrypt(body)},
    )
    desk.session.add(event)
    desk.session.flush()
    audit.record(desk.session, desk.staff, "note", case.id, {"event_id": event.id})
    return event


def reassign(desk: Desk, case_id: int, staff_name: Any) -> Case:
    if not has_role(desk.staff, "supervisor"):
        raise CaseError(403, "reassigning needs a supervisor")
    if not isinstance(staff_name, str) or not staff_name.strip():
        raise CaseError(422, "staff must be the name of a staff account")
    target = desk.session.scalar(select(Staff).where(Staff.name == staff_name.strip()))
    if target is None or not target.active or target.revoked_at is not None:
        raise CaseError(422, "staff must name an active staff account")
    case = get_case(desk, case_id)
    conversation, case = _lock(desk, case)
    if case.status == "closed":
        raise CaseError(409, f"case {case.id} is closed")
    previous = case.assignee_id
    case.status = "claimed"
    case.assignee_id = target.id
    case.claimed_at = desk.now
    _human(conversation, case)
    detail = {"from_staff_id": previous, "to_staff_id": target.id}
    _event(desk, case, "reassigned", detail)
    audit.record(desk.session, desk.staff, "reassign", case.id, detail)
    return case


def handback(desk: Desk, case_id: int) -> Case:
    """The bot takes the conversation back; the case keeps its status and holder."""
    case = get_case(desk, case_id)
    conversation, case = _lock(desk, case)
    if case.status == "closed":
        raise CaseError(409, f"case {case.id} is closed")
    if (
        case.status == "claimed"
        and case.assignee_id != desk.staff.id
        and not has_role(desk.staff, "supervisor")
    ):
        raise CaseError(409, f"case {case.id} is held by someone else")
    conversation.mode = "bot"
    conversation.slots = {**(conversation.slots or {}), "acknowledged": False}
    case.handed_back = True
    _event(desk, case, "handed_back")
    audit.record(desk.session, desk.staff, "handback", case.id)
    return case


def close(
    desk: Desk, case_id: int, outcome: Any, outcomes: list[str], service_id: Any = None
) -> Case:
    """Close with an outcome from `cases.outcomes`; the bot takes the conversation back."""
    if not isinstance(outcome, str) or outcome not in outcomes:
        raise CaseError(422, f"outcome must be one of {', '.join(outcomes)}")
    if service_id is not None and (
        not isinstance(service_id, str) or desk.session.get(Service, service_id) is None
    ):
        raise CaseError(422, "service_id must name a service of the service map")
    case = get_case(desk, case_id)
    conversation, case = _lock(desk, case)
    if case.status == "closed":
        raise CaseError(409, f"case {case.id} is already closed")
    if (
        case.status == "claimed"
        and case.assignee_id != desk.staff.id
        and not has_role(desk.staff, "supervisor")
    ):
        raise CaseError(409, f"case {case.id} is held by someone else")
    case.status = "closed"
    case.outcome = outcome
    case.closed_at = desk.now
    case.referred_service_id = service_id
    if service_id is not None:
        referrals.record(
            desk.session,
            service_id,
            source="caseworker",
            case_id=case.id,
            contact_id=case.contact_id,
            staff_id=desk.staff.id,
        )
    if case.assignee_id is None:
        case.assignee_id = desk.staff.id
    conversation.mode = "bot"
    conversation.slots = {
        key: value
        for key, value in (conversation.slots or {}).items()
        if key not in ("case_id", "acknowledged")
    }
    detail = {"outcome": outcome, "service_id": service_id}
    _event(desk, case, "closed", detail)
    audit.record(desk.session, desk.staff, "close", case.id, detail)
    return case

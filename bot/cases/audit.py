"""The staff audit log: who did what to which case, and when. Append-only.

Nothing here updates or deletes an `AuditEvent`, and the database refuses
both (triggers from migration 0004). The detail holds identifiers, outcomes
and counts, never personal content: `record` refuses free text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from bot.storage.models import AuditEvent, utcnow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bot.storage.models import Staff

ACTIONS = frozenset(
    {
        "list",  # read the queue
        "view",  # opened one case
        "claim",
        "reply",
        "note",
        "reassign",
        "handback",
        "close",
        "export",  # a person's data handed out (privacy export)
        "erase",  # a person's data erased by an admin (bot/privacy/access.py)
        "audit_read",
        "report",  # the referrals summary
        "complaints_read",  # the complaints and feedback page (bot/web/console/complaints.py)
        "awareness_send",  # an awareness message sent to subscribers (counts, no text)
        "attendance",  # attendance marked on a programme session (counts only)
        "session_add",  # an admin published a programme session (bot/web/console/publish.py)
    }
)
# Detail values are identifiers, settings values and counts: short and without spaces.
MAX_DETAIL_STRING = 64


class AuditError(ValueError):
    pass


def _check(value: Any, where: str) -> None:
    if value is None or isinstance(value, bool | int | float):
        return
    if isinstance(value, str):
        if len(value) > MAX_DETAIL_STRING or any(ch.isspace() for ch in value):
            raise AuditError(f"audit detail {where} looks like free text; keep it out of the log")
        return
    if isinstance(value, list):
        for item in value:
            _check(item, where)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            _check(item, f"{where}.{key}")
        return
    raise AuditError(f"audit detail {where} has an unsupported type {type(value).__name__}")


def record(
    session: Session,
    staff: Staff | None,
    action: str,
    case_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event in the caller's transaction (it stands or falls with the action)."""
    if action not in ACTIONS:
        raise AuditError(f"unknown audit action {action!r}")
    detail = dict(detail or {})
    _check(detail, "detail")
    event = AuditEvent(
        at=utcnow(),
        staff_id=staff.id if staff is not None else None,
        staff_name=staff.name if staff is not None else None,
        action=action,
        case_id=case_id,
        detail=detail,
    )
    session.add(event)
    return event


def events(
    session: Session,
    *,
    limit: int,
    offset: int = 0,
    case_id: int | None = None,
    action: str | None = None,
) -> tuple[list[AuditEvent], int]:
    """Newest first, with the total count of matching events."""
    query = select(AuditEvent)
    count = select(func.count()).select_from(AuditEvent)
    if case_id is not None:
        query = query.where(AuditEvent.case_id == case_id)
        count = count.where(AuditEvent.case_id == case_id)
    if action is not None:
        query = query.where(AuditEvent.action == action)
        count = count.where(AuditEvent.action == action)
    rows = session.scalars(query.order_by(AuditEvent.id.desc()).limit(limit).offset(offset))
    return list(rows), int(session.scalar(count) or 0)

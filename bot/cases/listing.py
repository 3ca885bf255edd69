"""The queue as staff see it: filters, language routing, most urgent first, then oldest.

Language routing: a case in a language is offered first to caseworkers who
list that language. A caseworker sees
- the cases in their languages,
- the cases they hold,
- open cases nobody has claimed for `cases.language_fallback_minutes`,
- open imminent cases at once, whatever the language (minutes count).
Supervisors and admins see every case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, and_, func, or_, select, true

from bot.cases.staff import has_role
from bot.cases.views import as_utc
from bot.storage.models import Case, Staff

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

STATUSES = ("open", "claimed", "closed")
PRIORITIES = ("imminent", "high", "medium")
DEFAULT_STATUSES = ("open", "claimed")
MAX_LIMIT = 200


class QueryError(ValueError):
    """A filter or paging value the API cannot use (the message says which)."""


@dataclass(frozen=True)
class CaseQuery:
    statuses: tuple[str, ...] = DEFAULT_STATUSES
    priorities: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    # a staff name, "me", or "none" (unassigned)
    assignee: str | None = None
    limit: int = 50
    offset: int = 0


def _values(raw: str | None, allowed: tuple[str, ...] | None, name: str) -> tuple[str, ...]:
    if raw is None or raw == "":
        return ()
    values = tuple(dict.fromkeys(v.strip() for v in raw.split(",") if v.strip()))
    if allowed is not None:
        bad = [v for v in values if v not in allowed]
        if bad:
            raise QueryError(f"{name} must be among {', '.join(allowed)} (not {bad[0]!r})")
    elif any(len(v) > 120 for v in values):
        raise QueryError(f"{name} is too long")
    return values


def _number(raw: str | None, default: int, name: str, low: int, high: int) -> int:
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or len(raw) > 9:
        raise QueryError(f"{name} must be a whole number")
    value = int(raw)
    if not low <= value <= high:
        raise QueryError(f"{name} must be between {low} and {high}")
    return value


def parse_query(params: dict[str, str]) -> CaseQuery:
    """`status` (comma list, or `all`; default open,claimed), `priority`, `language`,
    `assignee` (name, `me`, `none`), `limit` (1-200, default 50), `offset`."""
    known = {"status", "priority", "language", "assignee", "limit", "offset"}
    unknown = sorted(set(params) - known)
    if unknown:
        raise QueryError(f"unknown parameter {unknown[0]!r}; use {', '.join(sorted(known))}")
    status = params.get("status")
    statuses = STATUSES if status == "all" else _values(status, STATUSES, "status")
    assignee = params.get("assignee") or None
    if assignee is not None and len(assignee) > 120:
        raise QueryError("assignee is too long")
    return CaseQuery(
        statuses=statuses or DEFAULT_STATUSES,
        priorities=_values(params.get("priority"), PRIORITIES, "priority"),
        languages=_values(params.get("language"), None, "language"),
        assignee=assignee,
        limit=_number(params.get("limit"), 50, "limit", 1, MAX_LIMIT),
        offset=_number(params.get("offset"), 0, "offset", 0, 10**9),
    )


def visible_to(staff: Staff, fallback_minutes: int, now: datetime) -> ColumnElement[bool]:
    """The SQL condition for the cases this account may see (see the module's rules)."""
    if has_role(staff, "supervisor"):
        return true()
    cutoff = now - timedelta(minutes=fallback_minutes)
    return or_(
        Case.language.in_(list(staff.languages or [])),
        Case.assignee_id == staff.id,
        and_(Case.status == "open", or_(Case.created_at <= cutoff, Case.priority == "imminent")),
    )


def can_see(staff: Staff, case: Case, fallback_minutes: int, now: datetime) -> bool:
    """The same rule as `visible_to`, for one loaded case."""
    if has_role(staff, "supervisor"):
        return True
    if case.language in (staff.languages or []) or case.assignee_id == staff.id:
        return True
    if case.status != "open":
        return False
    waited = as_utc(now) - as_utc(case.created_at)
    return case.priority == "imminent" or waited >= timedelta(minutes=fallback_minutes)


def list_cases(
    session: Session, staff: Staff, query: CaseQuery, fallback_minutes: int, now: datetime
) -> tuple[list[Case], int]:
    """One page of the cases this account may see, most urgent then oldest, and the total."""
    conditions: list[ColumnElement[bool]] = [
        visible_to(staff, fallback_minutes, now),
        Case.status.in_(query.statuses),
    ]
    if query.priorities:
        conditions.append(Case.priority.in_(query.priorities))
    if query.languages:
        conditions.append(Case.language.in_(query.languages))
    if query.assignee == "none":
        conditions.append(Case.assignee_id.is_(None))
    elif query.assignee == "me":
        conditions.append(Case.assignee_id == staff.id)
    elif query.assignee is not None:
        holder = select(Staff.id).where(Staff.name == query.assignee).scalar_subquery()
        conditions.append(Case.assignee_id == holder)
    total = session.scalar(select(func.count()).select_from(Case).where(*conditions)) or 0
    cases = session.scalars(
        select(Case)
        .where(*conditions)
        .order_by(Case.priority_rank.desc(), Case.created_at, Case.id)
        .limit(query.limit)
        .offset(query.offset)
    )
    return list(cases), int(total)

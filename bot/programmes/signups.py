"""Places on sessions: sign up, the waiting list, cancel, and a freed place for the next one.

Every change locks the session's row first (`FOR UPDATE` on PostgreSQL; SQLite has
one writer), so two people can never take the last place together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from bot.services.hours import ISTANBUL
from bot.storage import repository
from bot.storage.models import Contact
from bot.storage.programme_models import ProgrammeSession, SessionSignup
from bot.storage.service_models import Service

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bot.engine.texts import Texts
    from bot.storage.crypto import Vault


@dataclass
class Outcome:
    # confirmed | already | full | waiting | already_waiting | cancelled | left_waiting
    # | nothing | gone
    kind: str
    row: ProgrammeSession | None = None
    position: int | None = None
    promoted: SessionSignup | None = None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _locked(session: Session, session_id: str, now: datetime) -> ProgrammeSession | None:
    row = session.scalar(
        select(ProgrammeSession).where(ProgrammeSession.id == session_id).with_for_update()
    )
    if row is None or row.status != "active" or _aware(row.starts_at) <= now:
        return None
    return row


def _signup(session: Session, session_id: str, contact_id: int) -> SessionSignup | None:
    return session.scalar(
        select(SessionSignup).where(
            SessionSignup.session_id == session_id, SessionSignup.contact_id == contact_id
        )
    )


def confirmed_count(session: Session, session_id: str) -> int:
    return int(
        session.scalar(
            select(func.count()).where(
                SessionSignup.session_id == session_id, SessionSignup.status == "confirmed"
            )
        )
        or 0
    )


def waiting_position(session: Session, signup: SessionSignup) -> int:
    return int(
        session.scalar(
            select(func.count()).where(
                SessionSignup.session_id == signup.session_id,
                SessionSignup.status == "waiting",
                SessionSignup.id <= signup.id,
            )
        )
        or 0
    )


def join(
    session: Session, session_id: str, contact_id: int, now: datetime, *, wait: bool
) -> Outcome:
    """A place if one is free; else `full`, or (with `wait`) the end of the waiting list."""
    row = _locked(session, session_id, now)
    if row is None:
        return Outcome("gone")
    signup = _signup(session, session_id, contact_id)
    if signup is not None and signup.status == "confirmed":
        return Outcome("already", row)
    if signup is not None and signup.status == "waiting":
        return Outcome("already_waiting", row, waiting_position(session, signup))
    free = confirmed_count(session, session_id) < row.capacity
    if not free and not wait:
        return Outcome("full", row)
    if signup is not None:  # cancelled before: a new place, at the end of any queue
        session.delete(signup)
        session.flush()
    signup = SessionSignup(
        session_id=session_id,
        contact_id=contact_id,
        status="confirmed" if free else "waiting",
        reminders_sent=[],
    )
    session.add(signup)
    session.flush()
    if free:
        return Outcome("confirmed", row)
    return Outcome("waiting", row, waiting_position(session, signup))


def cancel(session: Session, session_id: str, contact_id: int, now: datetime) -> Outcome:
    """Give up a place (the first on the waiting list gets it) or leave the waiting list."""
    row = _locked(session, session_id, now)
    signup = _signup(session, session_id, contact_id)
    if row is None or signup is None or signup.status == "cancelled":
        return Outcome("nothing", row)
    was = signup.status
    signup.status = "cancelled"
    session.flush()
    if was == "waiting":
        return Outcome("left_waiting", row)
    return Outcome("cancelled", row, promoted=promote(session, row))


def promote(session: Session, row: ProgrammeSession) -> SessionSignup | None:
    """The first on the waiting list takes a free place, if there is one."""
    if confirmed_count(session, row.id) >= row.capacity:
        return None
    first = session.scalar(
        select(SessionSignup)
        .where(SessionSignup.session_id == row.id, SessionSignup.status == "waiting")
        .order_by(SessionSignup.id)
        .limit(1)
    )
    if first is not None:
        first.status = "confirmed"
        session.flush()
    return first


def fill_places(session: Session, session_ids: list[str], now: datetime) -> list[SessionSignup]:
    """Places freed by a raised capacity go down the waiting list, first come first served."""
    promoted = []
    for session_id in session_ids:
        row = _locked(session, session_id, now)
        while row is not None and (first := promote(session, row)) is not None:
            promoted.append(first)
    return promoted


def upcoming_places(session: Session, contact_id: int, now: datetime) -> list[SessionSignup]:
    """The person's places and waiting-list entries on sessions still ahead."""
    return list(
        session.scalars(
            select(SessionSignup)
            .join(ProgrammeSession, ProgrammeSession.id == SessionSignup.session_id)
            .where(
                SessionSignup.contact_id == contact_id,
                SessionSignup.status.in_(("confirmed", "waiting")),
                ProgrammeSession.starts_at > now,
            )
            .order_by(ProgrammeSession.starts_at)
        )
    )


def title_of(row: ProgrammeSession, language: str) -> str:
    for lang in (language, row.language, "tr", "en"):
        if row.titles.get(lang):
            return str(row.titles[lang])
    return row.id


def details(session: Session, texts: Texts, language: str, row: ProgrammeSession) -> dict[str, Any]:
    """{title}, {when} (Istanbul) and {place} for a text about this session."""
    starts = _aware(row.starts_at).astimezone(ISTANBUL)
    ends = _aware(row.ends_at).astimezone(ISTANBUL)
    if row.service_id is None:
        place = texts.get(language, "programmes.online")
    else:
        service = session.get(Service, row.service_id)
        name = service.name if service is not None else row.service_id
        place = f"{name}, {row.district}" if row.district else name
    return {
        "title": title_of(row, language),
        "when": f"{starts:%d.%m.%Y %H:%M}-{ends:%H:%M}",
        "place": place,
    }


def cancel_button(texts: Texts, language: str, session_id: str) -> dict[str, str]:
    return {
        "payload": f"ps:c:{session_id}",
        "label": texts.get(language, "programmes.cancel_button"),
    }


def tell(
    session: Session,
    vault: Vault,
    texts: Texts,
    signup: SessionSignup,
    msgid: str,
    default_language: str,
) -> None:
    """Queue a message about a session to the person of `signup` (outside their own turn)."""
    contact = session.get(Contact, signup.contact_id)
    row = session.get(ProgrammeSession, signup.session_id)
    if contact is None or row is None or contact.opted_out:
        return
    conversation = repository.active_conversation(session, contact)
    language = conversation.language or contact.language or default_language
    text = texts.get(language, msgid, **details(session, texts, language, row))
    buttons = [cancel_button(texts, language, row.id)]
    repository.add_outbound(session, vault, conversation, contact, text, language, buttons)

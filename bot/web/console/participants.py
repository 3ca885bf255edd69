"""The console's sessions: each session's participants and attendance.

Staff see a participant's first name only (the first word of the name they gave),
the full name only when the person consented (`names_consent`), and "#<n>" when no
name was given. Marking attendance is an audit event (counts, no names).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from starlette.responses import RedirectResponse

from bot.cases import audit, work
from bot.cases.deadlines import aware
from bot.cases.staff import has_role
from bot.programmes.catalogue import counts
from bot.programmes.signups import title_of
from bot.services.hours import ISTANBUL
from bot.storage.programme_models import PROGRAMMES, ProgrammeSession, SessionSignup
from bot.web.console import publish

if TYPE_CHECKING:
    from starlette.responses import Response

    from bot.app import Helpline
    from bot.storage.crypto import Vault
    from bot.web.console.frame import Ask, Console, Handler

RECENT = timedelta(days=31)


def shown_name(vault: Vault, signup: SessionSignup, number: int) -> str:
    if not signup.first_name_enc:
        return f"#{number}"
    name = vault.decrypt(signup.first_name_enc).strip()
    return name if signup.names_consent else (name.split() or [f"#{number}"])[0]


def _session_of(ask: Ask) -> ProgrammeSession:
    row = ask.desk.session.get(ProgrammeSession, str(ask.request.path_params["session_id"]))
    if row is None:
        raise work.CaseError(404, "no such session")
    return row


def participant_handlers(
    console: Console, helpline: Helpline
) -> tuple[Handler, Handler, Handler, Handler]:
    def listing(ask: Ask, **extra: Any) -> Response:
        session = ask.desk.session
        rows = list(
            session.scalars(
                select(ProgrammeSession)
                .where(ProgrammeSession.starts_at >= ask.desk.now - RECENT)
                .order_by(ProgrammeSession.starts_at)
            )
        )
        tally = counts(session, [r.id for r in rows])
        items = [
            {
                "id": r.id,
                "title": title_of(r, ask.words.language),
                "starts": f"{aware(r.starts_at).astimezone(ISTANBUL):%Y-%m-%d %H:%M}",
                "confirmed": tally.get((r.id, "confirmed"), 0),
                "waiting": tally.get((r.id, "waiting"), 0),
                "capacity": r.capacity,
            }
            for r in rows
        ]
        context: dict[str, Any] = {
            "admin": has_role(ask.staff, "admin"),
            "programmes": PROGRAMMES,
            "title_languages": publish.title_languages(helpline),
            "form": {},
            "refused": [],
            **extra,
        }
        return console.page("sessions.html", ask, sessions=items, **context)

    def add(ask: Ask) -> Response:
        added, refused = publish.publish(ask, helpline)
        if added is None:
            page = listing(ask, form=ask.form, refused=refused)
            page.status_code = 422
            return page
        return RedirectResponse(f"/console/sessions/{added}", status_code=303)

    def detail(ask: Ask) -> Response:
        row = _session_of(ask)
        signups = list(
            ask.desk.session.scalars(
                select(SessionSignup)
                .where(SessionSignup.session_id == row.id, SessionSignup.status != "cancelled")
                .order_by(SessionSignup.id)
            )
        )
        people: list[dict[str, Any]] = [
            {
                "id": s.id,
                "name": shown_name(helpline.vault, s, n),
                "status": s.status,
                "attended": bool(s.attended),
            }
            for n, s in enumerate(signups, 1)
        ]
        title = title_of(row, ask.words.language)
        return console.page("session.html", ask, row=row, title=title, people=people)

    def attendance(ask: Ask) -> Response:
        row = _session_of(ask)
        marked = 0
        for signup in ask.desk.session.scalars(
            select(SessionSignup).where(
                SessionSignup.session_id == row.id, SessionSignup.status == "confirmed"
            )
        ):
            signup.attended = ask.form.get(f"attended_{signup.id}") == "on"
            marked += int(signup.attended)
        audit.record(
            ask.desk.session,
            ask.staff,
            "attendance",
            detail={"session": row.id, "attended": marked},
        )
        return RedirectResponse(f"/console/sessions/{row.id}", status_code=303)

    return listing, detail, attendance, add

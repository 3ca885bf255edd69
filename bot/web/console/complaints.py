"""The console's complaints and feedback page: supervisors and admins only (a complaint
may be about a caseworker). Reading it is an audit event."""

from __future__ import annotations

from datetime import UTC
from typing import TYPE_CHECKING

from sqlalchemy import select

from bot.cases import audit
from bot.services.hours import ISTANBUL
from bot.storage.programme_models import Feedback

if TYPE_CHECKING:
    from starlette.responses import Response

    from bot.app import Helpline
    from bot.web.console.frame import Ask, Console, Handler

SHOWN = 200


def complaints_page(console: Console, helpline: Helpline) -> Handler:
    def page(ask: Ask) -> Response:
        session = ask.desk.session
        found = session.scalars(select(Feedback).order_by(Feedback.id.desc()).limit(SHOWN))
        rows = []
        for row in found:
            stored = row.created_at
            when = (stored if stored.tzinfo else stored.replace(tzinfo=UTC)).astimezone(ISTANBUL)
            rows.append(
                {
                    "id": row.id,
                    "when": f"{when:%Y-%m-%d %H:%M}",
                    "kind": row.kind,
                    "rating": row.rating,
                    "language": row.language,
                    "text": helpline.vault.decrypt(row.text_enc) if row.text_enc else "",
                }
            )
        audit.record(session, ask.staff, "complaints_read", detail={"rows": len(rows)})
        return console.page("complaints.html", ask, rows=rows)

    return page

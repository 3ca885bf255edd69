"""Live updates over server-sent events (sse-starlette), for the queue and for one case.

Each open page holds one stream. The stream looks at the database every
`console.poll_seconds` with a cheap indexed query (a fingerprint of the open
cases; the (id, status) pairs of one conversation) and sends only what
changed. Nothing lives in the process between requests, so it works the same
with several processes on PostgreSQL (whichever process wrote the change) and
on SQLite; tests shorten the interval. The staff session is checked on every
look: a revoked account's stream ends at once.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sse_starlette.sse import EventSourceResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response

from bot.cases import views, work
from bot.cases.staff import session_is_current
from bot.cases.work import CaseError, Desk
from bot.storage.models import Case, Conversation, Message, Staff, utcnow
from bot.web.console.pages import case_state, message_view, queue_rows

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable

    from sqlalchemy.orm import Session
    from starlette.requests import Request

    from bot.web.console.frame import Console
    from bot.web.console.security import ConsoleSession
    from bot.web.console.texts import Words

Event = dict[str, Any]
# Visibility also changes with time (unclaimed cases open to everyone after a while).
REFRESH_SECONDS = 30
# The queue's cases (the index ix_cases_queue leads with status): closing one changes the count.
WAITING = ("open", "claimed")


class Live:
    def __init__(self, console: Console) -> None:
        self.console = console
        self.helpline = console.helpline

    def _desk(self, db: Session, session: ConsoleSession) -> Desk | None:
        staff = db.get(Staff, session.staff_id)
        if staff is None or not session_is_current(staff, session.version):
            return None
        fallback = self.helpline.settings.cases.language_fallback_minutes
        return Desk(session=db, staff=staff, now=utcnow(), fallback_minutes=fallback)

    async def _stream(self, look: Callable[[], list[Event] | None]) -> Response:
        """The first look decides the answer (401 for a session that no longer holds)."""
        poll = self.helpline.settings.console.poll_seconds
        first = await run_in_threadpool(look)
        if first is None:
            return JSONResponse({"error": "log in first"}, status_code=401)

        async def events() -> AsyncIterator[Event]:
            found: list[Event] | None = first
            while found is not None:
                for event in found:
                    yield event
                await asyncio.sleep(poll)
                found = await run_in_threadpool(look)
            yield {"event": "ended", "data": "{}"}

        return EventSourceResponse(events(), ping=15, headers={"Cache-Control": "no-store"})

    # -- the queue ---------------------------------------------------------

    async def queue(self, request: Request) -> Response:
        session = self.console.guard.session(request)
        if session is None:
            return JSONResponse({"error": "log in first"}, status_code=401)
        words = self.console.words(request)
        seen: list[Any] = [None]

        def look() -> list[Event] | None:
            with self.helpline.db.transaction() as db:
                desk = self._desk(db, session)
                if desk is None:
                    return None
                count, updated, newest = db.execute(
                    select(func.count(Case.id), func.max(Case.updated_at), func.max(Case.id)).where(
                        Case.status.in_(WAITING)
                    )
                ).one()
                fingerprint = (count, str(updated), newest, int(time.time() // REFRESH_SECONDS))
                if fingerprint == seen[0]:
                    return []
                seen[0] = fingerprint
                rows = queue_rows(desk, words, record=False)
            return [{"event": "queue", "data": json.dumps(rows, ensure_ascii=False)}]

        return await self._stream(look)

    # -- one case ----------------------------------------------------------

    async def case(self, request: Request) -> Response:
        session = self.console.guard.session(request)
        if session is None:
            return JSONResponse({"error": "log in first"}, status_code=401)
        raw = str(request.path_params["case_id"])
        after = request.query_params.get("after", "0")
        if not raw.isdigit() or len(raw) > 12 or not after.isdigit() or len(after) > 18:
            return JSONResponse({"error": "no such case"}, status_code=404)
        words = self.console.words(request)
        state: dict[str, Any] = {"after": int(after), "statuses": None, "case": None}

        def look() -> list[Event] | None:
            with self.helpline.db.transaction() as db:
                desk = self._desk(db, session)
                if desk is None:
                    return None
                try:
                    case = work.get_case(desk, int(raw))
                except CaseError:
                    return None
                return self._case_changes(desk, case, words, state)

        return await self._stream(look)

    def _case_changes(
        self, desk: Desk, case: Case, words: Words, state: dict[str, Any]
    ) -> list[Event]:
        db = desk.session
        events: list[Event] = []
        pairs = db.execute(
            select(Message.id, Message.status)
            .where(Message.conversation_id == case.conversation_id)
            .order_by(Message.id)
        ).all()
        statuses = {message_id: status for message_id, status in pairs}
        new_ids = [message_id for message_id in statuses if message_id > state["after"]]
        if new_ids:
            messages = db.scalars(
                select(Message).where(Message.id.in_(new_ids)).order_by(Message.id)
            )
            loaded = list(messages)
            names = views.staff_names(
                db, {m.sent_by_staff_id for m in loaded if m.sent_by_staff_id}
            )
            for message in loaded:
                item = message_view(views.message_json(message, self.helpline.vault, names), words)
                events.append({"event": "message", "data": json.dumps(item, ensure_ascii=False)})
            state["after"] = max(new_ids)
        before = state["statuses"] or {}
        for message_id, status in statuses.items():
            if message_id in before and before[message_id] != status:
                update = {
                    "id": message_id,
                    "status": status,
                    "status_label": words.label("delivery", status),
                }
                events.append({"event": "status", "data": json.dumps(update, ensure_ascii=False)})
        state["statuses"] = statuses
        mode = db.scalar(select(Conversation.mode).where(Conversation.id == case.conversation_id))
        names = views.staff_names(db, {case.assignee_id} if case.assignee_id else set())
        detail = {
            "assignee": names.get(case.assignee_id) if case.assignee_id else None,
            "conversation_mode": mode,
        }
        current = case_state(desk, case, detail, words)
        if current != state["case"]:
            if state["case"] is not None:
                events.append({"event": "case", "data": json.dumps(current, ensure_ascii=False)})
            state["case"] = current
        return events

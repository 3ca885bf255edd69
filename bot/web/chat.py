"""The web chat's JSON API, used by the page at `/`."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse

from bot.channels.webchat import CHANNEL
from bot.engine.messages import Inbound
from bot.privacy.erasure import FORGET, forget
from bot.storage import repository
from bot.storage.models import Message, OutboxItem

if TYPE_CHECKING:
    from starlette.requests import Request

    from bot.app import Helpline

SESSION_HEADER = "X-Chat-Session"
SESSION = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MAX_BODY_BYTES = 256 * 1024
MAX_TEXT_CHARS = 50_000


def problem(status: int, detail: str) -> JSONResponse:
    return JSONResponse({"error": detail}, status_code=status)


async def read_json(request: Request) -> dict[str, Any] | JSONResponse:
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        return problem(413, "request too large")
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return problem(400, "body must be JSON")
    if not isinstance(payload, dict):
        return problem(400, "body must be a JSON object")
    return payload


def make_handlers(helpline: Helpline) -> tuple[Any, Any]:
    async def post_message(request: Request) -> JSONResponse:
        payload = await read_json(request)
        if isinstance(payload, JSONResponse):
            return payload
        session_id, text = payload.get("session"), payload.get("text", "")
        button, language = payload.get("button"), payload.get("language")
        client_id = payload.get("client_id")
        if not isinstance(session_id, str) or not SESSION.match(session_id):
            return problem(400, "session must be 16-64 letters, digits, - or _")
        if not isinstance(text, str):
            return problem(400, "text must be a string")
        if len(text) > MAX_TEXT_CHARS:
            return problem(413, f"text longer than {MAX_TEXT_CHARS} characters")
        if button is not None and (not isinstance(button, str) or len(button) > 64):
            return problem(400, "button must be a short string")
        if language is not None and (not isinstance(language, str) or len(language) > 35):
            return problem(400, "language must be a language tag")
        if client_id is not None and (
            not isinstance(client_id, str) or not CLIENT_ID.match(client_id)
        ):
            return problem(400, "client_id must be up to 64 letters, digits, - or _")
        inbound = Inbound(
            channel=CHANNEL,
            sender_id=session_id,
            text=text,
            button=button,
            language_code=language,
            platform_message_id=f"{session_id}:{client_id}" if client_id else None,
        )
        result = await run_in_threadpool(helpline.engine.receive, inbound)
        helpline.sender.wake()
        return JSONResponse(
            {"id": result.message_id, "duplicate": result.duplicate}, status_code=202
        )

    async def get_messages(request: Request) -> JSONResponse:
        # The session travels in a header, not the URL, so access logs never hold it.
        session_id = request.headers.get(SESSION_HEADER, "")
        after = request.query_params.get("after", "0")
        if not SESSION.match(session_id):
            return problem(400, "session must be 16-64 letters, digits, - or _")
        if not after.isdigit() or len(after) > 18:
            return problem(400, "after must be a message id")
        messages = await run_in_threadpool(_messages_for, helpline, session_id, int(after))
        return JSONResponse({"messages": messages})

    return post_message, get_messages


def _messages_for(helpline: Helpline, session_id: str, after: int) -> list[dict[str, Any]]:
    """The session's messages after `after`: what it sent, and replies once delivered."""
    vault = helpline.vault
    with helpline.db.transaction() as session:
        contact = repository.find_contact(session, vault, CHANNEL, session_id)
        if contact is None:
            return []
        rows = session.execute(
            select(Message, OutboxItem)
            .outerjoin(OutboxItem, OutboxItem.message_id == Message.id)
            .where(Message.contact_id == contact.id, Message.id > after)
            .order_by(Message.id)
        ).all()
        result = []
        forget_after = None
        for message, item in rows:
            if message.direction == "out" and message.status != "sent":
                break  # keep order: nothing after an undelivered reply
            if item is not None and item.action == FORGET:
                forget_after = message.id  # an erasure's confirmation: now it has been seen
            result.append(
                {
                    "id": message.id,
                    "direction": message.direction,
                    "text": vault.decrypt(message.text_enc),
                    "buttons": item.choices if item is not None else [],
                    "at": message.created_at.isoformat(),
                }
            )
        if forget_after is not None:
            forget(session, contact.id, forget_after)
        return result

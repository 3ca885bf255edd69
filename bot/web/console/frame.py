"""The frame every console request runs in: who is asking, in which language, with what right.

A page or action runs in one database transaction, in a worker thread: the
session cookie is checked against the account (revoked or logged out
elsewhere: back to the login page), then the role (403), then the action
runs on a `Desk`, the same one the staff API uses, so the rules and the
audit trail are the ones of `bot.cases.work`. An action that fails with a
`CaseError` rolls the whole transaction back.
"""

from __future__ import annotations

import base64
import io
import json
import logging
import math
import struct
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.exc import OperationalError
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from bot.cases.staff import has_role, session_is_current
from bot.cases.work import CaseError, Desk
from bot.storage.models import Staff, utcnow
from bot.web.console.security import CSRF_FIELD, CSRF_HEADER, LANGUAGE_COOKIE, Guard
from bot.web.console.texts import Words, choose_language

if TYPE_CHECKING:
    from starlette.requests import Request

    from bot.app import Helpline

log = logging.getLogger(__name__)
TEMPLATES = Path(__file__).parent / "templates"
MAX_FORM_BYTES = 64 * 1024
# Scripts and styles only from the console's own files; the chime is a data: URI.
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "media-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def _beep() -> str:
    """A short two-tone chime as a WAV data URI (made here: no file, no CDN)."""
    rate, frames = 8000, bytearray()
    for freq, seconds in ((880.0, 0.12), (1320.0, 0.18)):
        count = int(rate * seconds)
        for i in range(count):
            fade = min(1.0, (count - i) / (rate * 0.03))
            frames += struct.pack("<h", int(9000 * fade * math.sin(2 * math.pi * freq * i / rate)))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(frames))
    return "data:audio/wav;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


@dataclass
class Ask:
    """One console request: the desk (session, staff, clock), its words and CSRF token."""

    desk: Desk
    words: Words
    csrf: str
    request: Request
    form: dict[str, str]

    @property
    def staff(self) -> Staff:
        return self.desk.staff


Handler = Callable[[Ask], Response]


class RefusedError(Exception):
    def __init__(self, response: Response) -> None:
        self.response = response


def wants_json(request: Request) -> bool:
    return CSRF_HEADER in request.headers or "application/json" in request.headers.get("accept", "")


class Console:
    def __init__(self, helpline: Helpline) -> None:
        self.helpline = helpline
        self.settings = helpline.settings
        self.guard = Guard(helpline.settings, helpline.vault)
        self.languages = tuple(helpline.settings.languages)
        self.env = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=select_autoescape(["html", "svg"], default=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": True}
        self.sound = _beep()

    # -- language and rendering ----------------------------------------

    def language(self, request: Request) -> str:
        return choose_language(
            request.cookies.get(LANGUAGE_COOKIE),
            request.headers.get("accept-language", ""),
            self.languages,
            self.settings.default_language,
        )

    def words(self, request: Request) -> Words:
        return Words(self.helpline.engine.texts, self.language(request))

    def render(
        self, template: str, words: Words, status: int = 200, **context: Any
    ) -> HTMLResponse:
        html = self.env.get_template(template).render(
            t=words,
            lang=words.language,
            dir=words.dir,
            languages=self.languages,
            server_now=utcnow().isoformat(),
            **context,
        )
        return HTMLResponse(html, status_code=status, headers=PAGE_HEADERS)

    def page(self, template: str, ask: Ask, **context: Any) -> HTMLResponse:
        """A page for a logged-in staff member (their name, role and CSRF token in it)."""
        return self.render(template, ask.words, staff=ask.staff, csrf=ask.csrf, **context)

    def error(
        self, ask_words: Words, status: int, msgid: str, request: Request, **params: Any
    ) -> Response:
        message = ask_words(msgid, **params)
        if wants_json(request):
            return JSONResponse({"error": message}, status_code=status)
        return self.render("error.html", ask_words, status, message=message, staff=None, csrf="")

    # -- the frame -------------------------------------------------------

    def login_redirect(self, request: Request) -> Response:
        if wants_json(request) or request.url.path.endswith("/events"):
            return JSONResponse({"error": "log in first"}, status_code=401)
        return RedirectResponse("/console/login", status_code=303)

    async def run(self, request: Request, role: str, handler: Handler, *, post: bool) -> Response:
        session = self.guard.session(request)
        if session is None:
            return self.login_redirect(request)
        words = self.words(request)
        form: dict[str, str] = {}
        if post:
            form = await read_form(request)
            submitted = request.headers.get(CSRF_HEADER) or form.get(CSRF_FIELD)
            if not self.guard.token_matches(submitted, session.nonce):
                return self.error(words, 403, "console.error.csrf", request)
        try:
            return await run_in_threadpool(self._run, request, session, words, role, handler, form)
        except OperationalError:
            log.warning("console: database busy or unreachable")
            return self.error(words, 503, "console.error.failed", request, detail="database busy")

    def _run(
        self,
        request: Request,
        session: Any,
        words: Words,
        role: str,
        handler: Handler,
        form: dict[str, str],
    ) -> Response:
        try:
            with self.helpline.db.transaction() as db:
                staff = db.get(Staff, session.staff_id)
                if staff is None or not session_is_current(staff, session.version):
                    return self.login_redirect(request)
                if not has_role(staff, role):
                    return self.error(words, 403, "console.error.forbidden", request)
                desk = Desk(
                    session=db,
                    staff=staff,
                    now=utcnow(),
                    fallback_minutes=self.settings.cases.language_fallback_minutes,
                    timezone=self.settings.cases.timezone,
                )
                csrf = self.guard.token(session.nonce)
                ask = Ask(desk=desk, words=words, csrf=csrf, request=request, form=form)
                try:
                    return handler(ask)
                except CaseError as exc:
                    msgid = {403: "console.error.forbidden", 404: "console.error.not_found"}
                    if exc.status in msgid:
                        failed = self.error(words, exc.status, msgid[exc.status], request)
                    else:
                        failed = self.error(
                            words, exc.status, "console.error.failed", request, detail=exc.message
                        )
                    raise RefusedError(failed) from exc
        except RefusedError as refused:
            return refused.response


async def read_form(request: Request) -> dict[str, str]:
    """An application/x-www-form-urlencoded body (what the console's forms and fetches send),
    bounded in size; the last value of a repeated field wins."""
    if "application/x-www-form-urlencoded" not in request.headers.get("content-type", ""):
        return {}
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            return {}
    try:
        return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=20))
    except (UnicodeDecodeError, ValueError):
        return {}


def json_script(value: Any) -> str:
    """JSON safe inside a <script type="application/json"> element."""
    return (
        json.dumps(value, ensure_ascii=False, sort_keys=True)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )

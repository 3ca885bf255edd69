"""Twilio's webhooks: `POST /webhooks/twilio` (messages in) and `/webhooks/twilio/status`.

Every request must carry a valid `X-Twilio-Signature` (HMAC over the URL
Twilio called plus the sorted form fields, checked with the library's
`RequestValidator`); behind a TLS proxy the URL is rebuilt from
`HELPLINE_PUBLIC_URL`. A forged request gets 403 and nothing is stored.
`MessageSid` is the dedupe key, so Twilio's retries are answered once.
The answer is an empty TwiML `<Response/>`: replies leave through the REST
API, from the outbox. `ProfileName` (the person's WhatsApp name) is never read.
"""

from __future__ import annotations

import asyncio
import logging
import math
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from starlette.datastructures import ImmutableMultiDict
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from bot.channels.sms import OPT_OUT_TYPES, keyword_command
from bot.channels.twilio_rest import STATUS_CALLBACK_PATH
from bot.channels.twilio_whatsapp import PREFIX
from bot.engine.messages import Inbound

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.routing import BaseRoute

    from bot.channels.intake import Intake
    from bot.channels.twilio_store import TwilioStore
    from bot.settings import Settings

log = logging.getLogger(__name__)

INBOUND_PATH = "/webhooks/twilio"
FORM = "application/x-www-form-urlencoded"
MAX_FIELDS = 200

Fields = ImmutableMultiDict[str, str]


class RefusedError(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


def media_kind(content_type: str) -> str:
    """What was sent, in the words the engine uses for every channel."""
    kind = content_type.split(";")[0].strip().lower()
    if kind == "image/webp":
        return "sticker"
    if kind.startswith("image/"):
        return "photo"
    if kind.startswith("audio/"):
        return "voice"
    if kind.startswith("video/"):
        return "video"
    if kind in ("text/vcard", "text/x-vcard"):
        return "contact"
    return "document"


def _location(form: Fields) -> tuple[float, float] | None:
    try:
        latitude, longitude = float(form["Latitude"]), float(form["Longitude"])
    except (KeyError, TypeError, ValueError):
        return None
    if not (math.isfinite(latitude) and math.isfinite(longitude)):
        return None
    if abs(latitude) > 90 or abs(longitude) > 180:
        return None
    return latitude, longitude


def parse_inbound(form: Fields) -> Inbound:
    """A Twilio Messaging webhook as an Inbound (`From` with `whatsapp:` is WhatsApp)."""
    sid = str(form.get("MessageSid") or form.get("SmsMessageSid") or "")
    sender = str(form.get("From") or "")
    if not sid or not sender.removeprefix(PREFIX):
        raise RefusedError(400, "MessageSid and From are required")
    whatsapp = sender.startswith(PREFIX)
    body = str(form.get("Body") or "")
    try:
        media_count = int(str(form.get("NumMedia") or "0"))
    except ValueError:
        media_count = 0
    media = media_kind(str(form.get("MediaContentType0") or "")) if media_count > 0 else None
    return Inbound(
        channel="whatsapp" if whatsapp else "sms",
        sender_id=sender.removeprefix(PREFIX),
        text=body,
        platform_message_id=sid,
        has_media=media is not None,
        media=media,
        location=_location(form) if whatsapp else None,
        command=(
            OPT_OUT_TYPES.get(str(form.get("OptOutType") or "").upper())
            or (keyword_command(body) if body else None)
        ),
    )


class TwilioWebhooks:
    def __init__(self, settings: Settings, store: TwilioStore) -> None:
        assert settings.twilio_auth_token
        self.validator = RequestValidator(settings.twilio_auth_token)
        self.public_url = settings.public_url.rstrip("/") if settings.public_url else None
        self.max_bytes = settings.twilio.max_webhook_bytes
        self.store = store

    def routes(self, intake: Intake) -> list[BaseRoute]:
        async def inbound(request: Request) -> Response:
            try:
                inbound = parse_inbound(await self._signed_form(request))
            except RefusedError as exc:
                return PlainTextResponse(str(exc), status_code=exc.status)
            await intake.accept(inbound)
            return Response(str(MessagingResponse()), media_type="text/xml")

        async def status(request: Request) -> Response:
            try:
                form = await self._signed_form(request)
            except RefusedError as exc:
                return PlainTextResponse(str(exc), status_code=exc.status)
            sid = str(form.get("MessageSid") or form.get("SmsSid") or "")
            reported = str(form.get("MessageStatus") or form.get("SmsStatus") or "").lower()
            if not sid or not reported:
                return PlainTextResponse("MessageSid and MessageStatus are required", 400)
            code = str(form.get("ErrorCode") or "") or None
            known = await asyncio.to_thread(self.store.apply_status, sid, reported, code)
            if not known:
                log.info("status callback for a message that is not ours, ignored")
            return Response(status_code=200)

        return [
            Route(INBOUND_PATH, inbound, methods=["POST"]),
            Route(STATUS_CALLBACK_PATH, status, methods=["POST"]),
        ]

    def _url(self, request: Request) -> str:
        """The URL Twilio called: behind a proxy, the public one, not the one we see."""
        if self.public_url is None:
            return str(request.url)
        query = f"?{request.url.query}" if request.url.query else ""
        return f"{self.public_url}{request.url.path}{query}"

    async def _signed_form(self, request: Request) -> Fields:
        """The form fields of a request Twilio signed; RefusedError otherwise."""
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type != FORM:
            raise RefusedError(415, "expected a form-encoded body")
        body = await self._body(request)
        try:
            pairs = parse_qsl(
                body.decode("utf-8"), keep_blank_values=True, max_num_fields=MAX_FIELDS
            )
        except (UnicodeDecodeError, ValueError) as exc:
            raise RefusedError(400, "malformed form body") from exc
        form: Fields = ImmutableMultiDict(pairs)
        signature = request.headers.get("x-twilio-signature", "")
        if not signature or not self.validator.validate(self._url(request), form, signature):
            log.warning("Twilio webhook with a missing or wrong signature refused")
            raise RefusedError(403, "invalid signature")
        return form

    async def _body(self, request: Request) -> bytes:
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            raise RefusedError(413, "body too large")
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > self.max_bytes:
                raise RefusedError(413, "body too large")
            chunks.append(chunk)
        return b"".join(chunks)

"""Twilio's Messages REST API through the twilio library, off the event loop.

The twilio client is synchronous (requests): every call runs in a worker
thread. `TWILIO_API_BASE_URL` replaces the API domain's base URL, so the
library builds `{base}/2010-04-01/Accounts/{sid}/Messages.json` itself.

Errors become `SendError`s with Twilio's error code kept:
21610 (the number sent STOP), 21211/21614 (not a valid mobile number) and
any other 4xx are permanent; 63016 (outside WhatsApp's 24-hour window) holds
the message; 429 waits as long as Retry-After says; 5xx, timeouts and
connection errors are retried. A timeout is ambiguous (Twilio may have
taken the message), and a retry may then send it twice: Twilio has no
idempotency key for messages.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import requests
from twilio.base.exceptions import TwilioRestException, TwilioServiceException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from bot.channels.base import SendError
from bot.channels.twilio_store import HELD_REASON, OUTSIDE_WINDOW

if TYPE_CHECKING:
    from starlette.routing import BaseRoute

    from bot.channels.intake import Intake
    from bot.channels.twilio_store import TwilioStore
    from bot.channels.twilio_webhooks import TwilioWebhooks
    from bot.engine.messages import Outbound
    from bot.settings import Settings

log = logging.getLogger(__name__)

OPTED_OUT = "21610"
PERMANENT_CODES = {
    OPTED_OUT: "the person opted out (STOP); they must send START to get messages again",
    "21211": "not a valid phone number",
    "21614": "not a mobile number",
    "21612": "Twilio cannot reach this number from the sender",
    "63003": "not a WhatsApp number",
}
RATE_LIMITED = "20429"
STATUS_CALLBACK_PATH = "/webhooks/twilio/status"


class _RecordingHttpClient(TwilioHttpClient):  # type: ignore[misc]
    """Remembers each thread's last response: the library drops Retry-After when it raises."""

    def __init__(self, timeout: float) -> None:
        # The library logs every request's URL and headers at INFO: ten lines a message, and
        # whatever a later version adds (a body would hold a phone number and the text).
        http_log = logging.getLogger(f"{__name__}.http")
        http_log.setLevel(logging.WARNING)
        super().__init__(timeout=timeout, logger=http_log)
        self._local = threading.local()

    def request(self, *args: Any, **kwargs: Any) -> Any:
        self._local.response = None
        response = super().request(*args, **kwargs)
        self._local.response = response
        return response

    def retry_after(self) -> float | None:
        response = getattr(self._local, "response", None)
        value = (response.headers or {}).get("Retry-After") if response is not None else None
        try:
            return max(0.0, float(value)) if value is not None else None
        except ValueError:
            return None


@dataclass(frozen=True)
class Sent:
    sid: str
    status: str


class TwilioApi:
    def __init__(self, settings: Settings) -> None:
        assert settings.twilio_account_sid and settings.twilio_auth_token
        self._http = _RecordingHttpClient(settings.twilio.request_timeout_seconds)
        self._client = Client(
            settings.twilio_account_sid,
            settings.twilio_auth_token,
            http_client=self._http,
            environment={},  # no TWILIO_EDGE/TWILIO_REGION rewriting of the host
        )
        if settings.twilio_api_base_url:
            self._client.api.base_url = settings.twilio_api_base_url.rstrip("/")
        self.status_callback = (
            f"{settings.public_url.rstrip('/')}{STATUS_CALLBACK_PATH}"
            if settings.public_url
            else None
        )

    async def create(self, **params: Any) -> Sent:
        """Create a message (`to`, `from_`, `body` or `content_sid`); in a thread."""
        if self.status_callback:
            params["status_callback"] = self.status_callback
        return await asyncio.to_thread(self._create, params)

    def _create(self, params: dict[str, Any]) -> Sent:
        try:
            message = self._client.api.account.messages.create(**params)
        except (TwilioRestException, TwilioServiceException) as exc:
            raise self._error(exc.status, exc.code) from exc
        except requests.Timeout as exc:
            raise SendError("Twilio did not answer in time") from exc
        except requests.RequestException as exc:
            raise SendError(f"Twilio unreachable ({type(exc).__name__})") from exc
        if message.status in ("failed", "undelivered"):
            code = str(message.error_code) if message.error_code else None
            reason = f"Twilio refused the message ({message.status})"
            raise SendError(reason, permanent=True, code=code)
        return Sent(sid=str(message.sid), status=str(message.status))

    def _error(self, status: int, code: int | str | None) -> SendError:
        twilio_code = str(code) if code is not None else None
        if twilio_code == OUTSIDE_WINDOW:
            return SendError(HELD_REASON, hold=True, code=twilio_code)
        if twilio_code in PERMANENT_CODES:
            return SendError(PERMANENT_CODES[twilio_code], permanent=True, code=twilio_code)
        if status == 429 or twilio_code == RATE_LIMITED:
            return SendError(
                "Twilio rate limit", retry_after=self._http.retry_after(), code=twilio_code
            )
        if status >= 500:
            return SendError(f"Twilio answered {status}", code=twilio_code)
        return SendError(f"Twilio refused the message ({status})", permanent=True, code=twilio_code)


class TwilioChannel:
    """What WhatsApp and SMS share: the REST call, and the SID recorded for status callbacks."""

    name = "twilio"

    def __init__(
        self,
        api: TwilioApi,
        store: TwilioStore,
        from_number: str | None,
        webhooks: TwilioWebhooks | None = None,
    ) -> None:
        self.api = api
        self.store = store
        self.from_number = from_number
        self.webhooks = webhooks

    def routes(self, intake: Intake) -> list[BaseRoute]:
        """Both channels share one webhook; only the channel given it serves the routes."""
        return self.webhooks.routes(intake) if self.webhooks is not None else []

    def _sender(self) -> str:
        if not self.from_number:
            raise SendError(f"no sender number configured for {self.name}", permanent=True)
        return self.from_number

    async def _create(self, message: Outbound, **params: Any) -> str:
        sent = await self.api.create(**params)
        # Recorded before the sender settles, so an early status callback finds the message.
        await asyncio.to_thread(self.store.record_sent, message.message_id, sent.sid, sent.status)
        return sent.sid

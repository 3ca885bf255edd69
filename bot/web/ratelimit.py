"""Rate limits on the web chat and the webhooks: per sender and per address, a clean 429.

ASGI middleware in front of the routes. For a POST it reads the body (bounded),
finds the sender in it (the web chat session, the Telegram chat of the update,
Twilio's `From`) and replays the body to the route unchanged. Counters are
keyed by a keyed hash of the sender, never the plain id, even in memory.
"""

from __future__ import annotations

import json
import math
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from starlette.responses import JSONResponse

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from bot.settings import RateLimitSettings
    from bot.storage.crypto import Vault

# Bodies larger than this are not read for a sender (the routes refuse them anyway).
MAX_READ = 1024 * 1024
ROUTES = {
    ("POST", "/chat/api/messages"): "web",
    ("GET", "/chat/api/messages"): "web_poll",
    ("POST", "/webhooks/telegram"): "telegram",
    ("POST", "/webhooks/twilio"): "twilio",
    ("POST", "/webhooks/twilio/status"): "twilio_status",
}


def _telegram_sender(payload: Any) -> str | None:
    if not isinstance(payload, dict):
        return None
    for key in ("message", "edited_message", "callback_query"):
        part = payload.get(key)
        if isinstance(part, dict):
            who = part.get("chat") or part.get("from") or {}
            return str(who.get("id")) if isinstance(who, dict) and "id" in who else None
    return None


def sender_of(kind: str, body: bytes, headers: dict[str, str]) -> str | None:
    """Who sent the request, as the route will read it; None when it cannot tell."""
    try:
        if kind == "web":
            session = json.loads(body.decode("utf-8")).get("session")
            return session if isinstance(session, str) else None
        if kind == "telegram":
            return _telegram_sender(json.loads(body.decode("utf-8")))
        if kind == "twilio":
            return parse_qs(body.decode("utf-8")).get("From", [None])[0]
    except (UnicodeDecodeError, ValueError, AttributeError):
        return None
    return None


class RateLimits:
    def __init__(self, app: ASGIApp, settings: RateLimitSettings, vault: Vault) -> None:
        self.app = app
        self.settings = settings
        self.vault = vault
        self.limiter = MovingWindowRateLimiter(storage_from_string(settings.storage))
        webhook = (parse(settings.webhook_per_address), parse(settings.webhook_per_sender))
        self.rules: dict[str, tuple[RateLimitItem, RateLimitItem | None]] = {
            "web": (parse(settings.web_chat_per_address), parse(settings.web_chat_per_session)),
            "web_poll": (parse(settings.web_chat_polls_per_address), None),
            "telegram": webhook,
            "twilio": webhook,
            "twilio_status": (webhook[0], None),
        }

    def _address(self, scope: Scope, headers: dict[str, str]) -> str:
        forwarded = headers.get("x-forwarded-for", "")
        if self.settings.trust_forwarded_for and forwarded:
            return forwarded.split(",")[0].strip()
        client = scope.get("client")
        return str(client[0]) if client else "unknown"

    def _over(self, rule: RateLimitItem, key: str) -> int | None:
        """None when the hit is allowed; else the seconds until it would be."""
        if self.limiter.hit(rule, key):
            return None
        reset = self.limiter.get_window_stats(rule, key).reset_time
        return max(1, math.ceil(reset - time.time()))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = ROUTES.get((scope.get("method", ""), scope.get("path", "")))
        if scope["type"] != "http" or kind is None or not self.settings.enabled:
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        consumed: list[Message] = []
        body = b""
        if scope["method"] == "POST":
            more = True
            while more and len(body) <= MAX_READ:
                message = await receive()
                consumed.append(message)
                body += message.get("body", b"")
                more = message.get("more_body", False)
        rule_address, rule_sender = self.rules[kind]
        checks = [(rule_address, f"{kind}:address:{self._address(scope, headers)}")]
        sender = sender_of(kind, body, headers) if rule_sender is not None else None
        if rule_sender is not None and sender:
            checks.append((rule_sender, f"{kind}:sender:{self.vault.hash_id(kind, sender)}"))
        for rule, key in checks:
            wait = self._over(rule, key)
            if wait is not None:
                response = JSONResponse(
                    {"error": f"too many requests; try again in {wait} s"},
                    status_code=429,
                    headers={"Retry-After": str(wait)},
                )
                await response(scope, receive, send)
                return

        async def replay() -> Message:
            return consumed.pop(0) if consumed else await receive()

        await self.app(scope, replay, send)

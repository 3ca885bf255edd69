"""Console sessions, CSRF tokens and the login rate limit.

Session: a cookie signed with itsdangerous (a key derived from the helpline
secret), HttpOnly, SameSite=Strict, Secure behind HTTPS, holding the staff id,
the account's `session_version` (revocation raises it, so every process
refuses old cookies at once, see `bot.cases.staff.session_is_current`), a
random CSRF nonce and the login time (the signature's age limits the session).

CSRF: every form and every fetch sends a token, in the `csrf_token` field or
the `X-CSRF-Token` header. The token is the session's nonce signed under a
second salt; a request is accepted only when the token's signature holds and
its nonce is the one in the signed session cookie (before login: in a signed
pre-login cookie). starlette-csrf was not used: it reads the token from a
header only, so plain HTML forms (login, logout, language) could not carry
it, and it wraps the whole app, webhooks and bearer-token API included.

Login attempts are limited with `limits` (moving window) per client address
and per account name; the counters live in `console.rate_limit_storage`
(memory:// per process, or a shared store for several processes).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from itsdangerous import BadSignature, URLSafeSerializer, URLSafeTimedSerializer
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

    from bot.settings import Settings
    from bot.storage.crypto import Vault

SESSION_COOKIE = "helpline_console"
PRELOGIN_COOKIE = "helpline_console_pre"
LANGUAGE_COOKIE = "helpline_console_lang"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
MAX_COOKIE = 1000


@dataclass(frozen=True)
class ConsoleSession:
    staff_id: int
    version: int
    nonce: str


class Guard:
    """Signs and checks the console's cookies and tokens; counts login attempts."""

    def __init__(self, settings: Settings, vault: Vault) -> None:
        key = vault.derived_key("console-cookies")
        self.max_age = int(settings.console.session_hours * 3600)
        self._sessions = URLSafeTimedSerializer(key, salt="console-session")
        self._prelogin = URLSafeSerializer(key, salt="console-prelogin")
        self._csrf = URLSafeSerializer(key, salt="console-csrf")
        secure = settings.console.secure_cookies
        if secure is None:
            secure = (settings.public_url or "").startswith("https://")
        self.secure = secure
        self._limit = parse(settings.console.login_rate)
        self._limiter = MovingWindowRateLimiter(
            storage_from_string(settings.console.rate_limit_storage)
        )
        self._name_key = vault.derived_key("console-login-names")

    # -- sessions -------------------------------------------------------

    def session(self, request: Request) -> ConsoleSession | None:
        raw = request.cookies.get(SESSION_COOKIE, "")
        if not raw or len(raw) > MAX_COOKIE:
            return None
        try:
            data: Any = self._sessions.loads(raw, max_age=self.max_age)
        except BadSignature:
            return None
        if not (isinstance(data, list) and len(data) == 3):
            return None
        staff_id, version, nonce = data
        if not (isinstance(staff_id, int) and isinstance(version, int) and isinstance(nonce, str)):
            return None
        return ConsoleSession(staff_id, version, nonce)

    def start_session(self, response: Response, staff_id: int, version: int) -> None:
        value = self._sessions.dumps([staff_id, version, self.fresh_nonce()])
        self._cookie(response, SESSION_COOKIE, str(value), self.max_age)
        response.delete_cookie(PRELOGIN_COOKIE, path="/console")

    def end_session(self, response: Response) -> None:
        response.delete_cookie(SESSION_COOKIE, path="/console")

    def _cookie(self, response: Response, name: str, value: str, max_age: int | None) -> None:
        response.set_cookie(
            name,
            value,
            max_age=max_age,
            path="/console",
            httponly=True,
            samesite="strict",
            secure=self.secure,
        )

    # -- CSRF -----------------------------------------------------------

    def prelogin_nonce(self, request: Request) -> str | None:
        raw = request.cookies.get(PRELOGIN_COOKIE, "")
        if not raw or len(raw) > MAX_COOKIE:
            return None
        try:
            nonce = self._prelogin.loads(raw)
        except BadSignature:
            return None
        return nonce if isinstance(nonce, str) else None

    @staticmethod
    def fresh_nonce() -> str:
        return secrets.token_urlsafe(24)

    def prelogin_cookie(self, response: Response, nonce: str) -> None:
        self._cookie(response, PRELOGIN_COOKIE, str(self._prelogin.dumps(nonce)), None)

    def token(self, nonce: str) -> str:
        return str(self._csrf.dumps(nonce))

    def token_matches(self, submitted: str | None, nonce: str | None) -> bool:
        if not submitted or not nonce or len(submitted) > MAX_COOKIE:
            return False
        try:
            signed = self._csrf.loads(submitted)
        except BadSignature:
            return False
        return isinstance(signed, str) and hmac.compare_digest(signed, nonce)

    # -- login attempts -------------------------------------------------

    def login_allowed(self, client: str, name: str) -> bool:
        """Counts this attempt; False when the address or the name has used up its attempts."""
        # Names are kept as keyed hashes: the counters hold no account names.
        named = hmac.new(self._name_key, name.strip().lower().encode(), hashlib.sha256)
        by_client = self._limiter.hit(self._limit, "console-login-client", client)
        by_name = self._limiter.hit(self._limit, "console-login-name", named.hexdigest()[:32])
        return by_client and by_name

    def language_cookie(self, response: Response, language: str) -> None:
        self._cookie(response, LANGUAGE_COOKIE, language, 365 * 24 * 3600)

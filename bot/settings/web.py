"""`rate_limits:` and `console:` in config.yml: the HTTP side's limits and the staff console."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator


class RateLimitSettings(BaseModel):
    """Rate limits on the web chat and the webhooks (the `limits` library; answers 429).

    Limits are `limits` strings ("60/minute", "5 per second"). A sender is the web chat
    session, the Telegram chat or the Twilio number; an address is the client's IP (the
    first X-Forwarded-For entry only with `trust_forwarded_for`, behind your own proxy).
    Telegram and Twilio call from few addresses: their per-address limit only stops floods.
    """

    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    web_chat_per_session: str = "60/minute"
    web_chat_per_address: str = "300/minute"
    # The page polls for replies (GET): per address only.
    web_chat_polls_per_address: str = "3000/minute"
    webhook_per_sender: str = "60/minute"
    webhook_per_address: str = "12000/minute"
    # "memory://" counts per process; "redis://host:6379" shares counts between processes.
    storage: str = "memory://"
    trust_forwarded_for: bool = False

    @field_validator(
        "web_chat_per_session",
        "web_chat_per_address",
        "web_chat_polls_per_address",
        "webhook_per_sender",
        "webhook_per_address",
    )
    @classmethod
    def _a_limit(cls, value: str) -> str:
        from limits import parse

        try:
            parse(value)
        except ValueError as exc:
            raise ValueError(f"{value!r} is not a rate limit like '60/minute'") from exc
        return value


class ConsoleSettings(BaseModel):
    """The staff console at /console: sessions, login limits, what caseworkers see."""

    model_config = ConfigDict(extra="forbid")

    # A console session lasts this long after login (then the staff member logs in again).
    session_hours: float = Field(12.0, gt=0, le=24 * 7)
    # Cookies only over HTTPS. None: when `public_url` starts with https://.
    secure_cookies: bool | None = None
    # Login attempts allowed per client address and per account name (the `limits` syntax).
    login_rate: str = "5/minute"
    # Where the login counters live (`limits` storage URI): memory:// is per process; with
    # several processes use a shared one (redis://, memcached://).
    rate_limit_storage: str = "memory://"
    # Caseworkers see the person's phone number (supervisors and admins always do).
    caseworkers_see_phone_numbers: bool = False
    # How often each live connection looks for changes (a cheap indexed query).
    poll_seconds: float = Field(1.0, gt=0, le=30)

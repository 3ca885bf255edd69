"""`telegram:`, `twilio:` and `delivery:` in config.yml: the channels' tunables and the outbox's."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class TelegramSettings(BaseModel):
    """Telegram tunables (the token, secret and base URL are contract variables, flat)."""

    model_config = ConfigDict(extra="forbid")

    # `helpline serve --polling`: long polling (getUpdates) instead of a webhook.
    polling: bool = False
    poll_timeout_seconds: float = Field(10.0, ge=0, le=50)
    request_timeout_seconds: float = Field(10.0, gt=0, le=120)
    connection_pool_size: int = Field(64, ge=1, le=1024)
    # An Update is a few kilobytes; anything much bigger is refused with 413.
    max_webhook_bytes: int = Field(1024 * 1024, ge=1024)


class TwilioSettings(BaseModel):
    """WhatsApp and SMS tunables (the account, token and numbers are contract variables)."""

    model_config = ConfigDict(extra="forbid")

    # An SMS reply stays within this many segments (shorter catalog texts are chosen to fit).
    sms_max_segments: int = Field(3, ge=1, le=10)
    # An approved WhatsApp template (ContentSid, HX...) sent when the 24-hour window has closed;
    # per language when there is one for the person's language.
    whatsapp_template_content_sid: str | None = None
    whatsapp_template_content_sids: dict[str, str] = {}
    # Our clock starts when we store a message, a little after Twilio's: close the window early.
    whatsapp_window_margin_seconds: int = Field(300, ge=0, le=3600)
    request_timeout_seconds: float = Field(15.0, gt=0, le=120)
    # A Twilio webhook is a few kilobytes; anything much bigger is refused with 413.
    max_webhook_bytes: int = Field(64 * 1024, ge=1024)


class DeliverySettings(BaseModel):
    """How the outbox sender delivers: retries, backoff, pacing."""

    model_config = ConfigDict(extra="forbid")

    # Retries: exponential backoff from `backoff_base_seconds`, capped, with jitter; a
    # platform's retry_after is the wait instead (and pauses that channel meanwhile).
    max_attempts: int = Field(12, ge=1)
    backoff_base_seconds: float = Field(1.0, gt=0)
    backoff_max_seconds: float = Field(300.0, gt=0)
    # An item left `sending` this long (its process died) goes back to the queue.
    sending_timeout_seconds: float = Field(30.0, gt=0)
    # How often the sender looks for retries that fell due (new replies wake it at once).
    poll_seconds: float = Field(0.5, gt=0)
    # Items claimed at once (one per person: a person's next waits for the one before).
    batch_size: int = Field(50, ge=1, le=1000)
    # Pacing for the channels named in `paced_channels` (0 turns a limit off); Telegram allows
    # about 1 message a second per chat (short bursts) and 30 a second per bot. Per process.
    paced_channels: list[str] = ["telegram"]
    per_chat_per_second: float = Field(1.0, ge=0)
    per_chat_burst: int = Field(3, ge=1)
    per_bot_per_second: float = Field(30.0, ge=0)

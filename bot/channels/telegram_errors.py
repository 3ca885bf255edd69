"""python-telegram-bot's errors as the outbox understands them (`SendError`).

`BadRequest` is a subclass of `NetworkError`, so it is tested first;
`TimedOut` is ambiguous (the message may have gone out) and is retried.
"""

from __future__ import annotations

import warnings
from datetime import timedelta

from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.warnings import PTBDeprecationWarning

from bot.channels.base import SendError


def retry_after_seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():
        # PTB 22 warns that `retry_after` will become a timedelta; both are handled.
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def send_error(exc: TelegramError) -> SendError:
    reason = exc.message[:160]
    if isinstance(exc, RetryAfter):
        return SendError("rate limited", retry_after=retry_after_seconds(exc), code="429")
    if isinstance(exc, Forbidden):
        # Blocked by the person, or removed from the group: retrying cannot help.
        return SendError(f"blocked: {reason}", permanent=True, code="403")
    if isinstance(exc, InvalidToken):
        # Our configuration, not the message: retried, so a fixed token delivers it.
        return SendError("invalid bot token", code="401")
    if isinstance(exc, ChatMigrated):
        return SendError("chat migrated to a supergroup", permanent=True, code="migrated")
    if isinstance(exc, BadRequest):
        return SendError(f"bad request: {reason}", permanent=True, code="400")
    if isinstance(exc, TimedOut):
        return SendError("timed out", code="timeout")
    if isinstance(exc, NetworkError):
        return SendError(f"network: {reason}", code="network")
    return SendError(f"telegram: {reason}", code="telegram")

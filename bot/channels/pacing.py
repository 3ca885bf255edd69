"""Pacing for platform sends: token buckets per chat and per bot, and pauses after a 429.

Telegram allows about one message a second in a chat (short bursts are
tolerated) and about thirty a second across chats; going faster earns
429 "retry after N". The sender waits here before each send on a paced
channel. A 429 with `retry_after` pauses the whole channel (the platform's
flood control counts the bot, not one message). Buckets live in one process:
N processes on one database may together send N times the bot rate.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.settings import DeliverySettings

IDLE_BUCKETS_KEPT = 10_000


@dataclass
class TokenBucket:
    rate: float  # tokens a second; 0 means unlimited
    burst: float
    tokens: float = field(init=False)
    updated: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        self.tokens = self.burst

    def _refill(self, now: float) -> None:
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now

    def reserve(self, now: float | None = None) -> float:
        """Take a token; return how long to wait before using it (0: now)."""
        if self.rate <= 0:
            return 0.0
        now = time.monotonic() if now is None else now
        self._refill(now)
        self.tokens -= 1
        return 0.0 if self.tokens >= 0 else -self.tokens / self.rate

    def full(self, now: float) -> bool:
        self._refill(now)
        return self.tokens >= self.burst


class Pacer:
    def __init__(self, settings: DeliverySettings) -> None:
        self.channels = frozenset(settings.paced_channels)
        self.per_chat = settings.per_chat_per_second
        self.per_chat_burst = settings.per_chat_burst
        self.per_bot = settings.per_bot_per_second
        self._bots: dict[str, TokenBucket] = {}
        self._chats: dict[tuple[str, str], TokenBucket] = {}
        self._paused_until: dict[str, float] = {}

    def pause(self, channel: str, seconds: float) -> None:
        """The platform said to wait: nothing goes out on the channel for `seconds`."""
        until = time.monotonic() + seconds
        self._paused_until[channel] = max(self._paused_until.get(channel, 0.0), until)

    def delay(self, channel: str, chat: str) -> float:
        """Reserve a send now; the seconds to wait before making it."""
        now = time.monotonic()
        wait = max(0.0, self._paused_until.get(channel, 0.0) - now)
        if channel not in self.channels:
            return wait
        bot = self._bots.get(channel)
        if bot is None:
            bot = self._bots[channel] = TokenBucket(self.per_bot, max(1.0, self.per_bot))
        chat_bucket = self._chats.get((channel, chat))
        if chat_bucket is None:
            if len(self._chats) > IDLE_BUCKETS_KEPT:
                self._prune(now)
            chat_bucket = self._chats[(channel, chat)] = TokenBucket(
                self.per_chat, float(self.per_chat_burst)
            )
        return max(wait, chat_bucket.reserve(now), bot.reserve(now))

    async def wait(self, channel: str, chat: str) -> None:
        seconds = self.delay(channel, chat)
        if seconds > 0:
            await asyncio.sleep(seconds)

    def _prune(self, now: float) -> None:
        for key in [key for key, bucket in self._chats.items() if bucket.full(now)]:
            del self._chats[key]

"""A channel that keeps what it is given: for conversation tests and the terminal."""

from __future__ import annotations

from bot.engine.messages import Outbound


class CollectingChannel:
    def __init__(self, name: str) -> None:
        self.name = name
        self.sent: list[Outbound] = []

    async def send(self, message: Outbound) -> str | None:
        self.sent.append(message)
        return f"{self.name}-{message.message_id}"

    def take(self) -> list[Outbound]:
        """The messages sent since the last call."""
        taken, self.sent = self.sent, []
        return taken

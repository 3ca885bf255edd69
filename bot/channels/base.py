"""The channel protocol: every platform adapter only translates.

Inbound, an adapter turns a platform payload into an `Inbound` and hands it
to the engine. Outbound, the outbox sender gives it an `Outbound` and the
adapter makes the platform call. Rendering is the adapter's job; a channel
without buttons uses `numbered_text`, which degrades buttons to a numbered
list the person answers by number (like Rasa's `send_text_with_buttons`).
"""

from __future__ import annotations

from typing import Protocol

from bot.engine.messages import Outbound


class SendError(Exception):
    """A send failed; `permanent` says whether retrying can help."""

    def __init__(self, reason: str, *, permanent: bool = False, retry_after: float | None = None):
        super().__init__(reason)
        self.permanent = permanent
        self.retry_after = retry_after


class Channel(Protocol):
    name: str

    async def send(self, message: Outbound) -> str | None:
        """Deliver one message; return the platform's message id. Raise SendError on failure."""
        ...


def numbered_text(message: Outbound) -> str:
    """Text with the buttons as a numbered list, for channels without buttons."""
    if not message.buttons:
        return message.text
    lines = [message.text, ""]
    lines += [f"{number}. {button.label}" for number, button in enumerate(message.buttons, 1)]
    return "\n".join(lines)

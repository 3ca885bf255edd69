"""The channel protocol: every platform adapter only translates.

Inbound, an adapter turns a platform payload into an `Inbound` and hands it
to the engine. Outbound, the outbox sender gives it an `Outbound` and the
adapter makes the platform call. Rendering is the adapter's job; a channel
without buttons uses `numbered_text`, which degrades buttons to a numbered
list the person answers by number (like Rasa's `send_text_with_buttons`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

from bot.engine.messages import Outbound

if TYPE_CHECKING:
    from starlette.routing import BaseRoute

    from bot.channels.intake import Intake


class SendError(Exception):
    """A send failed.

    `permanent`: retrying cannot help (blocked, opted out, invalid number); the
    message goes to the dead-letter state with `reason`, for staff to see.
    `hold`: the platform will not take it now but may later (outside
    WhatsApp's 24-hour window); it waits, marked, until the person writes.
    Otherwise it is retried with backoff, after `retry_after` seconds if given.
    `code` is the platform's error code, kept with the message.
    """

    def __init__(
        self,
        reason: str,
        *,
        permanent: bool = False,
        retry_after: float | None = None,
        hold: bool = False,
        code: str | None = None,
    ):
        super().__init__(reason)
        self.permanent = permanent
        self.retry_after = retry_after
        self.hold = hold
        self.code = code


class Channel(Protocol):
    name: str

    async def send(self, message: Outbound) -> str | None:
        """Deliver one message; return the platform's message id. Raise SendError on failure."""
        ...


@runtime_checkable
class Lifecycle(Protocol):
    """A channel that must start (register a webhook, start polling) and stop with the service."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


@runtime_checkable
class Webhooks(Protocol):
    """A channel that receives on HTTP: its routes hand messages to the intake."""

    def routes(self, intake: Intake) -> list[BaseRoute]: ...


def numbered_text(message: Outbound) -> str:
    """Text with the buttons as a numbered list, for channels without buttons."""
    if not message.buttons:
        return message.text
    lines = [message.text, ""]
    lines += [f"{number}. {button.label}" for number, button in enumerate(message.buttons, 1)]
    return "\n".join(lines)

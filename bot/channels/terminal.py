"""`helpline chat`: the helpline in a terminal, through the same engine, storage and outbox."""

from __future__ import annotations

import asyncio
import sys
from typing import TYPE_CHECKING, TextIO

from bot.channels.base import numbered_text
from bot.engine.messages import Inbound, Outbound

if TYPE_CHECKING:
    from bot.channels.sender import OutboxSender
    from bot.engine.engine import Engine

CHANNEL = "terminal"


class TerminalChannel:
    """Writes each message with its buttons as a numbered list."""

    name = CHANNEL

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.last_buttons: tuple[str, ...] = ()

    async def send(self, message: Outbound) -> str | None:
        self.out.write(f"\nbot> {numbered_text(message)}\n")
        self.out.flush()
        self.last_buttons = tuple(b.payload for b in message.buttons)
        return f"terminal-{message.message_id}"


def chat(
    engine: Engine,
    sender: OutboxSender,
    channel: TerminalChannel,
    language: str | None,
    user: str,
    stdin: TextIO = sys.stdin,
) -> None:
    """Read lines until end of input; each goes through the engine, replies through the outbox."""
    interactive = stdin.isatty()
    while True:
        if interactive:
            channel.out.write("\nyou> ")
            channel.out.flush()
        line = stdin.readline()
        if not line:
            break
        text = line.rstrip("\n")
        inbound = Inbound(
            channel=CHANNEL,
            sender_id=user,
            text=text,
            language_code=language,
        )
        engine.receive(inbound)
        asyncio.run(sender.flush())

"""An `Outbound` as Telegram messages: texts within 4096 characters, inline keyboards.

Telegram counts length in UTF-16 code units (an emoji counts two), so the
split does too. A long text is cut at line ends, else at spaces, else
anywhere, and its parts go out in order; the keyboard rides on the last part.
A button's `callback_data` is the engine's payload (`flow:step:choice`),
which names the question it belongs to, so a tap on an old message still
does what it said; a payload over 64 bytes cannot be sent and is left out.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.engine.messages import OFFER_EXIT, Outbound

log = logging.getLogger(__name__)

MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
QUICK_EXIT_DATA = "/exit"


@dataclass(frozen=True)
class Part:
    text: str
    markup: InlineKeyboardMarkup | None = None


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _cut(text: str, limit: int) -> int:
    """How many characters of `text` fit in `limit` UTF-16 units."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return index
    return len(text)


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Parts of at most `limit` UTF-16 units, cut at a line end, else a space, in order."""
    parts: list[str] = []
    rest = text
    while utf16_len(rest) > limit:
        head = rest[: _cut(rest, limit)]
        cut = head.rfind("\n")
        if cut <= 0:
            cut = head.rfind(" ")
        if cut <= 0:
            cut = len(head)
        part, rest = rest[:cut].rstrip(), rest[cut:].lstrip("\n ")
        if part:
            parts.append(part)
    if rest.strip() or not parts:
        parts.append(rest)
    return parts


def keyboard(message: Outbound, exit_label: str | None) -> InlineKeyboardMarkup | None:
    """One button a row (labels are whole phrases); the quick exit last."""
    rows: list[list[InlineKeyboardButton]] = []
    for button in message.buttons:
        if not 1 <= len(button.payload.encode()) <= MAX_CALLBACK_DATA:
            log.error("outbox %s: a button payload is too long for Telegram", message.outbox_id)
            continue
        rows.append([InlineKeyboardButton(button.label, callback_data=button.payload)])
    if exit_label:
        rows.append([InlineKeyboardButton(exit_label, callback_data=QUICK_EXIT_DATA)])
    return InlineKeyboardMarkup(rows) if rows else None


def render(message: Outbound, exit_label: str | None = None) -> list[Part]:
    """The messages to send for this outbound, in order."""
    texts = split_text(message.text)
    markup = keyboard(message, exit_label if message.action == OFFER_EXIT else None)
    return [
        Part(text, markup if index == len(texts) - 1 else None) for index, text in enumerate(texts)
    ]


def platform_id(message_ids: list[int], message_id: int) -> str:
    """What the outbox stores as the platform id: the chat's message ids, made unique.

    Telegram's message ids count per chat, so two chats share them; our own
    message id makes the stored value unique without writing the chat id.
    """
    return f"{','.join(str(i) for i in message_ids)}#{message_id}"


def chat_message_ids(refs: tuple[str, ...]) -> list[int]:
    """The chat's message ids in stored refs (an inbound ref, or `platform_id`'s form)."""
    ids: set[int] = set()
    for ref in refs:
        for value in ref.split("#", 1)[0].split(","):
            if value.strip().isdigit():
                ids.add(int(value))
    return sorted(ids)

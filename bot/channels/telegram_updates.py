"""A Telegram `Update` (python-telegram-bot) in, an `Inbound` (or nothing) out.

Only private chats are conversations; a group (the staff group) or a channel
post is acknowledged and left alone. The platform id is built from the
`update_id` (what Telegram redelivers) plus the chat and message ids, because
`update_id` restarts at a random value after a week without updates; it is
stored hashed. `platform_ref` is the message's id inside the chat, kept for
a quick exit. What is not text (photos, voice notes, stickers, documents,
edits) is named in `media`; its text is the caption, after a sign
a caseworker can read (no words, so the NLU gives it no language).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from telegram import Update

from bot.engine.messages import Inbound

if TYPE_CHECKING:
    from telegram import Bot, CallbackQuery, Message

CHANNEL = "telegram"
# Telegram commands and the platform-neutral commands the engine knows.
COMMANDS = {
    "start": "start",
    "menu": "menu",
    "help": "menu",
    "language": "language",
    "human": "human",
    "stop": "stop",
    "delete": "delete",
    "exit": "exit",
}
# A button that runs a command (the quick exit under a safety reply) carries it as its data.
COMMAND_PREFIX = "/"
# What is not text, in the engine's words, with a sign stored in its place.
MEDIA_SIGNS = {
    "photo": "📷",
    "video": "🎞",
    "animation": "🎞",
    "video_note": "🎞",
    "voice": "🎤",
    "audio": "🎵",
    "sticker": "🖼",
    "document": "📄",
    "contact": "👤",
    "poll": "📊",
}
LOCATION_SIGN = "📍"
EDITED_SIGN = "✏️"


@dataclass(frozen=True)
class Received:
    """An update made ready for the intake (nothing to store when `inbound` is None).

    `callback_id` names a button tap that must be answered, usable or not.
    """

    inbound: Inbound | None
    callback_id: str | None = None


def parse_update(data: dict[str, Any], bot: Bot | None) -> Update:
    """`Update.de_json`; raises on a payload that is not an Update (missing or wrong fields)."""
    update = Update.de_json(data, bot)
    if update is None:
        raise ValueError("empty update")
    return update


def command_of(text: str) -> str | None:
    """`/menu`, `/menu@helpline_bot`, `/start payload` → the engine's command, if we know it."""
    if not text.startswith(COMMAND_PREFIX):
        return None
    word = text[1:].split(maxsplit=1)[0] if len(text) > 1 else ""
    return COMMANDS.get(word.split("@", 1)[0].lower())


def _platform_id(update_id: int, chat_id: int, suffix: str | int) -> str:
    return f"{update_id}:{chat_id}:{suffix}"


def _media_of(message: Message) -> str | None:
    for kind in MEDIA_SIGNS:
        if getattr(message, kind, None):
            return kind
    return None


def from_message(update_id: int, message: Message, *, edited: bool = False) -> Inbound | None:
    chat = message.chat
    if chat.type != "private":
        return None
    user = message.from_user
    language_code = user.language_code if user else None
    text = message.text or ""
    media = _media_of(message)
    location = None
    if message.location is not None:
        location = (float(message.location.latitude), float(message.location.longitude))
    if media is not None:
        text = " ".join(part for part in (MEDIA_SIGNS[media], message.caption or "") if part)
    elif location is not None and not text:
        text = LOCATION_SIGN
    if edited:
        text = f"{EDITED_SIGN} {text}".strip()
        media = "edited"
    command = None if edited else command_of(text)
    return Inbound(
        channel=CHANNEL,
        sender_id=str(chat.id),
        text=text,
        platform_message_id=_platform_id(update_id, chat.id, message.message_id),
        language_code=language_code,
        has_media=media is not None,
        command=command,
        platform_ref=str(message.message_id),
        location=location,
        media=media,
    )


def _label_of(query: CallbackQuery) -> str:
    """The tapped button's label, read from the message it was under."""
    message = query.message
    markup = getattr(message, "reply_markup", None)
    for row in getattr(markup, "inline_keyboard", ()) or ():
        for button in row:
            if button.callback_data == query.data:
                return str(button.text)
    return ""


def from_callback(update_id: int, query: CallbackQuery) -> Inbound | None:
    message = query.message
    chat = getattr(message, "chat", None)
    if chat is None or chat.type != "private" or not query.data:
        return None
    data = str(query.data)
    command = command_of(data)
    return Inbound(
        channel=CHANNEL,
        sender_id=str(chat.id),
        text=_label_of(query) or data,
        platform_message_id=_platform_id(update_id, chat.id, f"cb{query.id}"),
        button=None if command else data,
        language_code=query.from_user.language_code if query.from_user else None,
        command=command,
    )


def received(update: Update) -> Received | None:
    """What the intake gets from this update; None for updates that are no conversation."""
    if update.callback_query is not None:
        query = update.callback_query
        return Received(from_callback(update.update_id, query), query.id)
    if update.message is not None:
        inbound = from_message(update.update_id, update.message)
    elif update.edited_message is not None:
        inbound = from_message(update.update_id, update.edited_message, edited=True)
    else:
        return None
    return Received(inbound) if inbound is not None else None


def from_raw(data: dict[str, Any]) -> Inbound | None:
    """A payload `Update.de_json` refused, when it still is a real private text message.

    Telegram changes shapes; a person's message must not be lost because a
    field we do not use is new or odd.
    """
    message = data.get("message")
    update_id = data.get("update_id")
    if not isinstance(message, dict) or not isinstance(update_id, int):
        return None
    chat = message.get("chat")
    text = message.get("text")
    message_id = message.get("message_id")
    if not isinstance(chat, dict) or not isinstance(text, str) or not isinstance(message_id, int):
        return None
    chat_id = chat.get("id")
    if not isinstance(chat_id, int) or chat.get("type", "private") != "private":
        return None
    sender = message.get("from")
    language_code = sender.get("language_code") if isinstance(sender, dict) else None
    return Inbound(
        channel=CHANNEL,
        sender_id=str(chat_id),
        text=text,
        platform_message_id=_platform_id(update_id, chat_id, message_id),
        language_code=language_code if isinstance(language_code, str) else None,
        command=command_of(text),
        platform_ref=str(message_id),
    )

"""The two shapes every channel translates to and from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# Outbox actions (`Outbound.action`).
QUICK_EXIT = "quick_exit"
OFFER_EXIT = "offer_exit"


@dataclass(frozen=True)
class Inbound:
    """A message as it reached us, already stripped of the platform's envelope.

    `platform_message_id` makes storage idempotent: the same id on the same
    channel is stored and processed once. `button` is the payload of a tapped
    button, if any. `language_code` is what the platform knows of the
    person's language (Telegram's `language_code`, the browser's language).

    `command` is a platform-neutral command the adapter recognised (`start`,
    `menu`, `language`, `human`, `stop`, `delete`, `exit`): Telegram's
    `/menu`, an SMS keyword like STOP. `platform_ref` is the id the platform
    gives the message inside the chat (Telegram's `message_id`), kept so a
    quick exit can delete it from the person's phone. `location` is a shared
    (latitude, longitude). `media` names what was sent that is not text
    (`photo`, `voice`, `sticker`, `document`, `edited`...).
    """

    channel: str
    sender_id: str
    text: str
    platform_message_id: str | None = None
    button: str | None = None
    language_code: str | None = None
    has_media: bool = False
    command: str | None = None
    platform_ref: str | None = None
    location: tuple[float, float] | None = None
    media: str | None = None


@dataclass(frozen=True)
class Button:
    payload: str
    label: str
    # A shorter label written for SMS (the catalog's `<label>.sms`), when there is one.
    short_label: str | None = None


@dataclass(frozen=True)
class Outbound:
    """A message to deliver: text plus optional buttons, rendered by the channel."""

    channel: str
    recipient_id: str
    text: str
    buttons: tuple[Button, ...] = ()
    language: str = "tr"
    outbox_id: int = 0
    message_id: int = 0
    # A quick exit: the channel first deletes these messages (platform refs) from the chat.
    delete_refs: tuple[str, ...] = ()
    # When the person last wrote to us (WhatsApp's 24-hour window is counted from it).
    last_inbound_at: datetime | None = None
    # A shorter text written for SMS (the catalog's `<msgid>.sms`), when there is one.
    short_text: str | None = None
    # Something to do besides sending the text (OutboxItem.action): `quick_exit` deletes
    # `delete_refs` from the chat first; `offer_exit` offers a quick-exit button under the
    # text where the platform can delete a chat (channels that cannot ignore it).
    action: str | None = None


@dataclass
class HandleResult:
    """What handling one inbound message did: its id, whether it was a redelivery, the replies."""

    message_id: int
    duplicate: bool = False
    replies: list[int] = field(default_factory=list)
    # Not processed: an earlier message of the same person is stored and not processed yet.
    waiting: bool = False

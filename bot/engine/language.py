"""Which language a conversation is in: the platform's, what the person writes, or asked."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.engine.messages import Inbound
    from bot.engine.turn import Turn

# A detected language replaces the conversation's only on this much evidence.
SWITCH_CONFIDENCE = 0.9
SWITCH_MIN_WORDS = 3
# A first message sets the language on less, when the platform does not say.
FIRST_MESSAGE_CONFIDENCE = 0.6


def has_words(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def platform_language(inbound: Inbound, languages: Sequence[str]) -> str | None:
    """The platform's language code ("ar-SY" → "ar") when we speak it."""
    code = (inbound.language_code or "").split("-")[0].lower()
    return code if code in languages else None


def settle_language(turn: Turn, text: str, languages: Sequence[str]) -> None:
    """Set or switch the conversation's language; leave it unset when nothing tells."""
    conversation, understanding = turn.conversation, turn.understanding
    detected = understanding.language
    clear = (
        detected in languages
        and understanding.language_confidence >= SWITCH_CONFIDENCE
        and len(text.split()) >= SWITCH_MIN_WORDS
    )
    if conversation.language is None:
        platform = platform_language(turn.inbound, languages)
        first_message_tells = (
            detected in languages
            and platform is None
            and understanding.language_confidence >= FIRST_MESSAGE_CONFIDENCE
            and has_words(text)
            and not text.strip().isdigit()
        )
        if clear or first_message_tells:
            turn.set_language(detected)
        elif platform:
            turn.set_language(platform)
    elif clear and detected != conversation.language and turn.inbound.button is None:
        # a tap's text is the button's label, ours (a service's Turkish name), not theirs
        turn.set_language(detected)

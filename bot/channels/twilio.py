"""WhatsApp and SMS through Twilio (twilio 9): webhooks in, REST API calls out."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.channels.base import Channel
    from bot.settings import Settings
    from bot.storage.crypto import Vault
    from bot.storage.db import Database


def build_twilio(settings: Settings, db: Database, vault: Vault) -> list[Channel]:
    """The WhatsApp and SMS channels when the Twilio account settings are there."""
    return []

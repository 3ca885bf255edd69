"""Telegram (python-telegram-bot 22): webhook or long polling in, Bot API calls out."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.channels.base import Channel
    from bot.settings import Settings
    from bot.storage.crypto import Vault
    from bot.storage.db import Database


def build_telegram(settings: Settings, db: Database, vault: Vault) -> Channel | None:
    """The Telegram channel when `TELEGRAM_BOT_TOKEN` is set."""
    return None

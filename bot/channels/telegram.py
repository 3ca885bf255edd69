"""Telegram (python-telegram-bot 22): webhook or long polling in, Bot API calls out.

| module | does |
| --- | --- |
| `telegram` | the channel: start/stop (webhook, commands, polling), `send`, quick exit |
| `telegram_inbound` | `POST /webhooks/telegram`, long polling, answering button taps |
| `telegram_updates` | an `Update` as an `Inbound` (commands, locations, media, edits) |
| `telegram_render` | an `Outbound` as messages within 4096 characters, inline keyboards |
| `telegram_errors` | PTB's errors as `SendError` (blocked, flood wait, bad request...) |

The engine never learns it serves Telegram: this channel only translates.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from telegram import Bot, BotCommand
from telegram.error import BadRequest, TelegramError
from telegram.request import HTTPXRequest

from bot.channels.telegram_errors import send_error
from bot.channels.telegram_inbound import ALLOWED_UPDATES, WEBHOOK_PATH, TelegramInbound
from bot.channels.telegram_render import chat_message_ids, platform_id, render
from bot.channels.telegram_updates import CHANNEL
from bot.engine.messages import QUICK_EXIT
from bot.engine.texts import COMMAND_NAMES, Texts

if TYPE_CHECKING:
    from starlette.routing import BaseRoute

    from bot.channels.base import Channel
    from bot.channels.intake import Intake
    from bot.engine.messages import Outbound
    from bot.settings import Settings
    from bot.storage.crypto import Vault
    from bot.storage.db import Database

log = logging.getLogger(__name__)

EXIT_BUTTON = "exit.button"
DELETE_CHUNK = 100  # deleteMessages takes 1-100 ids a call


class TelegramChannel:
    name = CHANNEL

    def __init__(
        self,
        bot: Bot,
        texts: Texts,
        *,
        secret: str | None = None,
        public_url: str | None = None,
        polling: bool = False,
        default_language: str = "tr",
        max_webhook_bytes: int = 1024 * 1024,
        poll_timeout: float = 10.0,
    ) -> None:
        self.bot = bot
        self.texts = texts
        self.secret = secret
        self.public_url = public_url
        self.polling = polling
        self.default_language = default_language
        self.inbound = TelegramInbound(bot, secret, max_webhook_bytes, poll_timeout)

    # -- Webhooks and Lifecycle ------------------------------------------------------

    def routes(self, intake: Intake) -> list[BaseRoute]:
        return list(self.inbound.routes(intake))

    @property
    def webhook_url(self) -> str | None:
        return f"{self.public_url.rstrip('/')}{WEBHOOK_PATH}" if self.public_url else None

    async def start(self) -> None:
        """getMe, the command menus, then the webhook (or polling). Failures are logged.

        The service keeps serving when Telegram is unreachable at start: the
        outbox retries what it cannot deliver, and a restart registers again.
        """
        try:
            await self.bot.initialize()
            await self.register_commands()
            if self.polling:
                await self.inbound.start_polling()
            elif self.webhook_url:
                await self.bot.set_webhook(
                    url=self.webhook_url,
                    secret_token=self.secret,
                    allowed_updates=ALLOWED_UPDATES,
                )
        except TelegramError as exc:
            log.error("telegram: start-up call failed: %s", type(exc).__name__)

    async def stop(self) -> None:
        await self.inbound.stop_polling()
        await self.inbound.drain()
        await self.bot.shutdown()

    def commands(self, language: str) -> list[BotCommand]:
        return [
            BotCommand(name, self.texts.get(language, f"command.{name}")) for name in COMMAND_NAMES
        ]

    async def register_commands(self) -> None:
        """The command menu in each language, and the default language's for everyone else."""
        for language in self.texts.languages:
            await self.bot.set_my_commands(self.commands(language), language_code=language)
        await self.bot.set_my_commands(self.commands(self.default_language))

    # -- Channel ---------------------------------------------------------------------

    async def send(self, message: Outbound) -> str | None:
        chat_id = message.recipient_id
        try:
            if message.action == QUICK_EXIT:
                await self.delete(chat_id, chat_message_ids(message.delete_refs))
            exit_label = self.texts.get(message.language, EXIT_BUTTON)
            sent: list[int] = []
            for part in render(message, exit_label):
                result = await self.bot.send_message(
                    chat_id=chat_id, text=part.text, reply_markup=part.markup
                )
                sent.append(result.message_id)
        except TelegramError as exc:
            raise send_error(exc) from exc
        return platform_id(sent, message.message_id)

    async def delete(self, chat_id: str, message_ids: list[int]) -> None:
        """Delete these messages from the chat, 100 a call; ids it cannot find are skipped.

        A refusal of the deletion itself (too old, already gone) must not keep
        the neutral line from going out; blocked or flood wait still raise.
        """
        for start in range(0, len(message_ids), DELETE_CHUNK):
            chunk = message_ids[start : start + DELETE_CHUNK]
            try:
                await self.bot.delete_messages(chat_id=chat_id, message_ids=chunk)
            except BadRequest as exc:
                log.warning("telegram: quick exit: %d not deleted: %s", len(chunk), exc)


def quiet_library_logs() -> None:
    """Keep the token, chat ids and texts out of the logs, also with `--verbose`.

    httpx logs every request URL at INFO (the URL holds the bot token), and
    PTB logs each call's parameters (chat id, text) at DEBUG.
    """
    for name, level in (("httpx", logging.WARNING), ("httpcore", logging.WARNING)):
        logging.getLogger(name).setLevel(level)
    logging.getLogger("telegram").setLevel(logging.INFO)


def build_bot(settings: Settings) -> Bot:
    assert settings.telegram_bot_token
    quiet_library_logs()
    tuning = settings.telegram
    request = HTTPXRequest(
        connection_pool_size=tuning.connection_pool_size,
        read_timeout=tuning.request_timeout_seconds,
        write_timeout=tuning.request_timeout_seconds,
        connect_timeout=tuning.request_timeout_seconds,
    )
    # Long polls hold their connection for the poll timeout, on a request of their own.
    polling_request = HTTPXRequest(
        connection_pool_size=1,
        read_timeout=tuning.request_timeout_seconds + tuning.poll_timeout_seconds,
    )
    base_url = settings.telegram_api_base_url or "https://api.telegram.org/bot"
    return Bot(
        settings.telegram_bot_token,
        base_url=base_url,
        request=request,
        get_updates_request=polling_request,
    )


def build_telegram(settings: Settings, db: Database, vault: Vault) -> Channel | None:
    """The Telegram channel when `TELEGRAM_BOT_TOKEN` is set."""
    if not settings.telegram_bot_token:
        return None
    return TelegramChannel(
        build_bot(settings),
        Texts(settings.locales_dir, list(settings.languages)),
        secret=settings.telegram_webhook_secret,
        public_url=settings.public_url,
        polling=settings.telegram.polling,
        default_language=settings.default_language,
        max_webhook_bytes=settings.telegram.max_webhook_bytes,
        poll_timeout=settings.telegram.poll_timeout_seconds,
    )

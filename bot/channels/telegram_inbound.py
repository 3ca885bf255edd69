"""Telegram updates in: `POST /webhooks/telegram`, or long polling, into the same intake.

The webhook checks `X-Telegram-Bot-Api-Secret-Token` in constant time when a
secret is configured (403 otherwise), parses the update with
`Update.de_json`, stores it through the intake and answers 200 at once; the
engine works in the background. Any other answer makes Telegram redeliver,
and a redelivery is recognised by its stored id and not answered twice. A
body that is not JSON, or JSON that is not an Update, gets a clean 400; when
it still is a person's text message it is stored and answered all the same
(and its redelivery acknowledged with 200).
Every button tap is answered (`answerCallbackQuery`) so its spinner stops.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from telegram.error import TelegramError
from telegram.ext import Updater

from bot.channels.telegram_updates import from_raw, parse_update, received

if TYPE_CHECKING:
    from starlette.requests import Request
    from telegram import Bot, Update

    from bot.channels.intake import Intake

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]


class TelegramInbound:
    def __init__(
        self, bot: Bot, secret: str | None, max_bytes: int, poll_timeout: float = 10.0
    ) -> None:
        self.bot = bot
        self.secret = secret
        self.max_bytes = max_bytes
        self.poll_timeout = poll_timeout
        self.intake: Intake | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._updater: Updater | None = None
        self._queue: asyncio.Queue[object] | None = None
        self._consumer: asyncio.Task[None] | None = None

    # -- the intake side -------------------------------------------------------------

    async def take(self, update: Update) -> bool | None:
        """Store one update and answer its button tap. Returns `duplicate`, None if ignored."""
        assert self.intake is not None, "routes() gives the channel its intake"
        got = received(update)
        if got is None:
            return None
        duplicate = None
        if got.inbound is not None:
            _, duplicate = await self.intake.accept(got.inbound)
        if got.callback_id is not None:
            self._spawn(self._answer(got.callback_id))
        return duplicate

    def _spawn(self, coroutine: Any) -> None:
        task = asyncio.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _answer(self, callback_id: str) -> None:
        try:
            await self.bot.answer_callback_query(callback_id)
        except TelegramError as exc:  # too old, or answered already by a redelivery
            log.info("callback query not answered: %s", type(exc).__name__)

    async def drain(self) -> None:
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    # -- the webhook -----------------------------------------------------------------

    def _authorised(self, request: Request) -> bool:
        if not self.secret:
            return True
        given = request.headers.get(SECRET_HEADER, "")
        return hmac.compare_digest(given.encode(), self.secret.encode())

    async def webhook(self, request: Request) -> Response:
        if not self._authorised(request):
            return JSONResponse({"error": "forbidden"}, status_code=403)
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            return JSONResponse({"error": "too large"}, status_code=413)
        body = await request.body()
        if len(body) > self.max_bytes:
            return JSONResponse({"error": "too large"}, status_code=413)
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            return JSONResponse({"error": "not JSON"}, status_code=400)
        if not isinstance(data, dict):
            return JSONResponse({"error": "not a Telegram update"}, status_code=400)
        try:
            update = parse_update(data, self.bot)
        except Exception:  # de_json raises KeyError, TypeError, ValueError... on odd shapes
            return await self._malformed(data)
        duplicate = await self.take(update)
        return JSONResponse({"ok": True, "duplicate": bool(duplicate)})

    async def _malformed(self, data: dict[str, Any]) -> Response:
        """400, storing it when it is a person's text message; its redelivery gets 200.

        Telegram redelivers whatever was not answered 2xx: once the message is
        stored, a redelivery is acknowledged so it does not come back for a day.
        """
        inbound = from_raw(data)
        stored = False
        if inbound is not None:
            assert self.intake is not None
            _, duplicate = await self.intake.accept(inbound)
            if duplicate:
                return JSONResponse({"ok": True, "duplicate": True})
            stored = True
        log.warning("telegram webhook: an update PTB cannot read (stored=%s)", stored)
        return JSONResponse({"error": "not a Telegram update", "stored": stored}, status_code=400)

    def routes(self, intake: Intake) -> list[Route]:
        self.intake = intake
        return [Route(WEBHOOK_PATH, self.webhook, methods=["POST"])]

    # -- long polling ----------------------------------------------------------------

    async def start_polling(self) -> None:
        """getUpdates through PTB's Updater (which deletes the webhook first)."""
        queue: asyncio.Queue[object] = asyncio.Queue()
        self._queue = queue
        self._updater = Updater(self.bot, queue)
        await self._updater.initialize()
        await self._updater.start_polling(
            timeout=timedelta(seconds=self.poll_timeout), allowed_updates=ALLOWED_UPDATES
        )
        self._consumer = asyncio.create_task(self._consume(queue))

    async def _consume(self, queue: asyncio.Queue[object]) -> None:
        from telegram import Update

        while True:
            item = await queue.get()
            if item is None:
                return  # stop_polling: everything fetched before it has been taken
            if not isinstance(item, Update):
                continue
            try:
                await self.take(item)
            except Exception:
                # Not stored: the update is lost to polling (webhooks are redelivered).
                log.exception("telegram polling: an update could not be stored")

    async def stop_polling(self) -> None:
        if self._updater is not None:
            if self._updater.running:
                await self._updater.stop()
            await self._updater.shutdown()
            self._updater = None
        if self._consumer is not None and self._queue is not None:
            # Updates fetched (and confirmed to Telegram) are stored before stopping.
            self._queue.put_nowait(None)
            with contextlib.suppress(asyncio.CancelledError):
                await self._consumer
            self._consumer = None

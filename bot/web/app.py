"""The HTTP side of `helpline serve`: web chat, health, and (later) webhooks and console."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.responses import FileResponse, JSONResponse
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from bot.cases.deadlines import DeadlineWatcher
from bot.channels.base import Lifecycle, Webhooks
from bot.privacy.schedule import PurgeSchedule
from bot.programmes.reminders import ReminderSchedule
from bot.services.follow_up import FollowUpSchedule
from bot.web.api import api_routes
from bot.web.chat import make_handlers
from bot.web.console import console_routes
from bot.web.metrics import WebhookTimer, metrics_routes
from bot.web.privacy_api import privacy_routes
from bot.web.ratelimit import RateLimits

if TYPE_CHECKING:
    from starlette.requests import Request

    from bot.app import Helpline

STATIC = Path(__file__).parent / "static"


def build_web_app(helpline: Helpline, *, run_sender: bool = True) -> Starlette:
    post_message, get_messages = make_handlers(helpline)

    async def index(_request: Request) -> FileResponse:
        return FileResponse(STATIC / "chat.html", media_type="text/html; charset=utf-8")

    async def healthz(_request: Request) -> JSONResponse:
        if await run_in_threadpool(helpline.db.ping):
            return JSONResponse({"status": "ok"})
        return JSONResponse({"status": "error", "database": "unreachable"}, status_code=503)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        await run_in_threadpool(helpline.engine.recover)
        task = asyncio.create_task(helpline.sender.run()) if run_sender else None
        # Flags cases past their first-response deadline and alerts the supervisors, once.
        watcher = DeadlineWatcher(helpline.db, helpline.engine.desk, wake=helpline.sender.wake)
        watching = asyncio.create_task(watcher.run(helpline.settings.cases.deadline_check_seconds))
        # The retention purge, every `privacy.purge_interval_hours` (config.yml).
        purging = asyncio.create_task(PurgeSchedule(helpline.db, helpline.settings.privacy).run())
        # Session reminders (`programmes.reminder_hours_before`), on the engine's clock.
        reminders = ReminderSchedule(
            helpline.db,
            helpline.vault,
            helpline.engine.texts,
            helpline.settings.programmes,
            helpline.settings.default_language,
            clock=helpline.engine.desk.now,
            wake=helpline.sender.wake,
        )
        reminding = asyncio.create_task(reminders.run())
        # "Did you get help there?" `services.follow_up_days` after a pick, on the engine's clock.
        follow_ups = FollowUpSchedule(
            helpline.db,
            helpline.vault,
            helpline.engine.texts,
            helpline.settings.services,
            helpline.settings.default_language,
            clock=helpline.engine.desk.now,
            wake=helpline.sender.wake,
        )
        following = asyncio.create_task(follow_ups.run())
        started = []
        try:
            for channel in helpline.channels.values():
                if isinstance(channel, Lifecycle):
                    await channel.start()
                    started.append(channel)
            yield
        finally:
            for channel in reversed(started):
                await channel.stop()
            await helpline.intake.drain()
            for background in (watching, purging, reminding, following):
                background.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await background
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    routes: list[BaseRoute] = [
        Route("/", index),
        Route("/healthz", healthz),
        Route("/chat/api/messages", post_message, methods=["POST"]),
        Route("/chat/api/messages", get_messages, methods=["GET"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    for channel in helpline.channels.values():
        if isinstance(channel, Webhooks):
            routes += channel.routes(helpline.intake)
    routes += api_routes(helpline)
    routes += privacy_routes(helpline)
    routes += metrics_routes(helpline)
    routes += console_routes(helpline)
    return Starlette(
        routes=routes,
        lifespan=lifespan,
        middleware=[
            Middleware(WebhookTimer, telemetry=helpline.telemetry),
            # Per sender and per address on the web chat and the webhooks (429).
            Middleware(RateLimits, settings=helpline.settings.rate_limits, vault=helpline.vault),
        ],
    )

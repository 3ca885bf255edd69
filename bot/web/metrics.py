"""`GET /metrics` (Prometheus text format) and the webhook latency middleware.

The registry is the app's own (`Helpline.telemetry.registry`, built in
`create_app`); nothing here touches prometheus-client's global registry.
Collecting reads the outbox from the database, so it runs in a thread.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response
from starlette.routing import Route

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.routing import BaseRoute
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from bot.app import Helpline
    from bot.channels.telemetry import Telemetry

WEBHOOK_PREFIX = "/webhooks/"


def metrics_routes(helpline: Helpline) -> list[BaseRoute]:
    registry = helpline.telemetry.registry

    async def metrics(_request: Request) -> Response:
        body = await run_in_threadpool(generate_latest, registry)
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    return [Route("/metrics", metrics, methods=["GET"])]


class WebhookTimer:
    """ASGI middleware: how long each `/webhooks/...` request takes to answer, by path."""

    def __init__(self, app: ASGIApp, telemetry: Telemetry) -> None:
        self.app = app
        self.telemetry = telemetry

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not path.startswith(WEBHOOK_PREFIX):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def timed_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                # A route's path (unknown paths share one label: no unbounded label values).
                label = "unknown" if message.get("status") == 404 else path[:64]
                self.telemetry.webhook_seconds.labels(label).observe(time.perf_counter() - started)
            await send(message)

        await self.app(scope, receive, timed_send)

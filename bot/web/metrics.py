"""`GET /metrics`: Prometheus text format."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.routing import BaseRoute

    from bot.app import Helpline


def metrics_routes(helpline: Helpline) -> list[BaseRoute]:
    return []

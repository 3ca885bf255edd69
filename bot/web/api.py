"""The staff API (CONTRACT.md section 3): cases, audit, referrals; bearer tokens."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.routing import BaseRoute

    from bot.app import Helpline


def api_routes(helpline: Helpline) -> list[BaseRoute]:
    return []

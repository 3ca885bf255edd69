"""The web chat at `/`: the browser is the platform.

Delivery is a state change: the sender marks the message sent and the page,
which polls `/chat/api/messages`, shows it. So web chat replies take the same
path as every other channel's: stored, queued in the outbox, then delivered.
"""

from __future__ import annotations

from bot.engine.messages import Outbound

CHANNEL = "web"


class WebChatChannel:
    name = CHANNEL
    # The page fetches what was delivered (an erasure's confirmation is forgotten then).
    polled = True

    async def send(self, message: Outbound) -> str | None:
        return f"web-{message.message_id}"

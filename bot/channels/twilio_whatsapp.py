"""WhatsApp through Twilio: numbered choices, and the 24-hour customer-service window.

WhatsApp lets a business write free-form only within 24 hours of the
person's last message. Outside it a message is not sent and not dropped:
it is held (marked, shown to staff) until the person writes again, when
the sender delivers everything held, in order. When an approved template is
configured (ContentSid), it goes out once per closed window, so the person
knows there is something to read and that replying opens it.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from bot.channels.base import SendError, numbered_text
from bot.channels.twilio_rest import TwilioChannel
from bot.channels.twilio_store import HELD_REASON, OUTSIDE_WINDOW

if TYPE_CHECKING:
    from bot.channels.twilio_rest import TwilioApi
    from bot.channels.twilio_store import TwilioStore
    from bot.channels.twilio_webhooks import TwilioWebhooks
    from bot.engine.messages import Outbound
    from bot.settings import TwilioSettings

log = logging.getLogger(__name__)

WINDOW = timedelta(hours=24)
PREFIX = "whatsapp:"


def address(number: str) -> str:
    return number if number.startswith(PREFIX) else f"{PREFIX}{number}"


class WhatsAppChannel(TwilioChannel):
    name = "whatsapp"

    def __init__(
        self,
        api: TwilioApi,
        store: TwilioStore,
        from_number: str | None,
        settings: TwilioSettings,
        webhooks: TwilioWebhooks | None = None,
    ) -> None:
        super().__init__(api, store, from_number, webhooks)
        self.window = WINDOW - timedelta(seconds=settings.whatsapp_window_margin_seconds)
        self.templates = dict(settings.whatsapp_template_content_sids)
        self.default_template = settings.whatsapp_template_content_sid

    def window_open(self, last_inbound_at: datetime | None, now: datetime | None = None) -> bool:
        if last_inbound_at is None:
            return False
        if last_inbound_at.tzinfo is None:  # SQLite gives naive UTC datetimes back
            last_inbound_at = last_inbound_at.replace(tzinfo=UTC)
        return (now or datetime.now(UTC)) - last_inbound_at < self.window

    async def send(self, message: Outbound) -> str | None:
        sender = address(self._sender())
        if not self.window_open(message.last_inbound_at):
            await self._notify(message, sender)
            raise SendError(HELD_REASON, hold=True, code=OUTSIDE_WINDOW)
        try:
            return await self._create(
                message,
                to=address(message.recipient_id),
                from_=sender,
                body=numbered_text(message),
            )
        except SendError as exc:
            if exc.hold:  # Twilio counted the window closed before we did
                await self._notify(message, sender)
            raise

    async def _notify(self, message: Outbound, sender: str) -> None:
        """Send the approved template, once for everything held since the window closed."""
        template = self.templates.get(message.language, self.default_template)
        if not template:
            return
        if await asyncio.to_thread(self.store.others_held, message.outbox_id):
            return
        try:
            await self.api.create(
                to=address(message.recipient_id), from_=sender, content_sid=template
            )
        except SendError as exc:  # the message stays held either way; staff see it
            log.warning("outbox %s: WhatsApp template not sent: %s", message.outbox_id, exc)

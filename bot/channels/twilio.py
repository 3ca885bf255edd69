"""WhatsApp and SMS through Twilio (twilio 9): webhooks in, REST API calls out.

| module | does |
| --- | --- |
| `twilio_webhooks` | `POST /webhooks/twilio` and `/webhooks/twilio/status`, signatures |
| `twilio_rest` | the REST client (in a thread) and its errors |
| `twilio_store` | SIDs and forward-only delivery statuses |
| `twilio_whatsapp` | numbered choices, the 24-hour window, the template |
| `sms`, `sms_text` | segment budget, short texts, STOP/START keywords |
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.channels.sms import SmsChannel
from bot.channels.twilio_rest import TwilioApi
from bot.channels.twilio_store import TwilioStore
from bot.channels.twilio_webhooks import TwilioWebhooks
from bot.channels.twilio_whatsapp import WhatsAppChannel

if TYPE_CHECKING:
    from bot.channels.base import Channel
    from bot.settings import Settings
    from bot.storage.crypto import Vault
    from bot.storage.db import Database


def build_twilio(settings: Settings, db: Database, vault: Vault) -> list[Channel]:
    """The WhatsApp and SMS channels when the Twilio account settings are there.

    Both share one webhook (Twilio tells them apart by `From`). A channel
    without its sender number still receives; what it would send is
    refused as permanent, so staff see it instead of it waiting forever.
    """
    if not (settings.twilio_account_sid and settings.twilio_auth_token):
        return []
    api = TwilioApi(settings)
    store = TwilioStore(db)
    webhooks = TwilioWebhooks(settings, store)
    return [
        WhatsAppChannel(
            api, store, settings.twilio_from_whatsapp, settings.twilio, webhooks=webhooks
        ),
        SmsChannel(api, store, settings.twilio_from_sms, settings.twilio.sms_max_segments),
    ]

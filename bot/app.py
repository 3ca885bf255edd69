"""`create_app(settings)`: builds every part once and passes it down. No singletons."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

from prometheus_client import CollectorRegistry

from bot.cases.hours import StaffedHours
from bot.channels.intake import Intake
from bot.channels.sender import OutboxSender
from bot.channels.telegram import build_telegram
from bot.channels.telemetry import Telemetry
from bot.channels.terminal import TerminalChannel
from bot.channels.twilio import build_twilio
from bot.channels.webchat import WebChatChannel
from bot.engine.engine import Engine
from bot.engine.flows import load_flows
from bot.engine.language_menu import offer_languages
from bot.engine.texts import Texts
from bot.nlu.embedded import build_nlu
from bot.storage.crypto import Vault, load_secrets
from bot.storage.db import Database
from bot.storage.models import utcnow

if TYPE_CHECKING:
    from bot.cases.escalation import Clock
    from bot.channels.base import Channel
    from bot.nlu.base import NLU
    from bot.settings import Settings


@dataclass
class Helpline:
    settings: Settings
    db: Database
    vault: Vault
    nlu: NLU
    engine: Engine
    sender: OutboxSender
    intake: Intake
    telemetry: Telemetry
    channels: dict[str, Channel] = field(default_factory=dict)


def open_vault(settings: Settings) -> Vault:
    """The current key and the previous ones still read (key rotation)."""
    current, previous = load_secrets(
        settings.secret_key, settings.previous_secret_keys, settings.resolved_key_file()
    )
    return Vault(current, previous)


def build_texts(settings: Settings) -> Texts:
    """The catalogs of the configured languages, with the values every text may use."""
    hours = StaffedHours(settings.cases)
    return Texts(
        settings.locales_dir,
        list(settings.languages),
        {language: {"staffed_hours": hours.describe(language)} for language in settings.languages},
    )


def create_app(
    settings: Settings,
    *,
    nlu: NLU | None = None,
    extra_channels: list[Channel] | None = None,
    terminal_out: TextIO | None = None,
    migrate: bool = True,
    clock: Clock | None = None,
) -> Helpline:
    """Check the content, open the database (migrating it), load the NLU and wire it up.

    Flows and catalogs are checked before anything else, so a mistake in
    them stops the service at start rather than in a conversation.
    """
    flows = offer_languages(load_flows(settings.flows_dir), settings.languages)
    texts = build_texts(settings)
    db = Database(settings.database_url)
    if migrate:
        db.migrate()
    vault = open_vault(settings)
    understanding = nlu if nlu is not None else build_nlu(settings)
    engine = Engine(settings, db, vault, understanding, flows, texts, clock=clock)
    channels: dict[str, Channel] = {
        "web": WebChatChannel(),
        "terminal": TerminalChannel(terminal_out or sys.stdout),
    }
    telegram = build_telegram(settings, db, vault)
    platform_channels = [telegram] if telegram is not None else []
    platform_channels += build_twilio(settings, db, vault)
    for channel in [*platform_channels, *(extra_channels or [])]:
        channels[channel.name] = channel
    telemetry = Telemetry(CollectorRegistry(), db)
    sender = OutboxSender(db, vault, channels, settings.delivery, telemetry, clock=clock or utcnow)
    return Helpline(
        settings=settings,
        db=db,
        vault=vault,
        nlu=understanding,
        engine=engine,
        sender=sender,
        intake=Intake(engine, sender, telemetry),
        telemetry=telemetry,
        channels=channels,
    )

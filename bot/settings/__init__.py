"""Settings: environment variables win over `config.yml`, which wins over defaults.

`config.yml` is shared with Rasa: Rasa reads its `language` and `pipeline`,
the helpline reads its `helpline:` section. The environment variable names
are fixed by CONTRACT.md section 4.

Each section of `helpline:` is a model in a module of its own here; every name is
importable from `bot.settings` itself.
"""

from bot.settings.cases import (
    WEEKDAYS,
    CaseSettings,
    DeadlineSettings,
    Priority,
    Weekday,
    parse_ranges,
)
from bot.settings.channels import DeliverySettings, TelegramSettings, TwilioSettings
from bot.settings.helpline import Settings
from bot.settings.loader import DEFAULT_CONFIG_FILE, SettingsError, load_settings
from bot.settings.nlu import NluSettings
from bot.settings.privacy import PrivacySettings, RetentionSettings
from bot.settings.services import ServiceMapSettings
from bot.settings.web import ConsoleSettings, RateLimitSettings

__all__ = [
    "DEFAULT_CONFIG_FILE",
    "WEEKDAYS",
    "CaseSettings",
    "ConsoleSettings",
    "DeadlineSettings",
    "DeliverySettings",
    "NluSettings",
    "Priority",
    "PrivacySettings",
    "RateLimitSettings",
    "RetentionSettings",
    "ServiceMapSettings",
    "Settings",
    "SettingsError",
    "TelegramSettings",
    "TwilioSettings",
    "Weekday",
    "load_settings",
    "parse_ranges",
]

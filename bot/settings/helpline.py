"""The helpline's settings: the contract's variables, paths, languages, one section per part.

The environment variable names are fixed by CONTRACT.md section 4; each section
(`nlu:`, `cases:`, ...) is a model of its own module in this package.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    YamlConfigSettingsSource,
)

from bot.languages import LANGUAGE_CODE, catalog_languages, catalog_path
from bot.programmes.settings import ProgrammeSettings
from bot.settings.cases import CaseSettings
from bot.settings.channels import DeliverySettings, TelegramSettings, TwilioSettings
from bot.settings.nlu import NluSettings
from bot.settings.privacy import PrivacySettings
from bot.settings.services import ServiceMapSettings
from bot.settings.web import ConsoleSettings, RateLimitSettings


def _env(name: str, key: str) -> AliasChoices:
    """Accept the contract's environment name and the plain key in `config.yml`."""
    return AliasChoices(name, key)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        extra="forbid",
        env_prefix="HELPLINE_",
        env_nested_delimiter="__",
        populate_by_name=True,
        yaml_config_section="helpline",
    )

    database_url: str = Field(
        "sqlite:///./helpline.db", validation_alias=_env("HELPLINE_DATABASE_URL", "database_url")
    )
    secret_key: str | None = Field(
        None, validation_alias=_env("HELPLINE_SECRET_KEY", "secret_key"), repr=False
    )
    # Key rotation: secrets still read (comma-separated) until `helpline privacy rotate-key`
    # has re-encrypted everything under `secret_key` (README, "Data protection").
    previous_secret_keys: str | None = Field(
        None,
        validation_alias=_env("HELPLINE_PREVIOUS_SECRET_KEYS", "previous_secret_keys"),
        repr=False,
    )
    key_file: Path | None = Field(None, validation_alias=_env("HELPLINE_KEY_FILE", "key_file"))
    public_url: str | None = Field(None, validation_alias=_env("HELPLINE_PUBLIC_URL", "public_url"))
    staff_chat_id: str | None = Field(
        None, validation_alias=_env("HELPLINE_STAFF_CHAT_ID", "staff_chat_id"), repr=False
    )

    telegram_bot_token: str | None = Field(
        None, validation_alias=_env("TELEGRAM_BOT_TOKEN", "telegram_bot_token"), repr=False
    )
    telegram_webhook_secret: str | None = Field(
        None,
        validation_alias=_env("TELEGRAM_WEBHOOK_SECRET", "telegram_webhook_secret"),
        repr=False,
    )
    telegram_api_base_url: str | None = Field(
        None, validation_alias=_env("TELEGRAM_API_BASE_URL", "telegram_api_base_url")
    )
    twilio_account_sid: str | None = Field(
        None, validation_alias=_env("TWILIO_ACCOUNT_SID", "twilio_account_sid")
    )
    twilio_auth_token: str | None = Field(
        None, validation_alias=_env("TWILIO_AUTH_TOKEN", "twilio_auth_token"), repr=False
    )
    twilio_from_sms: str | None = Field(
        None, validation_alias=_env("TWILIO_FROM_SMS", "twilio_from_sms")
    )
    twilio_from_whatsapp: str | None = Field(
        None, validation_alias=_env("TWILIO_FROM_WHATSAPP", "twilio_from_whatsapp")
    )
    twilio_api_base_url: str | None = Field(
        None, validation_alias=_env("TWILIO_API_BASE_URL", "twilio_api_base_url")
    )

    flows_dir: Path = Path("flows")
    locales_dir: Path = Path("locales")
    default_language: str = "tr"
    # The conversation languages, each a catalog under locales_dir (bot/languages.py);
    # left out, every catalog present (the default language first).
    languages: list[str] = Field(default_factory=list)
    # The longest text the NLU reads (the risk check reads all of it, in windows).
    max_message_chars: int = Field(50_000, gt=0)
    nlu: NluSettings = NluSettings()
    telegram: TelegramSettings = TelegramSettings()
    twilio: TwilioSettings = TwilioSettings()
    delivery: DeliverySettings = DeliverySettings()
    cases: CaseSettings = CaseSettings()
    privacy: PrivacySettings = PrivacySettings()
    rate_limits: RateLimitSettings = RateLimitSettings()
    console: ConsoleSettings = ConsoleSettings()
    services: ServiceMapSettings = ServiceMapSettings()
    programmes: ProgrammeSettings = ProgrammeSettings()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, YamlConfigSettingsSource(settings_cls))

    @model_validator(mode="after")
    def _languages_have_catalogs(self) -> Settings:
        found = catalog_languages(self.locales_dir)
        if not self.languages:
            ordered = sorted(found, key=lambda code: code != self.default_language)
            self.languages = ordered or [self.default_language]
        bad = [code for code in self.languages if not LANGUAGE_CODE.fullmatch(code)]
        if bad:
            raise ValueError(f"languages: {bad[0]!r} is not a language code like tr or pt_BR")
        if found:
            missing = [code for code in self.languages if code not in found]
            if missing:
                where = catalog_path(self.locales_dir, missing[0])
                raise ValueError(f"languages: {missing[0]!r} has no catalog ({where})")
        if self.default_language not in self.languages:
            raise ValueError(f"default_language {self.default_language!r} is not in languages")
        return self

    def resolved_key_file(self) -> Path:
        """Where the generated secret key lives: beside the SQLite file by default."""
        if self.key_file is not None:
            return self.key_file
        prefix = "sqlite:///"
        if self.database_url.startswith(prefix) and ":memory:" not in self.database_url:
            return Path(self.database_url[len(prefix) :]).with_suffix(".key")
        return Path("helpline.key")

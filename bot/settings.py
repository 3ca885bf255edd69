"""Settings: environment variables win over `config.yml`, which wins over defaults.

`config.yml` is shared with Rasa: Rasa reads its `language` and `pipeline`,
the helpline reads its `helpline:` section. The environment variable names
are fixed by CONTRACT.md section 4.
"""

from __future__ import annotations

import os
from datetime import date, time
from pathlib import Path
from typing import Literal

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    YamlConfigSettingsSource,
)

from bot.languages import LANGUAGE_CODE, catalog_languages, catalog_path
from bot.programmes.settings import ProgrammeSettings

DEFAULT_CONFIG_FILE = Path("config.yml")


def _env(name: str, key: str) -> AliasChoices:
    """Accept the contract's environment name and the plain key in `config.yml`."""
    return AliasChoices(name, key)


class NluSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    backend: Literal["embedded", "rasa"] = "embedded"
    rasa_url: str | None = None
    data_dir: Path = Path("nlu")
    model_path: Path = Path("models/nlu.pkl")
    intent_threshold: float = Field(0.35, ge=0.0, le=1.0)
    # lingua's models: "low" (trigrams, ~13 MB, fast start) or "high" (~145 MB, ~7 s to load)
    language_accuracy: Literal["low", "high"] = "low"


class TelegramSettings(BaseModel):
    """Telegram tunables (the token, secret and base URL are contract variables, flat)."""

    model_config = ConfigDict(extra="forbid")

    # `helpline serve --polling`: long polling (getUpdates) instead of a webhook.
    polling: bool = False
    poll_timeout_seconds: float = Field(10.0, ge=0, le=50)
    request_timeout_seconds: float = Field(10.0, gt=0, le=120)
    connection_pool_size: int = Field(64, ge=1, le=1024)
    # An Update is a few kilobytes; anything much bigger is refused with 413.
    max_webhook_bytes: int = Field(1024 * 1024, ge=1024)


class TwilioSettings(BaseModel):
    """WhatsApp and SMS tunables (the account, token and numbers are contract variables)."""

    model_config = ConfigDict(extra="forbid")

    # An SMS reply stays within this many segments (shorter catalog texts are chosen to fit).
    sms_max_segments: int = Field(3, ge=1, le=10)
    # An approved WhatsApp template (ContentSid, HX...) sent when the 24-hour window has closed;
    # per language when there is one for the person's language.
    whatsapp_template_content_sid: str | None = None
    whatsapp_template_content_sids: dict[str, str] = {}
    # Our clock starts when we store a message, a little after Twilio's: close the window early.
    whatsapp_window_margin_seconds: int = Field(300, ge=0, le=3600)
    request_timeout_seconds: float = Field(15.0, gt=0, le=120)
    # A Twilio webhook is a few kilobytes; anything much bigger is refused with 413.
    max_webhook_bytes: int = Field(64 * 1024, ge=1024)


class DeliverySettings(BaseModel):
    """How the outbox sender delivers: retries, backoff, pacing."""

    model_config = ConfigDict(extra="forbid")

    # Retries: exponential backoff from `backoff_base_seconds`, capped, with jitter; a
    # platform's retry_after is the wait instead (and pauses that channel meanwhile).
    max_attempts: int = Field(12, ge=1)
    backoff_base_seconds: float = Field(1.0, gt=0)
    backoff_max_seconds: float = Field(300.0, gt=0)
    # An item left `sending` this long (its process died) goes back to the queue.
    sending_timeout_seconds: float = Field(30.0, gt=0)
    # How often the sender looks for retries that fell due (new replies wake it at once).
    poll_seconds: float = Field(0.5, gt=0)
    # Items claimed at once (one per person: a person's next waits for the one before).
    batch_size: int = Field(50, ge=1, le=1000)
    # Pacing for the channels named in `paced_channels` (0 turns a limit off); Telegram allows
    # about 1 message a second per chat (short bursts) and 30 a second per bot. Per process.
    paced_channels: list[str] = ["telegram"]
    per_chat_per_second: float = Field(1.0, ge=0)
    per_chat_burst: int = Field(3, ge=1)
    per_bot_per_second: float = Field(30.0, ge=0)


class RetentionSettings(BaseModel):
    """How long each kind of personal data is kept, in days (`helpline privacy purge`)."""

    model_config = ConfigDict(extra="forbid")

    # Messages, conversation state (slots) and contacts of conversations without a case:
    # counted from the message (for the state and the contact: the last activity).
    conversations_days: int = Field(90, ge=1)
    # A closed case, its events and its conversation's messages, counted from closing.
    closed_cases_days: int = Field(365, ge=1)
    # A closed case that recorded a referral (a service id), for the referrals report.
    referrals_days: int = Field(730, ge=1)
    # The staff audit log (no personal content in it).
    audit_days: int = Field(730, ge=1)
    # Delivery records: outbox items sent or given up on (the message itself stays).
    delivery_days: int = Field(30, ge=1)


class RateLimitSettings(BaseModel):
    """Rate limits on the web chat and the webhooks (the `limits` library; answers 429).

    Limits are `limits` strings ("60/minute", "5 per second"). A sender is the web chat
    session, the Telegram chat or the Twilio number; an address is the client's IP (the
    first X-Forwarded-For entry only with `trust_forwarded_for`, behind your own proxy).
    Telegram and Twilio call from few addresses: their per-address limit only stops floods.
    """

    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    web_chat_per_session: str = "60/minute"
    web_chat_per_address: str = "300/minute"
    # The page polls for replies (GET): per address only.
    web_chat_polls_per_address: str = "3000/minute"
    webhook_per_sender: str = "60/minute"
    webhook_per_address: str = "12000/minute"
    # "memory://" counts per process; "redis://host:6379" shares counts between processes.
    storage: str = "memory://"
    trust_forwarded_for: bool = False

    @field_validator(
        "web_chat_per_session",
        "web_chat_per_address",
        "web_chat_polls_per_address",
        "webhook_per_sender",
        "webhook_per_address",
    )
    @classmethod
    def _a_limit(cls, value: str) -> str:
        from limits import parse

        try:
            parse(value)
        except ValueError as exc:
            raise ValueError(f"{value!r} is not a rate limit like '60/minute'") from exc
        return value


class PrivacySettings(BaseModel):
    """Retention, the purge schedule, and what the first-contact notice names."""

    model_config = ConfigDict(extra="forbid")

    retention: RetentionSettings = RetentionSettings()
    # At first contact: who runs the helpline, what is kept, how long, how to erase it.
    first_contact_notice: bool = True
    # `helpline serve` purges what expired this often (0 turns the schedule off).
    purge_interval_hours: float = Field(24.0, ge=0)
    # The first purge after start waits this long (the service answers people first).
    purge_first_delay_seconds: float = Field(60.0, ge=0)


Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
Priority = Literal["imminent", "high", "medium"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class DeadlineSettings(BaseModel):
    """A first-response deadline: minutes, or working days (next staffed day, same time)."""

    model_config = ConfigDict(extra="forbid")

    minutes: int | None = Field(None, gt=0)
    working_days: int | None = Field(None, gt=0)
    # Count only staffed time: a case opened at night starts its clock at the next opening.
    staffed_time: bool = False

    @model_validator(mode="after")
    def _one_measure(self) -> DeadlineSettings:
        if (self.minutes is None) == (self.working_days is None):
            raise ValueError("a deadline has either `minutes` or `working_days`")
        return self


def _default_deadlines() -> dict[Priority, DeadlineSettings]:
    return {
        "imminent": DeadlineSettings(minutes=5),
        "high": DeadlineSettings(minutes=60, staffed_time=True),
        "medium": DeadlineSettings(working_days=1),
    }


class CaseSettings(BaseModel):
    """The caseworkers' queue: staffed hours, deadlines, outcomes."""

    model_config = ConfigDict(extra="forbid")

    # Staffed hours are local time in this zone; holidays of `holidays_country` (the
    # `holidays` library) and the dates in `extra_holidays` are closed all day.
    timezone: str = "Europe/Istanbul"
    # Per weekday (mon..sun): "09:00-17:00", several ranges "09:00-12:30,13:30-17:00",
    # or "closed". A weekday not listed is closed.
    staffed_hours: dict[Weekday, str] = {day: "09:00-17:00" for day in WEEKDAYS[:5]}
    holidays_country: str | None = "TR"
    extra_holidays: list[date] = []
    deadlines: dict[Priority, DeadlineSettings] = Field(default_factory=_default_deadlines)
    # A medium-risk disclosure opens a case at once instead of offering a follow-up first.
    medium_opens_case: bool = False
    # How often the deadline watcher looks for cases past their first-response deadline.
    deadline_check_seconds: float = Field(5.0, gt=0, le=300)
    # Optional Telegram chats for on-call staff (imminent cases outside staffed hours) and
    # supervisors (missed deadlines); the staff group (HELPLINE_STAFF_CHAT_ID) always gets them.
    on_call_chat_id: str | None = Field(None, repr=False)
    supervisor_chat_id: str | None = Field(None, repr=False)

    # What a caseworker may give as the outcome when closing a case.
    outcomes: list[str] = Field(
        default_factory=lambda: [
            "resolved",
            "referred",
            "information_given",
            "emergency_services_called",
            "no_contact",
            "false_alarm",
            "duplicate",
        ],
        min_length=1,
    )
    # A case in a language is offered first to staff who list it; after this many minutes
    # unclaimed, every caseworker sees it (imminent cases: everyone at once).
    language_fallback_minutes: int = Field(10, ge=0)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("staffed_hours")
    @classmethod
    def _ranges(cls, value: dict[Weekday, str]) -> dict[Weekday, str]:
        for day, spec in value.items():
            parse_ranges(spec, day)
        return value

    @model_validator(mode="after")
    def _every_priority(self) -> CaseSettings:
        self.deadlines = {**_default_deadlines(), **self.deadlines}
        return self


def parse_ranges(spec: str, day: str = "") -> list[tuple[time, time]]:
    """ "09:00-12:30,13:30-18:00" as (opens, closes) pairs; "closed" or "" is none."""
    spec = spec.strip().lower()
    if spec in ("", "closed", "off"):
        return []
    ranges = []
    for part in spec.split(","):
        try:
            opens, closes = (time.fromisoformat(p.strip()) for p in part.split("-"))
        except ValueError as exc:
            raise ValueError(f"{day}: {part.strip()!r} is not a range like 09:00-18:00") from exc
        if closes <= opens:
            raise ValueError(f"{day}: {part.strip()!r} closes before it opens")
        ranges.append((opens, closes))
    return sorted(ranges)


class ServiceMapSettings(BaseModel):
    """What the find-a-service flow shows (bot/services/)."""

    model_config = ConfigDict(extra="forbid")

    # Services shown in one reply.
    results: int = Field(3, ge=1, le=10)
    # A service not verified for this long is shown with a warning, or hidden.
    unverified_after_days: int = Field(183, ge=1)
    hide_unverified: bool = False
    # A service the person picked: days until the bot asks whether they got help.
    follow_up_days: int = Field(3, ge=1)
    follow_up_check_seconds: float = Field(600.0, gt=0)


class ConsoleSettings(BaseModel):
    """The staff console at /console: sessions, login limits, what caseworkers see."""

    model_config = ConfigDict(extra="forbid")

    # A console session lasts this long after login (then the staff member logs in again).
    session_hours: float = Field(12.0, gt=0, le=24 * 7)
    # Cookies only over HTTPS. None: when `public_url` starts with https://.
    secure_cookies: bool | None = None
    # Login attempts allowed per client address and per account name (the `limits` syntax).
    login_rate: str = "5/minute"
    # Where the login counters live (`limits` storage URI): memory:// is per process; with
    # several processes use a shared one (redis://, memcached://).
    rate_limit_storage: str = "memory://"
    # Caseworkers see the person's phone number (supervisors and admins always do).
    caseworkers_see_phone_numbers: bool = False
    # How often each live connection looks for changes (a cheap indexed query).
    poll_seconds: float = Field(1.0, gt=0, le=30)


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


class SettingsError(Exception):
    """A setting is wrong; the message names the key."""


def load_settings(config_file: Path | None = None, **overrides: object) -> Settings:
    """Read settings from the environment, then `config_file` (or `$HELPLINE_CONFIG`)."""
    path = config_file or Path(os.environ.get("HELPLINE_CONFIG", DEFAULT_CONFIG_FILE))
    if path.exists():
        import yaml

        try:
            content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise SettingsError(f"{path}: not valid YAML: {exc}") from exc
        has_section = isinstance(content, dict) and "helpline" in content
    else:
        has_section = False

    class FileSettings(Settings):
        model_config = SettingsConfigDict(
            yaml_file=path if has_section else None,
            yaml_config_section="helpline" if has_section else None,
        )

    try:
        return FileSettings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise SettingsError(f"invalid setting in {path} or the environment: {problems}") from exc

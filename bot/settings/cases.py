"""`cases:` in config.yml: staffed hours, first-response deadlines, outcomes, staff alerts."""

from __future__ import annotations

from datetime import date, time
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

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

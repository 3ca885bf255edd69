"""`programmes:` in config.yml: session reminders (issue 13)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator


class ProgrammeSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # A reminder this many hours before a session starts, to everyone with a place on it.
    # Someone who signs up late gets only the nearest one still ahead of them.
    reminder_hours_before: list[float] = [24.0, 2.0]
    # How often the scheduler inside `helpline serve` looks for reminders due.
    reminder_check_seconds: float = Field(60.0, gt=0)

    @field_validator("reminder_hours_before")
    @classmethod
    def _positive(cls, value: list[float]) -> list[float]:
        if any(h <= 0 for h in value):
            raise ValueError("reminder hours must be above 0")
        return sorted(set(value), reverse=True)

"""`services:` in config.yml: what the find-a-service flow shows, and its follow-up."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


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

"""`privacy:` in config.yml: retention per kind of data, the purge schedule, the notice."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


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

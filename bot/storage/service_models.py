"""The service map's schema, close to Open Referral HSDS 3.

An organisation runs services; a service is offered at one or more locations
(`service_at_location`); it has phones, a schedule (an OpenStreetMap
`opening_hours` string, Istanbul time), the languages spoken there and its
eligibility (HSDS 3 keeps eligibility on the service: description, age range;
gender and legal status are this project's additions). Every write through
`bot.services.store` records who changed what, and when, in `service_changes`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.storage.models import Base, utcnow


class Organization(Base):
    __tablename__ = "organizations"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String(120), default="")


class Service(Base):
    """One service of the map (CONTRACT.md section 5 is its flat view)."""

    __tablename__ = "services"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    organization_id: Mapped[str | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL")
    )
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="active")
    categories: Mapped[list[str]] = mapped_column(default=list)
    # {"tr": "...", "ar": "...", "en": "...", "fa": "..."}
    descriptions: Mapped[dict[str, Any]] = mapped_column(default=dict)
    eligibility_description: Mapped[str] = mapped_column(Text, default="")
    minimum_age: Mapped[int | None] = mapped_column(Integer)
    maximum_age: Mapped[int | None] = mapped_column(Integer)
    gender: Mapped[str | None] = mapped_column(String(16))  # female | male; null: anyone
    legal_status: Mapped[list[str]] = mapped_column(JSON, default=list)
    free: Mapped[bool] = mapped_column(Boolean, default=True)
    referral_required: Mapped[bool] = mapped_column(Boolean, default=False)
    last_verified: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String(120), default="")

    organization: Mapped[Organization | None] = relationship()
    at_locations: Mapped[list[ServiceAtLocation]] = relationship(
        cascade="all, delete-orphan", order_by="ServiceAtLocation.position"
    )
    phones: Mapped[list[Phone]] = relationship(
        cascade="all, delete-orphan", order_by="Phone.position"
    )
    schedules: Mapped[list[Schedule]] = relationship(cascade="all, delete-orphan")
    languages: Mapped[list[ServiceLanguage]] = relationship(
        cascade="all, delete-orphan", order_by="ServiceLanguage.position"
    )


class Location(Base):
    __tablename__ = "locations"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    district: Mapped[str] = mapped_column(String(64), default="", index=True)
    address: Mapped[str] = mapped_column(String(300), default="")
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ServiceAtLocation(Base):
    __tablename__ = "service_at_location"
    __table_args__ = (UniqueConstraint("service_id", "location_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"))
    location_id: Mapped[str] = mapped_column(
        ForeignKey("locations.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)

    location: Mapped[Location] = relationship(lazy="joined")


class Phone(Base):
    """A number in E.164 (`+90…`) or a short national number (`183`)."""

    __tablename__ = "phones"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[str] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(Integer, default=0)


class Schedule(Base):
    __tablename__ = "schedules"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[str] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), index=True
    )
    opening_hours: Mapped[str] = mapped_column(String(400))
    timezone: Mapped[str] = mapped_column(String(40), default="Europe/Istanbul")


class ServiceLanguage(Base):
    __tablename__ = "service_languages"
    __table_args__ = (UniqueConstraint("service_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(8))  # ISO 639-1
    position: Mapped[int] = mapped_column(Integer, default=0)


class ServiceChange(Base):
    """Who added, changed or removed a service, when, and which fields (never values)."""

    __tablename__ = "service_changes"
    __table_args__ = (Index("ix_service_changes_service", "service_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    by: Mapped[str] = mapped_column(String(120))
    service_id: Mapped[str] = mapped_column(String(64))  # no foreign key: outlives a removal
    action: Mapped[str] = mapped_column(String(8))  # added | changed | removed
    fields: Mapped[list[str]] = mapped_column(JSON, default=list)


class Referral(Base):
    """A person sent to a service: by a caseworker closing a case, or chosen in the bot.

    No free text: the category, the provider as it was named then, and the date.
    """

    __tablename__ = "referrals"
    __table_args__ = (Index("ix_referrals_service", "service_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[str | None] = mapped_column(ForeignKey("services.id", ondelete="SET NULL"))
    provider: Mapped[str] = mapped_column(String(200))
    category: Mapped[str | None] = mapped_column(String(32))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    source: Mapped[str] = mapped_column(String(12))  # caseworker | bot
    outcome: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A person's own choice: when the bot asked whether they got help (bot/services/follow_up.py);
    # the answer goes to `outcome` (got_help | no_help | did_not_go).
    asked_at: Mapped[datetime | None] = mapped_column()

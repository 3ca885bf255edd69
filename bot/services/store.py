"""Writing service records into the HSDS-shaped tables and reading them back."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from bot.services.records import Place, ServiceRecord
from bot.storage.service_models import (
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceChange,
    ServiceLanguage,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sqlalchemy.orm import Session
    from sqlalchemy.orm.interfaces import ORMOption


def organization_id(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:64] or "org"


def _load_options() -> list[ORMOption]:
    return [
        selectinload(Service.organization),
        selectinload(Service.at_locations).joinedload(ServiceAtLocation.location),
        selectinload(Service.phones),
        selectinload(Service.schedules),
        selectinload(Service.languages),
    ]


def to_record(service: Service) -> ServiceRecord:
    places = tuple(
        Place(
            id=link.location.id,
            district=link.location.district,
            address=link.location.address,
            latitude=link.location.latitude,
            longitude=link.location.longitude,
            name=link.location.name,
        )
        for link in service.at_locations
    )
    return ServiceRecord(
        id=service.id,
        name=service.name,
        categories=tuple(service.categories),
        organization=service.organization.name if service.organization else "",
        places=places,
        phones=tuple(p.number for p in service.phones),
        opening_hours=service.schedules[0].opening_hours if service.schedules else "",
        languages=tuple(lang.code for lang in service.languages),
        descriptions=tuple(sorted((k, str(v)) for k, v in service.descriptions.items() if v)),
        eligibility=service.eligibility_description,
        minimum_age=service.minimum_age,
        maximum_age=service.maximum_age,
        gender=service.gender,
        legal_status=tuple(service.legal_status),
        free=service.free,
        referral_required=service.referral_required,
        last_verified=service.last_verified,
    )


def all_records(session: Session) -> list[ServiceRecord]:
    services = session.scalars(select(Service).options(*_load_options()).order_by(Service.id))
    return [to_record(s) for s in services]


def get_records(session: Session, ids: Iterable[str]) -> dict[str, ServiceRecord]:
    wanted = list(ids)
    if not wanted:
        return {}
    services = session.scalars(
        select(Service).options(*_load_options()).where(Service.id.in_(wanted))
    )
    return {s.id: to_record(s) for s in services}


def revision(session: Session) -> tuple[int, int]:
    """Changes whenever the map does (every write goes through `put`): for caches."""
    last = session.scalar(select(func.max(ServiceChange.id))) or 0
    count = session.scalar(select(func.count()).select_from(Service)) or 0
    return int(last), int(count)


def put(
    session: Session, record: ServiceRecord, by: str, existing: ServiceRecord | None = None
) -> tuple[str, list[str]]:
    """Insert or update one service; returns ("added"|"changed"|"unchanged", changed fields)."""
    service = session.get(Service, record.id, options=_load_options())
    before = existing or (to_record(service) if service is not None else None)
    if before is not None and before == record:
        return "unchanged", []
    fields = before.differences(record) if before is not None else []
    if service is None:
        service = Service(id=record.id)
        session.add(service)
    _write(session, service, record, by)
    action = "added" if before is None else "changed"
    session.add(ServiceChange(by=by, service_id=record.id, action=action, fields=fields))
    return action, fields


def _write(session: Session, service: Service, record: ServiceRecord, by: str) -> None:
    service.name = record.name
    service.categories = list(record.categories)
    service.descriptions = dict(record.descriptions)
    service.eligibility_description = record.eligibility
    service.minimum_age, service.maximum_age = record.minimum_age, record.maximum_age
    service.gender = record.gender
    service.legal_status = list(record.legal_status)
    service.free, service.referral_required = record.free, record.referral_required
    service.last_verified = record.last_verified
    service.updated_by = by
    if record.organization:
        org_id = organization_id(record.organization)
        organization = session.get(Organization, org_id)
        if organization is None:
            organization = Organization(id=org_id, name=record.organization, updated_by=by)
            session.add(organization)
        elif organization.name != record.organization:
            organization.name, organization.updated_by = record.organization, by
        service.organization = organization
    else:
        service.organization = None

    links = {link.location_id: link for link in service.at_locations}
    kept: list[ServiceAtLocation] = []
    for position, place in enumerate(record.places):
        location = session.get(Location, place.id) or Location(id=place.id)
        location.name, location.district = place.name, place.district
        location.address = place.address
        location.latitude, location.longitude = place.latitude, place.longitude
        link = links.get(place.id) or ServiceAtLocation(location_id=place.id, location=location)
        link.location, link.position = location, position
        kept.append(link)
    service.at_locations = kept

    service.phones = [Phone(number=n, position=i) for i, n in enumerate(record.phones)]
    service.schedules = (
        [Schedule(opening_hours=record.opening_hours)] if record.opening_hours else []
    )
    codes = {lang.code: lang for lang in service.languages}
    languages = []
    for position, code in enumerate(record.languages):
        language = codes.get(code) or ServiceLanguage(code=code)
        language.position = position
        languages.append(language)
    service.languages = languages

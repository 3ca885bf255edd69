"""Sessions in the database: import (all or nothing) and the upcoming ones that fit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from bot.nlu.normalise import fold
from bot.programmes.sessions_csv import ParsedRow, SessionRecord
from bot.services.hours import ISTANBUL
from bot.services.importer import ImportReport, RowReport
from bot.storage.programme_models import ProgrammeSession, SessionSignup
from bot.storage.service_models import Location, Service, ServiceAtLocation

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def _aware(moment: datetime) -> datetime:
    """SQLite gives naive datetimes back; every stored one is UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def to_record(row: ProgrammeSession) -> SessionRecord:
    return SessionRecord(
        id=row.id,
        programme=row.programme,
        titles=dict(row.titles),
        min_age=row.min_age,
        max_age=row.max_age,
        language=row.language,
        service_id=row.service_id,
        district=row.district,
        starts_at=_aware(row.starts_at),
        ends_at=_aware(row.ends_at),
        capacity=row.capacity,
    )


def _service_districts(session: Session, ids: set[str]) -> dict[str, str]:
    """Service id -> the district of its first location ('' without one), for known ids."""
    found = {sid: "" for sid in session.scalars(select(Service.id).where(Service.id.in_(ids)))}
    rows = session.execute(
        select(ServiceAtLocation.service_id, Location.district)
        .join(Location, Location.id == ServiceAtLocation.location_id)
        .where(ServiceAtLocation.service_id.in_(ids))
        .order_by(ServiceAtLocation.service_id, ServiceAtLocation.position.desc())
    )
    for service_id, district in rows:
        found[service_id] = district  # the lowest position is written last
    return found


def import_rows(session: Session, parsed: list[ParsedRow], by: str) -> ImportReport:
    """Upsert every session by id when no row was rejected; otherwise change nothing."""
    ids = {p.id for p in parsed if p.id}
    stored = {
        r.id: r
        for r in session.scalars(select(ProgrammeSession).where(ProgrammeSession.id.in_(ids)))
    }
    services = _service_districts(
        session, {p.record.service_id for p in parsed if p.record and p.record.service_id}
    )
    seen: dict[str, int] = {}
    rows: list[RowReport] = []
    ready: list[tuple[RowReport, SessionRecord]] = []
    for item in parsed:
        reasons = list(item.reasons)
        if item.id and item.id in seen:
            reasons.append(f"duplicate id (also row {seen[item.id]})")
        elif item.id:
            seen[item.id] = item.row
        record = item.record
        if record is not None and record.service_id and record.service_id not in services:
            reasons.append(f"service_id {record.service_id!r} is not a service of the map")
        if reasons or record is None:
            rows.append(RowReport(item.row, item.id, "rejected", reasons))
            continue
        if record.service_id and not record.district:
            record = SessionRecord(**{**record.__dict__, "district": services[record.service_id]})
        before = stored.get(record.id)
        if before is None:
            report = RowReport(item.row, item.id, "added")
        elif to_record(before) == record:
            report = RowReport(item.row, item.id, "unchanged")
        else:
            report = RowReport(item.row, item.id, "changed", to_record(before).differences(record))
        rows.append(report)
        ready.append((report, record))
    if any(r.action == "rejected" for r in rows):
        return ImportReport(rows, applied=False)
    for report, record in ready:
        if report.action == "unchanged":
            continue
        row = stored.get(record.id) or ProgrammeSession(id=record.id)
        for name, value in record.__dict__.items():
            # Stored in UTC: SQLite keeps no offset.
            setattr(row, name, value.astimezone(UTC) if isinstance(value, datetime) else value)
        row.updated_by = by
        session.add(row)
    session.flush()
    return ImportReport(rows, applied=True)


@dataclass(frozen=True)
class Listed:
    """An upcoming session with its free places."""

    record: SessionRecord
    confirmed: int
    waiting: int

    @property
    def places_left(self) -> int:
        return max(0, self.record.capacity - self.confirmed)

    @property
    def online(self) -> bool:
        return self.record.service_id is None

    def title(self, language: str | None = None) -> str:
        titles = self.record.titles
        for lang in (language, self.record.language, "tr", "en"):
            if lang and titles.get(lang):
                return str(titles[lang])
        return str(next(iter(titles.values()), self.record.id))

    def as_json(self, language: str | None = None) -> dict[str, Any]:
        r = self.record
        return {
            "id": r.id,
            "programme": r.programme,
            "title": self.title(language),
            "titles": r.titles,
            "starts_at": r.starts_at.astimezone(ISTANBUL).isoformat(),
            "ends_at": r.ends_at.astimezone(ISTANBUL).isoformat(),
            "places_left": self.places_left,
            "capacity": r.capacity,
            "waiting": self.waiting,
            "min_age": r.min_age,
            "max_age": r.max_age,
            "language": r.language,
            "service_id": r.service_id,
            "district": r.district,
            "online": self.online,
        }


def fits(
    record: SessionRecord, age: int | None, district: str | None, language: str | None
) -> bool:
    """An age inside the range (an open end is no limit); the same district, or online."""
    if age is not None:
        if record.min_age is not None and age < record.min_age:
            return False
        if record.max_age is not None and age > record.max_age:
            return False
    if language is not None and record.language != language.lower():
        return False
    online = record.service_id is None
    return not district or online or fold(record.district) == fold(district)


def counts(session: Session, ids: list[str]) -> dict[tuple[str, str], int]:
    rows = session.execute(
        select(SessionSignup.session_id, SessionSignup.status, func.count())
        .where(SessionSignup.session_id.in_(ids))
        .group_by(SessionSignup.session_id, SessionSignup.status)
    )
    return {(sid, status): n for sid, status, n in rows}


def upcoming(
    session: Session,
    *,
    now: datetime,
    age: int | None = None,
    district: str | None = None,
    language: str | None = None,
    programmes: tuple[str, ...] | None = None,
) -> list[Listed]:
    """Active sessions that start after `now` and fit, soonest first."""
    query = (
        select(ProgrammeSession)
        .where(ProgrammeSession.status == "active", ProgrammeSession.starts_at > now)
        .order_by(ProgrammeSession.starts_at, ProgrammeSession.id)
    )
    if programmes:
        query = query.where(ProgrammeSession.programme.in_(programmes))
    records = [to_record(r) for r in session.scalars(query)]
    chosen = [r for r in records if fits(r, age, district, language)]
    tally = counts(session, [r.id for r in chosen])
    return [
        Listed(r, tally.get((r.id, "confirmed"), 0), tally.get((r.id, "waiting"), 0))
        for r in chosen
    ]

"""Looking up services on the local service map.

Ranking, best first:
1. the category asked for is the service's main one (its first);
2. the person's language is spoken there;
3. nearest (with a location), or the district itself, then its neighbours
   (`districts.yml`), then elsewhere, then national or online ones (no location);
4. verified most recently; then by name.

This is issue 10's order: a service that speaks the person's language ranks
before one nearer that does not. A district or a location never hides a
service, it only orders the list.
The map is held in memory, rebuilt when `store.revision` says it changed, so
a search costs a small query and one pass over the services.
"""

from __future__ import annotations

import heapq
import math
import threading
import weakref
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from bot.nlu.normalise import fold
from bot.services import store
from bot.services.hours import ISTANBUL, Hours, compile_hours

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session

    from bot.services.records import Place, ServiceRecord

EARTH_RADIUS_KM = 6371.0
NEIGHBOURS_FILE = Path(__file__).with_name("districts.yml")
STALE_AFTER = timedelta(days=183)  # six months


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine) between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


@lru_cache(maxsize=1)
def neighbours() -> dict[str, frozenset[str]]:
    """Folded district name -> folded names of the districts next to it (both ways)."""
    table: dict[str, set[str]] = {}
    raw = yaml.safe_load(NEIGHBOURS_FILE.read_text(encoding="utf-8")) or {}
    for district, others in raw.items():
        for other in others:
            a, b = fold(str(district)), fold(str(other))
            table.setdefault(a, set()).add(b)
            table.setdefault(b, set()).add(a)
    return {k: frozenset(v) for k, v in table.items()}


@dataclass(slots=True, eq=False)
class Entry:
    record: ServiceRecord
    categories: frozenset[str]
    main_category: str
    languages: frozenset[str]
    places: tuple[tuple[Place, str], ...]  # with the folded district
    districts: frozenset[str]  # folded
    hours: Hours | None
    verified: int  # days since 1970, or -1
    # (latitude, longitude in radians, cos(latitude)) of each place with coordinates
    coords: tuple[tuple[float, float, float], ...] = ()
    order: int = 0  # rank by (verified most recently, name, id) among all entries


@dataclass(frozen=True)
class Found:
    """One result: the service and what the search worked out for it."""

    record: ServiceRecord
    place: Place | None
    distance_km: float | None
    open_now: bool | None
    opens_at: datetime | None
    closes_at: datetime | None
    stale: bool

    def as_json(self) -> dict[str, Any]:
        r, place = self.record, self.place
        return {
            "id": r.id,
            "name": r.name,
            "organization": r.organization,
            "categories": list(r.categories),
            "district": place.district if place else "",
            "address": place.address if place else "",
            "latitude": place.latitude if place else None,
            "longitude": place.longitude if place else None,
            "phone": r.phone or None,
            "phones": list(r.phones),
            "distance_km": None if self.distance_km is None else round(self.distance_km, 3),
            "open_now": self.open_now,
            "opens_at": self.opens_at.isoformat() if self.opens_at else None,
            "closes_at": self.closes_at.isoformat() if self.closes_at else None,
            "opening_hours": r.opening_hours or None,
            "languages": list(r.languages),
            "descriptions": dict(r.descriptions),
            "eligibility": r.eligibility,
            "free": r.free,
            "referral_required": r.referral_required,
            "last_verified": r.last_verified.isoformat() if r.last_verified else None,
            "stale": self.stale,
        }


class MapIndex:
    def __init__(self, records: list[ServiceRecord]) -> None:
        epoch = date(1970, 1, 1)
        self.entries = [
            Entry(
                record=r,
                categories=frozenset(r.categories),
                main_category=r.categories[0] if r.categories else "",
                languages=frozenset(r.languages),
                places=tuple((p, fold(p.district)) for p in r.places),
                districts=frozenset(fold(p.district) for p in r.places),
                hours=compile_hours(r.opening_hours),
                verified=(r.last_verified - epoch).days if r.last_verified else -1,
            )
            for r in records
        ]
        for entry in self.entries:
            entry.coords = tuple(
                (
                    math.radians(p.latitude),
                    math.radians(p.longitude),
                    math.cos(math.radians(p.latitude)),
                )
                for p in entry.record.places
                if p.latitude is not None and p.longitude is not None
            )
        by_recency = sorted(self.entries, key=lambda e: (-e.verified, e.record.name, e.record.id))
        for order, entry in enumerate(by_recency):
            entry.order = order
        self.by_category: dict[str, list[Entry]] = {}
        self.by_main_category: dict[str, list[Entry]] = {}
        for entry in self.entries:
            self.by_main_category.setdefault(entry.main_category, []).append(entry)
            for category in entry.categories:
                self.by_category.setdefault(category, []).append(entry)


_cache: weakref.WeakKeyDictionary[Engine, tuple[tuple[int, int], MapIndex]] = (
    weakref.WeakKeyDictionary()
)
_cache_lock = threading.Lock()


def map_index(session: Session) -> MapIndex:
    engine = session.get_bind().engine
    current = store.revision(session)
    with _cache_lock:
        cached = _cache.get(engine)
    if cached is not None and cached[0] == current:
        return cached[1]
    index = MapIndex(store.all_records(session))
    with _cache_lock:
        _cache[engine] = (current, index)
    return index


def search(
    session: Session,
    *,
    category: str | None = None,
    district: str | None = None,
    language: str | None = None,
    near: tuple[float, float] | None = None,
    open_now: bool = False,
    at: datetime | None = None,
    limit: int = 3,
    hide_stale: bool = False,
    stale_after: timedelta = STALE_AFTER,
) -> list[Found]:
    """The best `limit` services for a person (see the module's docstring for the order)."""
    now = (at or datetime.now(UTC)).astimezone(ISTANBUL)
    today = now.date()
    stale_before = (today - stale_after - date(1970, 1, 1)).days
    wanted = fold(district) if district else ""
    close = neighbours().get(wanted, frozenset()) if wanted else frozenset()
    ranked: list[tuple[Any, Entry]] = []
    opened: dict[Hours, bool] = {}  # services share their hours strings (and parsed hours)
    if near is not None:
        lat0, lon0 = math.radians(near[0]), math.radians(near[1])
        cos0 = math.cos(lat0)
    for rank, group in enumerate(_groups(map_index(session), category)):
        for entry in group:
            if hide_stale and entry.verified < stale_before:
                continue
            if open_now:
                if entry.hours is None:
                    continue
                is_open = opened.get(entry.hours)
                if is_open is None:
                    is_open = opened[entry.hours] = entry.hours.is_open(now)
                if not is_open:
                    continue
            speaks = 0 if not language or language in entry.languages else 1
            if near is None:
                # one integer: group, language, district tier, then recency
                found_in = entry.districts
                if not entry.places:
                    tier = 3
                elif not wanted or wanted in found_in:
                    tier = 0
                elif not close.isdisjoint(found_in):
                    tier = 1
                else:
                    tier = 2
                score = (((rank * 2 + speaks) * 4 + tier) << 24) + entry.order
                ranked.append((score, entry))
                continue
            away = math.inf
            for lat, lon, cos_lat in entry.coords:
                h = (
                    math.sin((lat - lat0) / 2) ** 2
                    + cos0 * cos_lat * math.sin((lon - lon0) / 2) ** 2
                )
                away = min(away, 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h)))
            ranked.append(((rank, speaks, away, entry.order), entry))
        if len(ranked) >= limit:
            break  # every later group ranks below every entry found so far
    best = heapq.nsmallest(limit, ranked, key=lambda item: item[0])
    results = []
    for _, entry in best:
        place, _tier, away_km = _place(entry, wanted, close, near)
        results.append(_found(entry, place, away_km, now, stale_before))
    return results


def _groups(index: MapIndex, category: str | None) -> list[list[Entry]]:
    """The candidates in groups that rank one after the other (the first keys of `search`).

    The main category before a second one. A search stops after the group that
    fills its limit (language and place order within a group).
    """
    if category:
        main = index.by_main_category.get(category, [])
        lists = [
            main,
            [e for e in index.by_category.get(category, []) if e.main_category != category],
        ]
    else:
        lists = [index.entries]
    return lists


def _place(
    entry: Entry, wanted: str, close: frozenset[str], near: tuple[float, float] | None
) -> tuple[Place | None, int, float | None]:
    """The service's place that fits best, its district tier and its distance.

    Tier: 0 in the district asked for (or none asked), 1 next to it, 2 elsewhere,
    3 no location at all.
    """
    best: tuple[Place | None, int, float | None] = (None, 3, None)
    for place, folded in entry.places:
        tier = 0 if not wanted or folded == wanted else 1 if folded in close else 2
        away = None
        if near is not None and place.latitude is not None and place.longitude is not None:
            away = distance_km(near, (place.latitude, place.longitude))
        if (away if away is not None else math.inf, tier) < (
            best[2] if best[2] is not None else math.inf,
            best[1],
        ):
            best = (place, tier, away)
    return best


def _found(
    entry: Entry, place: Place | None, away: float | None, now: datetime, stale_before: int
) -> Found:
    hours = entry.hours
    is_open = None if hours is None else hours.is_open(now)
    return Found(
        record=entry.record,
        place=place,
        distance_km=away,
        open_now=is_open,
        opens_at=hours.next_opening(now) if hours is not None and not is_open else None,
        closes_at=hours.closes_at(now) if hours is not None and is_open else None,
        stale=entry.verified < stale_before,
    )

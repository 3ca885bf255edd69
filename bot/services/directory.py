"""Looking up services on the local service map."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from sqlalchemy import select

from bot.nlu.normalise import fold
from bot.storage.models import Service

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


EARTH_RADIUS_KM = 6371.0


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine) between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def search(
    session: Session,
    *,
    category: str | None = None,
    district: str | None = None,
    language: str | None = None,
    near: tuple[float, float] | None = None,
    limit: int = 3,
) -> list[Service]:
    """Services of a category, those in the person's district and language first.

    With `near` (a shared location) the nearest come first; services without
    coordinates follow, ranked as without it.
    """
    services = list(session.scalars(select(Service).order_by(Service.name)))
    if category:
        services = [s for s in services if category in (s.categories or [])]
    wanted = fold(district) if district else None

    def rank(service: Service) -> tuple[float, int, int]:
        in_district = wanted is not None and fold(service.district) == wanted
        speaks = language is not None and language in (service.languages or [])
        away = math.inf
        if near is not None and service.latitude is not None and service.longitude is not None:
            away = distance_km(near, (service.latitude, service.longitude))
        return (away, 0 if in_district else 1, 0 if speaks else 1)

    return sorted(services, key=rank)[:limit]

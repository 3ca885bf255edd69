"""Looking up services on the local service map."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from bot.nlu.normalise import fold
from bot.storage.models import Service

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def search(
    session: Session,
    *,
    category: str | None = None,
    district: str | None = None,
    language: str | None = None,
    limit: int = 3,
) -> list[Service]:
    """Services of a category, those in the person's district and language first."""
    services = list(session.scalars(select(Service).order_by(Service.name)))
    if category:
        services = [s for s in services if category in (s.categories or [])]
    wanted = fold(district) if district else None

    def rank(service: Service) -> tuple[int, int]:
        in_district = wanted is not None and fold(service.district) == wanted
        speaks = language is not None and language in (service.languages or [])
        return (0 if in_district else 1, 0 if speaks else 1)

    return sorted(services, key=rank)[:limit]

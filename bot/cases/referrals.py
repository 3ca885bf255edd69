"""Referrals and their outcomes, by provider and by category, from what is stored.

A referral is recorded (`referrals`, bot/storage/service_models.py) when a
caseworker closes a case naming a service (`service_id`; also kept as
`cases.referred_service_id`) and when a person picks a service the bot found.
The summary counts closed cases by outcome and by the case's risk category,
and referrals by provider (the organisation, as named when referred) and by
the service's categories. A caseworker's referral has the case's outcome; a
person's own choice has none until a follow-up records one ("pending").
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from bot.storage.models import Case
from bot.storage.service_models import Referral, Service

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

NOT_RECORDED = [
    "whether the person reached the provider, until a follow-up answer is recorded",
]


def record(
    session: Session,
    service_id: str,
    *,
    source: str,
    case_id: int | None = None,
    contact_id: int | None = None,
    staff_id: int | None = None,
    category: str | None = None,
) -> Referral:
    """Keep the link to the service: no free text, the provider as it is named today."""
    service = session.get(Service, service_id)
    if service is None:
        raise ValueError(f"no service {service_id!r} on the map")
    provider = service.organization.name if service.organization else service.name
    referral = Referral(
        service_id=service_id,
        provider=provider,
        category=category or (service.categories[0] if service.categories else None),
        case_id=case_id,
        contact_id=contact_id,
        staff_id=staff_id,
        source=source,
    )
    session.add(referral)
    return referral


def summary(session: Session) -> dict[str, Any]:
    cases = session.execute(
        select(Case.id, Case.category, Case.outcome, Case.referred_service_id).where(
            Case.status == "closed"
        )
    ).all()
    outcomes: Counter[str] = Counter()
    case_categories: dict[str, Counter[str]] = defaultdict(Counter)
    case_outcome: dict[int, str] = {}
    for case_id, category, outcome, _ in cases:
        outcome = outcome or "none"
        case_outcome[case_id] = outcome
        outcomes[outcome] += 1
        case_categories[category or "none"][outcome] += 1
    rows = session.execute(
        select(Referral, Service).outerjoin(Service, Service.id == Referral.service_id)
    ).all()
    services: dict[str, set[str]] = defaultdict(set)
    provider_outcomes: dict[str, Counter[str]] = defaultdict(Counter)
    service_categories: dict[str, Counter[str]] = defaultdict(Counter)
    sources: Counter[str] = Counter()
    for referral, service in rows:
        if referral.case_id is not None:
            outcome = case_outcome.get(referral.case_id)
            if outcome is None:
                continue  # the case was reopened or is not closed: counted when it is
        else:
            outcome = referral.outcome or "pending"
        sources[referral.source] += 1
        provider_outcomes[referral.provider][outcome] += 1
        if referral.service_id:
            services[referral.provider].add(referral.service_id)
        categories = service.categories if service is not None else [referral.category]
        for category in categories or ["unknown"]:
            service_categories[category or "unknown"][outcome] += 1
    return {
        "closed_cases": len(cases),
        "referred_cases": sum(1 for *_, service_id in cases if service_id is not None),
        "outcomes": dict(outcomes),
        "referrals_by_source": dict(sources),
        "by_provider": [
            {
                "provider": name,
                "services": sorted(services[name]),
                "referrals": sum(provider_outcomes[name].values()),
                "outcomes": dict(provider_outcomes[name]),
            }
            for name in sorted(provider_outcomes, key=lambda n: -sum(provider_outcomes[n].values()))
        ],
        "by_case_category": [
            {"category": name, "cases": sum(c.values()), "outcomes": dict(c)}
            for name, c in sorted(case_categories.items())
        ],
        "by_service_category": [
            {"category": name, "referrals": sum(c.values()), "outcomes": dict(c)}
            for name, c in sorted(service_categories.items())
        ],
        "not_recorded": NOT_RECORDED,
    }

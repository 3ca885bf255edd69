"""Referrals and their outcomes, by provider and by category, from what is stored.

What is stored: a case closed with an outcome may name the service the person
was referred to (`service_id` at closing, kept as `cases.referred_service_id`).
So the summary counts closed cases by outcome, per provider (the service's
organisation) and per category (the case's risk category, and the service's
categories). What is not stored, and so not counted: the services the bot
listed to people in conversation (no referral record is written for them),
and whether the person reached the provider (no follow-up is recorded).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from bot.storage.models import Case, Service

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

NOT_RECORDED = [
    "services the bot suggested in conversation (no referral record is written for them)",
    "whether the person reached the provider (no follow-up outcome is recorded)",
]


def summary(session: Session) -> dict[str, Any]:
    rows = session.execute(
        select(Case.category, Case.outcome, Case.referred_service_id, Service)
        .outerjoin(Service, Service.id == Case.referred_service_id)
        .where(Case.status == "closed")
    ).all()
    providers: dict[str, dict[str, Any]] = {}
    provider_outcomes: dict[str, Counter[str]] = defaultdict(Counter)
    case_categories: dict[str, Counter[str]] = defaultdict(Counter)
    service_categories: dict[str, Counter[str]] = defaultdict(Counter)
    outcomes: Counter[str] = Counter()
    referred = 0
    for category, outcome, service_id, service in rows:
        outcome = outcome or "none"
        outcomes[outcome] += 1
        case_categories[category or "none"][outcome] += 1
        if service_id is None:
            continue
        referred += 1
        provider = (service.organization or service.name) if service is not None else "unknown"
        entry = providers.setdefault(provider, {"provider": provider, "services": set()})
        entry["services"].add(service_id)
        provider_outcomes[provider][outcome] += 1
        for service_category in service.categories if service is not None else ["unknown"]:
            service_categories[service_category][outcome] += 1
    return {
        "closed_cases": len(rows),
        "referred_cases": referred,
        "outcomes": dict(outcomes),
        "by_provider": [
            {
                "provider": name,
                "services": sorted(providers[name]["services"]),
                "referrals": sum(provider_outcomes[name].values()),
                "outcomes": dict(provider_outcomes[name]),
            }
            for name in sorted(providers, key=lambda n: -sum(provider_outcomes[n].values()))
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

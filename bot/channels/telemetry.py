"""Prometheus metrics of the channels and the outbox, on one registry passed down.

No module-level default registry: `create_app` builds one `CollectorRegistry`
and this object registers its metrics there, so two apps in one process (the
tests) never share counters. The outbox backlog and the age of its oldest
item are read from the database at scrape time, so every process reports the
shared outbox, not what it happens to have seen. Labels never carry personal
data: channel names, statuses, failure kinds and platform error codes only.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from bot.storage.models import OutboxItem, utcnow

if TYPE_CHECKING:
    from prometheus_client.metrics_core import Metric

    from bot.storage.db import Database

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300)
WAITING = ("pending", "sending", "held")


def as_utc(moment: datetime) -> datetime:
    """SQLite gives naive datetimes back; they are UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class OutboxCollector(Collector):
    """Backlog by status and the age of the oldest waiting item, from the database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def collect(self) -> Iterator[Metric]:
        backlog = GaugeMetricFamily(
            "helpline_outbox_backlog",
            "Outbox items not yet delivered, by status (held: waiting for the person).",
            labels=["status"],
        )
        oldest = GaugeMetricFamily(
            "helpline_outbox_oldest_age_seconds",
            "Age of the oldest outbox item waiting to be delivered (pending or sending).",
        )
        with self.db.transaction() as session:
            rows = session.execute(
                select(OutboxItem.status, func.count())
                .where(OutboxItem.status.in_(WAITING))
                .group_by(OutboxItem.status)
            ).all()
            counts = {str(status): int(count) for status, count in rows}
            first = session.scalar(
                select(func.min(OutboxItem.created_at)).where(
                    OutboxItem.status.in_(("pending", "sending"))
                )
            )
        for status in WAITING:
            backlog.add_metric([status], float(counts.get(status, 0)))
        age = (utcnow() - as_utc(first)).total_seconds() if first is not None else 0.0
        oldest.add_metric([], max(0.0, age))
        yield backlog
        yield oldest

    def describe(self) -> Iterator[Metric]:
        return iter(())  # collected live; nothing to check at registration


class Telemetry:
    def __init__(self, registry: CollectorRegistry, db: Database | None = None) -> None:
        self.registry = registry
        self.messages_in = Counter(
            "helpline_messages_in",
            "Inbound messages stored (redeliveries not counted), by channel.",
            ["channel"],
            registry=registry,
        )
        self.messages_out = Counter(
            "helpline_messages_out",
            "Outbound messages the platform accepted, by channel.",
            ["channel"],
            registry=registry,
        )
        self.delivery_failures = Counter(
            "helpline_delivery_failures",
            "Failed send attempts by channel, outcome (retry, rate_limited, held, dead) "
            "and platform error code.",
            ["channel", "reason", "code"],
            registry=registry,
        )
        self.webhook_seconds = Histogram(
            "helpline_webhook_seconds",
            "Time to answer a platform webhook, by path.",
            ["path"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.reply_seconds = Histogram(
            "helpline_reply_seconds",
            "From an inbound message stored to a reply accepted by the platform, by channel.",
            ["channel"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        if db is not None:
            registry.register(OutboxCollector(db))

"""Reports for supervisors: what the queue did over the last days, as SVG charts and CSV.

Computed from the cases table (and `bot.cases.referrals.summary` for the
referrals), per local day in `cases.timezone`. Every count that leaves this
module is passed through `charts.shown`: under 5 it is "<5", in the page and
in the CSV alike.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from statistics import median
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from markupsafe import Markup
from sqlalchemy import or_, select

from bot.cases import referrals
from bot.cases.views import as_utc
from bot.nlu.base import RISK_CATEGORIES
from bot.storage.models import Case
from bot.web.console import charts
from bot.web.console.texts import PRIORITIES

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bot.settings import Settings
    from bot.web.console.texts import Words

QUEUE_STEP_HOURS = 6


@dataclass
class Report:
    days: list[str]
    per_priority: dict[str, list[int]]
    per_category: dict[str, list[int]]
    # priority -> (within the deadline, after it, median minutes to the first reply or None)
    first_response: dict[str, tuple[int, int, float | None]]
    queue_labels: list[str]
    queue: list[int]
    outcomes: list[tuple[str, int]]
    referrals: list[tuple[str, int]]
    charts: dict[str, Markup] = field(default_factory=dict)


def gather(session: Session, settings: Settings, now: datetime, days: int) -> Report:
    zone = ZoneInfo(settings.cases.timezone)
    today = now.astimezone(zone).date()
    dates = [today - timedelta(days=n) for n in reversed(range(days))]
    start = datetime.combine(dates[0], time(0), zone).astimezone(UTC)
    rows = session.execute(
        select(
            Case.created_at, Case.priority, Case.category, Case.first_response_at,
            Case.deadline_at, Case.closed_at, Case.outcome,
        ).where(Case.created_at <= now, or_(Case.closed_at.is_(None), Case.closed_at >= start))
    ).all()  # fmt: skip
    index = {day: i for i, day in enumerate(dates)}
    per_priority = {p: [0] * days for p in PRIORITIES}
    per_category: dict[str, list[int]] = defaultdict(lambda: [0] * days)
    within: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    waits: dict[str, list[float]] = defaultdict(list)
    outcomes: Counter[str] = Counter()
    spans: list[tuple[datetime, datetime | None]] = []
    for created, priority, category, first, deadline, closed, outcome in rows:
        created = as_utc(created)
        spans.append((created, as_utc(closed) if closed else None))
        if closed is not None and as_utc(closed) >= start:
            outcomes[outcome or "none"] += 1
        if created < start:
            continue
        day = index.get(created.astimezone(zone).date())
        if day is None:
            continue
        per_priority.setdefault(priority, [0] * days)[day] += 1
        per_category[category or "none"][day] += 1
        if first is not None:
            waits[priority].append((as_utc(first) - created).total_seconds() / 60)
        if deadline is not None:
            due = as_utc(deadline)
            if first is not None and as_utc(first) <= due:
                within[priority] += 1
            elif (first is not None and as_utc(first) > due) or (first is None and due < now):
                missed[priority] += 1
    moments = []
    moment = start
    while moment <= now:
        moments.append(moment)
        moment += timedelta(hours=QUEUE_STEP_HOURS)
    queue = [
        sum(1 for created, closed in spans if created <= m and (closed is None or closed > m))
        for m in moments
    ]
    summary = referrals.summary(session)
    referred = [(row["category"], int(row["referrals"])) for row in summary["by_service_category"]]
    ordered = [c for c in (*RISK_CATEGORIES, "none") if c in per_category]
    return Report(
        days=[day.strftime("%m-%d") for day in dates],
        per_priority=per_priority,
        per_category={
            c: per_category[c] for c in ordered + sorted(set(per_category) - set(ordered))
        },
        first_response={
            p: (within[p], missed[p], round(median(waits[p]), 1) if waits[p] else None)
            for p in PRIORITIES
        },
        queue_labels=[m.astimezone(zone).strftime("%m-%d %Hh") for m in moments],
        queue=queue,
        outcomes=outcomes.most_common(),
        referrals=sorted(referred, key=lambda row: -row[1]),
    )


def draw(report: Report, words: Words) -> Report:
    """The report's five charts, labelled in the console's language."""
    priority = [
        charts.Series(words.label("priority", p), v) for p, v in report.per_priority.items()
    ]
    category = [
        charts.Series(words.label("category", c), v) for c, v in report.per_category.items()
    ]
    timing: list[tuple[str, int]] = []
    for p, (ok, late, _median) in report.first_response.items():
        name = words.label("priority", p)
        timing += [(f"{name}: {words('console.reports.within')}", ok),
                   (f"{name}: {words('console.reports.missed')}", late)]  # fmt: skip
    texts = words.texts
    report.charts = {
        "per_priority": charts.stacked_bars(
            words("console.reports.per_day"), report.days, priority
        ),
        "per_category": charts.stacked_bars(
            words("console.reports.per_day"), report.days, category
        ),
        "first_response": charts.horizontal_bars(words("console.reports.first_response"), timing),
        "queue": charts.line(words("console.reports.queue"), report.queue_labels, report.queue),
        "outcomes": charts.horizontal_bars(
            words("console.reports.outcomes"),
            [(words.label("outcome", o), n) for o, n in report.outcomes],
        ),
        "referrals": charts.horizontal_bars(
            words("console.reports.referrals"),
            [(_service_category(texts, words.language, c), n) for c, n in report.referrals],
        ),
    }
    return report


def _service_category(texts: Any, language: str, category: str) -> str:
    msgid = f"services.category.{category}"
    text = str(texts.get(language, msgid))
    return category if text == msgid else text


def to_csv(report: Report) -> str:
    """report, key, series, count (counts under 5 as "<5")."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["report", "key", "series", "count"])
    for name, table in (("cases_per_day_priority", report.per_priority),
                        ("cases_per_day_category", report.per_category)):  # fmt: skip
        for series, values in table.items():
            for day, count in zip(report.days, values, strict=True):
                writer.writerow([name, day, series, charts.shown(count)])
    for priority, (ok, late, middle) in report.first_response.items():
        writer.writerow(["first_response", priority, "within_deadline", charts.shown(ok)])
        writer.writerow(["first_response", priority, "after_deadline", charts.shown(late)])
        writer.writerow(["first_response", priority, "median_minutes", middle if middle else ""])
    for label, count in zip(report.queue_labels, report.queue, strict=True):
        writer.writerow(["queue", label, "open_cases", charts.shown(count)])
    for outcome, count in report.outcomes:
        writer.writerow(["outcomes", outcome, "closed_cases", charts.shown(count)])
    for category, count in report.referrals:
        writer.writerow(["referrals", category, "referrals", charts.shown(count)])
    return out.getvalue()

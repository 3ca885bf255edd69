"""The monthly protection-monitoring report, for the coordination meeting of providers.

Counts for one calendar month (Istanbul time): contacts, cases by risk category,
priority, language and district, first responses against their deadlines, case
outcomes, referrals by service category, sessions with sign-ups, attendance and
cancellations, satisfaction ratings (1-5) and complaints.
No person can be identified: every count from 1 to 4 is shown as "<5", and where a
table shows its total, one suppressed cell would be given away by subtraction, so a
second cell is suppressed too (the smallest one shown; the total itself when there is
no other) - "including totals that would let one compute them".
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from bot.services.hours import ISTANBUL
from bot.storage.models import Case, Contact, Conversation
from bot.storage.programme_models import Feedback, ProgrammeSession, SessionSignup
from bot.storage.service_models import Service

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

SMALL = 5
SUPPRESSED = f"<{SMALL}"


@dataclass
class Table:
    name: str
    rows: list[tuple[str, int]]

    @property
    def total(self) -> int:
        return sum(n for _, n in self.rows)

    def shown(self) -> tuple[list[tuple[str, str]], str]:
        """The rows and the total as printed, with primary and complementary suppression."""
        hidden = {i for i, (_, n) in enumerate(self.rows) if 0 < n < SMALL}
        total_hidden = 0 < self.total < SMALL
        if len(hidden) == 1 and not total_hidden:
            others = sorted(
                (n, i) for i, (_, n) in enumerate(self.rows) if i not in hidden and n > 0
            )
            if others:
                hidden.add(others[0][1])  # the next smallest, so the total gives nothing away
            else:
                total_hidden = True
        rows = [
            (label, SUPPRESSED if i in hidden else str(n)) for i, (label, n) in enumerate(self.rows)
        ]
        return rows, SUPPRESSED if total_hidden else str(self.total)


@dataclass
class MonthlyReport:
    month: str
    tables: list[Table]


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """'2026-11' -> its first instant and the next month's, in UTC (Istanbul calendar)."""
    year, number = (int(part) for part in month.split("-"))
    start = datetime(year, number, 1, tzinfo=ISTANBUL)
    end = datetime(year + (number == 12), number % 12 + 1, 1, tzinfo=ISTANBUL)
    return start.astimezone(UTC), end.astimezone(UTC)


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _table(name: str, counts: Counter[str]) -> Table:
    return Table(name, sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _district(held: ProgrammeSession) -> str:
    """The district of the session's place; 'online' when it has none."""
    if held.service_id is None:
        return "online"
    return held.district or "unknown"


def _dropped_out(signup: SessionSignup) -> bool:
    """Drop-out: a cancelled place, or a confirmed one marked absent (a no-show)."""
    return signup.status == "cancelled" or (
        signup.status == "confirmed" and signup.attended is False
    )


def _breakdown(by: str, key: dict[str, str], signups: list[SessionSignup]) -> list[Table]:
    """Sign-ups, attendance and drop-out of the month's sessions, by one session attribute."""
    return [
        _table(
            f"signups_by_{by}",
            Counter(key[s.session_id] for s in signups if s.status != "cancelled"),
        ),
        _table(f"attendance_by_{by}", Counter(key[s.session_id] for s in signups if s.attended)),
        _table(f"dropout_by_{by}", Counter(key[s.session_id] for s in signups if _dropped_out(s))),
    ]


def gather(session: Session, month: str) -> MonthlyReport:
    start, end = month_bounds(month)
    contacts = Counter(
        channel
        for channel in session.scalars(
            select(Contact.channel).where(
                Contact.kind == "person", Contact.created_at >= start, Contact.created_at < end
            )
        )
    )
    cases = list(
        session.execute(
            select(Case, Conversation.slots)
            .join(Conversation, Conversation.id == Case.conversation_id)
            .where(Case.created_at >= start, Case.created_at < end)
        )
    )
    response: Counter[str] = Counter()
    for case, _ in cases:
        answered, due = _aware(case.first_response_at), _aware(case.deadline_at)
        if answered is None:
            response[f"{case.priority}: no_response"] += 1
        elif due is None or answered <= due:
            response[f"{case.priority}: within_deadline"] += 1
        else:
            response[f"{case.priority}: after_deadline"] += 1
    categories = {
        s.id: (s.categories[0] if s.categories else "other")
        for s in session.scalars(select(Service))
    }
    referred = Counter(
        categories.get(case.referred_service_id, "other")
        for case, _ in cases
        if case.referred_service_id
    )
    held = {
        s.id: s
        for s in session.scalars(
            select(ProgrammeSession).where(
                ProgrammeSession.starts_at >= start, ProgrammeSession.starts_at < end
            )
        )
    }
    sessions = {sid: s.programme for sid, s in held.items()}
    signups = list(
        session.scalars(select(SessionSignup).where(SessionSignup.session_id.in_(sessions)))
    )
    by_language = {sid: s.language for sid, s in held.items()}
    by_district = {sid: _district(s) for sid, s in held.items()}
    feedback = list(
        session.scalars(
            select(Feedback).where(Feedback.created_at >= start, Feedback.created_at < end)
        )
    )
    tables = [
        _table("contacts_by_channel", contacts),
        _table("cases_by_category", Counter(c.category or "asked_for_person" for c, _ in cases)),
        _table("cases_by_priority", Counter(c.priority for c, _ in cases)),
        _table("cases_by_language", Counter(c.language for c, _ in cases)),
        _table(
            "cases_by_district",
            Counter(str((slots or {}).get("district") or "unknown") for _, slots in cases),
        ),
        _table("first_response_vs_deadline", response),
        _table("case_outcomes", Counter(c.outcome or "open" for c, _ in cases)),
        _table("referrals_by_service_category", referred),
        _table("sessions_by_programme", Counter(sessions.values())),
        _table(
            "signups_by_programme",
            Counter(sessions[s.session_id] for s in signups if s.status != "cancelled"),
        ),
        _table(
            "attendance_by_programme",
            Counter(sessions[s.session_id] for s in signups if s.attended),
        ),
        _table(
            "cancellations_by_programme",
            Counter(sessions[s.session_id] for s in signups if s.status == "cancelled"),
        ),
        _table(
            "dropout_by_programme",
            Counter(sessions[s.session_id] for s in signups if _dropped_out(s)),
        ),
        *_breakdown("language", by_language, signups),
        *_breakdown("district", by_district, signups),
        _table(
            "satisfaction_ratings",
            Counter(str(f.rating) for f in feedback if f.kind == "rating" and f.rating),
        ),
        _table("complaints", Counter("complaints" for f in feedback if f.kind == "complaint")),
    ]
    return MonthlyReport(month, tables)


def to_csv(report: MonthlyReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["month", "table", "row", "count"])
    for table in report.tables:
        rows, total = table.shown()
        for label, value in rows:
            writer.writerow([report.month, table.name, label, value])
        writer.writerow([report.month, table.name, "total", total])
    return out.getvalue()

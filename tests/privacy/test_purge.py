"""The retention purge with a fixed clock: exactly what expired goes, nothing else.

Periods are config.yml's: conversations 90 days, closed cases 365, referrals 730,
audit log 730, delivery records 30. Every boundary is tried a second either side.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import DBAPIError

from bot.privacy.retention import KINDS, purge
from bot.settings import RetentionSettings
from bot.storage.db import Database
from bot.storage.models import (
    AuditEvent,
    Case,
    CaseEvent,
    Contact,
    Conversation,
    Erasure,
    Message,
    OutboxItem,
)

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2027, 6, 1, 12, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


def days(n: int) -> datetime:
    return NOW - timedelta(days=n)


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    database.migrate()
    yield database
    database.dispose()


class World:
    """Rows with known ages; `ids[name]` is the id of the row called `name`."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.ids: dict[str, int] = {}

    def contact(self, name: str, last: datetime, kind: str = "person") -> int:
        with self.db.transaction() as session:
            row = Contact(
                channel="test",
                platform_hash=name,
                platform_id_enc="x",
                kind=kind,
                created_at=last,
                last_inbound_at=last,
            )
            session.add(row)
            session.flush()
            self.ids[name] = row.id
        return row.id

    def conversation(self, name: str, contact: str, updated: datetime) -> int:
        with self.db.transaction() as session:
            row = Conversation(
                contact_id=self.ids[contact],
                slots={"district": "Esenyurt"},
                created_at=updated,
                updated_at=updated,
            )
            session.add(row)
            session.flush()
            self.ids[name] = row.id
        return row.id

    def message(
        self,
        name: str,
        conversation: str,
        at: datetime,
        outbox: str | None = None,
        sent_at: datetime | None = None,
    ) -> None:
        with self.db.transaction() as session:
            conv = session.get(Conversation, self.ids[conversation])
            assert conv is not None
            row = Message(
                contact_id=conv.contact_id,
                conversation_id=conv.id,
                channel="test",
                direction="out" if outbox else "in",
                text_enc="x",
                status="processed",
                created_at=at,
            )
            session.add(row)
            session.flush()
            self.ids[name] = row.id
            if outbox:
                item = OutboxItem(
                    message_id=row.id,
                    contact_id=conv.contact_id,
                    channel="test",
                    status=outbox,
                    created_at=at,
                    sent_at=sent_at,
                )
                session.add(item)
                session.flush()
                self.ids[f"{name}.outbox"] = item.id

    def case(
        self,
        name: str,
        conversation: str,
        closed_at: datetime | None,
        referred: str | None = None,
        events: int = 2,
    ) -> None:
        with self.db.transaction() as session:
            conv = session.get(Conversation, self.ids[conversation])
            assert conv is not None
            row = Case(
                contact_id=conv.contact_id,
                conversation_id=conv.id,
                status="closed" if closed_at else "open",
                priority="high",
                priority_rank=1,
                category="child_abuse",
                channel="test",
                language="en",
                created_at=days(800),
                closed_at=closed_at,
                referred_service_id=referred,
            )
            session.add(row)
            session.flush()
            self.ids[name] = row.id
            for _ in range(events):
                session.add(CaseEvent(case_id=row.id, kind="opened", at=days(800)))

    def audit(self, name: str, at: datetime) -> None:
        with self.db.transaction() as session:
            row = AuditEvent(at=at, action="view", detail={})
            session.add(row)
            session.flush()
            self.ids[name] = row.id


def build(db: Database) -> World:
    w = World(db)
    cut = days(90)
    # A: no case; one old conversation, one recent one.
    w.contact("A", days(5))
    w.conversation("A.old", "A", days(100))
    w.message("A.old.in", "A.old", days(100))
    w.message("A.old.out", "A.old", days(95), outbox="sent", sent_at=days(95))
    w.conversation("A.new", "A", days(5))
    w.message("A.edge.kept", "A.new", cut + SECOND)
    w.message("A.edge.gone", "A.new", cut - SECOND, outbox="pending")
    w.message("A.delivered.old", "A.new", days(31), outbox="sent", sent_at=days(30) - SECOND)
    w.message("A.delivered.new", "A.new", days(31), outbox="sent", sent_at=days(30) + SECOND)
    w.message("A.dead.old", "A.new", days(40), outbox="dead")
    w.message("A.pending.old", "A.new", days(40), outbox="pending")
    w.message("A.held.old", "A.new", days(40), outbox="held")
    # B: nothing but old data: all of it goes, the contact too.
    w.contact("B", days(200))
    w.conversation("B.c", "B", days(200))
    w.message("B.in", "B.c", days(200))
    # C: an open case from long ago: everything stays.
    w.contact("C", days(400))
    w.conversation("C.c", "C", days(400))
    w.message("C.in", "C.c", days(400))
    w.case("C.case", "C.c", None)
    # D: closed a second more than 365 days ago, no referral: case, events, messages go.
    w.contact("D", days(380))
    w.conversation("D.c", "D", days(366))
    w.message("D.in", "D.c", days(380))
    w.case("D.case", "D.c", days(365) - SECOND)
    # E: closed a second less than 365 days ago: kept with its messages.
    w.contact("E", days(380))
    w.conversation("E.c", "E", days(380))
    w.message("E.in", "E.c", days(380))
    w.case("E.case", "E.c", days(365) + SECOND)
    # F: closed 400 days ago with a referral: a referral is kept 730 days.
    w.contact("F", days(420))
    w.conversation("F.c", "F", days(420))
    w.message("F.in", "F.c", days(420))
    w.case("F.case", "F.c", days(400), referred="svc-1")
    # G: a referral closed a second more than 730 days ago: goes.
    w.contact("G", days(760))
    w.conversation("G.c", "G", days(760))
    w.message("G.in", "G.c", days(760))
    w.case("G.case", "G.c", days(730) - SECOND, referred="svc-2", events=3)
    # The staff group's contact stays; its old alert messages go.
    w.contact("staff", days(500), kind="staff")
    w.conversation("staff.c", "staff", days(1))
    w.message("staff.alert", "staff.c", days(500), outbox="sent", sent_at=days(500))
    # The audit log.
    w.audit("audit.gone", days(730) - SECOND)
    w.audit("audit.kept", days(730) + SECOND)
    return w


def ids(db: Database, model: type) -> set[int]:
    with db.transaction() as session:
        return set(session.scalars(select(model.id)))


def test_purge_removes_exactly_what_expired(db: Database) -> None:
    w = build(db)
    before = {model: ids(db, model) for model in (Message, OutboxItem, Conversation, Contact)}
    with db.transaction() as session:
        counts = purge(session, RetentionSettings(), NOW)

    gone_messages = {"A.old.in", "A.old.out", "A.edge.gone", "B.in", "D.in", "G.in", "staff.alert"}
    assert ids(db, Message) == before[Message] - {w.ids[n] for n in gone_messages}
    gone_outbox = {"A.old.out", "A.edge.gone", "staff.alert", "A.delivered.old", "A.dead.old"}
    assert ids(db, OutboxItem) == before[OutboxItem] - {w.ids[f"{n}.outbox"] for n in gone_outbox}
    assert ids(db, Conversation) == before[Conversation] - {
        w.ids[n] for n in ("A.old", "B.c", "D.c", "G.c")
    }
    assert ids(db, Contact) == before[Contact] - {w.ids[n] for n in ("B", "D", "G")}
    assert ids(db, Case) == {w.ids[n] for n in ("C.case", "E.case", "F.case")}
    with db.transaction() as session:
        left_events = set(session.scalars(select(CaseEvent.case_id)))
    assert left_events == {w.ids[n] for n in ("C.case", "E.case", "F.case")}
    assert ids(db, AuditEvent) == {w.ids["audit.kept"]}
    assert counts == {
        "messages": 7,
        "outbox": 3,
        "delivery_records": 2,
        "conversations": 4,
        "contacts": 3,
        "cases": 1,
        "referrals": 1,
        "case_events": 5,
        "audit_events": 1,
    }


def test_the_destruction_log_has_counts_only_and_a_second_purge_finds_nothing(
    db: Database,
) -> None:
    build(db)
    with db.transaction() as session:
        first = purge(session, RetentionSettings(), NOW)
    with db.transaction() as session:
        second = purge(session, RetentionSettings(), NOW)
        log = list(session.scalars(select(Erasure).order_by(Erasure.id)))
    assert second == dict.fromkeys(KINDS, 0)
    assert [(e.reason, e.channel, e.counts) for e in log] == [
        ("retention", "all", first),
        ("retention", "all", second),
    ]
    assert all(set(e.counts) == set(KINDS) for e in log)


def test_the_audit_log_still_refuses_deletes_outside_the_purge(db: Database) -> None:
    w = build(db)
    with db.transaction() as session:
        purge(session, RetentionSettings(), NOW)
    with pytest.raises(DBAPIError), db.transaction() as session:
        session.execute(delete(AuditEvent).where(AuditEvent.id == w.ids["audit.kept"]))
    with db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == 1
        assert session.scalar(select(func.count()).select_from(Erasure)) == 1


def test_helpline_privacy_purge_prints_counts_by_kind(database_url: str, db: Database) -> None:
    build(db)  # ages relative to 2027: today's clock finds none of it expired but the oldest
    env = {**os.environ, "HELPLINE_DATABASE_URL": database_url, "HELPLINE_SECRET_KEY": "k"}
    result = subprocess.run(
        [sys.executable, "-c", "from bot.cli import main; main()", "privacy", "purge"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert [line.split(": ")[0] for line in lines] == list(KINDS)
    assert all(line.split(": ")[1].isdigit() for line in lines)
    with db.transaction() as session:
        [entry] = session.scalars(select(Erasure))
    assert {f"{k}: {v}" for k, v in entry.counts.items()} == set(lines)


def test_a_confirmed_erasure_never_fetched_is_forgotten_an_hour_later(db: Database) -> None:
    w = World(db)
    w.contact("erased", days(0))
    w.conversation("erased.c", "erased", days(0))
    w.message("erased.done", "erased.c", NOW - timedelta(minutes=61), outbox="sent")
    w.contact("erased.recent", days(0))
    w.conversation("erased.recent.c", "erased.recent", days(0))
    w.message("erased.recent.done", "erased.recent.c", NOW - timedelta(minutes=59), outbox="sent")
    with db.transaction() as session:
        for name in ("erased.done", "erased.recent.done"):
            item = session.get(OutboxItem, w.ids[f"{name}.outbox"])
            assert item is not None
            item.action, item.sent_at = "forget", item.created_at
    with db.transaction() as session:
        counts = purge(session, RetentionSettings(), NOW)
    assert counts["contacts"] == 1
    assert ids(db, Contact) == {w.ids["erased.recent"]}

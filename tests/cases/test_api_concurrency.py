"""Two caseworkers claiming the same case at once: one wins, the other gets 409."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select, text

from bot.cases import work
from bot.cases.work import CaseError, Desk
from bot.storage.models import AuditEvent, Staff, utcnow
from tests.cases.conftest import Account, Api


def _claim_at_once(api: Api, case_id: int, workers: list[Account]) -> list[int]:
    barrier = threading.Barrier(len(workers))

    def claim(worker: Account) -> int:
        barrier.wait()
        return int(api.post(f"/api/cases/{case_id}/claim", worker).status_code)

    with ThreadPoolExecutor(len(workers)) as pool:
        return list(pool.map(claim, workers))


def test_simultaneous_claims_through_the_api_one_wins(api: Api) -> None:
    workers = [api.staff() for _ in range(3)]
    for _ in range(5):
        case_id = api.case()
        statuses = _claim_at_once(api, case_id, workers)
        assert sorted(statuses) == [200, 409, 409], statuses
        winner = workers[statuses.index(200)]
        assert api.row(case_id).assignee_id == winner.id
        with api.helpline.db.transaction() as session:
            claims = session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.case_id == case_id, AuditEvent.action == "claim")
            )
        assert claims == 1


def test_a_claim_waiting_behind_another_gets_409_when_that_one_commits(
    api: Api, database_url: str
) -> None:
    """The second claim is made to wait inside the first's transaction, then loses."""
    if not database_url.startswith("postgresql"):
        pytest.skip("row locks: PostgreSQL")
    first, second = api.staff(), api.staff()
    case_id = api.case()
    db = api.helpline.db
    fallback = api.helpline.settings.cases.language_fallback_minutes
    outcome: dict[str, object] = {}

    pid = threading.Event()

    def second_claim() -> None:
        with db.transaction() as session:
            outcome["pid"] = session.scalar(text("SELECT pg_backend_pid()"))
            pid.set()
            staff = session.get(Staff, second.id)
            assert staff is not None
            try:
                work.claim(Desk(session, staff, utcnow(), fallback), case_id)
                outcome["second"] = "won"
            except CaseError as exc:
                outcome["second"] = exc.status

    with db.transaction() as session:
        staff = session.get(Staff, first.id)
        assert staff is not None
        work.claim(Desk(session, staff, utcnow(), fallback), case_id)
        thread = threading.Thread(target=second_claim)
        thread.start()
        pid.wait()
        # wait (without a time limit that could fail) until the second claim blocks on our lock
        waiting = text("SELECT wait_event_type FROM pg_stat_activity WHERE pid = :pid")
        while thread.is_alive() and session.scalar(waiting, {"pid": outcome["pid"]}) != "Lock":
            session.execute(text("SELECT pg_sleep(0.02)"))
    thread.join()
    assert outcome["second"] == 409
    assert api.row(case_id).assignee_id == first.id

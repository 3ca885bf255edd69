"""The audit log: every staff action, newest first, without personal content, and unchangeable."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import DBAPIError

from bot.cases import audit
from bot.services.records import flat_record
from bot.services.store import put
from bot.storage.models import AuditEvent
from tests.cases.conftest import Api

SECRET_REPLY = "Your address is Yenibosna 12"
SECRET_NOTE = "neighbour Fatma knows"


def test_every_staff_action_is_in_the_audit_log_newest_first(api: Api) -> None:
    worker, other, boss = api.staff(), api.staff(), api.staff("supervisor")
    case_id = api.case(text="he took my kimlik")
    steps = [
        (worker, "GET", "/api/cases", None),
        (worker, "GET", f"/api/cases/{case_id}", None),
        (worker, "POST", f"/api/cases/{case_id}/claim", None),
        (worker, "POST", f"/api/cases/{case_id}/reply", {"text": SECRET_REPLY}),
        (worker, "POST", f"/api/cases/{case_id}/note", {"text": SECRET_NOTE}),
        (boss, "POST", f"/api/cases/{case_id}/reassign", {"staff": other.name}),
        (other, "POST", f"/api/cases/{case_id}/handback", None),
        (other, "POST", f"/api/cases/{case_id}/close", {"outcome": "resolved"}),
    ]
    for who, method, path, body in steps:
        response = api.client.request(method, path, headers=who.headers, json=body)
        assert response.status_code in (200, 201), (path, response.text)
    # refused requests leave no audit trace
    assert api.post(f"/api/cases/{case_id}/claim", worker).status_code == 409
    assert api.get("/api/audit", worker).status_code == 403

    log = api.get("/api/audit", boss)
    assert log.status_code == 200
    entries = log.json()
    assert [(e["action"], e["staff"]) for e in entries] == [
        ("close", other.name),
        ("handback", other.name),
        ("reassign", boss.name),
        ("note", worker.name),
        ("reply", worker.name),
        ("claim", worker.name),
        ("view", worker.name),
        ("list", worker.name),
    ]
    assert log.headers["x-total-count"] == "8"
    assert all(e["case_id"] == case_id for e in entries[:-1])
    assert case_id in entries[-1]["detail"]["case_ids"]
    assert all(e["at"] for e in entries)
    ids = [e["id"] for e in entries]
    assert ids == sorted(ids, reverse=True)
    assert entries[0]["detail"]["outcome"] == "resolved"
    assert entries[2]["detail"]["to_staff_id"] == other.id
    dumped = json.dumps(entries, ensure_ascii=False)
    for personal in (SECRET_REPLY, SECRET_NOTE, "kimlik", "Yenibosna", "Fatma"):
        assert personal not in dumped
    # reading the log is itself recorded, and filters work
    second = api.get("/api/audit?limit=2", boss).json()
    assert second[0]["action"] == "audit_read" and len(second) == 2
    only_claims = api.get(f"/api/audit?case_id={case_id}&action=claim", boss).json()
    assert [e["action"] for e in only_claims] == ["claim"]
    assert api.get("/api/audit?action=rewrite", boss).status_code == 422
    assert api.get("/api/audit?limit=0", boss).status_code == 422


def test_the_audit_log_cannot_be_changed_through_the_api(api: Api) -> None:
    boss = api.staff("admin")
    api.get("/api/cases", boss)
    before = api.get("/api/audit", boss).json()
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        response = api.client.request(method, "/api/audit", headers=boss.headers, json=[])
        assert response.status_code == 405, method
        one = api.client.request(method, f"/api/audit/{before[0]['id']}", headers=boss.headers)
        assert one.status_code in (404, 405), method
    after = api.get("/api/audit", boss).json()
    assert after[1:] == before  # only the second read was added


def test_the_database_refuses_to_update_or_delete_audit_events(api: Api) -> None:
    boss = api.staff("supervisor")
    api.get("/api/cases", boss)
    for statement in (
        update(AuditEvent).values(action="view"),
        delete(AuditEvent),
    ):
        with pytest.raises(DBAPIError), api.helpline.db.transaction() as session:
            session.execute(statement)
    with api.helpline.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == 1
        assert session.scalar(select(AuditEvent.action)) == "list"


def test_audit_details_refuse_free_text(api: Api) -> None:
    with api.helpline.db.transaction() as session:
        for detail in ({"text": "he hits me"}, {"x": "a" * 65}, {"nested": {"t": "two words"}}):
            with pytest.raises(audit.AuditError):
                audit.record(session, None, "view", 1, detail)
        with pytest.raises(audit.AuditError):
            audit.record(session, None, "edit", 1)


def test_referrals_summary_by_provider_and_category(api: Api) -> None:
    boss, worker = api.staff("supervisor"), api.staff()
    with api.helpline.db.transaction() as session:
        put(
            session,
            flat_record(
                "sgdd-esenyurt", "SGDD Esenyurt", ["legal", "psychosocial"], organization="SGDD"
            ),
            "test",
        )
        put(session, flat_record("hospital-1", "Devlet Hastanesi", ["health"]), "test")
    closings = [
        ("domestic_violence", {"outcome": "referred", "service_id": "sgdd-esenyurt"}),
        ("child_labour", {"outcome": "referred", "service_id": "sgdd-esenyurt"}),
        ("medical_emergency", {"outcome": "referred", "service_id": "hospital-1"}),
        ("domestic_violence", {"outcome": "no_contact"}),
    ]
    for category, body in closings:
        case_id = api.case(category=category)
        assert api.post(f"/api/cases/{case_id}/close", worker, json=body).status_code == 200
    api.case()  # still open: not counted
    summary = api.get("/api/referrals/summary", boss).json()
    assert summary["closed_cases"] == 4 and summary["referred_cases"] == 3
    assert summary["by_provider"][0] == {
        "provider": "SGDD",
        "services": ["sgdd-esenyurt"],
        "referrals": 2,
        "outcomes": {"referred": 2},
    }
    assert summary["by_provider"][1]["provider"] == "Devlet Hastanesi"
    by_category = {row["category"]: row for row in summary["by_case_category"]}
    assert by_category["domestic_violence"]["outcomes"] == {"referred": 1, "no_contact": 1}
    services = {row["category"]: row["referrals"] for row in summary["by_service_category"]}
    assert services == {"health": 1, "legal": 2, "psychosocial": 2}
    assert summary["not_recorded"]  # says what the numbers cannot include
    assert api.get("/api/referrals/summary", worker).status_code == 403

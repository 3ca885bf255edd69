"""Every endpoint of CONTRACT.md section 3's staff API, for every role and every bad token."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.storage.models import AuditEvent, Case, CaseEvent, Message
from tests.cases.conftest import Account, Api


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str  # {id} is a fresh case for each call
    body: dict[str, Any] | None
    least_role: str
    ok: int


ENDPOINTS = [
    Endpoint("list", "GET", "/api/cases?status=open", None, "caseworker", 200),
    Endpoint("view", "GET", "/api/cases/{id}", None, "caseworker", 200),
    Endpoint("claim", "POST", "/api/cases/{id}/claim", None, "caseworker", 200),
    Endpoint("reply", "POST", "/api/cases/{id}/reply", {"text": "Merhaba"}, "caseworker", 201),
    Endpoint("note", "POST", "/api/cases/{id}/note", {"text": "called back"}, "caseworker", 201),
    Endpoint("handback", "POST", "/api/cases/{id}/handback", None, "caseworker", 200),
    Endpoint("close", "POST", "/api/cases/{id}/close", {"outcome": "resolved"}, "caseworker", 200),
    Endpoint(
        "reassign", "POST", "/api/cases/{id}/reassign", {"staff": "@target"}, "supervisor", 200
    ),
    Endpoint("audit", "GET", "/api/audit", None, "supervisor", 200),
    Endpoint("referrals", "GET", "/api/referrals/summary", None, "supervisor", 200),
]
ROLES = ("caseworker", "supervisor", "admin")
RANK = {role: rank for rank, role in enumerate(ROLES)}


def _call(api: Api, endpoint: Endpoint, headers: dict[str, str], target: Account) -> Any:
    case_id = api.case()
    path = endpoint.path.format(id=case_id)
    body = endpoint.body
    if body is not None and body.get("staff") == "@target":
        body = {"staff": target.name}
    return case_id, api.client.request(endpoint.method, path, headers=headers, json=body)


def _counts(api: Api) -> tuple[int, int, int, int]:
    with api.helpline.db.transaction() as session:
        return (
            session.scalar(select(func.count()).select_from(AuditEvent)) or 0,
            session.scalar(select(func.count()).select_from(CaseEvent)) or 0,
            session.scalar(select(func.count()).select_from(Message)) or 0,
            session.scalar(select(func.count()).select_from(Case).where(Case.status != "open"))
            or 0,
        )


BAD_TOKENS: list[tuple[str, Callable[[Account, Account], dict[str, str]]]] = [
    ("missing", lambda good, revoked: {}),
    ("empty", lambda good, revoked: {"Authorization": "Bearer "}),
    ("garbage", lambda good, revoked: {"Authorization": "Bearer not-a-token"}),
    ("wrong secret", lambda good, revoked: {"Authorization": f"Bearer {good.token[:-4]}AAAA"}),
    (
        "unknown id",
        lambda good, revoked: {"Authorization": "Bearer 999999.abcdefghijklmnopqrstuvwxyz012345"},
    ),
    (
        "another's id",
        lambda good, revoked: {
            "Authorization": f"Bearer {revoked.id}.{good.token.split('.', 1)[1]}"
        },
    ),
    ("not bearer", lambda good, revoked: {"Authorization": f"Basic {good.token}"}),
    ("revoked", lambda good, revoked: revoked.headers),
]


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.name for e in ENDPOINTS])
def test_each_role_gets_its_answer(api: Api, endpoint: Endpoint) -> None:
    team = {role: api.staff(role) for role in ROLES}
    for role, caller in team.items():
        case_id, response = _call(api, endpoint, caller.headers, team["caseworker"])
        allowed = RANK[role] >= RANK[endpoint.least_role]
        expected = endpoint.ok if allowed else 403
        assert response.status_code == expected, (role, response.status_code, response.text)
        assert response.headers["content-type"].startswith("application/json")
        if not allowed:
            assert "supervisor" in response.json()["error"]
            assert api.row(case_id).assignee_id is None


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.name for e in ENDPOINTS])
def test_a_missing_wrong_or_revoked_token_is_401_and_changes_nothing(
    api: Api, endpoint: Endpoint
) -> None:
    good = api.staff("admin")
    revoked = api.staff("admin")
    # the revoked account's token worked until it was revoked
    assert api.get("/api/audit", revoked).status_code == 200
    api.revoke(revoked)
    for label, headers_for in BAD_TOKENS:
        before = _counts(api)
        case_id, response = _call(api, endpoint, headers_for(good, revoked), good)
        assert response.status_code == 401, (label, response.status_code, response.text)
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert "error" in response.json()
        after = _counts(api)
        # the new case added one "opened" event and one message; nothing else changed
        assert after == (before[0], before[1] + 1, before[2] + 1, before[3]), label
        assert api.row(case_id).status == "open"
    # the good token still works: the 401s were about the tokens, not the endpoint
    assert _call(api, endpoint, good.headers, good)[1].status_code == endpoint.ok

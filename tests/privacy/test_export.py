"""`helpline privacy export CASE_ID` and `GET /api/privacy/export/{case_id}`: one person's
data as JSON for an access request, decrypted, audited; admins only."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.app import Helpline
from bot.storage.models import AuditEvent
from tests.cases.conftest import Api
from tests.privacy.chat import DISCLOSURE, EARLIER, Chat

ROOT = Path(__file__).resolve().parents[2]


def someone_with_a_case(helpline: Helpline) -> tuple[Chat, int]:
    chat = Chat(helpline, "en")
    chat.send("hello")
    chat.send(EARLIER)
    case_id = chat.open_case("high")
    chat.refer(case_id=case_id)
    chat.sign_up("Yasemin")
    return chat, case_id


def check_export(data: dict[str, Any], chat: Chat, case_id: int) -> None:
    assert data["format"] == "helpline-access-request/1"
    assert data["person"]["platform_id"] == chat.sender_id
    assert data["person"]["channel"] == "test" and data["person"]["language"] == "en"
    texts = [m["text"] for m in data["messages"]]
    assert "hello" in texts and EARLIER in texts and DISCLOSURE in texts
    assert {m["direction"] for m in data["messages"]} == {"in", "out"}
    [case] = data["cases"]
    assert case["id"] == case_id and case["priority"] == "high"
    assert [e["kind"] for e in case["events"]] == ["opened"]
    assert [r["provider"] for r in data["referrals"]] == ["Esenyurt Legal Aid"]
    assert data["conversations"] and "state" in data["conversations"][0]
    [signup] = data["other"]["session_signups"]
    assert signup["first_name"] == "Yasemin" and signup["session_id"] == "parenting-1"


def export_audits(helpline: Helpline) -> list[AuditEvent]:
    with helpline.db.transaction() as session:
        query = select(AuditEvent).where(AuditEvent.action == "export")
        return list(session.scalars(query.order_by(AuditEvent.id)))


def test_the_api_exports_for_admins_only_and_audits_it(api: Api) -> None:
    chat, case_id = someone_with_a_case(api.helpline)
    admin, supervisor = api.staff("admin"), api.staff("supervisor")
    path = f"/api/privacy/export/{case_id}"
    assert api.get(path, supervisor).status_code == 403
    assert api.get(path, None).status_code == 401
    assert api.get("/api/privacy/export/999999", admin).status_code == 404
    answer = api.get(path, admin)
    assert answer.status_code == 200
    check_export(answer.json(), chat, case_id)
    [event] = export_audits(api.helpline)
    assert (event.case_id, event.staff_id, event.detail["via"]) == (case_id, admin.id, "api")
    assert event.detail["messages"] == len(answer.json()["messages"])


def run(args: list[str], helpline: Helpline) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "HELPLINE_DATABASE_URL": helpline.settings.database_url,
        "HELPLINE_SECRET_KEY": helpline.settings.secret_key or "",
    }
    return subprocess.run(
        [sys.executable, "-c", "from bot.cli import main; main()", "privacy", "export", *args],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=180,
    )  # fmt: skip


def test_helpline_privacy_export(api: Api) -> None:
    chat, case_id = someone_with_a_case(api.helpline)
    admin, caseworker = api.staff("admin"), api.staff("caseworker")
    result = run([str(case_id)], api.helpline)
    assert result.returncode == 0, result.stderr
    check_export(json.loads(result.stdout), chat, case_id)
    named = run([str(case_id), "--staff", admin.name], api.helpline)
    assert named.returncode == 0, named.stderr
    refused = run([str(case_id), "--staff", caseworker.name], api.helpline)
    assert refused.returncode != 0 and "not an active admin" in refused.stderr
    missing = run(["999999"], api.helpline)
    assert missing.returncode != 0 and "no case 999999" in missing.stderr
    events = export_audits(api.helpline)
    assert [(e.staff_id, e.detail["via"]) for e in events] == [(None, "cli"), (admin.id, "cli")]

"""Done when (issue 13): an admin publishes a session from the console with the same checks
as `helpline sessions import`; it is then listed; an invalid one is refused with the
reason; a caseworker may not publish."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from starlette.testclient import TestClient

from bot.app import Helpline
from bot.services.hours import ISTANBUL
from bot.services.importer import import_parsed, read_file
from bot.storage.models import AuditEvent
from bot.web.app import build_web_app
from tests.cases.conftest import Api
from tests.console.conftest import CSRF_META, ConsoleClient
from tests.programmes.support import SERVICES_SAMPLE
from tests.programmes.support import helpline as run_cli


def _form(csrf: str, **cells: str) -> dict[str, str]:
    begin = (datetime.now(UTC) + timedelta(days=5)).astimezone(ISTANBUL)
    form = {
        "csrf_token": csrf, "id": "console-1", "programme": "parenting",
        "title_tr": "Ebeveynlik", "title_ar": "التربية", "title_en": "Parenting",
        "min_age": "18", "max_age": "", "language": "ar", "service_id": "sample-esenyurt-pss",
        "starts_at": f"{begin:%Y-%m-%dT%H:%M}",
        "ends_at": f"{begin + timedelta(hours=2):%Y-%m-%dT%H:%M}", "capacity": "12",
    }  # fmt: skip
    form.update(cells)
    return form


def _token(client: ConsoleClient) -> str:
    found = CSRF_META.search(client.http.get("/console/sessions").text)
    assert found is not None
    return found.group(1)


def test_an_admin_publishes_a_session_checked_like_the_import(
    helpline: Helpline, database_url: str
) -> None:
    with helpline.db.transaction() as session:
        assert import_parsed(session, read_file(SERVICES_SAMPLE), "test").applied
    api = Api(helpline, TestClient(build_web_app(helpline, run_sender=False)))
    admin = ConsoleClient(helpline)
    admin.login(api.staff("admin"))
    page = admin.http.get("/console/sessions")
    assert 'data-test="session-add"' in page.text
    token = _token(admin)
    # refused with the import's own reasons, and nothing stored
    bad = admin.http.post(
        "/console/sessions",
        data=_form(token, id="bad-1", max_age="6", min_age="12", capacity="0"),
    )
    assert bad.status_code == 422
    assert "min_age is above max_age" in bad.text
    assert "capacity: a whole number of places, 1 or more" in bad.text
    assert 'data-session-id="bad-1"' not in bad.text
    nowhere = admin.http.post(
        "/console/sessions", data=_form(token, id="bad-3", service_id="no-such-service")
    )
    assert nowhere.status_code == 422
    assert "service_id &#39;no-such-service&#39; is not a service of the map" in nowhere.text
    neither = admin.http.post("/console/sessions", data=_form(token, id="bad-2", service_id=""))
    assert neither.status_code == 422 and "or online" in neither.text
    # a valid one: stored in UTC from Istanbul time, listed by the CLI
    good = admin.http.post("/console/sessions", data=_form(token))
    assert good.status_code == 303 and good.headers["location"] == "/console/sessions/console-1"
    online = admin.http.post(
        "/console/sessions", data=_form(token, id="console-2", service_id="", online="on")
    )
    assert online.status_code == 303
    listed = json.loads(run_cli(database_url, "sessions", "list", "--json").stdout)
    by_id = {s["id"]: s for s in listed}
    assert set(by_id) == {"console-1", "console-2"}
    assert by_id["console-1"]["district"] == "Esenyurt" and by_id["console-1"]["capacity"] == 12
    assert by_id["console-1"]["starts_at"].endswith("+03:00")
    assert by_id["console-1"]["titles"] == {"tr": "Ebeveynlik", "ar": "التربية", "en": "Parenting"}
    assert by_id["console-2"]["online"] is True
    again = admin.http.post("/console/sessions", data=_form(token, capacity="30"))
    assert again.status_code == 422 and "exists already" in again.text
    with helpline.db.transaction() as session:
        audited = list(
            session.scalars(select(AuditEvent).where(AuditEvent.action == "session_add"))
        )
    assert [e.detail["session"] for e in audited] == ["console-1", "console-2"]
    # a caseworker sees the sessions but no form, and may not publish
    caseworker = ConsoleClient(helpline)
    caseworker.login(api.staff("caseworker"))
    assert 'data-test="session-add"' not in caseworker.http.get("/console/sessions").text
    refused = caseworker.http.post(
        "/console/sessions", data=_form(_token(caseworker), id="console-3")
    )
    assert refused.status_code == 403

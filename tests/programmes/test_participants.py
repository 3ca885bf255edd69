"""Staff see a session's participants by first name only (unless consent) and mark attendance;
the monthly report counts it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from starlette.testclient import TestClient

from bot.app import Helpline
from bot.programmes.catalogue import import_rows
from bot.programmes.sessions_csv import read_csv
from bot.services.importer import import_parsed, read_file
from bot.storage import repository
from bot.storage.programme_models import SessionSignup
from bot.web.app import build_web_app
from tests.cases.conftest import Api
from tests.console.conftest import CSRF_META, ConsoleClient
from tests.programmes.support import SERVICES_SAMPLE, session_row, write_sessions


def test_participants_by_first_name_and_attendance(helpline: Helpline, tmp_path: Path) -> None:
    data = write_sessions(tmp_path / "s.csv", [session_row("p-1", days=1)]).read_bytes()
    vault = helpline.vault
    with helpline.db.transaction() as session:
        assert import_parsed(session, read_file(SERVICES_SAMPLE), "test").applied
        assert import_rows(session, read_csv(data), "test").applied
        for n, (name, consent, status) in enumerate(
            [("Amina Yusuf", False, "confirmed"), ("Omar Haddad", True, "confirmed"),
             (None, False, "confirmed"), ("Leyla Karimi", False, "waiting")]
        ):  # fmt: skip
            contact = repository.contact_for(session, vault, "test", f"person-{n}")
            session.add(
                SessionSignup(
                    session_id="p-1", contact_id=contact.id, status=status, reminders_sent=[],
                    first_name_enc=vault.encrypt(name) if name else None, names_consent=consent,
                )
            )  # fmt: skip
    api = Api(helpline, TestClient(build_web_app(helpline, run_sender=False)))
    client = ConsoleClient(helpline)
    client.login(api.staff("caseworker"))
    assert 'data-session-id="p-1"' in client.http.get("/console/sessions").text
    page = client.page("/console/sessions/p-1")
    assert page.status_code == 200
    assert "Amina" in page.text and "Yusuf" not in page.text  # first name only
    assert "Omar Haddad" in page.text  # consented to the full name
    assert "#3" in page.text and "Leyla" in page.text and "Karimi" not in page.text
    with helpline.db.transaction() as session:
        ids = {
            s.status + str(i): s.id
            for i, s in enumerate(session.scalars(select(SessionSignup).order_by(SessionSignup.id)))
        }
    token = CSRF_META.search(page.text)
    assert token is not None
    marked = client.http.post(
        "/console/sessions/p-1/attendance",
        data={"csrf_token": token.group(1), f"attended_{ids['confirmed0']}": "on",
              f"attended_{ids['confirmed2']}": "on", f"attended_{ids['waiting3']}": "on"},
    )  # fmt: skip
    assert marked.status_code == 303
    with helpline.db.transaction() as session:
        attended = {s.id: s.attended for s in session.scalars(select(SessionSignup))}
    assert attended == {ids["confirmed0"]: True, ids["confirmed1"]: False,
                        ids["confirmed2"]: True, ids["waiting3"]: None}  # fmt: skip

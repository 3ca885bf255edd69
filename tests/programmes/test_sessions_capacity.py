"""Done when (issue 13, waiting list): raising a session's capacity by re-import gives the new
places to its waiting list, first come first served, and tells each one, as a cancellation does."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from bot.app import Helpline, build_texts
from bot.programmes.signups import details
from bot.storage import repository
from bot.storage.crypto import Vault
from bot.storage.models import Message
from bot.storage.programme_models import ProgrammeSession, SessionSignup
from tests.programmes.support import SERVICES_SAMPLE, session_row, write_sessions
from tests.programmes.support import helpline as run_cli


def test_a_raised_capacity_promotes_the_waiting_list_in_order(
    helpline: Helpline, database_url: str, tmp_path: Path
) -> None:
    assert run_cli(database_url, "services", "import", str(SERVICES_SAMPLE)).exit_code == 0
    first = write_sessions(tmp_path / "a.csv", [session_row("cap-1", capacity="1")])
    assert run_cli(database_url, "sessions", "import", str(first)).exit_code == 0
    vault = helpline.vault
    with helpline.db.transaction() as session:
        people = []
        for n, status in enumerate(["confirmed", "waiting", "waiting", "waiting"]):
            contact = repository.contact_for(session, vault, "test", f"cap-person-{n}")
            session.add(
                SessionSignup(
                    session_id="cap-1", contact_id=contact.id, status=status, reminders_sent=[]
                )
            )
            session.flush()
            people.append(contact.id)
    # the same file, one more place: nothing else changes, two places more
    raised = write_sessions(tmp_path / "b.csv", [session_row("cap-1", capacity="3")])
    result = run_cli(database_url, "sessions", "import", str(raised))
    assert result.exit_code == 0, result.output
    assert "2 moved up from a waiting list and told" in result.output
    with helpline.db.transaction() as session:
        status = {
            s.contact_id: s.status
            for s in session.scalars(
                select(SessionSignup).where(SessionSignup.session_id == "cap-1")
            )
        }
        assert [status[c] for c in people] == ["confirmed", "confirmed", "confirmed", "waiting"]
        told = list(
            session.scalars(select(Message).where(Message.direction == "out").order_by(Message.id))
        )
        assert [m.contact_id for m in told] == people[1:3]
        row = session.get(ProgrammeSession, "cap-1")
        assert row is not None and row.capacity == 3
        texts = build_texts(helpline.settings)
        cli_vault = Vault("t")  # the CLI's key (tests/programmes/support.py)
        for message in told:
            info = details(session, texts, message.language, row)
            expected = texts.get(message.language, "programmes.promoted", **info)
            assert cli_vault.decrypt(message.text_enc) == expected
            assert message.status == "queued"
    # importing it again changes nothing and tells nobody twice
    again = run_cli(database_url, "sessions", "import", str(raised))
    assert again.exit_code == 0 and "moved up" not in again.output
    with helpline.db.transaction() as session:
        assert len(list(session.scalars(select(Message).where(Message.direction == "out")))) == 2

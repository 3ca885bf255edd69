"""Sessions in the conversation (test channel): the question with an age and a district,
a numbered answer, the one word for cancel, a late sign-up's single reminder."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.app import Helpline
from bot.programmes.catalogue import import_rows
from bot.programmes.reminders import ReminderSchedule
from bot.programmes.sessions_csv import read_csv
from bot.services.importer import import_parsed, read_file
from bot.storage.programme_models import SessionSignup
from tests.conftest import Person
from tests.programmes.support import SERVICES_SAMPLE, session_row, write_sessions


def seed(helpline: Helpline, tmp_path: Path) -> None:
    rows = [
        session_row("kids-esenyurt-en", days=2, programme="child_peer_support", min_age="8",
                    max_age="12", language="en", service_id="sample-esenyurt-child",
                    district="", title_en="Peer support for children 8-12"),
        session_row("kids-fatih-en", days=2, programme="club", min_age="8", max_age="12",
                    language="en", service_id="sample-fatih-health", district=""),
        session_row("teens-esenyurt-en", days=3, programme="club", min_age="13", max_age="17",
                    language="en", service_id="sample-esenyurt-child", district=""),
        session_row("kids-online-en", days=4, programme="resilience", min_age="6",
                    max_age="10", language="en", service_id="", district="",
                    title_en="Resilience online"),
        session_row("kids-esenyurt-ar", days=2, programme="child_peer_support", min_age="8",
                    max_age="12", language="ar"),
    ]  # fmt: skip
    data = write_sessions(tmp_path / "s.csv", rows).read_bytes()
    with helpline.db.transaction() as session:
        assert import_parsed(session, read_file(SERVICES_SAMPLE), "test").applied
        assert import_rows(session, read_csv(data), "test").applied


def test_a_question_with_age_and_district_lists_what_fits_and_a_number_signs_up(
    helpline: Helpline, person: Person, tmp_path: Path
) -> None:
    seed(helpline, tmp_path)
    texts = helpline.engine.texts
    person.says("hello")
    replies = person.says("what sessions are there for my 9-year-old in Esenyurt?")
    listing = replies[-1]
    assert listing.text.startswith(texts.get("en", "programmes.list"))
    payloads = [b.payload for b in listing.buttons]
    # 9 years old, Esenyurt or online, in English: not Fatih, not the teens, not Arabic
    assert payloads == ["ps:j:kids-esenyurt-en", "ps:j:kids-online-en"]
    assert "Peer support for children 8-12" in listing.text and "Esenyurt" in listing.text
    assert texts.get("en", "programmes.online") in listing.text
    confirmed = person.says("2")
    assert confirmed[-1].text.startswith("You are signed up: Resilience online")
    assert [b.payload for b in confirmed[-1].buttons] == ["ps:c:kids-online-en"]
    person.says("2")  # the numbers were for the list only: nothing more happens to places
    with helpline.db.transaction() as session:
        assert session.query(SessionSignup).count() == 1
    cancelled = person.says("cancel")
    assert cancelled[-1].text.startswith("Your place is cancelled: Resilience online")
    # without a place the word means what it meant before (here: stop)
    assert not person.says("cancel")[-1].text.startswith("Your place")


def test_a_late_sign_up_gets_only_the_nearest_reminder_and_never_twice(
    helpline: Helpline, person: Person, tmp_path: Path
) -> None:
    seed(helpline, tmp_path)
    person.says("hello")
    person.says("sessions for my 10 year old")
    person.says("1")  # kids-esenyurt-en, in two days
    schedule = ReminderSchedule(
        helpline.db, helpline.vault, helpline.engine.texts, helpline.settings.programmes, "tr"
    )
    starts = datetime.now(UTC) + timedelta(days=2)
    assert schedule.scan(starts - timedelta(hours=30)) == 0
    assert schedule.scan(starts - timedelta(hours=1)) == 1  # 24 h passed unsent: only the 2 h
    assert schedule.scan(starts - timedelta(minutes=30)) == 0
    import asyncio

    asyncio.run(helpline.sender.flush())
    sent = person.channel.take()
    assert [m.text.split(":")[0] for m in sent] == ["Reminder"]
    with helpline.db.transaction() as session:
        signup = session.query(SessionSignup).one()
        assert signup.reminders_sent == ["24h", "2h"]

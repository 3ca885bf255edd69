"""What the escalation tests share: an injected clock, a helpline that collects staff alerts,
and disclosures the real NLU reads at a known level (checked, so a model change shows up).

Staff alerts go to the `telegram` channel (the staff group is a Telegram chat); these tests
collect them with the project's collecting channel under that name. A test module imports
the `*_fixture` functions to use the fixtures `clock`, `make_helpline` and `app`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.app import Helpline, create_app
from bot.cases import work
from bot.cases.staff import add_staff
from bot.cases.work import Desk
from bot.channels.collecting import CollectingChannel
from bot.engine.messages import Outbound
from bot.nlu.base import NLU
from bot.storage.models import Case, CaseEvent, Message, Staff
from tests.conftest import Person, make_settings

STAFF_CHAT = "-1009876543210"
PUBLIC_URL = "https://helpline.example.org"
# Monday 7 December 2026, 10:00 in Istanbul (UTC+3): staffed.
MONDAY_10 = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)
# Saturday 5 December 2026, 23:00 in Istanbul: nobody on shift until Monday 09:00.
SATURDAY_23 = datetime(2026, 12, 5, 20, 0, tzinfo=UTC)

# Per language: texts the NLU reads at this level (the first that it does is used).
DISCLOSURES: dict[str, dict[str, list[str]]] = {
    "imminent": {
        "en": ["my husband is beating me right now, he has a knife"],
        "tr": ["kocam şu an beni bıçakla tehdit ediyor"],
        "ar": ["زوجي عم يضربني هلق ومعه سكين"],
    },
    "high": {
        "en": ["my husband beats me every night", "my son is 14 and wants to leave school to work"],
        "tr": ["kocam her gece beni dövüyor"],
        "ar": ["بدهم يزوجو بنتي وعمرها ١٣ سنة"],
    },
    "medium": {
        "en": [
            "my husband shouts at me a lot and i am scared sometimes",
            "my 14 year old wants to quit school to work with his uncle",
        ],
        "tr": ["kocam bana çok bağırıyor ve bazen korkuyorum"],
        "ar": ["جوزي بيصرخ علي كتير وساعات بخاف منه"],
    },
}


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass(frozen=True)
class Disclosure:
    text: str
    level: str
    category: str


def disclosure(nlu: NLU, level: str, language: str) -> Disclosure:
    """A text the NLU reads at `level` in `language` (a sure reading, not an unsure one)."""
    seen = []
    for text in DISCLOSURES[level][language]:
        risk = nlu.parse(text, language).risk
        if risk.level.label == level and not getattr(risk, "unsure", False):
            assert risk.category is not None
            return Disclosure(text, level, risk.category)
        seen.append((text, risk.level.label, risk.category))
    raise AssertionError(f"the NLU reads none of the {level} {language} texts so: {seen}")


@pytest.fixture(name="clock")
def clock_fixture() -> Clock:
    return Clock(MONDAY_10)


MakeHelpline = Callable[..., Helpline]


@pytest.fixture(name="make_helpline")
def make_helpline_fixture(
    database_url: str, nlu_model_dir: Path, nlu: NLU, clock: Clock
) -> Iterator[MakeHelpline]:
    """A helpline with the injected clock, a staff chat, and `cases` settings overridden."""
    made: list[Helpline] = []

    def make(**cases: Any) -> Helpline:
        settings = make_settings(
            database_url,
            nlu_model_dir,
            staff_chat_id=STAFF_CHAT,
            public_url=PUBLIC_URL,
            cases=cases,
        )
        app = create_app(
            settings,
            nlu=nlu,
            extra_channels=[CollectingChannel("test"), CollectingChannel("telegram")],
            clock=clock,
        )
        made.append(app)
        return app

    yield make
    for app in made:
        app.db.dispose()


@pytest.fixture(name="app")
def app_fixture(make_helpline: MakeHelpline) -> Helpline:
    return make_helpline()


def person_on(app: Helpline, language: str) -> Person:
    channel = app.channels["test"]
    assert isinstance(channel, CollectingChannel)
    return Person(helpline=app, channel=channel, language_code=language)


def staff_alerts(app: Helpline) -> list[Outbound]:
    channel = app.channels["telegram"]
    assert isinstance(channel, CollectingChannel)
    return channel.take()


def said(app: Helpline, msgid: str, language: str, **params: Any) -> str:
    return app.engine.texts.get(language, msgid, **params)


def cases_of(app: Helpline) -> list[Case]:
    with app.db.transaction() as session:
        cases = list(session.scalars(select(Case).order_by(Case.id)))
        session.expunge_all()
        return cases


def events_of(app: Helpline, case_id: int) -> list[CaseEvent]:
    with app.db.transaction() as session:
        events = list(
            session.scalars(
                select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)
            )
        )
        session.expunge_all()
        return events


def _staff_desk(app: Helpline, session: Session) -> Desk:
    staff = session.scalar(select(Staff).where(Staff.name == "escalation-caseworker"))
    if staff is None:
        staff, _token = add_staff(
            session, "escalation-caseworker", "caseworker", ["tr", "ar", "en"], "a long password"
        )
    return Desk(session=session, staff=staff, now=app.engine.desk.now(), fallback_minutes=0)


def claim(app: Helpline, case_id: int) -> None:
    """A caseworker claims the case (bot/cases/work.py): the bot goes quiet."""
    with app.db.transaction() as session:
        work.claim(_staff_desk(app, session), case_id)


def hand_back(app: Helpline, case_id: int) -> None:
    """The caseworker hands the conversation back to the bot; the case stays claimed."""
    with app.db.transaction() as session:
        work.handback(_staff_desk(app, session), case_id)


def reply(app: Helpline, case_id: int, text: str) -> None:
    """A caseworker's reply to the person (the case's first response)."""
    with app.db.transaction() as session:
        work.reply(_staff_desk(app, session), app.vault, case_id, text)


def close(app: Helpline, case_id: int, outcome: str = "resolved") -> None:
    with app.db.transaction() as session:
        work.close(_staff_desk(app, session), case_id, outcome, app.settings.cases.outcomes)


def inbound_texts(app: Helpline) -> list[tuple[int | None, str]]:
    with app.db.transaction() as session:
        rows = session.scalars(
            select(Message).where(Message.direction == "in").order_by(Message.id)
        ).all()
        return [(m.conversation_id, app.vault.decrypt(m.text_enc)) for m in rows]


WORD = re.compile(r"\w{4,}", re.UNICODE)


def personal_words(text: str) -> set[str]:
    """The words of a message that an alert must never repeat."""
    return {word.casefold() for word in WORD.findall(text)}


def assert_no_personal_data(alert: str, *, words: str, sender_id: str) -> None:
    leaked = sorted(personal_words(words) & personal_words(alert))
    assert not leaked, f"the alert repeats the person's words {leaked}: {alert!r}"
    assert sender_id.casefold() not in alert.casefold()

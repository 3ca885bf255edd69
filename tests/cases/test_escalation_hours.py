"""Staffed hours (Istanbul time, Turkish holidays and extra dates) and first-response deadlines,
with an injected clock: outside the hours the person is told, in their language, when someone
will answer; an imminent case outside them alerts on-call staff.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.app import Helpline
from bot.cases.deadlines import aware, deadline_for
from bot.cases.hours import StaffedHours
from bot.nlu.base import NLU
from bot.settings import CaseSettings
from tests.cases.escalation_support import (
    SATURDAY_23,
    Clock,
    MakeHelpline,
    app_fixture,  # noqa: F401  (fixture `app`)
    cases_of,
    clock_fixture,  # noqa: F401  (fixture `clock`)
    disclosure,
    make_helpline_fixture,  # noqa: F401  (fixture `make_helpline`)
    person_on,
    said,
    staff_alerts,
)

ASK_FOR_A_PERSON = {
    "tr": "bir görevliyle konuşmak istiyorum",
    "ar": "بدي احكي مع موظف",
    "en": "i want to talk to a real person",
}
# Monday 7 December 2026, 09:00 Istanbul, as each language writes it.
MONDAY_OPENING = {
    "en": "Monday 7 December, 09:00",
    "tr": "7 Aralık Pazartesi, 09:00",
    "ar": "الاثنين 7 ديسمبر، 09:00",
}
FSI, PDI = "\u2068", "\u2069"


def istanbul(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in Istanbul (UTC+3 all year), as UTC."""
    return datetime(year, month, day, hour - 3, minute, tzinfo=UTC)


@pytest.mark.parametrize("language", ["tr", "ar", "en"])
def test_outside_staffed_hours_the_person_is_told_when_someone_will_answer(
    app: Helpline, clock: Clock, language: str
) -> None:
    clock.now = SATURDAY_23
    person = person_on(app, language)
    person.says(ASK_FOR_A_PERSON[language])
    texts = [reply.text for reply in person.last]
    assert said(app, "handoff.queued", language) in texts
    notice = said(app, "hours.closed", language, when=MONDAY_OPENING[language])
    assert texts[-1] == notice
    if language == "ar":
        assert f"{FSI}{MONDAY_OPENING['ar']}{PDI}" in notice
    person.says(ASK_FOR_A_PERSON[language])  # told once per case
    assert notice not in person.text


@pytest.mark.parametrize("language", ["tr", "ar", "en"])
def test_during_staffed_hours_the_person_is_told_someone_is_at_work(
    app: Helpline, language: str
) -> None:
    person = person_on(app, language)  # the clock starts on a Monday at 10:00
    person.says(ASK_FOR_A_PERSON[language])
    texts = [reply.text for reply in person.last]
    assert texts[-2:] == [said(app, "handoff.queued", language), said(app, "hours.open", language)]
    assert said(app, "hours.closed", language, when=MONDAY_OPENING[language]) not in texts
    # the hours come from config.yml (cases.staffed_hours), not from a fixed string
    assert app.engine.texts.constants[language]["staffed_hours"] in texts[-2]


def test_we_are_here_is_said_only_while_someone_is(app: Helpline, clock: Clock) -> None:
    """Outside staffed hours (an injected clock: Saturday), no text says "we are here"."""
    clock.now = datetime(2026, 10, 31, 12, 0, tzinfo=UTC)  # Saturday
    person = person_on(app, "en")
    texts = [reply.text for reply in person.says("my husband beats me every night")]
    texts += [reply.text for reply in person.says(ASK_FOR_A_PERSON["en"])]
    assert said(app, "safety.domestic_violence", "en") in texts
    assert said(app, "hours.open", "en") not in texts
    assert not any("here with you" in text.lower() for text in texts)
    assert any(text.startswith("Our caseworkers are not at work") for text in texts)


def test_a_public_holiday_is_closed(app: Helpline, clock: Clock) -> None:
    clock.now = istanbul(2026, 10, 29, 11)  # Cumhuriyet Bayramı, a Thursday
    person = person_on(app, "en")
    person.says(ASK_FOR_A_PERSON["en"])
    assert person.last[-1].text == said(app, "hours.closed", "en", when="Friday 30 October, 09:00")


def test_extra_closed_dates_come_from_the_config(make_helpline: MakeHelpline, clock: Clock) -> None:
    app = make_helpline(extra_holidays=["2026-12-07"])
    clock.now = SATURDAY_23
    person = person_on(app, "tr")
    person.says(ASK_FOR_A_PERSON["tr"])
    assert person.last[-1].text == said(app, "hours.closed", "tr", when="8 Aralık Salı, 09:00")


def test_an_imminent_case_at_night_alerts_on_call_staff(
    make_helpline: MakeHelpline, clock: Clock, nlu: NLU
) -> None:
    app = make_helpline(on_call_chat_id="-100555")
    clock.now = SATURDAY_23
    told = disclosure(nlu, "imminent", "ar")
    person = person_on(app, "ar")
    person.says(told.text)
    assert person.last[-2].text == said(app, "hours.closed_on_call", "ar")
    assert person.last[-1].text == said(app, "safe_contact.question", "ar")
    assert said(app, "safety.imminent", "ar") in person.text
    alerts = staff_alerts(app)
    assert sorted(alert.recipient_id for alert in alerts) == sorted(["-1009876543210", "-100555"])
    assert all("on-call" in alert.text for alert in alerts)
    [case] = cases_of(app)
    assert case.deadline_at is not None
    assert aware(case.deadline_at) == SATURDAY_23.replace(minute=5)  # 5 minutes, day or night


def test_a_high_case_at_night_is_due_an_hour_after_opening(
    app: Helpline, clock: Clock, nlu: NLU
) -> None:
    clock.now = SATURDAY_23
    person = person_on(app, "tr")
    person.says(disclosure(nlu, "high", "tr").text)
    assert person.last[-2].text == said(app, "hours.closed", "tr", when=MONDAY_OPENING["tr"])
    assert person.last[-1].text == said(app, "safe_contact.question", "tr")
    [case] = cases_of(app)
    assert case.deadline_at is not None
    assert aware(case.deadline_at) == istanbul(2026, 12, 7, 10)
    assert len(staff_alerts(app)) == 1  # high cases alert the staff group at any hour


HOURS = CaseSettings()  # the defaults: Mon-Fri 09:00-17:00, Istanbul, Turkish holidays


@pytest.mark.parametrize(
    ("priority", "opened", "due"),
    [
        ("imminent", istanbul(2026, 12, 7, 10), istanbul(2026, 12, 7, 10, 5)),
        ("imminent", istanbul(2026, 12, 5, 23), istanbul(2026, 12, 5, 23, 5)),
        ("high", istanbul(2026, 12, 7, 10), istanbul(2026, 12, 7, 11)),
        # 30 staffed minutes on Friday, 30 more from Monday's opening
        ("high", istanbul(2026, 12, 4, 16, 30), istanbul(2026, 12, 7, 9, 30)),
        ("medium", istanbul(2026, 12, 7, 10), istanbul(2026, 12, 8, 10)),
        # Friday evening: Monday, kept within Monday's hours
        ("medium", istanbul(2026, 12, 4, 20), istanbul(2026, 12, 7, 17)),
        # Saturday early: the next staffed day's opening
        ("medium", istanbul(2026, 12, 5, 6), istanbul(2026, 12, 7, 9)),
        # Wednesday 28 October 2026: Thursday is Republic Day, so Friday
        ("medium", istanbul(2026, 10, 28, 11), istanbul(2026, 10, 30, 11)),
    ],
)
def test_first_response_deadlines(priority: str, opened: datetime, due: datetime) -> None:
    assert deadline_for(priority, opened, HOURS, StaffedHours(HOURS)) == due


def test_staffed_hours_know_ranges_holidays_and_the_next_opening() -> None:
    settings = CaseSettings(
        staffed_hours={"mon": "09:00-12:30,13:30-17:00", "sat": "10:00-13:00"},
        extra_holidays=[date(2026, 12, 12)],
    )
    hours = StaffedHours(settings)
    assert hours.is_open(istanbul(2026, 12, 7, 9))
    assert not hours.is_open(istanbul(2026, 12, 7, 13))  # lunch
    assert hours.next_opening(istanbul(2026, 12, 7, 13)) == istanbul(2026, 12, 7, 13, 30)
    # Tuesday to Friday closed here; Saturday the 12th is an extra holiday
    assert hours.next_opening(istanbul(2026, 12, 7, 18)) == istanbul(2026, 12, 14, 9)
    assert hours.is_holiday(date(2026, 3, 20))  # Ramazan Bayramı, from the holidays library
    assert not hours.is_holiday(date(2026, 3, 23))


def test_wrong_hours_in_the_config_are_refused() -> None:
    with pytest.raises(ValueError, match="closes before it opens"):
        CaseSettings(staffed_hours={"mon": "17:00-09:00"})
    with pytest.raises(ValueError, match="not a range"):
        CaseSettings(staffed_hours={"tue": "nine to five"})
    with pytest.raises(ValueError, match="either `minutes` or `working_days`"):
        CaseSettings(deadlines={"high": {"minutes": 60, "working_days": 1}})

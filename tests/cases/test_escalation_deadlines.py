"""The deadline watcher, with an injected clock: a case past its first-response deadline is
flagged once and the supervisors are alerted once, without personal data; a case answered
in time, or closed, is left alone. The web app starts the watcher in its lifespan.
"""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

from starlette.testclient import TestClient

from bot.app import Helpline
from bot.cases.deadlines import DeadlineWatcher, aware
from bot.channels.collecting import CollectingChannel
from bot.nlu.base import NLU
from bot.web.app import build_web_app
from tests.cases.escalation_support import (
    PUBLIC_URL,
    STAFF_CHAT,
    Clock,
    MakeHelpline,
    app_fixture,  # noqa: F401  (fixture `app`)
    assert_no_personal_data,
    cases_of,
    clock_fixture,  # noqa: F401  (fixture `clock`)
    close,
    disclosure,
    events_of,
    make_helpline_fixture,  # noqa: F401  (fixture `make_helpline`)
    person_on,
    reply,
    staff_alerts,
)


def watcher(app: Helpline) -> DeadlineWatcher:
    return DeadlineWatcher(app.db, app.engine.desk, wake=app.sender.wake)


def deliver(app: Helpline) -> None:
    asyncio.run(app.sender.flush())


def test_a_missed_deadline_is_flagged_once_and_alerted_once(
    app: Helpline, clock: Clock, nlu: NLU
) -> None:
    told = disclosure(nlu, "imminent", "en")
    person = person_on(app, "en")
    person.says(told.text)
    staff_alerts(app)  # the new-case alert
    [case] = cases_of(app)
    assert case.deadline_at is not None
    due = aware(case.deadline_at)
    assert due == clock.now + timedelta(minutes=5)

    clock.advance(minutes=4)
    assert watcher(app).scan() == []
    clock.advance(minutes=2)
    assert watcher(app).scan() == [case.id]
    clock.advance(minutes=30)
    assert watcher(app).scan() == []  # once
    deliver(app)

    [flagged] = cases_of(app)
    assert flagged.breached_at is not None
    assert aware(flagged.breached_at) == due + timedelta(minutes=1)
    kinds = [event.kind for event in events_of(app, case.id)]
    assert kinds.count("breached") == 1
    [alert] = staff_alerts(app)
    assert alert.recipient_id == STAFF_CHAT
    assert "Deadline missed" in alert.text and "priority: imminent" in alert.text
    assert f"{PUBLIC_URL}/console/cases/{case.id}" in alert.text
    assert_no_personal_data(alert.text, words=told.text, sender_id=person.sender_id)


def test_a_case_answered_in_time_or_closed_is_not_flagged(
    make_helpline: MakeHelpline, clock: Clock, nlu: NLU
) -> None:
    app = make_helpline(supervisor_chat_id="-100777")
    answered, closed, late = (person_on(app, "tr") for _ in range(3))
    for person in (answered, closed, late):
        person.says(disclosure(nlu, "high", "tr").text)
    first, second, third = cases_of(app)
    clock.advance(minutes=10)
    reply(app, first.id, "Merhaba, ben vaka görevlisiyim.")
    close(app, second.id)
    staff_alerts(app)
    clock.advance(hours=2)
    assert watcher(app).scan() == [third.id]
    deliver(app)
    alerts = staff_alerts(app)
    assert sorted(alert.recipient_id for alert in alerts) == sorted([STAFF_CHAT, "-100777"])
    assert all(f"#{third.id}" in alert.text for alert in alerts)


def test_the_web_app_runs_the_watcher_in_the_background(
    make_helpline: MakeHelpline, clock: Clock, nlu: NLU
) -> None:
    app = make_helpline(deadline_check_seconds=0.05)
    person_on(app, "ar").says(disclosure(nlu, "imminent", "ar").text)
    staff_alerts(app)
    [case] = cases_of(app)
    clock.advance(minutes=6)
    alerts = app.channels["telegram"]
    assert isinstance(alerts, CollectingChannel)
    with TestClient(build_web_app(app)):
        deadline = time.monotonic() + 10
        while cases_of(app)[0].breached_at is None and time.monotonic() < deadline:
            time.sleep(0.05)
        while not alerts.sent and time.monotonic() < deadline:
            time.sleep(0.05)
    assert cases_of(app)[0].breached_at is not None
    [alert] = staff_alerts(app)
    assert f"#{case.id}" in alert.text and "Deadline missed" in alert.text


def test_a_case_raised_after_a_missed_deadline_is_watched_again(
    app: Helpline, clock: Clock, nlu: NLU
) -> None:
    person = person_on(app, "en")
    person.says("i want to talk to a real person")  # medium: due the next working day
    [case] = cases_of(app)
    clock.advance(days=1, minutes=1)
    assert watcher(app).scan() == [case.id]
    person.says(disclosure(nlu, "imminent", "en").text)
    [raised] = cases_of(app)
    assert raised.priority == "imminent" and raised.breached_at is None
    assert raised.deadline_at is not None
    assert aware(raised.deadline_at) == clock.now + timedelta(minutes=5)
    clock.advance(minutes=6)
    assert watcher(app).scan() == [case.id]
    assert [event.kind for event in events_of(app, case.id)].count("breached") == 2

"""The kill test: `helpline serve` is SIGKILLed in the middle of a burst and started again.

Every inbound message that got a 200 is answered, none twice; the webhooks that did not get
one are redelivered, as Twilio does, and answered once too.

The kill lands while the platform answers 500 (an outage), so no send is in flight that the
platform has taken but the outbox has not yet recorded: that window (a few milliseconds per
message) is the one thing a crash can turn into a duplicate, because neither Telegram nor
Twilio can deduplicate a resent message. Replies sent before the kill must not go again.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.delivery.support import (
    Served,
    accepted_sids,
    new_sid,
    number,
    serve_env,
    sms_webhook,
    stored,
    wait_until,
)
from tests.fakes.twilio_api import FakeTwilio

SCRIPT = [
    "hello",
    "what are your opening hours?",
    "thank you",
    "I need a lawyer",
    "where can I learn Turkish?",
    "bye",
]
PEOPLE = 6


@dataclass
class Person:
    to: str
    sids: list[str] = field(default_factory=lambda: [new_sid() for _ in SCRIPT])
    acknowledged: int = 0  # how many of SCRIPT got a 200

    def send_from(self, url: str, fake: FakeTwilio, start: int, counter: list[int]) -> None:
        with httpx.Client(timeout=10) as client:
            for index in range(start, len(SCRIPT)):
                try:
                    response = sms_webhook(
                        client, url, fake, self.to, SCRIPT[index], self.sids[index]
                    )
                except httpx.HTTPError:
                    return  # the service died under us: Twilio would redeliver later
                assert response.status_code == 200, response.text
                self.acknowledged = max(self.acknowledged, index + 1)
                counter[0] += 1


def test_sigkill_mid_burst_then_restart_answers_every_acknowledged_message_once(
    tmp_path: Path, trained_model: tuple[Path, Path]
) -> None:
    database_url = f"sqlite:///{tmp_path / 'kill.db'}"
    people = [Person(number(100 + i)) for i in range(PEOPLE)]
    with FakeTwilio() as fake:
        env = serve_env(database_url, fake, trained_model)
        first = Served(env, tmp_path / "serve-1.log").start()
        try:
            counter = [0]
            with httpx.Client(timeout=10) as client:
                for person in people:  # first messages, answered while all is well
                    response = sms_webhook(
                        client, first.url, fake, person.to, SCRIPT[0], person.sids[0]
                    )
                    assert response.status_code == 200
                    person.acknowledged = 1
            wait_until(
                lambda: (
                    lambda s: (
                        set(s.outbox) == {"sent"} and len(fake.sent()) == sum(s.outbox.values())
                    )
                )(stored(database_url)),
                60,
                "the first replies",
            )
            sent_before = {person.to: accepted_sids(fake, person.to) for person in people}

            fake.fail(500, times=None)  # an outage begins; the burst goes on
            threads = [
                threading.Thread(target=p.send_from, args=(first.url, fake, 1, counter))
                for p in people
            ]
            for thread in threads:
                thread.start()
            half = PEOPLE * (len(SCRIPT) - 1) // 2
            wait_until(lambda: counter[0] >= half, 60, "half of the burst acknowledged")
            first.kill()  # SIGKILL mid-burst
            for thread in threads:
                thread.join(timeout=30)
        finally:
            first.kill()

        acknowledged = {person.to: person.acknowledged for person in people}
        assert 0 < sum(acknowledged.values()) - PEOPLE < PEOPLE * (len(SCRIPT) - 1)
        killed = stored(database_url)
        assert killed.outbox.get("pending", 0) + killed.outbox.get("sending", 0) > 0

        fake.clear_failures()  # the platform is back
        second = Served(env, tmp_path / "serve-2.log").start()
        try:
            # Twilio redelivers what did not get a 200 (and, once, something that did).
            with httpx.Client(timeout=10) as client:
                for person in people:
                    again = person.acknowledged - 1
                    response = sms_webhook(
                        client, second.url, fake, person.to, SCRIPT[again], person.sids[again]
                    )
                    assert response.status_code == 200
            threads = [
                threading.Thread(target=p.send_from, args=(second.url, fake, p.acknowledged, [0]))
                for p in people
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
            assert all(person.acknowledged == len(SCRIPT) for person in people)
            wait_until(
                lambda: (
                    lambda s: (
                        set(s.outbox) == {"sent"}
                        and all(s.inbound[p.to] == ["processed"] * len(SCRIPT) for p in people)
                        and len(fake.sent()) == sum(s.outbox.values())
                    )
                )(stored(database_url)),
                90,
                "every message answered after the restart",
            )
        finally:
            second.stop()

        state = stored(database_url)
        transcripts = []
        for person in people:
            assert state.inbound[person.to] == ["processed"] * len(SCRIPT)
            assert len(state.outbound[person.to]) >= len(SCRIPT)
            sids = accepted_sids(fake, person.to)
            assert sids == state.outbound[person.to], "a reply went twice, or out of order"
            assert sids[: len(sent_before[person.to])] == sent_before[person.to]
            transcripts.append(fake.bodies(person.to))
        # Same script, same answers: no message was processed twice or skipped.
        assert all(transcript == transcripts[0] for transcript in transcripts)

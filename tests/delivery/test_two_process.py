"""Scale-out: two `helpline serve` processes on one PostgreSQL database behave as one.

A person's messages are spread over both processes (as a load balancer would), and a
redelivery lands on the other process than the first delivery. Each inbound message is
processed once, each reply sent once, in order per person; both senders share the outbox.
Runs on a throwaway database of its own, so nobody else's tests see it.
"""

from __future__ import annotations

import threading
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.delivery.support import (
    Served,
    accepted_sids,
    new_sid,
    number,
    postgres_database,
    serve_env,
    sms_webhook,
    stored,
    wait_until,
)
from tests.fakes.twilio_api import FakeTwilio

SCRIPT = ["hello", "what are your opening hours?", "thank you", "I need a lawyer", "bye"]
PEOPLE = 8


def sent_by(served: Served) -> float:
    text = httpx.get(f"{served.url}/metrics", timeout=10).text
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "helpline_messages_out_total":
                return sample.value
    return 0.0


def test_two_processes_on_postgresql_answer_each_message_once_and_in_order(
    tmp_path: Path, trained_model: tuple[Path, Path], postgres_available: str | None
) -> None:
    if postgres_available:
        pytest.skip(postgres_available)
    people = [number(200 + i) for i in range(PEOPLE)]
    sids = {to: [new_sid() for _ in SCRIPT] for to in people}
    with postgres_database() as database_url, FakeTwilio() as fake:
        env = serve_env(database_url, fake, trained_model)
        one = Served(env, tmp_path / "serve-a.log").start()  # migrates the new database
        two = Served(env, tmp_path / "serve-b.log").start()
        servers = [one, two]
        try:

            def converse(index: int, to: str) -> None:
                with httpx.Client(timeout=20) as client:
                    for turn, text in enumerate(SCRIPT):
                        served = servers[(index + turn) % 2]
                        response = sms_webhook(client, served.url, fake, to, text, sids[to][turn])
                        assert response.status_code == 200
                    # Twilio retries the first message, and the balancer sends it elsewhere.
                    other = servers[(index + 1) % 2]
                    response = sms_webhook(client, other.url, fake, to, SCRIPT[0], sids[to][0])
                    assert response.status_code == 200

            threads = [
                threading.Thread(target=converse, args=(i, to)) for i, to in enumerate(people)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
            wait_until(
                lambda: (
                    lambda s: (
                        set(s.outbox) == {"sent"}
                        and all(s.inbound.get(to) == ["processed"] * len(SCRIPT) for to in people)
                        and len(fake.sent()) == sum(s.outbox.values())
                    )
                )(stored(database_url)),
                120,
                "every message answered",
            )
            by_process = [sent_by(one), sent_by(two)]
        finally:
            for served in servers:
                served.stop()

        state = stored(database_url)
    transcripts = []
    for to in people:
        assert state.inbound[to] == ["processed"] * len(SCRIPT)  # stored once, processed once
        assert len(state.outbound[to]) >= len(SCRIPT)
        assert accepted_sids(fake, to) == state.outbound[to], "a reply went twice or out of order"
        transcripts.append(fake.bodies(to))
    assert all(transcript == transcripts[0] for transcript in transcripts)
    assert sum(by_process) == len(fake.sent())
    assert all(count > 0 for count in by_process), f"one sender did nothing: {by_process}"

"""`helpline serve` purges on its own, every `privacy.purge_interval_hours`."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import select
from starlette.testclient import TestClient

from bot.app import create_app
from bot.nlu.base import NLU
from bot.storage.models import Erasure
from bot.web.app import build_web_app
from tests.conftest import make_settings


def test_the_served_app_purges_on_a_schedule(
    database_url: str, nlu_model_dir: Path, nlu: NLU
) -> None:
    privacy = {"purge_interval_hours": 0.5 / 3600, "purge_first_delay_seconds": 0}
    settings = make_settings(database_url, nlu_model_dir, privacy=privacy)
    helpline = create_app(settings, nlu=nlu)
    try:
        with TestClient(build_web_app(helpline, run_sender=False)):
            deadline = time.monotonic() + 20
            runs: list[Erasure] = []
            while time.monotonic() < deadline and len(runs) < 2:
                time.sleep(0.2)
                with helpline.db.transaction() as session:
                    runs = list(session.scalars(select(Erasure)))
        assert len(runs) >= 2  # the first at start, then again after the interval
        assert {run.reason for run in runs} == {"retention"}
    finally:
        helpline.db.dispose()


def test_an_interval_of_zero_turns_the_schedule_off(
    database_url: str, nlu_model_dir: Path, nlu: NLU
) -> None:
    privacy = {"purge_interval_hours": 0, "purge_first_delay_seconds": 0}
    helpline = create_app(make_settings(database_url, nlu_model_dir, privacy=privacy), nlu=nlu)
    try:
        with TestClient(build_web_app(helpline, run_sender=False)):
            time.sleep(1)
        with helpline.db.transaction() as session:
            assert list(session.scalars(select(Erasure))) == []
    finally:
        helpline.db.dispose()

"""Fixtures for the delivery tests: the helpline, its real SMS channel aimed at the fake Twilio."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.app import Helpline, create_app
from bot.nlu.base import NLU
from tests.conftest import make_settings
from tests.delivery.support import FAST_DELIVERY
from tests.fakes.twilio_api import FakeTwilio


@pytest.fixture
def fake() -> Iterator[FakeTwilio]:
    with FakeTwilio() as twilio:
        yield twilio


@pytest.fixture
def sms_helpline(
    database_url: str, nlu_model_dir: Path, nlu: NLU, fake: FakeTwilio
) -> Iterator[Helpline]:
    settings = make_settings(database_url, nlu_model_dir, delivery=FAST_DELIVERY, **fake.settings())
    app = create_app(settings, nlu=nlu)
    yield app
    app.db.dispose()


@pytest.fixture
def trained_model(nlu: NLU, nlu_model_dir: Path) -> Path:
    """The embedded model file, trained once per session, for `helpline serve` subprocesses."""
    path = nlu_model_dir / "nlu.pkl"
    assert path.exists(), "the session's NLU fixture should have written its model"
    return path

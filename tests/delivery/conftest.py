"""Fixtures for the delivery tests: the helpline, its real SMS channel aimed at the fake Twilio."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.app import Helpline, create_app
from bot.nlu.base import NLU
from bot.nlu.model_store import load_or_train
from tests.conftest import ROOT, make_settings
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


@pytest.fixture(scope="session")
def trained_model(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(data dir, model file) for `helpline serve` subprocesses: a snapshot of nlu/ and the
    model trained from it, so edits to nlu/ during the run do not make the model stale."""
    base = tmp_path_factory.mktemp("serve-nlu")
    data_dir = base / "nlu"
    shutil.copytree(ROOT / "nlu", data_dir)
    model = base / "nlu.pkl"
    load_or_train(data_dir, model)
    return data_dir, model

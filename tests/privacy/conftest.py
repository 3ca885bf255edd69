"""The staff API client of tests/cases, for the privacy endpoints."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from bot.app import Helpline
from bot.web.app import build_web_app
from tests.cases.conftest import Api


@pytest.fixture
def api(helpline: Helpline) -> Iterator[Api]:
    client = TestClient(build_web_app(helpline, run_sender=False), raise_server_exceptions=True)
    yield Api(helpline, client)
    client.close()

"""Fixtures for the console: an app with staff accounts, and a logged-in test client.

`ConsoleClient` logs in through the login form (CSRF token from the page) and
acts through the console's own routes, like a browser without script.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from bot.app import Helpline, create_app
from bot.channels.collecting import CollectingChannel
from bot.nlu.base import NLU
from bot.settings import Settings
from bot.web.app import build_web_app
from tests.cases.conftest import PASSWORD, Account, Api
from tests.conftest import make_settings

CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')
CSRF_META = re.compile(r'name="csrf-token" content="([^"]+)"')


@pytest.fixture
def settings(database_url: str, nlu_model_dir: Any) -> Settings:
    return make_settings(
        database_url, nlu_model_dir, console={"login_rate": "3/minute", "poll_seconds": 0.2}
    )


@pytest.fixture
def helpline(settings: Settings, nlu: NLU) -> Iterator[Helpline]:
    app = create_app(settings, nlu=nlu, extra_channels=[CollectingChannel("test")])
    yield app
    app.db.dispose()


class ConsoleClient:
    def __init__(self, helpline: Helpline, language: str = "en") -> None:
        self.helpline = helpline
        self.http = TestClient(
            build_web_app(helpline, run_sender=False),
            headers={"Accept-Language": language},
            follow_redirects=False,
        )
        self.csrf = ""

    def login(self, account: Account, password: str = PASSWORD) -> Any:
        page = self.http.get("/console/login")
        token = CSRF_INPUT.search(page.text)
        assert token is not None, page.text
        return self.http.post(
            "/console/login",
            data={"name": account.name, "password": password, "csrf_token": token.group(1)},
        )

    def page(self, path: str) -> Any:
        response = self.http.get(path)
        found = CSRF_META.search(response.text)
        if found:
            self.csrf = found.group(1)
        return response

    def act(self, case_id: int, action: str, token: str | None = None, **form: str) -> Any:
        if not self.csrf:
            self.page("/console")
        return self.http.post(
            f"/console/cases/{case_id}/{action}",
            data=form,
            headers={"X-CSRF-Token": self.csrf if token is None else token},
        )


@pytest.fixture
def staff_api(helpline: Helpline) -> Iterator[Api]:
    client = TestClient(build_web_app(helpline, run_sender=False))
    yield Api(helpline, client)
    client.close()


@pytest.fixture
def console(helpline: Helpline) -> Iterator[ConsoleClient]:
    client = ConsoleClient(helpline)
    yield client
    client.http.close()


def new_name() -> str:
    return f"staff-{secrets.token_hex(3)}"

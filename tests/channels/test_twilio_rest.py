"""The REST client: the real twilio library against the fake API, Twilio's errors classified."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.channels.base import SendError
from bot.channels.twilio_rest import Sent, TwilioApi
from tests.conftest import make_settings
from tests.fakes.twilio_api import ACCOUNT_SID, FROM_SMS, FakeTwilio
from tests.live import free_port

TO = "+905554000001"


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilio]:
    with FakeTwilio() as fake:
        yield fake


def api_for(base_url: str, tmp_path: Path, **overrides: object) -> TwilioApi:
    fake = FakeTwilio()
    values = {**fake.settings(), "twilio_api_base_url": base_url, **overrides}
    settings = make_settings(f"sqlite:///{tmp_path / 'h.db'}", tmp_path, **values)
    return TwilioApi(settings)


def create(api: TwilioApi) -> Sent:
    return asyncio.run(api.create(to=TO, from_=FROM_SMS, body="Merhaba"))


def refusal(api: TwilioApi) -> SendError:
    with pytest.raises(SendError) as caught:
        create(api)
    return caught.value


def test_messages_go_to_the_configured_base_url_off_the_event_loop(
    fake_twilio: FakeTwilio, tmp_path: Path
) -> None:
    api = api_for(fake_twilio.base_url, tmp_path, public_url="https://h.example.org/")
    threads = []
    original = api._client.api.account.messages.create

    def recording(**params: object) -> object:
        threads.append(threading.current_thread())
        return original(**params)

    api._client.api.account.messages.create = recording
    sent = create(api)
    assert sent.sid.startswith("SM") and sent.status == "queued"
    assert threads and threads[0] is not threading.main_thread()
    [call] = fake_twilio.calls
    assert call.params == {
        "To": TO,
        "From": FROM_SMS,
        "Body": "Merhaba",
        "StatusCallback": "https://h.example.org/webhooks/twilio/status",
    }
    assert fake_twilio.unexpected == []


@pytest.mark.parametrize(
    ("code", "meaning"),
    [(21610, "opted out"), (21211, "not a valid phone number"), (21614, "not a mobile number")],
)
def test_opted_out_and_invalid_numbers_are_permanent(
    fake_twilio: FakeTwilio, tmp_path: Path, code: int, meaning: str
) -> None:
    fake_twilio.fail(400, code)
    error = refusal(api_for(fake_twilio.base_url, tmp_path))
    assert error.permanent and not error.hold
    assert error.code == str(code) and meaning in str(error)


def test_rate_limit_is_retried_after_what_twilio_says(
    fake_twilio: FakeTwilio, tmp_path: Path
) -> None:
    fake_twilio.fail(429, 20429, retry_after=7)
    error = refusal(api_for(fake_twilio.base_url, tmp_path))
    assert not error.permanent and error.retry_after == 7 and error.code == "20429"


@pytest.mark.parametrize("status", [500, 503])
def test_server_errors_are_retried(fake_twilio: FakeTwilio, tmp_path: Path, status: int) -> None:
    fake_twilio.fail(status)
    api = api_for(fake_twilio.base_url, tmp_path)
    error = refusal(api)
    assert not error.permanent and not error.hold and error.retry_after is None
    assert create(api).sid  # the next call goes through


def test_outage_and_unreachable_api_are_retried(fake_twilio: FakeTwilio, tmp_path: Path) -> None:
    fake_twilio.down = True
    error = refusal(api_for(fake_twilio.base_url, tmp_path))
    assert not error.permanent
    nobody = api_for(f"http://127.0.0.1:{free_port()}", tmp_path)
    error = refusal(nobody)
    assert not error.permanent and "unreachable" in str(error)


def test_63016_holds_and_other_client_errors_are_permanent(
    fake_twilio: FakeTwilio, tmp_path: Path
) -> None:
    api = api_for(fake_twilio.base_url, tmp_path)
    fake_twilio.fail(400, 63016)
    held = refusal(api)
    assert held.hold and not held.permanent and held.code == "63016"
    fake_twilio.fail(400, 21602)  # message body required
    assert refusal(api).permanent


def test_wrong_credentials_are_permanent(fake_twilio: FakeTwilio, tmp_path: Path) -> None:
    api = api_for(fake_twilio.base_url, tmp_path, twilio_auth_token="wrong")
    error = refusal(api)
    assert error.permanent and error.code == "20003"
    assert fake_twilio.unexpected == [
        f"POST /2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json with wrong credentials"
    ]
    fake_twilio._unexpected.clear()  # expected here; the fixture would fail the test

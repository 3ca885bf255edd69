"""A fake Twilio REST API: real HTTP on 127.0.0.1, Twilio's own JSON, every call recorded.

Start it (a uvicorn server in a thread, ephemeral port)::

    from tests.fakes.twilio_api import FakeTwilio

    with FakeTwilio() as fake:               # or the `fake_twilio` pytest fixture below
        settings = make_settings(..., **fake.settings())   # TWILIO_* pointing at the fake
        ...

It serves `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` (form body,
HTTP Basic auth with the account SID and auth token) and answers 201 with a
Message resource (`sid` "SM…", `status` "queued", `num_segments`…), or an
error in Twilio's shape: `{"code": 21610, "message": …, "more_info": …,
"status": 400}`. A wrong account or token answers 401 (code 20003). Anything
else answers 404 and is listed in `fake.unexpected`; `assert_clean()` (on
leaving the `with` block and in the fixture) fails the test with the list.

Script failures (first in, first out; `to` limits one to a recipient;
`times=None` means every call until `clear_failures()`)::

    fake.fail(500, times=3)                            # a Twilio outage for three calls
    fake.fail(429, 20429, retry_after=7)               # rate limited, Retry-After: 7
    fake.fail(400, 63016, to="whatsapp:+905550000001") # outside the WhatsApp window
    fake.opt_out("+905550000001")                      # every send to it: 21610 (STOP)
    fake.down = True                                   # every call: 503

Read: `fake.calls` (every accepted or refused create, in order, as
`Call(params, status, sid)`), `fake.sent(to)` (accepted ones to a recipient),
`fake.bodies(to)`, `fake.wait_for(count)` (bounded wait).

Signing webhooks as Twilio does: `fake.sign(url, params)` (X-Twilio-Signature
with `RequestValidator.compute_signature`); `fixture(name)` loads a recorded
payload from tests/fixtures/twilio/.
"""

from __future__ import annotations

import argparse
import base64
import copy
import itertools
import json
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from email.utils import formatdate
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pytest
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route
from twilio.request_validator import RequestValidator

from tests.fakes.base import LoopbackServer, wait_for_calls

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "fake-twilio-auth-token-0123456789"
FROM_SMS = "+15005550006"
FROM_WHATSAPP = "whatsapp:+14155238886"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "twilio"
MESSAGES = {
    20003: "Authenticate",
    20429: "Too Many Requests",
    21211: "Invalid 'To' Phone Number",
    21610: "Attempt to send to unsubscribed recipient",
    21614: "'To' number is not a valid mobile number",
    63016: (
        "Failed to send freeform message because you are outside the allowed window. "
        "If you are using WhatsApp, please use a Message Template."
    ),
}


def fixture(name: str) -> dict[str, str]:
    """A recorded webhook payload (form fields) from tests/fixtures/twilio/NAME.json."""
    data: dict[str, str] = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return data


@dataclass(frozen=True)
class Call:
    params: dict[str, str]
    status: int
    sid: str | None


@dataclass
class Failure:
    status: int
    code: int | None
    times: int | None
    retry_after: float | None
    to: str | None


def twilio_error(status: int, code: int | None, message: str | None = None) -> JSONResponse:
    code = code if code is not None else status
    return JSONResponse(
        {
            "code": code,
            "message": message or MESSAGES.get(code, "Error"),
            "more_info": f"https://www.twilio.com/docs/errors/{code}",
            "status": status,
        },
        status_code=status,
    )


class FakeTwilio(LoopbackServer):
    label = "fake Twilio"

    def __init__(
        self, account_sid: str = ACCOUNT_SID, auth_token: str = AUTH_TOKEN, *, port: int = 0
    ) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        super().__init__(port)
        self.down = False
        self._lock = threading.Lock()
        self._calls: list[Call] = []
        self._unexpected: list[str] = []
        self._failures: deque[Failure] = deque()
        self._opted_out: set[str] = set()
        self._sids = itertools.count(1)

    # -- running ----------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def settings(self, **overrides: object) -> dict[str, object]:
        """make_settings overrides that point the helpline's Twilio channels at this fake."""
        return {
            "twilio_account_sid": self.account_sid,
            "twilio_auth_token": self.auth_token,
            "twilio_from_sms": FROM_SMS,
            "twilio_from_whatsapp": FROM_WHATSAPP,
            "twilio_api_base_url": self.base_url,
            **overrides,
        }

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/2010-04-01/Accounts/{account}/Messages.json", self._create, methods=["POST"]),
            Route("/{path:path}", self._unknown, methods=["GET", "POST", "PUT", "DELETE"]),
        ]

    def assert_clean(self) -> None:
        assert not self.unexpected, f"unexpected calls to the fake Twilio API: {self.unexpected}"

    # -- scripting ----------------------------------------------------------------------------

    def fail(
        self,
        status: int,
        code: int | None = None,
        *,
        times: int | None = 1,
        retry_after: float | None = None,
        to: str | None = None,
    ) -> None:
        with self._lock:
            self._failures.append(Failure(status, code, times, retry_after, to))

    def clear_failures(self) -> None:
        with self._lock:
            self._failures.clear()

    def opt_out(self, number: str) -> None:
        with self._lock:
            self._opted_out.add(number)

    # -- reading ------------------------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        with self._lock:
            return list(self._calls)

    @property
    def unexpected(self) -> list[str]:
        with self._lock:
            return list(self._unexpected)

    def sent(self, to: str | None = None) -> list[Call]:
        """Messages Twilio accepted (201), to one recipient or all."""
        return [c for c in self.calls if c.status == 201 and (to is None or c.params["To"] == to)]

    def bodies(self, to: str | None = None) -> list[str]:
        return [c.params.get("Body", "") for c in self.sent(to)]

    def wait_for(self, count: int = 1, timeout: float = 15.0, to: str | None = None) -> list[Call]:
        """Wait until at least `count` messages (to `to`) were accepted; fail clearly otherwise."""
        return wait_for_calls(lambda: self.sent(to), count, timeout, lambda: self.calls)

    # -- signing webhooks -----------------------------------------------------------------------

    def sign(self, url: str, params: dict[str, str]) -> str:
        return str(RequestValidator(self.auth_token).compute_signature(url, params))

    # -- the API --------------------------------------------------------------------------------

    def _authorised(self, request: Request, account: str) -> bool:
        header = request.headers.get("authorization", "")
        expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        return account == self.account_sid and header == f"Basic {expected}"

    def _scripted(self, to: str) -> Failure | None:
        for failure in list(self._failures):
            if failure.to is not None and failure.to != to:
                continue
            if failure.times is not None:
                failure.times -= 1
                if failure.times <= 0:
                    self._failures.remove(failure)
            return copy.copy(failure)
        return None

    async def _create(self, request: Request) -> JSONResponse:
        account = request.path_params["account"]
        params = dict(parse_qsl((await request.body()).decode("utf-8"), keep_blank_values=True))
        if not self._authorised(request, account):
            with self._lock:
                self._unexpected.append(f"POST {request.url.path} with wrong credentials")
            return twilio_error(401, 20003)
        to = params.get("To", "")
        with self._lock:
            failure = None if self.down else self._scripted(to)
            if self.down:
                failure = Failure(503, None, None, None, None)
            elif failure is None and to.removeprefix("whatsapp:") in self._opted_out:
                failure = Failure(400, 21610, None, None, None)
            if failure is None and not to:
                failure = Failure(400, 21604, None, None, None)
            if failure is not None:
                self._calls.append(Call(params, failure.status, None))
            else:
                sid = f"SM{next(self._sids):032x}"
                self._calls.append(Call(params, 201, sid))
        if failure is not None:
            response = twilio_error(failure.status, failure.code)
            if failure.retry_after is not None:
                response.headers["Retry-After"] = str(int(failure.retry_after))
            return response
        return JSONResponse(self._message(account, sid, params), status_code=201)

    def _message(self, account: str, sid: str, params: dict[str, str]) -> dict[str, Any]:
        now = formatdate(usegmt=True)
        return {
            "account_sid": account,
            "api_version": "2010-04-01",
            "body": params.get("Body", ""),
            "date_created": now,
            "date_sent": None,
            "date_updated": now,
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": params.get("From"),
            "messaging_service_sid": None,
            "num_media": "0",
            "num_segments": "1",
            "price": None,
            "price_unit": "USD",
            "sid": sid,
            "status": "queued",
            "subresource_uris": {
                "media": f"/2010-04-01/Accounts/{account}/Messages/{sid}/Media.json"
            },
            "to": params.get("To"),
            "uri": f"/2010-04-01/Accounts/{account}/Messages/{sid}.json",
        }

    async def _unknown(self, request: Request) -> JSONResponse:
        with self._lock:
            self._unexpected.append(f"{request.method} {request.url.path}")
        return twilio_error(404, 20404, "The requested resource was not found")


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilio]:
    """A running fake; the test fails if the code under test called anything it does not know."""
    with FakeTwilio() as fake:
        yield fake


def main() -> None:
    parser = argparse.ArgumentParser(description="A fake Twilio Messages API on loopback")
    parser.add_argument("--port", type=int, default=8082)
    args = parser.parse_args()
    fake = FakeTwilio(port=args.port).start()
    for name, value in fake.settings().items():
        print(f"{name.upper()}={value}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()

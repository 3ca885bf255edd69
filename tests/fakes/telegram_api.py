"""A fake Telegram Bot API server: real HTTP on 127.0.0.1, Telegram's own JSON, every call recorded.

Start it (a uvicorn server in a thread, ephemeral port)::

    from tests.fakes.telegram_api import FakeTelegram

    with FakeTelegram() as fake:             # or the `fake_telegram` pytest fixture below
        settings = make_settings(..., telegram_bot_token=fake.token,
                                 telegram_api_base_url=fake.base_url)
        ...

`fake.base_url` is `http://127.0.0.1:PORT/bot`; python-telegram-bot appends the
token, exactly as with `https://api.telegram.org/bot`. Standalone (benchmarks,
other processes): `python -m tests.fakes.telegram_api --port 8081`; it prints
the base URL and the token, and offers the control endpoints listed below.

Methods: getMe, setWebhook, deleteWebhook, getWebhookInfo, setMyCommands,
getMyCommands, deleteMyCommands, sendMessage, answerCallbackQuery,
deleteMessage, deleteMessages, getUpdates, close. Anything else answers 404
and is listed in `fake.unexpected`; `assert_clean()` (run on leaving the
`with` block and by the fixture) fails the test with the list. A wrong token
answers 401 and is unexpected too.

Script failures (consumed first in, first out, per method; `chat_id` limits
one to a chat; `times=None` means every call until `clear_failures()`)::

    fake.fail("sendMessage", 403, "Forbidden: bot was blocked by the user")
    fake.fail("sendMessage", 429, "Too Many Requests: retry after 3", retry_after=3)
    fake.fail("sendMessage", 500, "Internal Server Error", times=None)
    fake.delay("sendMessage", 2.0)           # answers late (the call still takes effect)
    fake.block(chat_id)                      # every send to the chat: 403 blocked
    fake.down = True                         # every call: 502 Bad Gateway (an outage)
    fake.latency = 0.05                      # every call waits this long (benchmarks)
    fake.flood_per_chat = 1                  # more than N sends per chat per second: 429

Read recorded calls: `fake.calls` (every call, in order, `Call(method, params,
at)`; params decoded, e.g. `reply_markup` and `message_ids` as JSON values),
`fake.calls_to("sendMessage")`, `fake.sent(chat_id)` (sendMessage calls to a
chat), `fake.wait_for("sendMessage", count=2)` (bounded wait, fails with what
was seen). `fake.chat(chat_id)` is what is left in the chat on the phone:
both sides' messages, minus deleted ones. Inbound updates for a chat take
their message ids from the same counter as the bot's messages, as in a real
private chat: build them with `fake.message_update(...)`,
`fake.callback_update(...)`, or `fake.from_fixture(dict, chat_id=...)`;
`fake.push_update(update)` queues one for getUpdates (polling).

Control endpoints (for another process): `GET /_fake/calls`, `POST /_fake/fail`
(JSON: method, error_code, description, retry_after, times, chat_id),
`POST /_fake/updates` (an Update JSON), `POST /_fake/reset`.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import itertools
import json
import threading
import time
from collections import defaultdict, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import pytest
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from tests.fakes.base import LoopbackServer, wait_for_calls

DEFAULT_TOKEN = "123456789:AAFakeTokenForTests_0123456789abcdef"
BOT_USER = {"id": 123456789, "is_bot": True, "first_name": "Helpline", "username": "helpline_bot"}
# Parameters python-telegram-bot sends JSON-encoded in a form body; everything else is a string.
JSON_PARAMS = {
    "reply_markup", "message_ids", "commands", "allowed_updates", "scope", "entities",
    "link_preview_options", "reply_parameters", "drop_pending_updates", "disable_notification",
    "offset", "limit", "timeout", "cache_time", "show_alert", "max_connections",
    "protect_content", "message_id",
}  # fmt: skip
MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64


@dataclass(frozen=True)
class Call:
    method: str
    params: dict[str, Any]
    at: float


@dataclass
class Failure:
    error_code: int
    description: str
    retry_after: float | None = None
    times: int | None = 1
    chat_id: str | None = None
    delay: float = 0.0


@dataclass
class ChatLine:
    message_id: int
    side: str  # "bot" or "user"
    text: str


@dataclass
class _State:
    calls: list[Call] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    failures: dict[str, deque[Failure]] = field(default_factory=lambda: defaultdict(deque))
    chats: dict[str, dict[int, ChatLine]] = field(default_factory=lambda: defaultdict(dict))
    counters: dict[str, itertools.count[int]] = field(default_factory=dict)
    updates: deque[dict[str, Any]] = field(default_factory=deque)
    webhook: dict[str, Any] = field(default_factory=dict)
    commands: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    answered: list[str] = field(default_factory=list)
    blocked: set[str] = field(default_factory=set)
    sends: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))


def _error(code: int, description: str, retry_after: float | None = None) -> JSONResponse:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": int(retry_after)}
    return JSONResponse(body, status_code=code)


def _ok(result: Any) -> JSONResponse:
    return JSONResponse({"ok": True, "result": result})


def utf16_len(text: str) -> int:
    """Telegram counts text length in UTF-16 code units (an emoji is two)."""
    return len(text.encode("utf-16-le")) // 2


class FakeTelegram(LoopbackServer):
    label = "fake Telegram"

    def __init__(self, token: str = DEFAULT_TOKEN, *, port: int | None = None) -> None:
        super().__init__(port)
        self.token = token
        self.down = False
        self.latency = 0.0
        self.flood_per_chat: int | None = None
        self._lock = threading.Lock()
        self._state = _State()
        self._update_ids = itertools.count(700_000_001)

    # -- running ----------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/_fake/calls", self._control_calls, methods=["GET"]),
            Route("/_fake/fail", self._control_fail, methods=["POST"]),
            Route("/_fake/updates", self._control_updates, methods=["POST"]),
            Route("/_fake/reset", self._control_reset, methods=["POST"]),
            Route("/bot{token}/{method}", self._api, methods=["GET", "POST"]),
        ]

    def assert_clean(self) -> None:
        with self._lock:
            unexpected = list(self._state.unexpected)
        assert not unexpected, f"unexpected calls to the fake Telegram API: {unexpected}"

    def reset(self) -> None:
        with self._lock:
            self._state = _State()

    # -- scripting ---------------------------------------------------------------------------

    def fail(
        self,
        method: str,
        error_code: int,
        description: str,
        *,
        retry_after: float | None = None,
        times: int | None = 1,
        chat_id: int | str | None = None,
    ) -> None:
        failure = Failure(
            error_code, description, retry_after, times, None if chat_id is None else str(chat_id)
        )
        with self._lock:
            self._state.failures[method.lower()].append(failure)

    def delay(self, method: str, seconds: float, *, times: int | None = 1) -> None:
        with self._lock:
            self._state.failures[method.lower()].append(Failure(0, "", None, times, None, seconds))

    def clear_failures(self) -> None:
        with self._lock:
            self._state.failures.clear()

    def block(self, chat_id: int | str) -> None:
        with self._lock:
            self._state.blocked.add(str(chat_id))

    # -- reading -----------------------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        with self._lock:
            return list(self._state.calls)

    @property
    def unexpected(self) -> list[str]:
        with self._lock:
            return list(self._state.unexpected)

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method.lower() == method.lower()]

    def sent(self, chat_id: int | str) -> list[Call]:
        """sendMessage calls to this chat (including refused ones), in order."""
        calls = self.calls_to("sendMessage")
        return [c for c in calls if str(c.params.get("chat_id")) == str(chat_id)]

    def sent_texts(self, chat_id: int | str) -> list[str]:
        return [str(call.params.get("text")) for call in self.sent(chat_id)]

    def chat(self, chat_id: int | str) -> list[ChatLine]:
        """What the person's phone still shows: both sides, oldest first, minus deletions."""
        with self._lock:
            lines = self._state.chats.get(str(chat_id), {})
            return [lines[key] for key in sorted(lines)]

    def webhook(self) -> dict[str, Any]:
        with self._lock:
            return dict(self._state.webhook)

    def commands(self, language_code: str = "") -> list[dict[str, str]]:
        with self._lock:
            return list(self._state.commands.get(language_code, []))

    def answered(self) -> list[str]:
        with self._lock:
            return list(self._state.answered)

    def wait_for(self, method: str, count: int = 1, timeout: float = 15.0) -> list[Call]:
        """Wait until at least `count` calls of `method` were made; fail clearly otherwise."""
        return wait_for_calls(
            lambda: self.calls_to(method), count, timeout, lambda: [c.method for c in self.calls]
        )

    # -- building inbound updates ------------------------------------------------------------

    def next_message_id(self, chat_id: int | str, side: str = "user", text: str = "") -> int:
        with self._lock:
            return self._record_line(str(chat_id), side, text)

    def message_update(
        self,
        chat_id: int,
        text: str | None = None,
        *,
        language_code: str | None = "en",
        first_name: str = "Amal",
        **message: Any,
    ) -> dict[str, Any]:
        """An Update with a fresh private-chat message (the id comes from the chat's counter)."""
        sender: dict[str, Any] = {"id": chat_id, "is_bot": False, "first_name": first_name}
        if language_code is not None:
            sender["language_code"] = language_code
        body: dict[str, Any] = {
            "message_id": self.next_message_id(chat_id, text=text or ""),
            "from": sender,
            "chat": {"id": chat_id, "first_name": first_name, "type": "private"},
            "date": int(time.time()),
        }
        if text is not None:
            body["text"] = text
            if text.startswith("/"):
                command = text.split()[0]
                body["entities"] = [{"offset": 0, "length": len(command), "type": "bot_command"}]
        body.update(message)
        return {"update_id": next(self._update_ids), "message": body}

    def callback_update(
        self, chat_id: int, data: str, message_id: int, *, language_code: str | None = "en"
    ) -> dict[str, Any]:
        """A tap on an inline button of the bot's message `message_id`."""
        sender: dict[str, Any] = {"id": chat_id, "is_bot": False, "first_name": "Amal"}
        if language_code is not None:
            sender["language_code"] = language_code
        return {
            "update_id": next(self._update_ids),
            "callback_query": {
                "id": f"{chat_id}{next(self._update_ids)}",
                "from": sender,
                "chat_instance": f"-{chat_id}77",
                "data": data,
                "message": {
                    "message_id": message_id,
                    "from": BOT_USER,
                    "chat": {"id": chat_id, "first_name": "Amal", "type": "private"},
                    "date": int(time.time()),
                    "text": "…",
                },
            },
        }

    def from_fixture(self, update: dict[str, Any], chat_id: int | None = None) -> dict[str, Any]:
        """A recorded Update with a fresh update id and, for a new message, a fresh message id."""
        update = copy.deepcopy(update)
        update["update_id"] = next(self._update_ids)
        for key in ("message", "edited_message"):
            body = update.get(key)
            if body is None:
                continue
            if chat_id is not None:
                body["chat"]["id"] = chat_id
                body.setdefault("from", {})["id"] = chat_id
            chat = body["chat"]["id"]
            if key == "message":
                body["message_id"] = self.next_message_id(chat, text=body.get("text", ""))
        query = update.get("callback_query")
        if query is not None and chat_id is not None:
            query["from"]["id"] = chat_id
            query["message"]["chat"]["id"] = chat_id
        return update

    def push_update(self, update: dict[str, Any]) -> None:
        with self._lock:
            self._state.updates.append(update)

    # -- the API -----------------------------------------------------------------------------

    def _record_line(self, chat: str, side: str, text: str) -> int:
        counter = self._state.counters.setdefault(chat, itertools.count(1))
        message_id = next(counter)
        self._state.chats[chat][message_id] = ChatLine(message_id, side, text)
        return message_id

    async def _params(self, request: Request) -> dict[str, Any]:
        """The call's parameters: JSON, or the url-encoded form python-telegram-bot sends.

        Parsed by hand: Starlette's `request.form()` needs python-multipart, which
        the project does not install (and PTB sends multipart only for file uploads).
        """
        body = await request.body()
        content_type = request.headers.get("content-type", "")
        if content_type.startswith("application/json"):
            return dict(json.loads(body)) if body else {}
        if content_type.startswith("multipart/"):
            raise ValueError("multipart (file upload) calls are not supported by the fake")
        fields = dict(request.query_params)
        fields.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        return {
            key: json.loads(value) if key in JSON_PARAMS else value for key, value in fields.items()
        }

    def _scripted(self, method: str, chat: str | None) -> Failure | None:
        queue = self._state.failures.get(method)
        if not queue:
            return None
        for failure in list(queue):
            if failure.chat_id is None or failure.chat_id == chat:
                if failure.times is not None:
                    failure.times -= 1
                    if failure.times <= 0:
                        queue.remove(failure)
                return failure
        return None

    async def _api(self, request: Request) -> JSONResponse:
        method = request.path_params["method"]
        params = await self._params(request)
        chat = str(params["chat_id"]) if "chat_id" in params else None
        with self._lock:
            self._state.calls.append(Call(method, params, time.time()))
            if request.path_params["token"] != self.token:
                self._state.unexpected.append(f"{method} with a wrong token")
                return _error(401, "Unauthorized")
            handler = getattr(self, f"_m_{method.lower()}", None)
            if handler is None:
                self._state.unexpected.append(method)
                return _error(404, "Not Found")
            # During an outage nothing reaches the API: scripted failures stay queued.
            failure = None if self.down else self._scripted(method.lower(), chat)
        if self.latency:
            await asyncio.sleep(self.latency)
        if self.down:
            return _error(502, "Bad Gateway")
        if failure is not None and failure.delay:
            await asyncio.sleep(failure.delay)
        elif failure is not None:
            return _error(failure.error_code, failure.description, failure.retry_after)
        if method.lower() == "getupdates":
            return await self._get_updates(params)
        with self._lock:
            result = handler(params)
        return result if isinstance(result, JSONResponse) else _ok(result)

    def _m_getme(self, _params: dict[str, Any]) -> Any:
        return {**BOT_USER, "can_join_groups": True, "can_read_all_group_messages": False,
                "supports_inline_queries": False}  # fmt: skip

    def _m_close(self, _params: dict[str, Any]) -> Any:
        return True

    def _m_setwebhook(self, params: dict[str, Any]) -> Any:
        self._state.webhook = {
            "url": params.get("url", ""),
            "secret_token": params.get("secret_token"),
            "allowed_updates": params.get("allowed_updates"),
        }
        return True

    def _m_deletewebhook(self, params: dict[str, Any]) -> Any:
        self._state.webhook = {}
        if params.get("drop_pending_updates"):
            self._state.updates.clear()
        return True

    def _m_getwebhookinfo(self, _params: dict[str, Any]) -> Any:
        info = self._state.webhook
        return {
            "url": info.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": 0,
            "allowed_updates": info.get("allowed_updates") or [],
        }

    def _m_setmycommands(self, params: dict[str, Any]) -> Any:
        commands = params.get("commands") or []
        if not 1 <= len(commands) <= 100:
            return _error(400, "Bad Request: commands must be non-empty")
        self._state.commands[params.get("language_code", "")] = commands
        return True

    def _m_getmycommands(self, params: dict[str, Any]) -> Any:
        return self._state.commands.get(params.get("language_code", ""), [])

    def _m_deletemycommands(self, params: dict[str, Any]) -> Any:
        self._state.commands.pop(params.get("language_code", ""), None)
        return True

    def _m_sendmessage(self, params: dict[str, Any]) -> Any:
        chat = str(params.get("chat_id", ""))
        text = str(params.get("text", ""))
        if not chat:
            return _error(400, "Bad Request: chat not found")
        if chat in self._state.blocked:
            return _error(403, "Forbidden: bot was blocked by the user")
        if not text.strip():
            return _error(400, "Bad Request: message text is empty")
        if utf16_len(text) > MAX_TEXT:
            return _error(400, "Bad Request: message is too long")
        markup = params.get("reply_markup")
        for row in (markup or {}).get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data", "")
                if not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA:
                    return _error(400, "Bad Request: BUTTON_DATA_INVALID")
        if self.flood_per_chat is not None:
            now = time.monotonic()
            recent = self._state.sends[chat]
            while recent and now - recent[0] > 1.0:
                recent.popleft()
            if len(recent) >= self.flood_per_chat:
                return _error(429, "Too Many Requests: retry after 1", retry_after=1)
            recent.append(now)
        message_id = self._record_line(chat, "bot", text)
        kind = "private" if not chat.startswith("-") else "supergroup"
        message: dict[str, Any] = {
            "message_id": message_id,
            "from": BOT_USER,
            "chat": {"id": int(chat) if chat.lstrip("-").isdigit() else 0, "type": kind},
            "date": int(time.time()),
            "text": text,
        }
        if kind != "private":
            message["chat"]["title"] = "Staff"
        if markup:
            message["reply_markup"] = markup
        return message

    def _m_answercallbackquery(self, params: dict[str, Any]) -> Any:
        self._state.answered.append(str(params.get("callback_query_id")))
        return True

    def _m_deletemessage(self, params: dict[str, Any]) -> Any:
        lines = self._state.chats.get(str(params.get("chat_id")), {})
        if lines.pop(int(params.get("message_id", 0)), None) is None:
            return _error(400, "Bad Request: message to delete not found")
        return True

    def _m_deletemessages(self, params: dict[str, Any]) -> Any:
        ids = params.get("message_ids") or []
        if not 1 <= len(ids) <= 100:
            return _error(400, "Bad Request: message_ids must contain 1-100 identifiers")
        lines = self._state.chats.get(str(params.get("chat_id")), {})
        for message_id in ids:
            lines.pop(int(message_id), None)
        return True

    def _m_getupdates(self, _params: dict[str, Any]) -> Any:
        raise AssertionError("getUpdates is answered by _get_updates")

    async def _get_updates(self, params: dict[str, Any]) -> JSONResponse:
        with self._lock:
            if self._state.webhook.get("url"):
                return _error(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first",
                )
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 30.0)
        while True:
            with self._lock:
                queue = self._state.updates
                while queue and offset and queue[0]["update_id"] < offset:
                    queue.popleft()
                if queue:
                    return _ok(list(queue)[:limit])
            server = self._server
            if time.monotonic() >= deadline or server is None or server.should_exit:
                return _ok([])
            await asyncio.sleep(0.02)

    # -- control endpoints (another process drives the fake over HTTP) ------------------------

    async def _control_calls(self, _request: Request) -> JSONResponse:
        calls = [{"method": c.method, "params": c.params, "at": c.at} for c in self.calls]
        return JSONResponse({"calls": calls, "unexpected": self.unexpected})

    async def _control_fail(self, request: Request) -> JSONResponse:
        body = await request.json()
        self.fail(
            body["method"], int(body["error_code"]), body["description"],
            retry_after=body.get("retry_after"), times=body.get("times", 1),
            chat_id=body.get("chat_id"),
        )  # fmt: skip
        return JSONResponse({"ok": True})

    async def _control_updates(self, request: Request) -> JSONResponse:
        self.push_update(await request.json())
        return JSONResponse({"ok": True})

    async def _control_reset(self, _request: Request) -> JSONResponse:
        self.reset()
        return JSONResponse({"ok": True})


@pytest.fixture
def fake_telegram() -> Iterator[FakeTelegram]:
    """A running fake; the test fails if the code under test called anything it does not know."""
    with FakeTelegram() as fake:
        yield fake


def main() -> None:
    parser = argparse.ArgumentParser(description="A fake Telegram Bot API server on loopback")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("--latency", type=float, default=0.0)
    args = parser.parse_args()
    fake = FakeTelegram(args.token, port=args.port)
    fake.latency = args.latency
    fake.start()
    print(f"TELEGRAM_API_BASE_URL={fake.base_url}\nTELEGRAM_BOT_TOKEN={fake.token}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()

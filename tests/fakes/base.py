"""What the fake platform servers share: a uvicorn server on 127.0.0.1 in a thread.

A fake names its routes and says how to check it was used as the real API
would be (`assert_clean`); leaving the `with` block stops it and, when the
test did not fail already, runs that check.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Self, TypeVar

import uvicorn
from starlette.applications import Starlette
from starlette.routing import BaseRoute

from tests.live import free_port

T = TypeVar("T")


def wait_for_calls(
    calls: Callable[[], list[T]], count: int, timeout: float, seen: Callable[[], object]
) -> list[T]:
    """Poll `calls()` until it holds `count` items; fail with what was `seen` otherwise."""
    deadline = time.monotonic() + timeout
    while True:
        got = calls()
        if len(got) >= count:
            return got
        if time.monotonic() > deadline:
            raise AssertionError(
                f"waited {timeout}s for {count} call(s), got {len(got)}; calls: {seen()}"
            )
        time.sleep(0.02)


class LoopbackServer:
    label = "fake"

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def routes(self) -> list[BaseRoute]:
        raise NotImplementedError

    def assert_clean(self) -> None:
        raise NotImplementedError

    def start(self) -> Self:
        config = uvicorn.Config(
            Starlette(routes=self.routes()), host="127.0.0.1", port=self.port,
            log_level="warning", lifespan="off", timeout_graceful_shutdown=1,
        )  # fmt: skip
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 15
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError(f"the {self.label} server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        """Stop serving (an outage). `start()` again serves on the same port, state kept."""
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)
        self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, exc_type: object, *_: object) -> None:
        self.stop()
        if exc_type is None:
            self.assert_clean()

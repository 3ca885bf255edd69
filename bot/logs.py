"""Structured logs: one JSON object a line (`at`, `level`, `logger`, `message`, `error`).

What the helpline logs carries ids and counts, never message text, phone
numbers, chat ids, tokens or passwords (tests/privacy/test_logs.py runs a
conversation on every channel and searches the output). As a second line of
defence, the formatter masks what looks like a bot token, a bearer token or a
phone number or chat id (a run of 7 or more digits) in anything a library logs.
The HTTP client libraries log request URLs (Telegram's carries the bot token)
and are kept at WARNING; uvicorn's access log (client addresses) is off.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import TextIO

MASKS = (
    (re.compile(r"\d{5,16}:[A-Za-z0-9_-]{30,}"), "[token]"),  # a Telegram bot token
    (re.compile(r"(?i)\b(bearer|basic) +[A-Za-z0-9._~+/=-]+"), r"\1 [token]"),
    (re.compile(r"(?i)\b(password|secret|token|auth_token)=[^\s&,;]+"), r"\1=[hidden]"),
    (re.compile(r"\+?\d(?: ?\d){6,}"), "[number]"),  # phone numbers, chat ids
)
QUIET = ("httpx", "httpcore", "hpack", "urllib3", "twilio.http_client", "uvicorn.access")


def mask(text: str) -> str:
    for pattern, replacement in MASKS:
        text = pattern.sub(replacement, text)
    return text


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "at": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": mask(record.getMessage()),
        }
        if record.exc_info:
            entry["error"] = mask(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def configure(
    level: int = logging.INFO, stream: TextIO | None = None, *, replace: bool = True
) -> logging.Handler:
    """JSON lines on standard error (or `stream`) for the whole process; returns the handler.

    `replace=False` keeps the handlers already there (a test's own, say).
    """
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    for old in list(root.handlers) if replace else []:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in QUIET:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
    return handler

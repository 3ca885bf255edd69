"""HSDS-shaped JSON and YAML (slice 4)."""

from __future__ import annotations

from bot.services.csvfile import FileError, Parsed
from bot.services.records import ServiceRecord


def read_hsds(data: bytes, *, yaml: bool) -> list[Parsed]:
    raise FileError("HSDS import is not available yet")


def write_hsds(records: list[ServiceRecord], *, yaml: bool) -> str:
    raise FileError("HSDS export is not available yet")

"""The sessions CSV (CONTRACT.md section 7): one checked `SessionRecord` per row."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from datetime import datetime

from bot.spreadsheet import read_rows
from bot.storage.programme_models import PROGRAMMES

COLUMNS = (
    "id", "programme", "title_tr", "title_ar", "title_en", "title_fa", "min_age", "max_age",
    "language", "service_id", "district", "starts_at", "ends_at", "capacity",
)  # fmt: skip
TITLE_LANGUAGES = ("tr", "ar", "en", "fa")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")
_LANGUAGE = re.compile(r"^[a-z]{2}$")


@dataclass(frozen=True)
class SessionRecord:
    id: str
    programme: str
    titles: dict[str, str]
    min_age: int | None
    max_age: int | None
    language: str
    service_id: str | None
    district: str
    starts_at: datetime
    ends_at: datetime
    capacity: int

    def differences(self, other: SessionRecord) -> list[str]:
        return [f.name for f in fields(self) if getattr(self, f.name) != getattr(other, f.name)]


@dataclass
class ParsedRow:
    row: int
    id: str
    record: SessionRecord | None
    reasons: list[str] = field(default_factory=list)


def _age(raw: str, name: str, reasons: list[str]) -> int | None:
    if not raw:
        return None
    if not raw.isdigit() or int(raw) > 120:
        reasons.append(f"{name}: a whole number of years (0-120), not {raw!r}")
        return None
    return int(raw)


def _moment(raw: str, name: str, reasons: list[str]) -> datetime | None:
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        reasons.append(f"{name}: ISO 8601 with offset, e.g. 2027-01-12T10:00:00+03:00")
        return None
    if moment.tzinfo is None:
        reasons.append(f"{name}: the offset is missing (e.g. +03:00 for Istanbul)")
        return None
    return moment


def parse_row(row: dict[str, str], number: int) -> ParsedRow:
    cell = {k: (row.get(k) or "").strip() for k in COLUMNS}
    reasons: list[str] = []
    session_id = cell["id"]
    if not _ID.match(session_id):
        reasons.append("id: letters, digits and _.:- (up to 64)")
    if cell["programme"] not in PROGRAMMES:
        reasons.append(f"programme: one of {', '.join(PROGRAMMES)}")
    titles = {lang: cell[f"title_{lang}"] for lang in TITLE_LANGUAGES if cell[f"title_{lang}"]}
    if not titles:
        reasons.append("a title in at least one language")
    min_age = _age(cell["min_age"], "min_age", reasons)
    max_age = _age(cell["max_age"], "max_age", reasons)
    if min_age is not None and max_age is not None and min_age > max_age:
        reasons.append("min_age is above max_age")
    language = cell["language"].lower()
    if not _LANGUAGE.match(language):
        reasons.append("language: an ISO 639-1 code such as tr or ar")
    starts = _moment(cell["starts_at"], "starts_at", reasons)
    ends = _moment(cell["ends_at"], "ends_at", reasons)
    if starts is not None and ends is not None and ends <= starts:
        reasons.append("ends_at is not after starts_at")
    capacity = int(cell["capacity"]) if cell["capacity"].isdigit() else 0
    if capacity < 1:
        reasons.append("capacity: a whole number of places, 1 or more")
    if reasons or starts is None or ends is None:
        return ParsedRow(number, session_id, None, reasons)
    record = SessionRecord(
        id=session_id,
        programme=cell["programme"],
        titles=titles,
        min_age=min_age,
        max_age=max_age,
        language=language,
        service_id=cell["service_id"] or None,
        district=cell["district"],
        starts_at=starts,
        ends_at=ends,
        capacity=capacity,
    )
    return ParsedRow(number, session_id, record)


def read_csv(data: bytes) -> list[ParsedRow]:
    _, rows = read_rows(data, COLUMNS, COLUMNS)
    return [
        ParsedRow(number, row_id, None, ["more cells than columns"])
        if row is None
        else parse_row(row, number)
        for number, row, row_id in rows
    ]

"""Opening hours in OpenStreetMap syntax, evaluated in Istanbul time.

Turkish public holidays (the `holidays` library) are closed days unless the
hours speak of them with a `PH` rule, which the parser then evaluates itself
(`country="TR"`), or are `24/7`.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from opening_hours import OpeningHours

ISTANBUL = ZoneInfo("Europe/Istanbul")
_PH = re.compile(r"\bPH\b")
# How far ahead `next_opening` looks (closed for longer: null).
HORIZON = timedelta(days=14)


@lru_cache(maxsize=8)
def _holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("TR", years=year))


def is_public_holiday(day: date) -> bool:
    return day in _holidays(day.year)


class Hours:
    """One service's opening hours, parsed once."""

    __slots__ = ("_oh", "holidays_ruled", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._oh = OpeningHours(
            text, timezone=ISTANBUL, country="TR", auto_country=False, auto_timezone=False
        )
        # "24/7" is open on holidays too: it says so as plainly as a PH rule would.
        self.holidays_ruled = bool(_PH.search(text)) or text.strip().startswith("24/7")

    def _closed_for_holiday(self, local: datetime) -> bool:
        return not self.holidays_ruled and is_public_holiday(local.date())

    def is_open(self, at: datetime) -> bool:
        local = at.astimezone(ISTANBUL)
        if self._closed_for_holiday(local):
            return False
        return bool(self._oh.is_open(local))

    def next_opening(self, at: datetime) -> datetime | None:
        """When it opens next after `at` (closed now), or `at` itself when open."""
        moment = at.astimezone(ISTANBUL)
        end = moment + HORIZON
        while moment < end:
            if self._closed_for_holiday(moment):
                moment = datetime.combine(moment.date() + timedelta(days=1), time(), ISTANBUL)
                continue
            if self._oh.is_open(moment):
                return moment
            change = self._oh.next_change(moment)
            if change is None:
                return None
            moment = change.astimezone(ISTANBUL)
        return None

    def closes_at(self, at: datetime) -> datetime | None:
        """When it closes, while open at `at`."""
        if not self.is_open(at):
            return None
        local = at.astimezone(ISTANBUL)
        change = self._oh.next_change(local)
        if change is None:
            return None
        midnight = datetime.combine(local.date() + timedelta(days=1), time(), ISTANBUL)
        if self._closed_for_holiday(midnight) and change > midnight:
            return midnight
        return change.astimezone(ISTANBUL)


@lru_cache(maxsize=4096)
def compile_hours(text: str) -> Hours | None:
    """Parsed hours; None for none given (the import rejects hours that do not parse)."""
    return Hours(text) if text.strip() else None

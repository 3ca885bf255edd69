"""Staffed hours: when caseworkers are on shift, in local time, holidays closed.

Weekly hours come from `config.yml` (`cases.staffed_hours`, local time in
`cases.timezone`); public holidays of `cases.holidays_country` (the `holidays`
library) and the dates in `cases.extra_holidays` are closed all day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import holidays
from babel.dates import format_datetime, get_day_names

from bot.languages import is_rtl
from bot.settings import WEEKDAYS, parse_ranges

if TYPE_CHECKING:
    from bot.settings import CaseSettings

# Far enough to find the next opening across any run of holidays and closed days.
SEARCH_DAYS = 400

# How the next opening is written to the person, per language (Babel/CLDR names).
WHEN_PATTERNS = {
    "tr": "d MMMM EEEE, HH:mm",
    "ar": "EEEE d MMMM، HH:mm",
    "en": "EEEE d MMMM, HH:mm",
    "fa": "EEEE d MMMM، HH:mm",
}


class StaffedHours:
    def __init__(self, settings: CaseSettings) -> None:
        self.zone = ZoneInfo(settings.timezone)
        self.weekly: dict[int, list[tuple[time, time]]] = {
            index: parse_ranges(settings.staffed_hours.get(day, ""), day)
            for index, day in enumerate(WEEKDAYS)
        }
        self.extra = frozenset(settings.extra_holidays)
        self.country = (
            holidays.country_holidays(settings.holidays_country)
            if settings.holidays_country
            else None
        )

    def describe(self, language: str) -> str:
        """The weekly hours as the person reads them: "Monday-Friday 09:00-17:00" (GSM-7)."""
        names = get_day_names("wide", locale=language)
        groups: list[tuple[int, int, list[tuple[time, time]]]] = []
        for index in range(len(WEEKDAYS)):
            ranges = self.weekly[index]
            if groups and groups[-1][2] == ranges and groups[-1][1] == index - 1:
                groups[-1] = (groups[-1][0], index, ranges)
            else:
                groups.append((index, index, ranges))
        parts = []
        for first, last, ranges in groups:
            if not ranges:
                continue
            days = names[first] if first == last else f"{names[first]}-{names[last]}"
            times = ", ".join(f"{opens:%H:%M}-{closes:%H:%M}" for opens, closes in ranges)
            parts.append(f"{days} {times}")
        return ("، " if is_rtl(language) else ", ").join(parts)

    @property
    def ever_staffed(self) -> bool:
        return any(self.weekly.values())

    def is_holiday(self, day: date) -> bool:
        return day in self.extra or (self.country is not None and day in self.country)

    def windows(self, day: date) -> list[tuple[datetime, datetime]]:
        """The staffed periods of a local calendar day, as aware datetimes."""
        if self.is_holiday(day):
            return []
        return [
            (
                datetime.combine(day, opens, self.zone),
                datetime.combine(day, closes, self.zone),
            )
            for opens, closes in self.weekly[day.weekday()]
        ]

    def local(self, at: datetime) -> datetime:
        return at.astimezone(self.zone)

    def is_open(self, at: datetime) -> bool:
        local = self.local(at)
        return any(opens <= local < closes for opens, closes in self.windows(local.date()))

    def next_opening(self, at: datetime) -> datetime | None:
        """When staff are next on shift: `at` itself when open now; None if never staffed."""
        if not self.ever_staffed:
            return None
        local = self.local(at)
        for offset in range(SEARCH_DAYS):
            for opens, closes in self.windows(local.date() + timedelta(days=offset)):
                if closes > local:
                    return max(opens, local).astimezone(UTC)
        return None

    def add_staffed(self, at: datetime, minutes: int) -> datetime:
        """`minutes` of staffed time after `at` (the clock stops while nobody is on shift)."""
        left = timedelta(minutes=minutes)
        if not self.ever_staffed:
            return at + left
        local = self.local(at)
        for offset in range(SEARCH_DAYS):
            for opens, closes in self.windows(local.date() + timedelta(days=offset)):
                start = max(opens, local)
                if closes <= start:
                    continue
                if start + left <= closes:
                    return (start + left).astimezone(UTC)
                left -= closes - start
        return at + timedelta(minutes=minutes)

    def working_days_later(self, at: datetime, days: int) -> datetime:
        """The same time `days` staffed days later, kept inside that day's hours.

        After closing time it is that day's closing; before opening, its opening.
        """
        if not self.ever_staffed:
            return at + timedelta(days=days)
        local = self.local(at)
        day = local.date()
        found = 0
        for _ in range(SEARCH_DAYS):
            day += timedelta(days=1)
            periods = self.windows(day)
            if not periods:
                continue
            found += 1
            if found < days:
                continue
            same_time = datetime.combine(day, local.time().replace(tzinfo=None), self.zone)
            first_open, last_close = periods[0][0], periods[-1][1]
            return min(max(same_time, first_open), last_close).astimezone(UTC)
        return at + timedelta(days=days)


def format_when(when: datetime, language: str, zone: ZoneInfo) -> str:
    """A moment as the person reads it: weekday, day, month and time, local time."""
    pattern = WHEN_PATTERNS.get(language, WHEN_PATTERNS["en"])
    return format_datetime(when.astimezone(zone), pattern, tzinfo=zone, locale=language)

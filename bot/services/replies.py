"""Found services as the bot says them: name, what they do, open or when, address, phone.

The full text lists each service with its description in the person's
language (English, then Turkish, when it has none), whether it is open now
(until when) or when it opens, address, phone, languages spoken there, and a
warning when it was not verified for a long time. SMS gets name and phone.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from babel import Locale
from babel.dates import format_datetime

from bot.engine.texts import isolate
from bot.languages import is_rtl
from bot.services.hours import ISTANBUL

if TYPE_CHECKING:
    from bot.engine.texts import Texts
    from bot.services.directory import Found


def _when(moment: datetime, now: datetime, language: str) -> str:
    local = moment.astimezone(ISTANBUL)
    pattern = "HH:mm" if local.date() == now.astimezone(ISTANBUL).date() else "EEEE HH:mm"
    return format_datetime(local, pattern, locale=language)


def language_names(codes: tuple[str, ...], language: str) -> str:
    names = Locale.parse(language).languages
    separator = "، " if is_rtl(language) else ", "
    return separator.join(names.get(code, code) for code in codes)


def status(texts: Texts, language: str, found: Found, now: datetime) -> str:
    if found.open_now is None:
        return ""
    if found.open_now:
        if found.closes_at is None:
            return texts.get(language, "services.open_always")
        return texts.get(
            language, "services.open_until", time=_when(found.closes_at, now, language)
        )
    if found.opens_at is None:
        return texts.get(language, "services.closed")
    return texts.get(language, "services.opens_at", when=_when(found.opens_at, now, language))


def item(texts: Texts, language: str, found: Found, now: datetime) -> tuple[str, str]:
    """The full text of one found service, and its SMS text."""
    record, place = found.record, found.place
    description = record.description(language)
    address = (place.address or place.district) if place else ""
    if not description:
        description = record.description("en") or record.description("tr")
        if is_rtl(language) and description:
            description = isolate(description)
    if is_rtl(language) and address:
        address = isolate(address)  # a Latin street name keeps its order in Arabic text
    lines = [
        description,
        status(texts, language, found, now),
        address,
        texts.get(language, "services.line.phone", phone=record.phone) if record.phone else "",
        texts.get(
            language,
            "services.line.languages",
            languages=language_names(record.languages, language),
        )
        if record.languages
        else "",
    ]
    if found.stale and record.last_verified is not None:
        verified = format_datetime(
            datetime.combine(record.last_verified, datetime.min.time()), "d MMMM y", locale=language
        )
        lines.append(texts.get(language, "services.unverified", date=verified))
    details = "\n".join(line for line in lines if line)
    full = texts.get(language, "services.item", name=record.name, details=details)
    short = texts.short(language, "services.item", name=record.name, phone=record.phone or "-")
    return full, short or full

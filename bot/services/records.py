"""A service as the map's files describe it, and the checks every import applies.

`ServiceRecord` is the flat view of one service with its locations and phones;
the CSV (CONTRACT.md section 5) and HSDS files are read into it and written
from it, and the database is written from it (`store.py`). Two records are
equal when the service is the same, which is how an import tells "changed"
from "unchanged".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, TypeVar

import phonenumbers
from babel.core import Locale, UnknownLocaleError
from opening_hours import validate as valid_hours
from phonenumbers import shortnumberinfo

from bot.engine.texts import SERVICE_CATEGORIES

T = TypeVar("T")
GENDERS = ("female", "male")
# Turkey's bounding box (WGS84): a point outside it is not in Turkey. Inside it are
# corners of neighbouring countries, which this coarse check lets through.
TURKEY_LATITUDE = (35.8, 42.2)
TURKEY_LONGITUDE = (25.6, 44.9)


class RecordError(ValueError):
    """Why a row or object is rejected; several reasons joined."""


@dataclass(frozen=True)
class Place:
    id: str
    district: str = ""
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    name: str = ""


@dataclass(frozen=True)
class ServiceRecord:
    id: str
    name: str
    categories: tuple[str, ...]
    organization: str = ""
    places: tuple[Place, ...] = ()
    phones: tuple[str, ...] = ()
    opening_hours: str = ""
    languages: tuple[str, ...] = ()
    descriptions: tuple[tuple[str, str], ...] = ()  # (language, text), sorted by language
    eligibility: str = ""
    minimum_age: int | None = None
    maximum_age: int | None = None
    gender: str | None = None
    legal_status: tuple[str, ...] = ()
    free: bool = True
    referral_required: bool = False
    last_verified: date | None = None
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def place(self) -> Place | None:
        return self.places[0] if self.places else None

    @property
    def phone(self) -> str:
        return self.phones[0] if self.phones else ""

    def description(self, language: str) -> str:
        return dict(self.descriptions).get(language, "")

    def differences(self, other: ServiceRecord) -> list[str]:
        """Names of the fields that differ (never their values: they may be logged)."""
        names = [n for n in self.__dataclass_fields__ if n != "extra"]
        return [n for n in names if getattr(self, n) != getattr(other, n)]


def normalise_phone(raw: str) -> str:
    """E.164 for a full number, the digits for a short national one ("ALO 183" -> "183")."""
    text = raw.strip()
    digits = re.sub(r"\D", "", text)
    if not text.startswith("+") and 3 <= len(digits) <= 6:
        short = phonenumbers.parse(digits, "TR")
        if shortnumberinfo.is_valid_short_number(short):
            return digits
        raise RecordError(f"bad phone {raw!r}: not a Turkish short number")
    try:
        number = phonenumbers.parse(text, "TR")
    except phonenumbers.NumberParseException as exc:
        raise RecordError(f"bad phone {raw!r}") from exc
    if not phonenumbers.is_valid_number(number):
        raise RecordError(f"bad phone {raw!r}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@lru_cache(maxsize=256)
def _is_language(code: str) -> bool:
    if not re.fullmatch(r"[a-z]{2}", code):
        return False
    try:
        Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return False
    return True


def check_hours(text: str) -> str:
    text = text.strip()
    if text and not valid_hours(text):
        raise RecordError(f"impossible hours {text!r}")
    return text


def check_categories(values: list[str]) -> tuple[str, ...]:
    categories = [v.strip().lower() for v in values if v.strip()]
    unknown = [c for c in categories if c not in SERVICE_CATEGORIES]
    if unknown:
        raise RecordError("unknown category " + ", ".join(repr(c) for c in unknown))
    if not categories:
        raise RecordError("no category")
    return tuple(dict.fromkeys(categories))


def check_languages(values: list[str]) -> tuple[str, ...]:
    codes = [v.strip().lower() for v in values if v.strip()]
    bad = [c for c in codes if not _is_language(c)]
    if bad:
        raise RecordError("unknown language code " + ", ".join(repr(c) for c in bad))
    return tuple(dict.fromkeys(codes))


def check_place(place: Place) -> Place:
    if (place.latitude is None) != (place.longitude is None):
        raise RecordError("missing coordinates (only one of latitude, longitude)")
    if place.latitude is None or place.longitude is None:
        if place.address:
            raise RecordError("missing coordinates for the address")
        return place
    inside = (
        TURKEY_LATITUDE[0] <= place.latitude <= TURKEY_LATITUDE[1]
        and TURKEY_LONGITUDE[0] <= place.longitude <= TURKEY_LONGITUDE[1]
    )
    if not inside:
        raise RecordError(f"coordinates outside Turkey ({place.latitude}, {place.longitude})")
    return place


def parse_coordinate(raw: str, name: str) -> float | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        value = float(raw.replace(",", "."))
    except ValueError as exc:
        raise RecordError(f"bad {name} {raw!r}") from exc
    if value != value or value in (float("inf"), float("-inf")):
        raise RecordError(f"bad {name} {raw!r}")
    return value


def parse_yes_no(raw: str, name: str, default: bool) -> bool:
    value = raw.strip().lower()
    if not value:
        return default
    if value not in ("yes", "no"):
        raise RecordError(f"{name} must be yes or no, not {raw!r}")
    return value == "yes"


def parse_date(raw: str) -> date | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        value = date.fromisoformat(raw)
    except ValueError as exc:
        raise RecordError(f"last_verified {raw!r} is not YYYY-MM-DD") from exc
    if len(raw) != 10:
        raise RecordError(f"last_verified {raw!r} is not YYYY-MM-DD")
    return value


def parse_age(raw: str, name: str) -> int | None:
    raw = raw.strip()
    if not raw:
        return None
    if not raw.isdigit() or int(raw) > 130:
        raise RecordError(f"bad {name} {raw!r}")
    return int(raw)


def check_eligibility(record: ServiceRecord) -> None:
    low, high = record.minimum_age, record.maximum_age
    if low is not None and high is not None and low > high:
        raise RecordError(f"minimum_age {low} is above maximum_age {high}")
    if record.gender is not None and record.gender not in GENDERS:
        raise RecordError(f"gender must be one of {', '.join(GENDERS)} or empty")


class Reasons:
    """Collects every reason a row is rejected, so the report names them all at once."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def run(self, default: T, check: Callable[..., T], *args: Any) -> T:
        try:
            return check(*args)
        except RecordError as exc:
            self.items.append(str(exc))
            return default


def flat_record(
    id: str,
    name: str,
    categories: tuple[str, ...] | list[str],
    *,
    district: str = "",
    address: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    phone: str = "",
    descriptions: dict[str, str] | None = None,
    languages: tuple[str, ...] | list[str] = (),
    **fields: Any,
) -> ServiceRecord:
    """A record from the CSV's flat columns: one location (id = the service's) and one phone."""
    has_place = bool(district or address or latitude is not None or longitude is not None)
    place = Place(id, district, address, latitude, longitude)
    texts = tuple(sorted((k, v) for k, v in (descriptions or {}).items() if v))
    return ServiceRecord(
        id=id,
        name=name,
        categories=tuple(categories),
        places=(place,) if has_place else (),
        phones=(phone,) if phone else (),
        descriptions=texts,
        languages=tuple(languages),
        **fields,
    )

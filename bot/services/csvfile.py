"""The service map CSV of CONTRACT.md section 5: reading rows into records, writing them back.

Besides the contract's columns a file may carry `minimum_age`, `maximum_age`,
`gender` and `legal_status` (`;`-separated); a file without them leaves those
fields as they are. The export writes the contract's columns only.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from bot.services.records import (
    Place,
    Reasons,
    RecordError,
    ServiceRecord,
    check_categories,
    check_eligibility,
    check_hours,
    check_languages,
    check_place,
    normalise_phone,
    parse_age,
    parse_coordinate,
    parse_date,
    parse_yes_no,
)
from bot.spreadsheet import FileError, read_rows

COLUMNS = (
    "id", "name", "organization", "categories", "district", "address", "latitude",
    "longitude", "phone", "opening_hours", "languages", "description_tr", "description_ar",
    "description_en", "description_fa", "eligibility", "free", "referral_required",
    "last_verified",
)  # fmt: skip
OPTIONAL = frozenset({"description_fa"})
EXTENSIONS = ("minimum_age", "maximum_age", "gender", "legal_status")
DESCRIPTION_COLUMNS = ("description_ar", "description_en", "description_fa", "description_tr")


@dataclass
class Parsed:
    """One row or object of a file: a record, or the reasons it was rejected."""

    row: int
    id: str
    record: ServiceRecord | None
    reasons: list[str] = field(default_factory=list)
    # Fields the file does not carry: kept from the stored service.
    absent: frozenset[str] = frozenset()


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def parse_row(row: dict[str, str], number: int, columns: set[str]) -> Parsed:
    get = {k: (v or "").strip() for k, v in row.items() if k is not None}
    reasons = Reasons()
    service_id = get.get("id", "")
    if not service_id:
        reasons.items.append("missing id")
    elif len(service_id) > 64:
        reasons.items.append("id longer than 64 characters")
    name = get.get("name", "")
    if not name:
        reasons.items.append("missing name")
    nothing: tuple[str, ...] = ()
    categories = reasons.run(nothing, check_categories, _split(get.get("categories", "")))
    latitude = reasons.run(None, parse_coordinate, get.get("latitude", ""), "latitude")
    longitude = reasons.run(None, parse_coordinate, get.get("longitude", ""), "longitude")
    district, address = get.get("district", ""), get.get("address", "")
    places: tuple[Place, ...] = ()
    if district or address or latitude is not None or longitude is not None:
        place = Place(service_id, district, address, latitude, longitude)
        if not any(r.startswith("bad l") for r in reasons.items):
            reasons.run(place, check_place, place)
        places = (place,)
    phone = get.get("phone", "")
    phones = (reasons.run("", normalise_phone, phone),) if phone else ()
    hours = reasons.run("", check_hours, get.get("opening_hours", ""))
    languages = reasons.run(nothing, check_languages, _split(get.get("languages", "")))
    descriptions = tuple(
        (column.removeprefix("description_"), get[column])
        for column in DESCRIPTION_COLUMNS
        if get.get(column)
    )
    free = reasons.run(True, parse_yes_no, get.get("free", ""), "free", True)
    referral = reasons.run(
        False, parse_yes_no, get.get("referral_required", ""), "referral_required", False
    )
    verified = reasons.run(None, parse_date, get.get("last_verified", ""))
    record = ServiceRecord(
        id=service_id,
        name=name,
        categories=categories,
        organization=get.get("organization", ""),
        places=places,
        phones=phones,
        opening_hours=hours,
        languages=languages,
        descriptions=descriptions,
        eligibility=get.get("eligibility", ""),
        minimum_age=reasons.run(None, parse_age, get.get("minimum_age", ""), "minimum_age"),
        maximum_age=reasons.run(None, parse_age, get.get("maximum_age", ""), "maximum_age"),
        gender=get.get("gender", "").lower() or None,
        legal_status=tuple(_split(get.get("legal_status", ""))),
        free=free,
        referral_required=referral,
        last_verified=verified,
    )
    reasons.run(None, check_eligibility, record)
    absent = frozenset(e for e in EXTENSIONS if e not in columns)
    if reasons.items:
        return Parsed(number, service_id, None, reasons.items, absent)
    return Parsed(number, service_id, record, [], absent)


def read_csv(data: bytes) -> list[Parsed]:
    required = [c for c in COLUMNS if c not in OPTIONAL]
    header, rows = read_rows(data, required, (*COLUMNS, *EXTENSIONS))
    columns = set(header)
    return [
        Parsed(number, row_id, None, ["more cells than columns"])
        if row is None
        else parse_row(row, number, columns)
        for number, row, row_id in rows
    ]


def _number(value: float | None) -> str:
    return "" if value is None else repr(value)


def write_csv(records: list[ServiceRecord]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for record in sorted(records, key=lambda r: r.id):
        place = record.place or Place(record.id)
        writer.writerow(
            [
                record.id,
                record.name,
                record.organization,
                ";".join(record.categories),
                place.district,
                place.address,
                _number(place.latitude),
                _number(place.longitude),
                record.phone,
                record.opening_hours,
                ";".join(record.languages),
                record.description("tr"),
                record.description("ar"),
                record.description("en"),
                record.description("fa"),
                record.eligibility,
                "yes" if record.free else "no",
                "yes" if record.referral_required else "no",
                record.last_verified.isoformat() if record.last_verified else "",
            ]
        )
    return out.getvalue()


__all__ = ["COLUMNS", "FileError", "Parsed", "RecordError", "read_csv", "write_csv"]

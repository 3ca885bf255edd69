"""HSDS-shaped JSON and YAML: Open Referral HSDS 3.0 services, as a partner exports them.

A file is a list of service objects, or an object with a `services` list, in
the "compiled" shape: each service carries its `organization`, `phones`,
`schedules`, `languages`, `service_at_locations` (each with its `location`
and `addresses`) and `attributes`. How this project's fields map:

- categories: `attributes[].taxonomy_term.code` of the taxonomy
  `helpline-service-category` (the contract's `service_category` values);
- opening hours: a schedule's `description` in OpenStreetMap syntax; a
  partner's weekly rows (`freq: WEEKLY`, `byday`, `opens_at`, `closes_at`)
  are turned into that syntax when there is none;
- district: the address's `region` (the ilçe); `city`, the province, is written
  from an address ending in `District/Province` and not read back;
- last verified: `assured_date`; free: `fees_description` `free`/`paid`;
  referral needed: `application_process` `referral required`;
- descriptions in other languages, gender and legal status, which HSDS has no
  field for: `x_descriptions` ({language: text}) and `x_eligibility`.

Every object goes through the same checks as a CSV row (`records.py`).
"""

from __future__ import annotations

import json
from typing import Any

import yaml as pyyaml

from bot.services.csvfile import FileError, Parsed
from bot.services.records import (
    Place,
    Reasons,
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
)

TAXONOMY = "helpline-service-category"
TIMEZONE = "Europe/Istanbul"
DAYS = {"MO": "Mo", "TU": "Tu", "WE": "We", "TH": "Th", "FR": "Fr", "SA": "Sa", "SU": "Su"}


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _weekly_hours(schedules: list[dict[str, Any]]) -> str:
    """`Mo,Tu 09:00-17:00; Sa 10:00-13:00` from HSDS weekly rows (others are left out)."""
    rules = []
    for row in schedules:
        if _text(row.get("freq")).upper() not in ("", "WEEKLY"):
            continue
        days = [DAYS.get(d.strip().upper(), "") for d in _text(row.get("byday")).split(",")]
        opens, closes = _text(row.get("opens_at"))[:5], _text(row.get("closes_at"))[:5]
        if all(days) and days and opens and closes:
            rules.append(f"{','.join(days)} {opens}-{closes}")
    return "; ".join(rules)


def _hours(service: dict[str, Any]) -> str:
    schedules = [s for s in service.get("schedules") or [] if isinstance(s, dict)]
    for schedule in schedules:
        if _text(schedule.get("description")):
            return _text(schedule.get("description"))
    return _weekly_hours(schedules)


def _places(service: dict[str, Any], reasons: Reasons) -> tuple[Place, ...]:
    places = []
    for link in service.get("service_at_locations") or []:
        location = (link or {}).get("location") or {}
        if not isinstance(location, dict):
            continue
        addresses = [a for a in location.get("addresses") or [] if isinstance(a, dict)]
        address = addresses[0] if addresses else {}
        lat = reasons.run(None, parse_coordinate, _text(location.get("latitude")), "latitude")
        lon = reasons.run(None, parse_coordinate, _text(location.get("longitude")), "longitude")
        place = Place(
            id=_text(location.get("id")) or _text(service.get("id")),
            district=_text(address.get("region")),
            address=_text(address.get("address_1")),
            latitude=lat,
            longitude=lon,
            name=_text(location.get("name")),
        )
        places.append(reasons.run(place, check_place, place))
    return tuple(places)


def parse_service(service: Any, number: int) -> Parsed:
    if not isinstance(service, dict):
        return Parsed(number, "", None, ["a service must be an object"])
    reasons = Reasons()
    service_id, name = _text(service.get("id")), _text(service.get("name"))
    if not service_id:
        reasons.items.append("missing id")
    if not name:
        reasons.items.append("missing name")
    codes = [
        _text((a.get("taxonomy_term") or {}).get("code"))
        for a in service.get("attributes") or []
        if isinstance(a, dict)
        and _text((a.get("taxonomy_term") or {}).get("taxonomy")) in ("", TAXONOMY)
    ]
    nothing: tuple[str, ...] = ()
    categories = reasons.run(nothing, check_categories, codes)
    phones = tuple(
        reasons.run("", normalise_phone, _text(p.get("number")))
        for p in service.get("phones") or []
        if isinstance(p, dict) and _text(p.get("number"))
    )
    languages = reasons.run(
        nothing,
        check_languages,
        [
            _text(lang.get("code"))
            for lang in service.get("languages") or []
            if isinstance(lang, dict)
        ],
    )
    texts = service.get("x_descriptions") or {}
    descriptions = (
        {k: _text(v) for k, v in texts.items() if _text(v)} if isinstance(texts, dict) else {}
    )
    if "en" not in descriptions and _text(service.get("description")):
        descriptions["en"] = _text(service.get("description"))
    eligibility = service.get("x_eligibility") or {}
    organization = service.get("organization") or {}
    record = ServiceRecord(
        id=service_id,
        name=name,
        categories=categories,
        organization=_text(organization.get("name")) if isinstance(organization, dict) else "",
        places=_places(service, reasons),
        phones=phones,
        opening_hours=reasons.run("", check_hours, _hours(service)),
        languages=languages,
        descriptions=tuple(sorted(descriptions.items())),
        eligibility=_text(service.get("eligibility_description")),
        minimum_age=reasons.run(None, parse_age, _text(service.get("minimum_age")), "minimum_age"),
        maximum_age=reasons.run(None, parse_age, _text(service.get("maximum_age")), "maximum_age"),
        gender=_text(eligibility.get("gender")).lower() or None,
        legal_status=tuple(_text(s) for s in eligibility.get("legal_status") or [] if _text(s)),
        free=_text(service.get("fees_description")).lower() != "paid",
        referral_required="referral" in _text(service.get("application_process")).lower(),
        last_verified=reasons.run(None, parse_date, _text(service.get("assured_date"))),
    )
    reasons.run(None, check_eligibility, record)
    if reasons.items:
        return Parsed(number, service_id, None, reasons.items)
    return Parsed(number, service_id, record)


def read_hsds(data: bytes, *, yaml: bool) -> list[Parsed]:
    try:
        text = data.decode("utf-8-sig")
        document = pyyaml.safe_load(text) if yaml else json.loads(text)
    except (UnicodeDecodeError, ValueError, pyyaml.YAMLError) as exc:
        raise FileError(f"not valid {'YAML' if yaml else 'JSON'}: {exc}") from exc
    services = document.get("services") if isinstance(document, dict) else document
    if not isinstance(services, list):
        raise FileError("expected a list of HSDS services, or an object with `services`")
    return [parse_service(service, number) for number, service in enumerate(services, start=1)]


def to_hsds(record: ServiceRecord) -> dict[str, Any]:
    from bot.services.store import organization_id

    sid = record.id
    return {
        "id": sid,
        "name": record.name,
        "description": record.description("en") or record.description("tr"),
        "status": "active",
        "organization": (
            {"id": organization_id(record.organization), "name": record.organization}
            if record.organization
            else None
        ),
        "eligibility_description": record.eligibility,
        "minimum_age": record.minimum_age,
        "maximum_age": record.maximum_age,
        "fees_description": "free" if record.free else "paid",
        "application_process": "referral required" if record.referral_required else "",
        "assured_date": record.last_verified.isoformat() if record.last_verified else None,
        "attributes": [
            {"id": f"{sid}-category-{n}", "taxonomy_term": {"code": code, "taxonomy": TAXONOMY}}
            for n, code in enumerate(record.categories)
        ],
        "phones": [{"id": f"{sid}-phone-{n}", "number": p} for n, p in enumerate(record.phones)],
        "schedules": (
            [{"id": f"{sid}-hours", "timezone": TIMEZONE, "description": record.opening_hours}]
            if record.opening_hours
            else []
        ),
        "languages": [{"id": f"{sid}-language-{code}", "code": code} for code in record.languages],
        "service_at_locations": [
            {
                "id": f"{sid}-at-{place.id}",
                "location": {
                    "id": place.id,
                    "name": place.name,
                    "location_type": "physical",
                    "latitude": place.latitude,
                    "longitude": place.longitude,
                    "addresses": [
                        {
                            "id": f"{place.id}-address",
                            "address_1": place.address,
                            "city": place.address.rsplit("/", 1)[1] if "/" in place.address else "",
                            "region": place.district,
                            "country": "TR",
                            "address_type": "physical",
                        }
                    ],
                },
            }
            for place in record.places
        ],
        "x_descriptions": dict(record.descriptions),
        "x_eligibility": {"gender": record.gender, "legal_status": list(record.legal_status)},
    }


def write_hsds(records: list[ServiceRecord], *, yaml: bool) -> str:
    document = {"services": [to_hsds(r) for r in sorted(records, key=lambda r: r.id)]}
    if yaml:
        return pyyaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"

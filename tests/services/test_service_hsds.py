"""HSDS-shaped JSON and YAML: export, import, round trip, a partner's file checked row by row."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml

from bot.services.hsds import TAXONOMY, read_hsds
from tests.services.support import SAMPLE, helpline

PARTNER = {
    "services": [
        {
            "id": "partner-legal-1",
            "name": "Partner Legal Clinic",
            "description": "Free legal advice for refugees.",
            "organization": {"id": "partner", "name": "Partner Association"},
            "eligibility_description": "Adults",
            "minimum_age": 18,
            "assured_date": "2026-11-01",
            "fees_description": "free",
            "attributes": [{"taxonomy_term": {"code": "legal", "taxonomy": TAXONOMY}}],
            "phones": [{"number": "0212 000 77 77"}],
            "schedules": [
                {"freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR", "opens_at": "09:00:00",
                 "closes_at": "17:00:00"},
                {"freq": "WEEKLY", "byday": "SA", "opens_at": "10:00", "closes_at": "13:00"},
            ],
            "languages": [{"name": "Arabic", "code": "ar"}, {"name": "Turkish", "code": "tr"}],
            "service_at_locations": [
                {"location": {"id": "partner-office", "latitude": 41.03, "longitude": 28.68,
                              "addresses": [{"address_1": "Örnek Sk. 1", "region": "Esenyurt",
                                             "city": "İstanbul", "country": "TR"}]}}
            ],
        }
    ]
}  # fmt: skip


@pytest.mark.parametrize("as_yaml", [False, True])
def test_hsds_export_then_import_into_an_empty_map_gives_the_same_map(
    database_url: str, tmp_path: Path, as_yaml: bool
) -> None:
    assert helpline(database_url, "services", "import", str(SAMPLE)).exit_code == 0
    args = ["services", "export", "--format", "hsds", *(["--yaml"] if as_yaml else [])]
    exported = helpline(database_url, *args)
    assert exported.exit_code == 0
    document = yaml.safe_load(exported.stdout) if as_yaml else json.loads(exported.stdout)
    first = document["services"][0]
    assert {"id", "name", "organization", "phones", "schedules", "languages",
            "service_at_locations", "attributes"} <= set(first)  # fmt: skip
    path = tmp_path / ("map.yaml" if as_yaml else "map.json")
    path.write_text(exported.stdout, encoding="utf-8")
    again = helpline(database_url, "services", "import", str(path))
    assert again.exit_code == 0
    assert again.stdout.splitlines()[-1].startswith("0 added, 0 changed, 43 unchanged")
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    loaded = helpline(fresh, "services", "import", str(path))
    assert loaded.exit_code == 0 and "43 added" in loaded.stdout
    assert helpline(fresh, "services", "export").stdout == SAMPLE.read_text(encoding="utf-8")


def test_a_partners_hsds_file_loads_with_its_weekly_schedule_as_opening_hours(
    database_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "partner.json"
    path.write_text(json.dumps(PARTNER), encoding="utf-8")
    result = helpline(database_url, "services", "import", str(path))
    assert result.exit_code == 0, result.stdout
    assert result.stdout.splitlines()[0] == "row 1 partner-legal-1: added"
    exported = helpline(database_url, "services", "export").stdout
    [row] = [r for r in csv.DictReader(io.StringIO(exported)) if r["id"] == "partner-legal-1"]
    assert row["opening_hours"] == "Mo,Tu,We,Th,Fr 09:00-17:00; Sa 10:00-13:00"
    assert (row["district"], row["address"], row["latitude"]) == (
        "Esenyurt",
        "Örnek Sk. 1",
        "41.03",
    )
    assert (row["phone"], row["languages"], row["categories"]) == (
        "+902120007777",
        "ar;tr",
        "legal",
    )
    assert (row["organization"], row["last_verified"], row["free"]) == (
        "Partner Association", "2026-11-01", "yes",
    )  # fmt: skip
    assert row["description_en"] == "Free legal advice for refugees."


def test_a_bad_hsds_file_is_rejected_object_by_object_and_nothing_is_applied(
    database_url: str, tmp_path: Path
) -> None:
    good = PARTNER["services"][0]
    bad_phone = {**good, "id": "p2", "phones": [{"number": "12ab"}]}
    bad_category = {**good, "id": "p3", "attributes": [{"taxonomy_term": {"code": "lawyers"}}]}
    outside = {**good, "id": "p4", "service_at_locations": [
        {"location": {"id": "x", "latitude": 48.85, "longitude": 2.35}}]}  # fmt: skip
    hours = {**good, "id": "p5", "schedules": [{"description": "Mo-Fr 25:00-26:00"}]}
    nameless = {**good, "id": "p6", "name": ""}
    path = tmp_path / "bad.yaml"
    path.write_text(
        yaml.safe_dump(
            {"services": [good, bad_phone, bad_category, outside, hours, nameless, good]},
            allow_unicode=True,
        ),
        encoding="utf-8",
    )  # fmt: skip
    result = helpline(database_url, "services", "import", str(path))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "row 1 partner-legal-1: added"
    for line, reason in zip(
        lines[1:7],
        ["bad phone '12ab'", "unknown category 'lawyers'", "coordinates outside Turkey",
         "impossible hours", "missing name", "duplicate id (also row 1)"],
        strict=True,
    ):  # fmt: skip
        assert ": rejected: " in line and reason in line, line
    assert lines[-1].endswith("nothing applied (fix the rejected rows and import again)")
    assert helpline(database_url, "services", "export").stdout.count("\n") == 1  # header only


def test_hsds_needs_a_list_of_services() -> None:
    from bot.services.csvfile import FileError

    with pytest.raises(FileError, match="list of HSDS services"):
        read_hsds(b'{"organizations": []}', yaml=False)
    with pytest.raises(FileError, match="not valid JSON"):
        read_hsds(b"{", yaml=False)

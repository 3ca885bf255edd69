"""`helpline services search` and the look-up behind it, on the sample map, with a fixed clock.

The clock: Thursday 3 December 2026 11:00 in Istanbul (a working day), Sunday
6 December 22:00 (night), Thursday 29 October 2026 11:00 (Republic Day, a
public holiday).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime

import pytest

from bot.services.csvfile import read_csv
from bot.services.directory import neighbours, search
from bot.services.hours import ISTANBUL, Hours
from bot.services.importer import import_parsed
from bot.services.records import flat_record
from bot.services.store import put
from bot.storage.db import Database
from tests.services.support import ROOT, SAMPLE

WEEKDAY = datetime(2026, 12, 3, 11, 0, tzinfo=ISTANBUL)
SUNDAY_NIGHT = datetime(2026, 12, 6, 22, 0, tzinfo=ISTANBUL)
REPUBLIC_DAY = datetime(2026, 10, 29, 11, 0, tzinfo=ISTANBUL)
ESENYURT = (41.0343, 28.6801)


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    database.migrate()
    with database.transaction() as session:
        report = import_parsed(session, read_csv(SAMPLE.read_bytes()), "test")
    assert report.applied and not report.rejected
    yield database
    database.dispose()


def ids(db: Database, **query: object) -> list[str]:
    with db.transaction() as session:
        return [f.record.id for f in search(session, **query)]  # type: ignore[arg-type]


def test_the_command_prints_the_contracts_json(db: Database, database_url: str) -> None:
    env = {**os.environ, "HELPLINE_DATABASE_URL": database_url, "HELPLINE_SECRET_KEY": "t"}
    args = ["services", "search", "--category", "legal", "--district", "Esenyurt",
            "--language", "ar", "--open-now", "--at", "2026-12-03T11:00:00+03:00",
            "--limit", "3", "--json"]  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-c", "from bot.cli import main; main()", *args],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert [s["id"] for s in found] == [
        "sample-esenyurt-legalngo",  # legal first, Arabic spoken, in Esenyurt
        "sample-beylikduzu-legalngo",  # Arabic spoken, next door
        "sample-bagcilar-legalngo",  # Arabic spoken, farther: language before place
    ]
    first = found[0]
    assert {"id", "name", "categories", "district", "phone", "distance_km", "open_now"} <= set(
        first
    )
    assert first["categories"] == ["legal", "registration"] and first["district"] == "Esenyurt"
    assert first["phone"].startswith("+90212000") and first["distance_km"] is None
    assert all(s["open_now"] is True for s in found)
    near = subprocess.run(
        [sys.executable, "-c", "from bot.cli import main; main()", "services", "search",
         "--category", "health", "--near", "41.0343,28.6801", "--limit", "2", "--json"],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=120,
    )  # fmt: skip
    distances = [s["distance_km"] for s in json.loads(near.stdout)]
    assert len(distances) == 2 and 0 < distances[0] < distances[1] < 10


def test_category_filters_and_the_main_category_comes_first(db: Database) -> None:
    with db.transaction() as session:
        found = search(session, category="legal", limit=50)
    assert all("legal" in f.record.categories for f in found)
    mains = [f.record.categories[0] == "legal" for f in found]
    assert mains == sorted(mains, reverse=True)  # every main-legal one before the rest


def test_a_district_orders_it_then_its_neighbours_then_the_rest(db: Database) -> None:
    found = ids(db, category="health", district="esenyurt", limit=50)  # any case, folded
    assert found[0] == "sample-esenyurt-health"
    assert found.index("sample-avcilar-health") < found.index("sample-fatih-health")
    # no location: after every place whose main category is health
    assert found.index("national-112") > found.index("sample-fatih-health")
    assert found[-1].endswith("-disab")  # health is its second category
    assert "avcilar" in neighbours()["esenyurt"] and "esenyurt" in neighbours()["avcilar"]


def test_the_persons_language_ranks_before_the_district(db: Database) -> None:
    farsi = ids(db, category="psychosocial", district="Avcılar", language="fa", limit=3)
    assert farsi[0] == "sample-avcilar-pss"
    # issue 10's order: category, language, then place; Arabic-speaking legal
    # services anywhere come before the Esenyurt bar's legal aid, which has no Arabic
    arabic = ids(db, category="legal", district="Esenyurt", language="ar", limit=50)
    assert arabic.index("sample-bagcilar-legalngo") < arabic.index("sample-esenyurt-bar")
    with db.transaction() as session:
        near = search(session, category="legal", near=ESENYURT, language="ar", limit=50)
    mains = [f for f in near if f.record.categories[0] == "legal"]
    speaks = ["ar" in f.record.languages for f in mains]
    assert speaks == sorted(speaks, reverse=True)  # every Arabic one before the rest
    # legal is the Fatih women's centre's third category: the legal clinic comes first
    assert ids(db, category="legal", district="Fatih", language="en", limit=1) == [
        "sample-fatih-legalngo"
    ]


def test_near_a_location_the_nearest_come_first(db: Database) -> None:
    with db.transaction() as session:
        found = search(session, category="legal", near=ESENYURT, limit=50)
    distances = [f.distance_km for f in found if f.distance_km is not None]
    nearby = [f for f in found if f.distance_km is not None and f.distance_km <= 10]
    assert nearby and all(f.place is not None for f in nearby)
    assert found[-1].distance_km is None  # national lines last
    arabic = [
        f.distance_km
        for f in nearby
        if "ar" in f.record.languages and f.record.categories[0] == "legal"
    ]
    assert arabic == sorted(arabic) and len(distances) >= len(nearby)


def test_open_now_on_a_weekday_on_sunday_night_and_on_a_public_holiday(db: Database) -> None:
    weekday = ids(db, category="health", open_now=True, at=WEEKDAY, limit=50)
    assert "sample-esenyurt-health" in weekday and "national-112" in weekday
    assert ids(db, category="health", open_now=True, at=SUNDAY_NIGHT, limit=50) == ["national-112"]
    holiday = ids(db, category="health", open_now=True, at=REPUBLIC_DAY, limit=50)
    assert holiday == ["national-112"]  # Mo-Fr hours without a PH rule: closed on 29 October
    with db.transaction() as session:
        [clinic] = search(session, category="health", district="Esenyurt", at=REPUBLIC_DAY, limit=1)
        holidays_too = "Mo-Fr 08:00-17:00; PH 10:00-12:00"
        record = flat_record(
            "open-on-holidays", "Nöbetçi Klinik", ["health"], district="Esenyurt",
            opening_hours=holidays_too, languages=["tr"],
        )  # fmt: skip
        put(session, record, "test")
    assert clinic.open_now is False and clinic.opens_at == datetime(
        2026, 10, 30, 8, tzinfo=ISTANBUL
    )
    holiday = ids(db, category="health", open_now=True, at=REPUBLIC_DAY, limit=50)
    assert holiday == ["open-on-holidays", "national-112"]  # the map changed: seen at once
    with db.transaction() as session:
        [open_one] = search(session, category="health", open_now=True, at=REPUBLIC_DAY, limit=1)
    assert open_one.closes_at == datetime(2026, 10, 29, 12, tzinfo=ISTANBUL)


def test_hours_skip_a_holiday_when_telling_the_next_opening() -> None:
    hours = Hours("Mo-Fr 08:00-17:00")
    evening = datetime(2026, 10, 28, 18, 0, tzinfo=ISTANBUL)
    assert hours.next_opening(evening) == datetime(2026, 10, 30, 8, tzinfo=ISTANBUL)
    assert Hours("Mo-Fr 08:00-17:00; PH off").is_open(REPUBLIC_DAY) is False
    assert Hours("24/7").is_open(SUNDAY_NIGHT) and Hours("24/7").is_open(REPUBLIC_DAY)
    night = Hours("Mo-Su 20:00-02:00")
    assert night.closes_at(datetime(2026, 10, 28, 23, tzinfo=ISTANBUL)) == datetime(
        2026, 10, 29, 0, tzinfo=ISTANBUL
    )  # the holiday starts at midnight


def test_a_service_not_verified_for_six_months_is_marked_or_hidden(db: Database) -> None:
    with db.transaction() as session:
        found = search(session, limit=100, at=WEEKDAY)
        stale = {f.record.id for f in found if f.stale}
        hidden = {f.record.id for f in search(session, limit=100, at=WEEKDAY, hide_stale=True)}
    assert stale and all(f.record.last_verified is not None for f in found if f.stale)
    assert not stale & hidden and len(hidden) == len(found) - len(stale)


def test_the_questions_offer_only_what_the_map_has(database_url: str) -> None:
    from bot.engine.flows import load_flows
    from bot.services.offers import offered

    steps = {s.slot: s for s in load_flows(ROOT / "flows")["find_service"].steps if s.slot}
    database = Database(database_url)
    database.migrate()
    with database.transaction() as session:
        put(session, flat_record("a", "A", ["legal"], district="Fatih"), "test")
        put(session, flat_record("b", "B", ["health", "legal"], district="Avcılar"), "test")
        kinds = offered(session, steps["service_category"], {})
        legal = offered(session, steps["district"], {"service_category": "legal"})
        health = offered(session, steps["district"], {"service_category": "health"})
    database.dispose()
    values = [c.value for c in steps["service_category"].choices]
    assert [values[i] for i in kinds] == ["health", "legal"]
    districts = [c.value for c in steps["district"].choices]
    assert [districts[i] for i in legal] == ["Avcılar", "Fatih", "any"]
    assert [districts[i] for i in health] == ["Avcılar", "any"]

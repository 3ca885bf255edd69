"""`helpline services import/export`: the contract's CSV, all or nothing, round trip."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import select, text

from bot.services import store
from bot.services.csvfile import COLUMNS
from bot.services.records import RecordError, normalise_phone
from bot.storage.db import Database, alembic_config
from bot.storage.service_models import Location, Phone, Service, ServiceChange
from tests.services.support import SAMPLE, helpline

NATIONAL = {"national-112": "112", "national-alo-183": "183", "national-yimer-157": "157",
            "national-alo-144": "144"}  # fmt: skip


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_rows(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_the_sample_map_imports_cleanly_and_a_round_trip_changes_nothing(
    database_url: str, tmp_path: Path
) -> None:
    first = helpline(database_url, "services", "import", str(SAMPLE), by="coordination-meeting")
    assert first.exit_code == 0, first.stdout
    sample = rows_of(SAMPLE)
    assert (
        first.stdout.splitlines()[-1]
        == f"{len(sample)} added, 0 changed, 0 unchanged, 0 rejected: applied"
    )
    exported = helpline(database_url, "services", "export")
    assert exported.exit_code == 0
    assert exported.stdout == SAMPLE.read_text(encoding="utf-8")  # the sample is in export form
    again = tmp_path / "again.csv"
    again.write_text(exported.stdout, encoding="utf-8")
    second = helpline(database_url, "services", "import", str(again))
    assert second.exit_code == 0
    assert second.stdout.splitlines()[-1].startswith(f"0 added, 0 changed, {len(sample)} unchanged")
    assert helpline(database_url, "services", "export").stdout == exported.stdout
    db = Database(database_url)
    with db.transaction() as session:
        changes = session.scalars(select(ServiceChange)).all()
        assert len(changes) == len(sample)  # the unchanged import wrote nothing
        assert {c.by for c in changes} == {"coordination-meeting"}
        assert {c.action for c in changes} == {"added"}
        records = {r.id: r for r in store.all_records(session)}
    db.dispose()
    districts = {r["district"] for r in sample} - {""}
    assert districts == {"Esenyurt", "Avcılar", "Beylikdüzü", "Küçükçekmece", "Bağcılar",
                         "Başakşehir", "Fatih"}  # fmt: skip
    assert {sid: records[sid].phone for sid in NATIONAL} == NATIONAL
    invented = [r for r in sample if r["id"] not in NATIONAL]
    assert all(r["id"].startswith("sample-") and "(örnek)" in r["name"] for r in invented)
    assert all(r["phone"].startswith("+90212000") for r in invented)
    assert all(r[f"description_{lang}"] for r in sample for lang in ("tr", "ar", "en", "fa"))


def test_a_malformed_spreadsheet_is_rejected_row_by_row_and_nothing_is_applied(
    database_url: str, tmp_path: Path
) -> None:
    assert helpline(database_url, "services", "import", str(SAMPLE)).exit_code == 0
    sample = rows_of(SAMPLE)
    good = dict(sample[0], phone="+902120009999")  # a real change, but must not be applied
    bad = [
        dict(sample[1], categories="legal;lawyers"),
        dict(sample[2], phone="12ab"),
        dict(sample[3], opening_hours="Mo-Fr 25:00-26:00"),
        dict(sample[4], latitude="48.85", longitude="2.35"),  # Paris
        dict(sample[5], latitude="", longitude=""),  # an address without coordinates
        dict(sample[6], name=""),
        dict(sample[7], id=sample[1]["id"]),
        dict(sample[8], categories="health", phone="0", free="maybe"),
    ]
    path = write_rows(tmp_path / "bad.csv", [good, *bad])
    result = helpline(database_url, "services", "import", str(path))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == f"row 2 {good['id']}: changed (phones)"
    expected = [
        (3, "unknown category 'lawyers'"),
        (4, "bad phone '12ab'"),
        (5, "impossible hours 'Mo-Fr 25:00-26:00'"),
        (6, "coordinates outside Turkey (48.85, 2.35)"),
        (7, "missing coordinates for the address"),
        (8, "missing name"),
        (9, "duplicate id (also row 3)"),
        (10, "bad phone '0'"),
    ]
    for (row, reason), line in zip(expected, lines[1:], strict=False):
        assert line.startswith(f"row {row} ") and ": rejected: " in line and reason in line, line
    assert "free must be yes or no, not 'maybe'" in lines[8]
    assert (
        lines[-1] == "0 added, 1 changed, 0 unchanged, 8 rejected: nothing applied"
        " (fix the rejected rows and import again)"
    )
    assert helpline(database_url, "services", "export").stdout == SAMPLE.read_text(encoding="utf-8")


def test_a_file_with_a_wrong_header_is_refused_whole(database_url: str, tmp_path: Path) -> None:
    path = tmp_path / "header.csv"
    path.write_text("id,name,category\nx,y,health\n", encoding="utf-8")
    result = helpline(database_url, "services", "import", str(path))
    assert result.exit_code == 1
    assert "missing columns: organization, categories" in result.output
    assert "unknown columns: category" in result.output and "nothing applied" in result.output


def test_a_changed_row_keeps_who_changed_which_fields_and_when(
    database_url: str, tmp_path: Path
) -> None:
    sample = rows_of(SAMPLE)
    helpline(database_url, "services", "import", str(SAMPLE), by="first")
    moved = dict(sample[0], phone="0212 000 99 99", opening_hours="Mo-Sa 09:00-18:00")
    path = write_rows(tmp_path / "one.csv", [moved])
    result = helpline(database_url, "services", "import", str(path), by="partner-x")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == f"row 2 {moved['id']}: changed (phones, opening_hours)"
    db = Database(database_url)
    with db.transaction() as session:
        change = session.scalars(select(ServiceChange).order_by(ServiceChange.id.desc())).first()
        assert change is not None
        assert (change.by, change.service_id, change.action) == (
            "partner-x",
            moved["id"],
            "changed",
        )
        assert change.fields == ["phones", "opening_hours"] and change.at is not None
        service = session.get(Service, moved["id"])
        assert service is not None and service.updated_by == "partner-x"
        assert [p.number for p in service.phones] == ["+902120009999"]
        assert session.scalars(select(Phone).where(Phone.service_id == moved["id"])).all()
    db.dispose()


@pytest.mark.parametrize(
    ("raw", "normal"),
    [("0212 000 11 10", "+902120001110"), ("+90 (212) 000-11-10", "+902120001110"),
     ("ALO 183", "183"), ("112", "112"), ("+90 532 000 00 00", "+905320000000")],
)  # fmt: skip
def test_phones_are_normalised_to_e164_or_a_short_national_number(raw: str, normal: str) -> None:
    assert normalise_phone(raw) == normal


@pytest.mark.parametrize("raw", ["12ab", "0", "999999", "+90 212 1", "183183183183183183"])
def test_bad_phones_are_refused(raw: str) -> None:
    with pytest.raises(RecordError, match="bad phone"):
        normalise_phone(raw)


def test_migration_0008_moves_the_flat_services_into_the_hsds_tables(database_url: str) -> None:
    from alembic import command

    db = Database(database_url)
    with db.engine.begin() as connection:
        config = alembic_config(database_url)
        config.attributes["connection"] = connection
        command.upgrade(config, "0007")
        connection.execute(
            text(
                "INSERT INTO services (id, name, organization, categories, district, address, "
                "latitude, longitude, phone, opening_hours, languages, descriptions, eligibility, "
                "free, referral_required, updated_at) VALUES ('old-1', 'Old Clinic', 'Old Org', "
                "'[\"health\"]', 'Fatih', 'Aksaray', 41.01, 28.94, '+902120000001', "
                "'Mo-Fr 09:00-17:00', '[\"tr\", \"ar\"]', '{\"en\": \"A clinic.\"}', 'Anyone', "
                ":yes, :no, CURRENT_TIMESTAMP)"
            ),
            {"yes": True, "no": False},
        )
    db.migrate()
    with db.transaction() as session:
        [record] = store.all_records(session)
        assert session.get(Location, "old-1") is not None
    db.dispose()
    assert (record.name, record.organization, record.categories) == (
        "Old Clinic",
        "Old Org",
        ("health",),
    )
    assert record.place is not None and (record.place.district, record.place.latitude) == (
        "Fatih",
        41.01,
    )
    assert (record.phone, record.opening_hours, record.languages) == (
        "+902120000001",
        "Mo-Fr 09:00-17:00",
        ("tr", "ar"),
    )
    assert (record.description("en"), record.eligibility) == ("A clinic.", "Anyone")
    with db.engine.begin() as connection:  # and back: the first location, phone, hours
        config = alembic_config(database_url)
        config.attributes["connection"] = connection
        command.downgrade(config, "0007")
        row = connection.execute(
            text(
                "SELECT organization, district, latitude, phone, opening_hours, languages "
                "FROM services"
            )
        ).one()
    db.dispose()
    assert tuple(row[:5]) == ("Old Org", "Fatih", 41.01, "+902120000001", "Mo-Fr 09:00-17:00")


def test_make_run_loads_the_sample_only_into_an_empty_map(database_url: str) -> None:
    first = helpline(database_url, "services", "import", "--if-empty", str(SAMPLE))
    assert first.exit_code == 0 and "applied" in first.stdout
    again = helpline(database_url, "services", "import", "--if-empty", str(SAMPLE))
    assert again.stdout.strip() == "the service map has services already: nothing imported"
    makefile = (SAMPLE.parent.parent / "Makefile").read_text(encoding="utf-8")
    assert "services import --if-empty --by sample data/services-sample.csv" in makefile


def test_the_migrations_give_exactly_the_service_map_models(database_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from bot.storage.models import Base

    ours = {
        mapper.class_.__tablename__
        for mapper in Base.registry.mappers
        if mapper.class_.__module__ == "bot.storage.service_models"
    }
    db = Database(database_url)
    db.migrate()
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    db.dispose()
    assert len(ours) == 9
    assert [d for d in differences if any(table in repr(d) for table in ours)] == []


def test_a_referral_the_person_made_goes_after_the_referral_period(database_url: str) -> None:
    from datetime import UTC, datetime, timedelta

    from bot.cases import referrals
    from bot.privacy.retention import purge
    from bot.services.records import flat_record
    from bot.settings import load_settings
    from bot.storage.service_models import Referral

    retention = load_settings(SAMPLE.parent.parent / "config.yml").privacy.retention
    now = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    db = Database(database_url)
    db.migrate()
    with db.transaction() as session:
        store.put(session, flat_record("s1", "Clinic", ["health"], organization="Org"), "t")
        session.flush()
        for days in (retention.referrals_days + 1, retention.referrals_days - 1):
            kept = referrals.record(session, "s1", source="bot")
            kept.created_at = now - timedelta(days=days)
    with db.transaction() as session:
        counts = purge(session, retention, now)
    with db.transaction() as session:
        left = session.scalars(select(Referral)).all()
        summary = referrals.summary(session)
    db.dispose()
    assert counts["referrals"] == 1 and len(left) == 1
    assert summary["by_provider"] == [
        {"provider": "Org", "services": ["s1"], "referrals": 1, "outcomes": {"pending": 1}}
    ]
    assert summary["referrals_by_source"] == {"bot": 1}

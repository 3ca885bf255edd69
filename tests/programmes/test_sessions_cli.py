"""`helpline sessions import/list` exactly as CONTRACT.md sections 1 and 7 say."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from bot.storage.db import Database
from bot.storage.programme_models import ProgrammeSession
from tests.programmes.support import (
    ROOT,
    SERVICES_SAMPLE,
    SESSIONS_SAMPLE,
    helpline,
    session_row,
    write_sessions,
)


def with_map(database_url: str) -> None:
    assert helpline(database_url, "services", "import", str(SERVICES_SAMPLE)).exit_code == 0


def listed(database_url: str, *options: str) -> list[dict[str, object]]:
    result = helpline(database_url, "sessions", "list", *options, "--json")
    assert result.exit_code == 0, result.output
    found: list[dict[str, object]] = json.loads(result.stdout)
    return found


def test_the_sample_imports_once_like_make_run_does(database_url: str) -> None:
    with_map(database_url)
    first = helpline(database_url, "sessions", "import", "--if-empty", "--by", "sample",
                     str(SESSIONS_SAMPLE))  # fmt: skip
    assert first.exit_code == 0, first.output
    rows = SESSIONS_SAMPLE.read_text(encoding="utf-8").strip().splitlines()[1:]
    assert first.stdout.splitlines()[-1] == (
        f"{len(rows)} added, 0 changed, 0 unchanged, 0 rejected: applied"
    )
    again = helpline(database_url, "sessions", "import", "--if-empty", str(SESSIONS_SAMPLE))
    assert again.stdout.strip() == "there are sessions already: nothing imported"
    same = helpline(database_url, "sessions", "import", str(SESSIONS_SAMPLE))
    assert same.stdout.splitlines()[-1].startswith(f"0 added, 0 changed, {len(rows)} unchanged")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "sessions import --if-empty --by sample data/sessions-sample.csv" in makefile
    assert makefile.index("services import --if-empty") < makefile.index("sessions import")
    db = Database(database_url)
    with db.transaction() as session:
        online = session.get(ProgrammeSession, "sample-pss-group-online-fa-1")
        assert online is not None and online.service_id is None
        assert {r.updated_by for r in session.scalars(select(ProgrammeSession))} == {"sample"}
    db.dispose()


def test_import_is_all_or_nothing_with_a_row_by_row_report(
    database_url: str, tmp_path: Path
) -> None:
    with_map(database_url)
    rows = [
        session_row("good-1"),
        session_row("no-offset", starts_at="2027-01-12T10:00:00"),
        session_row("nowhere", service_id="no-such-service"),
        session_row("upside-down", min_age="12", max_age="6", programme="yoga", capacity="0"),
        session_row("good-1", days=4),
    ]
    result = helpline(
        database_url, "sessions", "import", str(write_sessions(tmp_path / "s.csv", rows))
    )
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "row 2 good-1: added"
    assert lines[1].startswith("row 3 no-offset: rejected: starts_at: the offset is missing")
    assert lines[2] == (
        "row 4 nowhere: rejected: service_id 'no-such-service' is not a service of the map"
    )
    assert lines[3].startswith("row 5 upside-down: rejected: programme: one of parenting")
    assert "min_age is above max_age" in lines[3] and "capacity" in lines[3]
    assert lines[4] == "row 6 good-1: rejected: duplicate id (also row 2)"
    assert lines[5].endswith("4 rejected: nothing applied (fix the rejected rows and import again)")
    assert listed(database_url) == []
    bad_header = tmp_path / "bad.csv"
    bad_header.write_text("id,programme\nx,parenting\n", encoding="utf-8")
    refused = helpline(database_url, "sessions", "import", str(bad_header))
    assert refused.exit_code != 0 and "missing columns: title_tr" in refused.output


def test_list_gives_upcoming_sessions_that_fit_soonest_first(
    database_url: str, tmp_path: Path
) -> None:
    with_map(database_url)
    rows = [
        session_row("parents-later", days=9),
        session_row("parents-soon", days=2, title_ar="", language="tr"),
        session_row("kids-esenyurt", days=5, programme="child_peer_support", min_age="8",
                    max_age="12", service_id="sample-esenyurt-child", district=""),
        session_row("kids-fatih", days=6, programme="club", min_age="8", max_age="12",
                    service_id="sample-fatih-health", district="Fatih"),
        session_row("kids-online", days=7, programme="resilience", min_age="9", max_age="13",
                    service_id="", district=""),
        session_row("past", days=-1, programme="club", min_age="8", max_age="12"),
    ]  # fmt: skip
    path = write_sessions(tmp_path / "s.csv", rows)
    assert helpline(database_url, "sessions", "import", str(path)).exit_code == 0
    everything = listed(database_url)
    assert [s["id"] for s in everything] == [
        "parents-soon", "kids-esenyurt", "kids-fatih", "kids-online", "parents-later",
    ]  # fmt: skip
    first = everything[0]
    assert {"id", "programme", "title", "starts_at", "places_left"} <= set(first)
    assert first["programme"] == "parenting" and first["places_left"] == 10
    assert str(first["starts_at"]).endswith("+03:00")  # Istanbul time
    assert first["title"] == "Ebeveynlik"  # the session's own language
    nine_in_esenyurt = listed(database_url, "--age", "9", "--district", "esenyurt")
    assert [s["id"] for s in nine_in_esenyurt] == ["kids-esenyurt", "kids-online"]
    assert nine_in_esenyurt[0]["district"] == "Esenyurt"  # taken from the service
    assert nine_in_esenyurt[1]["online"] is True
    arabic = listed(database_url, "--language", "ar", "--age", "30")
    assert [s["id"] for s in arabic] == ["parents-later"]
    assert arabic[0]["title"] == "التربية الإيجابية"
    assert listed(database_url, "--age", "14", "--district", "Fatih") == []


def test_the_migrations_give_exactly_the_programme_models(database_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from bot.storage.models import Base

    ours = {
        mapper.class_.__tablename__
        for mapper in Base.registry.mappers
        if mapper.class_.__module__ == "bot.storage.programme_models"
    }
    db = Database(database_url)
    db.migrate()
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    db.dispose()
    assert "programme_sessions" in ours
    assert [d for d in differences if any(table in repr(d) for table in ours)] == []

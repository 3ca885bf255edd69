"""Done when (issue 13, reports): the monthly protection-monitoring report shows no count
under 5, in the page and the CSV, and no total gives a suppressed count away."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from pathlib import Path

from starlette.testclient import TestClient

from bot.app import Helpline
from bot.programmes.catalogue import import_rows
from bot.programmes.monitoring import SUPPRESSED, Table, gather, to_csv
from bot.programmes.sessions_csv import read_csv
from bot.services.hours import ISTANBUL
from bot.services.importer import import_parsed, read_file
from bot.storage import repository
from bot.storage.programme_models import SessionSignup
from bot.web.app import build_web_app
from tests.cases.conftest import Api
from tests.console.conftest import ConsoleClient
from tests.programmes.support import SERVICES_SAMPLE, session_row, write_sessions


def visible(value: str) -> bool:
    """A printed count: '<5', 0, or 5 and more."""
    return value == SUPPRESSED or (value.isdigit() and (int(value) == 0 or int(value) >= 5))


def test_one_small_cell_takes_a_second_one_with_it_so_the_total_reveals_nothing() -> None:
    rows, total = Table("t", [("a", 9), ("b", 3), ("c", 6)]).shown()
    assert rows == [("a", "9"), ("b", SUPPRESSED), ("c", SUPPRESSED)] and total == "18"
    rows, total = Table("t", [("a", 7), ("b", 0), ("c", 2)]).shown()
    assert rows == [("a", SUPPRESSED), ("b", "0"), ("c", SUPPRESSED)] and total == "9"
    rows, total = Table("t", [("a", 3)]).shown()
    assert rows == [("a", SUPPRESSED)] and total == SUPPRESSED
    rows, total = Table("t", [("a", 2), ("b", 2), ("c", 8)]).shown()
    assert rows == [("a", SUPPRESSED), ("b", SUPPRESSED), ("c", "8")] and total == "12"
    assert Table("t", [("a", 5), ("b", 6)]).shown() == ([("a", "5"), ("b", "6")], "11")


def test_the_monthly_report_shows_no_count_under_five(helpline: Helpline) -> None:
    api = Api(helpline, TestClient(build_web_app(helpline, run_sender=False)))
    for _ in range(7):
        api.case("imminent", language="ar", category="domestic_violence")
    for _ in range(3):
        api.case("high", language="tr", category="child_abuse")
    for n in range(6):
        api.case("medium", language="tr" if n % 2 else "fa", category="basic_needs")
    month = f"{datetime.now(UTC).astimezone(ISTANBUL):%Y-%m}"
    client = ConsoleClient(helpline)
    client.login(api.staff("supervisor"))
    page = client.http.get(f"/console/monitoring?month={month}")
    assert page.status_code == 200
    counts = re.findall(
        r'data-test="monitoring-count"><bdi dir="ltr">([^<]*(?:&lt;5)?)</bdi>', page.text
    )
    counts = [c.replace("&lt;", "<") for c in counts]
    assert counts and all(visible(c) for c in counts), counts
    assert 'data-table="cases_by_category"' in page.text
    # each table is drawn too, and the bars' labels print what the table prints
    assert page.text.count('data-test="monitoring-chart"') >= 5
    chart = page.text.split('data-table="cases_by_category"')[1].split("</figure>")[0]
    labels = re.findall(r'font-size="12">([^<]+)</text>', chart)
    assert "7" in labels and labels.count("&lt;5") >= 2, labels
    assert "3" not in labels and "6" not in labels, labels
    assert 'data-table="satisfaction_ratings"' in page.text
    exported = client.http.get(f"/console/monitoring.csv?month={month}")
    assert exported.status_code == 200
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert rows and all(visible(r["count"]) for r in rows), rows
    by_category = {r["row"]: r["count"] for r in rows if r["table"] == "cases_by_category"}
    # child_abuse (3) is under 5; basic_needs (6, the next smallest) goes with it
    assert by_category == {"domestic_violence": "7", "basic_needs": SUPPRESSED,
                           "child_abuse": SUPPRESSED, "total": "16"}  # fmt: skip
    caseworker = ConsoleClient(helpline)
    caseworker.login(api.staff("caseworker"))
    assert caseworker.http.get("/console/monitoring").status_code == 403


def test_signups_attendance_and_dropout_by_language_and_district(
    helpline: Helpline, tmp_path: Path
) -> None:
    """Two sessions this month: Arabic at Esenyurt and Persian online; 6 and 7 places."""
    now = datetime.now(UTC).astimezone(ISTANBUL)
    rows = [  # started minutes ago, so in this (Istanbul) month
        session_row("m-ar", days=-2 / 1440, language="ar"),
        session_row("m-fa", days=-1 / 1440, language="fa", service_id="", district=""),
    ]
    data = write_sessions(tmp_path / "s.csv", rows).read_bytes()
    vault = helpline.vault
    with helpline.db.transaction() as session:
        assert import_parsed(session, read_file(SERVICES_SAMPLE), "test").applied
        assert import_rows(session, read_csv(data), "test").applied
        # m-ar: 6 confirmed (5 attended, 1 no-show) + 2 cancelled
        # m-fa: 7 confirmed (6 attended, 1 no-show)
        plan = [("m-ar", "confirmed", True)] * 5 + [("m-ar", "confirmed", False)]
        plan += [("m-ar", "cancelled", None)] * 2
        plan += [("m-fa", "confirmed", True)] * 6 + [("m-fa", "confirmed", False)]
        for n, (sid, status, attended) in enumerate(plan):
            contact = repository.contact_for(session, vault, "test", f"person-{n}")
            session.add(
                SessionSignup(
                    session_id=sid, contact_id=contact.id, status=status,
                    attended=attended, reminders_sent=[],
                )
            )  # fmt: skip
    with helpline.db.transaction() as session:
        report = gather(session, f"{now:%Y-%m}")
    tables = {t.name: t for t in report.tables}
    assert dict(tables["signups_by_language"].rows) == {"ar": 6, "fa": 7}
    assert dict(tables["attendance_by_language"].rows) == {"ar": 5, "fa": 6}
    assert dict(tables["dropout_by_language"].rows) == {"ar": 3, "fa": 1}
    assert dict(tables["signups_by_district"].rows) == {"Esenyurt": 6, "online": 7}
    assert dict(tables["attendance_by_district"].rows) == {"Esenyurt": 5, "online": 6}
    assert dict(tables["dropout_by_district"].rows) == {"Esenyurt": 3, "online": 1}
    assert dict(tables["dropout_by_programme"].rows) == {"parenting": 4}
    # the same suppression: 3 and 1 are under 5, and so is the total of 4
    shown, total = tables["dropout_by_district"].shown()
    assert shown == [("Esenyurt", SUPPRESSED), ("online", SUPPRESSED)] and total == SUPPRESSED
    exported = {
        (r["table"], r["row"]): r["count"] for r in csv.DictReader(io.StringIO(to_csv(report)))
    }
    assert exported[("signups_by_district", "online")] == "7"
    assert exported[("dropout_by_language", "ar")] == SUPPRESSED
    assert all(visible(v) for v in exported.values()), exported

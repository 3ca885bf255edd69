"""The supervisors' reports: five SVG charts from a seeded week of cases, "<5" for small counts
(in the page and in the CSV), and no reports for caseworkers."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from bot.app import Helpline
from bot.cases import referrals
from bot.storage.models import Case
from bot.storage.service_models import Service
from tests.cases.conftest import Api
from tests.console.conftest import ConsoleClient

CATEGORIES = ["domestic_violence", "child_abuse", "basic_needs", None]


def seed_week(staff_api: Api, helpline: Helpline) -> dict[str, int]:
    """40 cases over the last 7 days: 8 imminent, 16 high, 16 medium; 24 closed."""
    with helpline.db.transaction() as session:
        session.add(Service(id="svc-legal", name="Legal aid desk", categories=["legal"]))
        session.add(Service(id="svc-health", name="Clinic", categories=["health", "psychosocial"]))
    made: dict[str, int] = {"imminent": 0, "high": 0, "medium": 0}
    for n in range(40):
        priority = "imminent" if n % 5 == 0 else ("high" if n % 5 in (1, 2) else "medium")
        age = timedelta(days=n % 7, hours=n % 5)
        case_id = staff_api.case(priority, category=CATEGORIES[n % 4], age=age)
        made[priority] += 1
        with helpline.db.transaction() as session:
            case = session.get(Case, case_id)
            assert case is not None
            case.deadline_at = case.created_at + timedelta(
                minutes=5 if priority == "imminent" else 60
            )
            case.first_response_at = case.created_at + timedelta(minutes=3 if n % 3 else 90)
            if n % 5 < 3 or n % 2 == 0:
                case.status = "closed"
                case.outcome = "resolved" if n % 4 else "referred"
                case.closed_at = case.first_response_at + timedelta(hours=1)
            if case.outcome == "referred":
                service = "svc-legal" if n % 8 else "svc-health"
                case.referred_service_id = service
                referrals.record(session, service, source="caseworker", case_id=case.id)
    return made


def test_reports_draw_five_charts_from_a_seeded_week(helpline: Helpline, staff_api: Api) -> None:
    made = seed_week(staff_api, helpline)
    client = ConsoleClient(helpline)
    client.login(staff_api.staff("supervisor"))
    page = client.page("/console/reports")
    assert page.status_code == 200
    assert page.text.count("<svg") == 6  # per day twice (priority, category), and four more
    for chart in ("per-day", "first-response", "queue", "outcomes", "referrals"):
        assert f'data-test="chart-{chart}"' in page.text
    assert "&lt;5" in page.text  # a day with one or two cases of a kind
    assert 'fill="url(#few)"' in page.text
    assert made == {"imminent": 8, "high": 16, "medium": 16}
    exported = client.http.get("/console/reports.csv")
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    counts = [row["count"] for row in rows if row["report"] == "cases_per_day_priority"]
    assert len(counts) == 7 * 3
    assert all(value == "<5" or value == "0" or int(value) >= 5 for value in counts)
    assert "<5" in counts
    outcomes = {row["key"]: row["count"] for row in rows if row["report"] == "outcomes"}
    assert set(outcomes) == {"resolved", "referred"}
    first = {
        (row["key"], row["series"]): row["count"]
        for row in rows
        if row["report"] == "first_response"
    }
    assert first[("high", "within_deadline")] != "0" and first[("high", "after_deadline")] != "0"
    referred = {row["key"]: row["count"] for row in rows if row["report"] == "referrals"}
    assert set(referred) == {"legal", "health", "psychosocial"}
    assert all(value == "<5" or int(value) >= 5 for value in referred.values())
    arabic = ConsoleClient(helpline, language="ar")
    arabic.login(staff_api.staff("supervisor"))
    assert '<html lang="ar" dir="rtl">' in arabic.page("/console/reports").text


def test_a_caseworker_cannot_open_the_reports(helpline: Helpline, staff_api: Api) -> None:
    client = ConsoleClient(helpline)
    client.login(staff_api.staff("caseworker"))
    queue = client.page("/console")
    assert "/console/reports" not in queue.text
    assert client.http.get("/console/reports").status_code == 403
    assert client.http.get("/console/reports.csv").status_code == 403

"""The staff console at /console: queue, case page, reports (see bot/web/console/*.py)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from bot.cases import audit
from bot.web.console import charts, reports
from bot.web.console.actions import Actions, case_id_of
from bot.web.console.awareness import AwarenessPage
from bot.web.console.complaints import complaints_page
from bot.web.console.frame import Ask, Console, Handler, json_script
from bot.web.console.live import Live
from bot.web.console.monitoring import monitoring_handlers
from bot.web.console.pages import case_page, queue_rows
from bot.web.console.participants import participant_handlers

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from starlette.requests import Request

    from bot.app import Helpline

STATIC = Path(__file__).parent / "static"


def console_routes(helpline: Helpline) -> list[BaseRoute]:
    console = Console(helpline)
    actions = Actions(console)
    live = Live(console)
    awareness = AwarenessPage(console, helpline)
    monitoring_page, monitoring_csv = monitoring_handlers(console)
    sessions_page, session_page, attendance, add_session = participant_handlers(console, helpline)

    def get(role: str, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            return await console.run(request, role, handler, post=False)

        return endpoint

    def post(role: str, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            return await console.run(request, role, handler, post=True)

        return endpoint

    def queue(ask: Ask) -> Response:
        rows = queue_rows(ask.desk, ask.words, record=True)
        return console.page(
            "queue.html",
            ask,
            rows=rows,
            sound=console.sound,
            labels=json_script(
                {
                    "passed": ask.words("console.deadline.passed"),
                    "none": ask.words("console.deadline.none"),
                    "answered": ask.words("console.deadline.answered"),
                    "new_imminent": ask.words("console.queue.new_imminent"),
                    "empty": ask.words("console.queue.empty"),
                }
            ),
        )

    def case(ask: Ask) -> Response:
        data = case_page(helpline, ask.desk, case_id_of(ask), ask.words)
        return console.page("case.html", ask, **data)

    def report(ask: Ask) -> reports.Report:
        raw = ask.request.query_params.get("days", "7")
        days = int(raw) if raw.isdigit() and 1 <= int(raw) <= 90 else 7
        audit.record(
            ask.desk.session, ask.staff, "report", detail={"report": "console", "days": days}
        )
        return reports.gather(ask.desk.session, helpline.settings, ask.desk.now, days)

    def reports_page(ask: Ask) -> Response:
        drawn = reports.draw(report(ask), ask.words)
        days = len(drawn.days)
        return console.page("reports.html", ask, report=drawn, days=days, shown=charts.shown)

    def reports_csv(ask: Ask) -> Response:
        data = report(ask)
        name = f"helpline-report-{len(data.days)}-days.csv"
        return Response(
            reports.to_csv(data),
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="{name}"',
                "Cache-Control": "no-store",
            },
        )

    case_path = "/console/cases/{case_id}"
    return [
        Route("/console", get("caseworker", queue), methods=["GET"]),
        Route("/console/login", actions.login_page, methods=["GET"]),
        Route("/console/login", actions.login, methods=["POST"]),
        Route("/console/logout", post("caseworker", actions.logout), methods=["POST"]),
        Route("/console/language", actions.language, methods=["POST"]),
        Route("/console/events", live.queue, methods=["GET"]),
        Route("/console/reports", get("supervisor", reports_page), methods=["GET"]),
        Route("/console/reports.csv", get("supervisor", reports_csv), methods=["GET"]),
        Route("/console/awareness", get("supervisor", awareness.page), methods=["GET"]),
        Route("/console/monitoring", get("supervisor", monitoring_page), methods=["GET"]),
        Route("/console/sessions", get("caseworker", sessions_page), methods=["GET"]),
        Route("/console/sessions", post("admin", add_session), methods=["POST"]),
        Route("/console/sessions/{session_id}", get("caseworker", session_page), methods=["GET"]),
        Route(
            "/console/sessions/{session_id}/attendance",
            post("caseworker", attendance),
            methods=["POST"],
        ),
        Route("/console/monitoring.csv", get("supervisor", monitoring_csv), methods=["GET"]),
        Route(
            "/console/complaints",
            get("supervisor", complaints_page(console, helpline)),
            methods=["GET"],
        ),
        Route("/console/awareness", post("supervisor", awareness.submit), methods=["POST"]),
        Route(case_path, get("caseworker", case), methods=["GET"]),
        Route(f"{case_path}/events", live.case, methods=["GET"]),
        Route(f"{case_path}/claim", post("caseworker", actions.claim), methods=["POST"]),
        Route(f"{case_path}/reply", post("caseworker", actions.reply), methods=["POST"]),
        Route(f"{case_path}/note", post("caseworker", actions.note), methods=["POST"]),
        Route(f"{case_path}/handback", post("caseworker", actions.handback), methods=["POST"]),
        Route(f"{case_path}/reassign", post("supervisor", actions.reassign), methods=["POST"]),
        Route(f"{case_path}/close", post("caseworker", actions.close), methods=["POST"]),
        Route(f"{case_path}/erase", post("admin", actions.erase), methods=["POST"]),
        Mount("/console/static", StaticFiles(directory=STATIC), name="console-static"),
    ]

"""The console's monthly protection-monitoring report (supervisors, admins): page and CSV.
The page prints as it is (the browser's print); every read is an audit event."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from starlette.responses import Response

from bot.cases import audit
from bot.programmes import monitoring
from bot.services.hours import ISTANBUL
from bot.web.console.charts import horizontal_bars

if TYPE_CHECKING:
    from bot.web.console.frame import Ask, Console, Handler

_MONTH = re.compile(r"^(20\d\d)-(0[1-9]|1[0-2])$")


def _report(ask: Ask) -> monitoring.MonthlyReport:
    raw = ask.request.query_params.get("month", "")
    month = raw if _MONTH.match(raw) else f"{datetime.now(UTC).astimezone(ISTANBUL):%Y-%m}"
    audit.record(
        ask.desk.session, ask.staff, "report", detail={"report": "monitoring", "month": month}
    )
    return monitoring.gather(ask.desk.session, month)


def monitoring_handlers(console: Console) -> tuple[Handler, Handler]:
    def page(ask: Ask) -> Response:
        report = _report(ask)
        tables = [(t.name, *t.shown()) for t in report.tables]
        charts = [_chart(name, rows) for name, rows, _ in tables]
        return console.page(
            "monitoring.html", ask, report=report, tables=zip(tables, charts, strict=True)
        )

    def csv_file(ask: Ask) -> Response:
        report = _report(ask)
        name = f"protection-monitoring-{report.month}.csv"
        return Response(
            monitoring.to_csv(report),
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="{name}"',
                "Cache-Control": "no-store",
            },
        )

    return page, csv_file


def _chart(name: str, rows: list[tuple[str, str]]) -> str:
    """A table's bars, drawn from what the table prints: a suppressed cell is a hatched "<5"."""
    drawn = [(label, 1 if value == monitoring.SUPPRESSED else int(value)) for label, value in rows]
    return horizontal_bars(name, drawn) if drawn else ""

"""Admins publish one programme session from the console's sessions page.

The form is turned into one row of the sessions CSV (CONTRACT.md section 7) and goes
through the same parser and import as `helpline sessions import` (`parse_row`,
`import_rows`), so the console accepts exactly what the import accepts. Two rules are
the form's own: it adds (an id already taken is refused, where the import would
update), and a place is a service id or "online" (an empty service id is not read
as online by accident). Times are typed in Istanbul time.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from bot.cases import audit
from bot.programmes.catalogue import import_rows
from bot.programmes.sessions_csv import COLUMNS, TITLE_LANGUAGES, parse_row
from bot.services.hours import ISTANBUL
from bot.storage.programme_models import ProgrammeSession

if TYPE_CHECKING:
    from bot.app import Helpline
    from bot.web.console.frame import Ask


def title_languages(helpline: Helpline) -> list[str]:
    """The configured languages that the sessions CSV has a title column for."""
    return [lang for lang in helpline.settings.languages if lang in TITLE_LANGUAGES]


def _istanbul(raw: str) -> str:
    """'2027-01-12T10:00' (a datetime-local field) -> with Istanbul's offset; else as typed."""
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        return raw  # the parser says what is wrong with it
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ISTANBUL)
    return moment.isoformat()


def form_row(form: dict[str, str], languages: list[str]) -> dict[str, str]:
    """The form as a row of the sessions CSV."""
    row = {column: form.get(column, "").strip() for column in COLUMNS}
    for lang in TITLE_LANGUAGES:
        if lang not in languages:
            row[f"title_{lang}"] = ""
    if form.get("online") == "on":
        row["service_id"] = ""
    row["district"] = ""  # the service's district, as on import
    row["starts_at"] = _istanbul(row["starts_at"])
    row["ends_at"] = _istanbul(row["ends_at"])
    return row


def publish(ask: Ask, helpline: Helpline) -> tuple[str | None, list[str]]:
    """Add the session of the form: (its id, []) or (None, the reasons it was refused)."""
    row = form_row(ask.form, title_languages(helpline))
    parsed = parse_row(row, 1)
    reasons = list(parsed.reasons)
    online = ask.form.get("online") == "on"
    if not online and not row["service_id"]:
        reasons.append("service_id: a service of the map, or online")
    if online and ask.form.get("service_id", "").strip():
        reasons.append("service_id or online, not both")
    session = ask.desk.session
    if parsed.id and session.get(ProgrammeSession, parsed.id) is not None:
        reasons.append(f"id: a session {parsed.id!r} exists already")
    if reasons:
        return None, reasons
    report = import_rows(session, [parsed], ask.staff.name)
    if not report.applied:
        return None, [reason for r in report.rows for reason in r.detail]
    audit.record(
        session,
        ask.staff,
        "session_add",
        detail={"session": parsed.id, "programme": row["programme"], "online": online},
    )
    return parsed.id, []

"""What the console shows: the queue and one case (data for the templates and the live stream).

Everything here reads through `bot.cases` (the queue's order and visibility
rules of `listing`, the decrypted conversation of `views`, the access check
of `work.get_case`) and renders; the person's text is escaped by the
templates (autoescape) and by the browser script (textContent), never
inserted as HTML.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from bot.cases import audit, views, work
from bot.cases.listing import CaseQuery, list_cases
from bot.cases.staff import has_role
from bot.storage.models import Case, Contact, Staff
from bot.web.console.texts import CANNED, Words, direction, safe_contact_label

if TYPE_CHECKING:
    from bot.app import Helpline
    from bot.cases.work import Desk

PHONE_CHANNELS = frozenset({"sms", "whatsapp"})
EVIDENCE_KINDS = frozenset({"opened", "escalated", "disclosure"})
QUEUE_LIMIT = 200


def row_json(case: Case, words: Words) -> dict[str, Any]:
    """One queue row: what the table shows, with its labels in the console's language."""
    return {
        "id": case.id,
        "url": f"/console/cases/{case.id}",
        "priority": case.priority,
        "priority_label": words.label("priority", case.priority),
        "category_label": words.label("category", case.category or "none"),
        "language": case.language,
        "channel": case.channel,
        "status": case.status,
        "status_label": words.label("status", case.status),
        "created_at": views.iso(case.created_at),
        "deadline_at": views.iso(case.deadline_at),
        "answered": case.first_response_at is not None,
    }


def queue_cases(desk: Desk) -> list[Case]:
    cases, _total = list_cases(
        desk.session, desk.staff, CaseQuery(limit=QUEUE_LIMIT), desk.fallback_minutes, desk.now
    )
    return cases


def queue_rows(desk: Desk, words: Words, *, record: bool) -> list[dict[str, Any]]:
    cases = queue_cases(desk)
    names = views.staff_names(desk.session, {c.assignee_id for c in cases if c.assignee_id})
    rows = []
    for case in cases:
        row = row_json(case, words)
        row["assignee"] = names.get(case.assignee_id) if case.assignee_id else None
        rows.append(row)
    if record:
        audit.record(
            desk.session,
            desk.staff,
            "list",
            detail={"case_ids": [c.id for c in cases], "total": len(cases), "via": "console"},
        )
    return rows


def message_view(message: dict[str, Any], words: Words) -> dict[str, Any]:
    """A message of the case page (from views.message_json) with its console labels."""
    if message["from"] == "person":
        who = words("console.case.from_person")
    elif message["from"] == "staff":
        who = message["staff"] or ""
    else:
        who = words("console.case.from_bot")
    return {
        "id": message["id"],
        "direction": message["direction"],
        "text": message["text"],
        "at": message["at"],
        "who": who,
        "status": message["status"],
        "status_label": words.label("delivery", message["status"]),
    }


def evidence_item(name: str) -> dict[str, str]:
    """What fired, as the risk check names it (bot/nlu/risk.py): its source and what matched.

    `lexicon:tr:domestic_violence:high:kocam ... döv*` shows the reviewed phrase that matched;
    `model:domestic_violence:0.91` the model's reading and its probability.
    """
    source, _, rest = name.partition(":")
    parts = rest.split(":")
    if source == "lexicon" and len(parts) >= 4:
        return {"source": f"lexicon {parts[0]} {parts[2]}", "detail": ":".join(parts[3:])}
    if source == "model" and len(parts) == 2:
        return {"source": "model", "detail": parts[1]}
    return {"source": source, "detail": rest}


def phone_of(helpline: Helpline, desk: Desk, case: Case) -> str | None:
    """The person's number on SMS/WhatsApp, for supervisors, and for caseworkers when allowed."""
    if case.channel not in PHONE_CHANNELS:
        return None
    allowed = helpline.settings.console.caseworkers_see_phone_numbers
    if not (allowed or has_role(desk.staff, "supervisor")):
        return None
    contact = desk.session.get(Contact, case.contact_id)
    return helpline.vault.decrypt(contact.platform_id_enc) if contact is not None else None


def case_state(desk: Desk, case: Case, detail: dict[str, Any], words: Words) -> dict[str, Any]:
    """What the case page's header and buttons depend on (also sent live when it changes)."""
    mine = case.assignee_id == desk.staff.id
    supervisor = has_role(desk.staff, "supervisor")
    closed = case.status == "closed"
    return {
        "status": case.status,
        "status_label": words.label("status", case.status),
        "priority": case.priority,
        "priority_label": words.label("priority", case.priority),
        "assignee": detail["assignee"] or words("console.case.unassigned"),
        "mode": words(f"console.case.mode_{detail['conversation_mode'] or 'bot'}"),
        "can_claim": case.status == "open",
        "can_reply": not closed and (case.status == "open" or mine),
        "can_close": not closed and (case.status == "open" or mine or supervisor),
        "can_handback": not closed
        and (case.status == "open" or mine or supervisor)
        and detail["conversation_mode"] == "human",
        "updated": views.iso(case.updated_at),
    }


def case_page(helpline: Helpline, desk: Desk, case_id: int, words: Words) -> dict[str, Any]:
    case = work.get_case(desk, case_id)
    detail = views.case_detail(desk.session, helpline.vault, case)
    audit.record(desk.session, desk.staff, "view", case.id, {"via": "console"})
    evidence = [
        {
            "at": event["at"],
            "kind": event["kind"],
            "level": words.label(
                "priority", event["detail"].get("level") or event["detail"].get("to")
            ),
            "category": words.label("category", event["detail"].get("category") or "none"),
            "evidence": [evidence_item(str(e)) for e in event["detail"].get("evidence") or []],
        }
        for event in detail["events"]
        if event["kind"] in EVIDENCE_KINDS
    ]
    texts = helpline.engine.texts
    supervisor = has_role(desk.staff, "supervisor")
    staff_names = (
        list(
            desk.session.scalars(
                select(Staff.name).where(Staff.active.is_(True)).order_by(Staff.name)
            )
        )
        if supervisor
        else []
    )
    return {
        "case": case,
        "row": row_json(case, words),
        "state": case_state(desk, case, detail, words),
        "messages": [message_view(m, words) for m in detail["messages"]],
        "last_message_id": max((m["id"] for m in detail["messages"]), default=0),
        "notes": detail["notes"],
        "evidence": evidence,
        "phone": phone_of(helpline, desk, case),
        "safe_contact": safe_contact_label(words, case.safe_contact),
        "reply_dir": direction(case.language),
        # In the person's language; none for a language without a catalog here (yet).
        "canned": [
            {
                "label": words(f"console.canned.{name}"),
                "text": texts.get(case.language, f"canned.{name}"),
            }
            for name in CANNED
            if case.language in texts.languages
        ],
        "outcomes": [
            {"value": o, "label": words.label("outcome", o)}
            for o in helpline.settings.cases.outcomes
        ],
        "supervisor": supervisor,
        "admin": has_role(desk.staff, "admin"),
        "staff_names": staff_names,
    }

"""Feedback and complaints, at any time, in every language (Core Humanitarian Standard 5).

"complaint" (şikayet, شكوى, شکایت) asks for the complaint; the next message is kept
encrypted and the supervisors are alerted (their chat, else the staff group; the alert
names no one and quotes nothing). It never goes to a caseworker's queue, so it does not
reach the caseworker it may be about. "feedback" asks for a rating, 1 to 5, then a comment.
The risk check still reads every message first: a complaint that reads as a risk is
escalated as a case (safety first), and the complaint is still awaited after it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.nlu.normalise import fold
from bot.storage.programme_models import Feedback

if TYPE_CHECKING:
    from bot.engine.turn import Turn

log = logging.getLogger(__name__)

PENDING = "feedback_pending"  # complaint | rating | comment:<id>
PREFIX = "fb:"


def _words(turn: Turn, msgid: str) -> set[str]:
    return {fold(w) for w in turn.texts.get(turn.language, msgid).split(",")} - {""}


def tap(turn: Turn, payload: str) -> bool:
    if not payload.startswith(f"{PREFIX}r:"):
        return False
    value = payload.rsplit(":", 1)[1]
    if value.isdigit() and 1 <= int(value) <= 5:
        _rated(turn, int(value))
    return True


def answer(turn: Turn, text: str) -> bool:
    pending = turn.slots.get(PENDING)
    folded = fold(text)
    if pending == "complaint" and folded:
        _complaint(turn, turn.inbound.text)  # as written, not as the NLU reads it
        return True
    if pending == "rating":
        digits = folded.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789"))
        if digits.isdigit() and 1 <= int(digits) <= 5:
            _rated(turn, int(digits))
            return True
        turn.set_slot(PENDING, None)
    if isinstance(pending, str) and pending.startswith("comment:") and folded:
        turn.set_slot(PENDING, None)
        row = turn.session.get(Feedback, int(pending.split(":", 1)[1]))
        if row is not None and row.contact_id == turn.contact.id:
            row.text_enc = turn.vault.encrypt(turn.inbound.text.strip()[:2000])
            turn.say("feedback.thanks")
            return True
    if folded in _words(turn, "feedback.complaint_words"):
        turn.set_slot(PENDING, "complaint")
        turn.say("feedback.complaint_ask")
        return True
    if folded in _words(turn, "feedback.feedback_words"):
        ask_rating(turn)
        return True
    return False


def ask_rating(turn: Turn) -> None:
    """The rating question with five buttons (also after a case is closed, later)."""
    buttons = [{"payload": f"{PREFIX}r:{n}", "label": str(n)} for n in range(1, 6)]
    turn.send(turn.texts.get(turn.language, "feedback.rating_ask"), buttons)
    turn.set_slot(PENDING, "rating")


def _rated(turn: Turn, rating: int) -> None:
    row = Feedback(contact_id=turn.contact.id, kind="rating", rating=rating, language=turn.language)
    turn.session.add(row)
    turn.session.flush()
    turn.set_slot(PENDING, f"comment:{row.id}")
    turn.say("feedback.comment_ask")


def _complaint(turn: Turn, text: str) -> None:
    turn.set_slot(PENDING, None)
    row = Feedback(
        contact_id=turn.contact.id,
        kind="complaint",
        text_enc=turn.vault.encrypt(text.strip()[:4000]),
        language=turn.language,
    )
    turn.session.add(row)
    turn.session.flush()
    alerts = turn.desk.alerts
    settings = alerts.settings
    chats = alerts._chats(settings.cases.supervisor_chat_id)
    link = f"{settings.public_url or ''}/console/complaints"
    for chat in chats:
        alerts._queue(turn.session, chat, f"Complaint #{row.id} received (supervisors): {link}")
    if not chats:
        log.warning("complaint %s: no supervisor or staff chat configured, no alert", row.id)
    turn.say("feedback.complaint_received")

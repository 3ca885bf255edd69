"""The engine's side of cases: what the person is told, and when the bot stays quiet.

- A case is raised through the turn's `CaseDesk` (one per person, priority only up).
- Outside staffed hours the person is told, once per case, when someone will
  answer (or, for an imminent case, that on-call staff were told).
- Medium risk: a note on the open case if there is one; otherwise a case at once
  (`cases.medium_opens_case`) or a gentle offer of a caseworker's follow-up
  (flows/cases.yml), asked after the message itself was answered.
- While a caseworker holds the conversation (a claimed case not handed back),
  the bot is quiet: only the risk check and the always-available commands
  (stop, delete my data, quick exit, language) still act.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.nlu.base import INTENTS

if TYPE_CHECKING:
    from bot.cases.escalation import Raised
    from bot.engine.turn import Turn
    from bot.nlu.base import Risk, Understanding

# The flow that offers a caseworker's follow-up after a medium-risk message.
OFFER_FLOW = "followup_offer"
# What still works while a caseworker holds the conversation.
HELD_INTENTS = frozenset({"stop", "delete_data", "change_language"})
HELD_COMMANDS = frozenset({"stop", "delete", "exit", "language"})
HELD_FLOWS = frozenset({"delete_data", "erase_now", "choose_language", "language_changed", "stop"})
SHORT_ANSWER_WORDS = 3

# Intents that work even while a caseworker holds the conversation.
# Information questions are answered too: the case stays open for the caseworker, and a
# person flagged by a false alarm is not left waiting for an answer the bot has.
ALWAYS_AVAILABLE = frozenset(
    {"stop", "delete_data", "change_language", "menu", "find_service"}
    | {intent for intent in INTENTS if intent.startswith("faq_")}
) - {"faq_helpline_info"}  # "are you there?" while waiting is for the caseworker


def raise_case(
    turn: Turn, *, priority: str, category: str | None, detail: dict[str, Any]
) -> Raised:
    raised = turn.desk.raise_case(
        turn.session,
        turn.contact,
        turn.conversation,
        priority=priority,
        category=category,
        language=turn.language,
        message_id=turn.message.id,
        detail=detail,
    )
    turn.set_slot("case_id", raised.case.id)
    return raised


def tell_hours(turn: Turn, raised: Raised, *, staffed_notice: bool = False) -> None:
    """When someone will answer (once per case and kind of notice).

    Outside staffed hours: the next opening (or, imminent, that on-call staff were
    told). On shift, with `staffed_notice` (a disclosure or a request for a person):
    that a caseworker is at work now, the only "we are here with you".
    """
    if raised.on_call:
        key, msgid, params = f"{raised.case.id}:on_call", "hours.closed_on_call", {}
    elif raised.next_opening is not None:
        when = turn.desk.when_text(raised.next_opening, turn.language)
        key, msgid, params = f"{raised.case.id}:closed", "hours.closed", {"when": when}
    elif staffed_notice:
        key, msgid, params = f"{raised.case.id}:open", "hours.open", {}
    else:
        return
    told = turn.slots.get("hours_told", [])
    if key in told:
        return
    turn.set_slot("hours_told", [*told, key])
    turn.say(msgid, **params)


def held(turn: Turn) -> bool:
    """A caseworker holds the conversation: their claimed case, not handed back."""
    return turn.desk.held_by_caseworker(turn.session, turn.contact)


def allowed_while_held(turn: Turn, threshold: float) -> bool:
    """The always-available commands, and answers to the questions they ask."""
    if turn.inbound.command in HELD_COMMANDS:
        return True
    understanding = turn.understanding
    if understanding.intent in HELD_INTENTS and understanding.confidence >= threshold:
        return True
    button = turn.inbound.button or ""
    if button.split(":", 1)[0] in HELD_FLOWS:
        return True
    # a typed answer to their question ("evet", "العربية"), not a new request in passing
    return (
        turn.inbound.button is None
        and turn.conversation.flow in HELD_FLOWS
        and len(turn.inbound.text.split()) <= SHORT_ANSWER_WORDS
    )


def always_available(understanding: Understanding, threshold: float) -> bool:
    """An intent that works in human mode too, read with enough confidence."""
    return understanding.intent in ALWAYS_AVAILABLE and understanding.confidence >= threshold


def evidence(risk: Risk) -> dict[str, Any]:
    return {
        "level": risk.level.label,
        "category": risk.category,
        "evidence": list(risk.evidence),
    }


def medium(turn: Turn, risk: Risk) -> None:
    """A worrying message (medium risk): note it, open a case, or get ready to offer one."""
    detail = evidence(risk)
    if turn.desk.open_case(turn.session, turn.contact) is not None:
        raise_case(turn, priority="medium", category=risk.category, detail=detail)
        return  # a disclosure event on the open case; its caseworker follows up
    if turn.desk.cases.medium_opens_case:
        raised = raise_case(turn, priority="medium", category=risk.category, detail=detail)
        if not turn.slots.get("medium_notice_given"):
            turn.say("safety.medium")
            turn.set_slot("medium_notice_given", True)
        tell_hours(turn, raised)
        return
    offered = turn.slots.get("followup_offered", [])
    key = risk.category or "unknown"
    if key in offered:
        return  # asked once about this worry; "no" is respected
    turn.set_slot("followup_offered", [*offered, key])
    turn.set_slot("followup_offer", {**detail, "pending": True})


def should_offer(turn: Turn) -> bool:
    """After answering the message: offer the follow-up got ready by `medium`, if still fitting."""
    if not (turn.slots.get("followup_offer") or {}).get("pending"):
        return False
    if turn.contact.opted_out or turn.understanding.intent in ("stop", "delete_data"):
        return False
    return turn.desk.open_case(turn.session, turn.contact) is None


def settle_offer(turn: Turn) -> None:
    """A follow-up got ready is offered after the next answer or not at all: never twice."""
    offer = turn.slots.get("followup_offer") or {}
    if offer.get("pending"):
        turn.set_slot("followup_offer", {**offer, "pending": False})


def accept_followup(turn: Turn) -> None:
    """The person said yes to a follow-up: a medium case with what worried us."""
    offer = turn.slots.get("followup_offer") or {}
    detail = {
        "level": "medium",
        "category": offer.get("category"),
        "evidence": offer.get("evidence", []),
        "agreed": True,
    }
    raised = raise_case(turn, priority="medium", category=offer.get("category"), detail=detail)
    tell_hours(turn, raised)

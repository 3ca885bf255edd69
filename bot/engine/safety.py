"""What happens when a message discloses risk: safety information and a case, at once."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.cases import safe_contact
from bot.engine import casework
from bot.nlu.base import Risk, RiskLevel

if TYPE_CHECKING:
    from bot.engine.turn import Turn

log = logging.getLogger(__name__)

# The flow that asks "are you or a child in danger now?" (flows/safety.yml).
CHECK_FLOW = "safety_check"
# The question after a disclosure: may a caseworker write here, and when (flows/cases.yml).
SAFE_CONTACT_FLOW = "safe_to_write"
SAFE_CONTACT_QUESTIONS = frozenset({"safe_to_write", "safe_contact_hours"})


def escalate(turn: Turn, risk: Risk) -> bool:
    """Answer a disclosure and raise the person's case. True when a caseworker takes over.

    High and imminent risk: the safety information at once, then the person's
    one open case is opened or raised (never lowered) and a caseworker takes
    the conversation; this also happens while a caseworker already holds it.
    Medium risk is noted, or opens a case, or gets a follow-up offered
    (`casework.medium`), and the conversation goes on.
    """
    if risk.level < RiskLevel.HIGH:
        casework.medium(turn, risk)
        return False
    category = risk.category or "unknown"
    raised = casework.raise_case(
        turn,
        priority=risk.level.label,
        category=category,
        detail={"level": risk.level.label, "category": category, "evidence": list(risk.evidence)},
    )
    held = casework.held(turn)
    turn.conversation.mode = "human"
    turn.set_slot("acknowledged", True)
    turn.rest()
    told = turn.slots.get("safety_told", [])
    if f"{category}:{risk.level.label}" in told:
        if not held:  # the caseworker holding the conversation answers for themselves
            turn.say("handoff.ack")
        return True
    turn.set_slot("safety_told", [*told, f"{category}:{risk.level.label}"])
    if risk.level == RiskLevel.IMMINENT:
        turn.say("safety.imminent")
    if risk.category:
        turn.say(f"safety.{risk.category}")
    turn.say("safety.caseworker")
    casework.tell_hours(turn, raised, staffed_notice=True)
    if turn.slots.get("safe_contact") is None:
        turn.set_slot("ask_safe_contact", True)
    return True


def should_ask_safe_contact(turn: Turn) -> bool:
    """After a disclosure told its safety text: ask once whether a caseworker may write."""
    if not turn.slots.get("ask_safe_contact"):
        return False
    turn.set_slot("ask_safe_contact", False)
    return turn.slots.get("safe_contact") is None and not casework.held(turn)


def remember_safe_contact(turn: Turn, preference: str) -> None:
    """The answer, on the conversation (asked once) and on the person's open cases."""
    turn.set_slot("safe_contact", preference)
    safe_contact.remember(turn.session, turn.contact.id, preference)


def should_ask(turn: Turn) -> bool:
    """Whether to ask "are you in danger now?" after answering this message.

    Only for an unsure reading (the model alone, moderately sure), never while a
    caseworker holds the conversation or after the person stopped, and once per
    category in a conversation: a "no" is not asked again and again.
    """
    risk = turn.understanding.risk
    if not risk.unsure or turn.conversation.mode == "human" or turn.contact.opted_out:
        return False
    return (risk.category or "unknown") not in turn.slots.get("safety_checked", [])


def mark_asked(turn: Turn) -> None:
    """Remember the question was asked for this category, and what made us unsure."""
    risk = turn.understanding.risk
    turn.set_slot(
        "safety_checked", [*turn.slots.get("safety_checked", []), risk.category or "unknown"]
    )
    turn.set_slot("unsure_risk", {"category": risk.category, "evidence": list(risk.evidence)})


def answer(turn: Turn, yes: bool) -> None:
    """The person's answer to the danger question: yes escalates to high at once."""
    unsure = turn.slots.get("unsure_risk") or {}
    if yes:
        risk = Risk(
            RiskLevel.HIGH,
            unsure.get("category"),
            ("asked:yes", *unsure.get("evidence", [])),
        )
        escalate(turn, risk)
        return
    # recorded on the conversation, so a caseworker reading it later sees the answer
    turn.set_slot(
        "safety_answers", [*turn.slots.get("safety_answers", []), {**unsure, "answer": "no"}]
    )
    log.info("safety check answered no (message %s)", turn.message.id)

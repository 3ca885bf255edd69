"""What happens when a message discloses risk: safety information and a case, at once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.cases.queue import open_or_escalate
from bot.nlu.base import RiskLevel

if TYPE_CHECKING:
    from bot.engine.turn import Turn
    from bot.nlu.base import Risk


def escalate(turn: Turn, risk: Risk) -> bool:
    """Answer a disclosure and queue a case. True when the caseworker takes over.

    High and imminent risk hands the conversation to a person; medium risk
    opens a case for follow-up and lets the conversation go on.
    """
    category = risk.category or "unknown"
    case = open_or_escalate(
        turn.session,
        turn.contact,
        turn.conversation,
        priority=risk.level.label,
        category=category,
        language=turn.language,
        message_id=turn.message.id,
        detail={"level": risk.level.label, "category": category, "evidence": list(risk.evidence)},
    )
    turn.set_slot("case_id", case.id)
    already_told = f"{category}:{risk.level.label}" in turn.slots.get("safety_told", [])
    if risk.level >= RiskLevel.HIGH:
        turn.conversation.mode = "human"
        turn.set_slot("acknowledged", True)
        turn.rest()
        if already_told:
            turn.say("handoff.ack")
            return True
        turn.set_slot(
            "safety_told", [*turn.slots.get("safety_told", []), f"{category}:{risk.level.label}"]
        )
        if risk.level == RiskLevel.IMMINENT:
            turn.say("safety.imminent")
        if risk.category:
            turn.say(f"safety.{risk.category}")
        turn.say("safety.caseworker")
        return True
    if not turn.slots.get("medium_notice_given"):
        turn.say("safety.medium")
        turn.set_slot("medium_notice_given", True)
    return False

"""What happens when a message discloses risk: safety information and a case, at once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.engine import casework
from bot.nlu.base import RiskLevel

if TYPE_CHECKING:
    from bot.engine.turn import Turn
    from bot.nlu.base import Risk


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
    casework.tell_hours(turn, raised)
    return True

"""The question a conversation waits on: whether a message answers it, and asking it again.

A question is a flow's `ask` step (bot/engine/flows.py). A message answers it by a
tapped button (even one of an older message), by a choice matched in words
(bot/engine/choices.py), or by an entity for the step's slot.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.engine import casework, safety
from bot.engine.choices import match_choice
from bot.engine.turn import parse_payload

if TYPE_CHECKING:
    from bot.engine.flows import Choice, FlowBook, Step
    from bot.engine.runner import FlowRunner
    from bot.engine.texts import Texts
    from bot.engine.turn import Turn
    from bot.nlu.base import Understanding
    from bot.settings import Settings


class Questions:
    def __init__(
        self, settings: Settings, flows: FlowBook, texts: Texts, runner: FlowRunner
    ) -> None:
        self.settings = settings
        self.flows = flows
        self.texts = texts
        self.runner = runner

    def tapped(self, payload: str) -> tuple[str, int, Choice] | None:
        """The choice a button payload names, even from an older message."""
        parsed = parse_payload(payload)
        if parsed is None or parsed[0] not in self.flows.flows:
            return None
        flow_name, index, choice_index = parsed
        steps = self.flows[flow_name].steps
        if index >= len(steps) or choice_index >= len(steps[index].choices):
            return None
        return flow_name, index, steps[index].choices[choice_index]

    def pending(self, turn: Turn) -> Step | None:
        """The `ask` step the conversation waits on, if any."""
        flow = self.flows.flows.get(turn.conversation.flow or "")
        index = turn.conversation.step
        if flow is None or index >= len(flow.steps) or flow.steps[index].action != "ask":
            return None
        return flow.steps[index]

    def _match(self, turn: Turn, step: Step, text: str) -> int | None:
        shown = turn.shown(turn.conversation.flow or "", turn.conversation.step)
        return match_choice(
            step,
            text,
            turn.understanding,
            self.texts,
            turn.language,
            self.settings.nlu.intent_threshold,
            shown,
        )

    def language_answer(self, turn: Turn, text: str) -> str | None:
        """A language picked, by button or in words, in answer to the language question."""
        if turn.inbound.button:
            tapped = self.tapped(turn.inbound.button)
            return tapped[2].set_language if tapped else None
        step = self.pending(turn)
        chosen = self._match(turn, step, text) if step is not None else None
        return (
            step.choices[chosen].set_language if step is not None and chosen is not None else None
        )

    def answer(self, turn: Turn, text: str) -> bool:
        """Try the message as an answer to the pending question."""
        flow_name, index = turn.conversation.flow, turn.conversation.step
        step = self.pending(turn)
        if flow_name is None or step is None:
            turn.rest()
            return False
        chosen = self._match(turn, step, text)
        if chosen is not None:
            self.runner.choose(turn, flow_name, index, step.choices[chosen])
            return True
        if step.slot and turn.understanding.entity(step.slot):
            turn.set_slot(step.slot, turn.understanding.entity(step.slot))
            self.runner.run(turn, flow_name, index + 1)
            return True
        if flow_name in safety.SAFE_CONTACT_QUESTIONS:
            # not an answer: the question is left, and the message is read as it comes
            turn.rest()
            return turn.conversation.mode == "human" and not casework.always_available(
                turn.understanding, self.settings.nlu.intent_threshold
            )
        if self._is_new_request(turn.understanding):
            return False
        turn.say("fallback.choose")
        self.repeat(turn)
        return True

    def _is_new_request(self, understanding: Understanding) -> bool:
        return (
            understanding.intent != "out_of_scope"
            and understanding.confidence >= self.settings.nlu.intent_threshold
            and self.flows.for_intent(understanding.intent_key) is not None
        )

    def repeat(self, turn: Turn) -> None:
        """Ask the pending question again (the choices it showed, as it showed them)."""
        step = self.pending(turn)
        if step is not None and turn.conversation.flow is not None:
            flow, index = turn.conversation.flow, turn.conversation.step
            turn.ask(flow, index, step, turn.shown(flow, index))

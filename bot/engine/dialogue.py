"""What the bot does with an understood message, decision by decision.

After the language is settled: the quick exit; a risk at or above high escalates
(bot/engine/safety.py); a conversation a caseworker holds stays quiet but for the
always-available commands (bot/engine/casework.py); otherwise media, human mode,
the language question, the greeting, taps, answers to the pending question
(bot/engine/questions.py) and, last, the flow for the intent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.engine import casework, safety
from bot.engine.language import has_words, settle_language
from bot.engine.messages import QUICK_EXIT
from bot.engine.questions import Questions
from bot.nlu.base import RiskLevel
from bot.programmes import conversation as programmes
from bot.services import follow_up, picks

if TYPE_CHECKING:
    from bot.engine.flows import FlowBook
    from bot.engine.runner import FlowRunner
    from bot.engine.texts import Texts
    from bot.engine.turn import Turn
    from bot.nlu.base import Understanding
    from bot.settings import Settings


class Dialogue:
    def __init__(
        self, settings: Settings, flows: FlowBook, texts: Texts, runner: FlowRunner
    ) -> None:
        self.settings = settings
        self.flows = flows
        self.texts = texts
        self.runner = runner
        # The pending question: answers, taps, asking again.
        self.questions = Questions(settings, flows, texts, runner)

    def decide(self, turn: Turn, text: str) -> None:
        understanding = turn.understanding
        settle_language(turn, text, self.settings.languages)
        if turn.inbound.command == "exit":
            self._quick_exit(turn)
            return
        if turn.contact.opted_out:
            turn.contact.opted_out = False
            if turn.conversation.language:
                turn.say("stop.resumed")

        if understanding.risk.level > RiskLevel.NONE:
            if turn.conversation.language is None:
                turn.set_language(
                    understanding.language
                    if understanding.language in self.settings.languages
                    else self.settings.default_language
                )
            # an unsure reading is not escalated: the question is answered, then asked about
            if not understanding.risk.unsure and safety.escalate(turn, understanding.risk):
                return

        if casework.held(turn) and not casework.allowed_while_held(
            turn, self.settings.nlu.intent_threshold
        ):
            return  # a caseworker holds the conversation: the message joins their case, quietly
        if turn.inbound.media and self._not_text(turn, text):
            return

        answering = turn.inbound.button is not None or turn.conversation.flow is not None
        if (
            turn.conversation.mode == "human"
            and not answering
            and not casework.always_available(understanding, self.settings.nlu.intent_threshold)
        ):
            if not turn.slots.get("acknowledged"):
                turn.say("handoff.ack")
                turn.set_slot("acknowledged", True)
            return

        if turn.conversation.language is None:
            picked = self.questions.language_answer(turn, text)
            if picked is None:
                self.runner.run(turn, "choose_language")
                return
            turn.set_language(picked)
        if not turn.slots.get("greeted"):
            turn.set_slot("greeted", True)
            turn.say("greeting.welcome")
            if understanding.intent in ("greet", "out_of_scope") or not has_words(text):
                self.runner.run(turn, "menu")
                return

        if turn.inbound.button and (
            programmes.tap(turn, turn.inbound.button)
            or picks.tap(turn, turn.inbound.button)
            or self._follow_up(turn, turn.inbound.button)
            or self._tap(turn, turn.inbound.button)
        ):
            return
        self._remember_entities(turn)
        if turn.inbound.location is not None and not has_words(text):
            # a shared location, nothing else: the services nearest to it
            self.runner.run(turn, "find_service")
            return
        if not has_words(text) and not turn.inbound.button:
            turn.say("fallback.empty")
            self.questions.repeat(turn)
            return
        if programmes.answer(turn, text):
            return  # a number picking a session, or the word for cancel
        if programmes.asked(turn, text):
            return  # a question about sessions, whatever the intent read
        if turn.conversation.flow is not None and self.questions.answer(turn, text):
            return
        self._by_intent(turn, understanding)

    def _quick_exit(self, turn: Turn) -> None:
        """Clear the chat from the person's phone where the platform can; one neutral line.

        The helpline keeps its record (and any case); only the phone forgets.
        """
        turn.rest()
        turn.send(self.texts.get(turn.language, "exit.done"), action=QUICK_EXIT)

    def _not_text(self, turn: Turn, text: str) -> bool:
        """A photo, voice note, sticker, file or edit: say we read text only. True when done.

        A caption is read like any message (the risk check has read it already),
        and a first message still gets the language question or the menu.
        """
        if turn.inbound.media == "edited":
            turn.say("media.edited")
            return True
        turn.say("media.text_only")
        started = turn.conversation.language is not None and turn.slots.get("greeted")
        return bool(started) and not has_words(text)

    def _follow_up(self, turn: Turn, payload: str) -> bool:
        """An answer to "did you get help there?"; "no" offers more places or a caseworker."""
        answer = follow_up.tap(turn, payload)
        if answer == "no_help":
            self.runner.run(turn, "after_services")
        return answer is not None

    def _tap(self, turn: Turn, payload: str) -> bool:
        """A tapped button does what it said."""
        tapped = self.questions.tapped(payload)
        if tapped is None:
            return False
        self.runner.choose(turn, *tapped)
        return True

    def _remember_entities(self, turn: Turn) -> None:
        """What they named (a kind of service, a district) fills the slots of that name."""
        for entity in ("service_category", "district"):
            value = turn.understanding.entity(entity)
            if value:
                turn.set_slot(entity, value)
        if turn.inbound.location is not None:
            # About 100 m is close enough to find the nearest service; no more is kept.
            latitude, longitude = turn.inbound.location
            turn.set_slot("location", [round(latitude, 3), round(longitude, 3)])

    def _by_intent(self, turn: Turn, understanding: Understanding) -> None:
        if understanding.intent == "find_service" and not understanding.entity("service_category"):
            # a new request for a service without naming one: ask which kind
            turn.set_slot("service_category", None)
        flow = None
        if understanding.confidence >= self.settings.nlu.intent_threshold:
            flow = self.flows.for_intent(understanding.intent_key)
        self.runner.run(turn, flow.name if flow else "fallback")

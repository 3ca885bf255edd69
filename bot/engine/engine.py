"""The dialogue engine: one inbound message in, replies in the outbox out.

Order of work for every message (DESIGN.md, "Flow of one message"):
1. store it, once (a redelivery is recognised and not processed again);
2. understand it, and run the risk check, in every state;
3. risk at or above high: safety reply and a case, the caseworker takes over;
4. a conversation held by a caseworker: the message joins the case thread;
5. otherwise the flows decide; replies are queued in the same transaction.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING

from bot.cases.escalation import CaseDesk
from bot.engine import casework, safety
from bot.engine.choices import match_choice
from bot.engine.inbox import store_inbound, unprocessed
from bot.engine.language import has_words, platform_language, settle_language
from bot.engine.messages import QUICK_EXIT, HandleResult
from bot.engine.runner import FlowRunner
from bot.engine.turn import Turn, parse_payload
from bot.nlu.base import INTENTS, NO_RISK, RiskLevel
from bot.nlu.normalise import tidy
from bot.privacy import notice
from bot.programmes import conversation as programmes
from bot.services import follow_up, picks
from bot.storage import repository
from bot.storage.models import Contact, Message, utcnow

if TYPE_CHECKING:
    from bot.cases.escalation import Clock
    from bot.engine.flows import Choice, FlowBook, Step
    from bot.engine.messages import Inbound
    from bot.engine.texts import Texts
    from bot.nlu.base import NLU, Understanding
    from bot.settings import Settings
    from bot.storage.crypto import Vault
    from bot.storage.db import Database

log = logging.getLogger(__name__)

# Intents that work even while a caseworker holds the conversation.
# Information questions are answered too: the case stays open for the caseworker, and a
# person flagged by a false alarm is not left waiting for an answer the bot has.
ALWAYS_AVAILABLE = frozenset(
    {"stop", "delete_data", "change_language", "menu", "find_service"}
    | {intent for intent in INTENTS if intent.startswith("faq_")}
) - {"faq_helpline_info"}  # "are you there?" while waiting is for the caseworker


# Intents a risky message must not trigger from its words alone: they end the conversation.
SAFETY_FIRST = frozenset({"stop", "delete_data", "goodbye"})

# Platform-neutral commands (Telegram's /menu, an SMS keyword) and the intent each one means.
COMMAND_INTENTS = {
    "start": "greet",
    "menu": "menu",
    "language": "change_language",
    "human": "human_handoff",
    "stop": "stop",
    "delete": "delete_data",
}


def clean_text(text: str, limit: int) -> str:
    """The text as the NLU and the choices read it, bounded in length."""
    return tidy(text[:limit])


class Engine:
    def __init__(
        self,
        settings: Settings,
        db: Database,
        vault: Vault,
        nlu: NLU,
        flows: FlowBook,
        texts: Texts,
        clock: Clock | None = None,
    ) -> None:
        self.settings = settings
        self.db = db
        self.vault = vault
        self.nlu = nlu
        self.flows = flows
        self.texts = texts
        self.runner = FlowRunner(flows)
        # Cases, staffed hours and staff alerts; `clock` is injected by tests.
        self.desk = CaseDesk(settings, vault, clock or utcnow)

    # -- storing -----------------------------------------------------------

    def store(self, inbound: Inbound) -> tuple[int, bool]:
        return store_inbound(self.db, self.vault, inbound)

    def receive(self, inbound: Inbound) -> HandleResult:
        """Store, then process, one inbound message."""
        message_id, duplicate = self.store(inbound)
        if duplicate:
            log.info("duplicate inbound message %s ignored", message_id)
            return HandleResult(message_id=message_id, duplicate=True)
        return self.handle(message_id, inbound)

    def handle(
        self, message_id: int, inbound: Inbound, after_earlier: bool = False
    ) -> HandleResult:
        """Process a stored message; a failure apologises to the person and keeps the message."""
        try:
            return self.process(message_id, inbound, after_earlier)
        except Exception:
            # A bug must not leave the person without an answer: apologise, keep the message.
            log.exception("message %s could not be processed", message_id)
            return self._apologise(message_id)

    def _apologise(self, message_id: int) -> HandleResult:
        with self.db.transaction() as session:
            message = session.get(Message, message_id)
            contact = session.get(Contact, message.contact_id) if message else None
            if message is None or contact is None:
                return HandleResult(message_id=message_id)
            message.status = "failed"
            conversation = repository.active_conversation(session, contact)
            language = conversation.language or self.settings.default_language
            reply = repository.add_outbound(
                session,
                self.vault,
                conversation,
                contact,
                self.texts.get(language, "fallback.error"),
                language,
            )
            return HandleResult(message_id=message_id, replies=[reply.id])

    def recover(self) -> int:
        """Process inbound messages a crash left stored but unprocessed; return how many."""
        pending = unprocessed(self.db, self.vault)
        for message_id, inbound in pending:
            self.process(message_id, inbound)
        return len(pending)

    # -- processing --------------------------------------------------------

    def process(
        self, message_id: int, inbound: Inbound, after_earlier: bool = False
    ) -> HandleResult:
        """Process a stored message in one transaction.

        With `after_earlier`, a message is left unprocessed (`waiting`) while an
        earlier one of the same person is stored but not processed (it reached
        another process); checked in this transaction rather than one of its own.
        """
        with self.db.transaction() as session:
            message = session.get(Message, message_id)
            if message is None:
                raise LookupError(f"inbound message {message_id} is not stored")
            if after_earlier and repository.earlier_unprocessed(session, message):
                # before the conversation is looked up: it may not exist yet, and one
                # created here would race the earlier message's own
                return HandleResult(message_id=message_id, waiting=True)
            contact = session.get(Contact, message.contact_id)
            assert contact is not None
            conversation = repository.active_conversation(session, contact)
            # Another process (or a recovery) may have processed it while we waited for the lock.
            session.refresh(message)
            if message.status != "received":
                return HandleResult(message_id=message_id, duplicate=True)
            message.conversation_id = conversation.id
            contact.last_inbound_at = utcnow()

            text = clean_text(inbound.text, self.settings.max_message_chars)
            hint = conversation.language or platform_language(inbound, self.settings.languages)
            understanding = self.nlu.parse(text, hint)
            if inbound.button is not None and self.texts.is_label(text):
                # a tap sends back our own label ("Voluntary return"): not their words
                understanding = replace(understanding, risk=NO_RISK)
            command_intent = COMMAND_INTENTS.get(inbound.command or "")
            if command_intent is not None:
                understanding = replace(understanding, intent=command_intent, confidence=1.0)
            elif understanding.risk.level > RiskLevel.NONE and understanding.intent in SAFETY_FIRST:
                # "I can't go on anymore" can read as "stop": with a risk in it, the risk
                # decides; a command or keyword (/stop, STOP) still stops at once
                understanding = replace(understanding, intent="out_of_scope")
            message.language = understanding.language
            message.intent = understanding.intent
            message.risk_level = understanding.risk.level.label
            message.risk_category = understanding.risk.category

            turn = Turn(
                session=session,
                vault=self.vault,
                texts=self.texts,
                contact=contact,
                conversation=conversation,
                message=message,
                inbound=inbound,
                understanding=understanding,
                default_language=self.settings.default_language,
                desk=self.desk,
            )
            self._decide(turn, text)
            offer = casework.should_offer(turn)
            casework.settle_offer(turn)
            if offer:
                self.runner.run(turn, casework.OFFER_FLOW)
            if safety.should_ask(turn):
                safety.mark_asked(turn)
                self.runner.run(turn, safety.CHECK_FLOW)
            if safety.should_ask_safe_contact(turn):
                self.runner.run(turn, safety.SAFE_CONTACT_FLOW)
            # Last, so it never holds back a reply (a safety reply above all).
            notice.after_turn(turn, self.settings.privacy, utcnow())
            message.status = "processed"
            log.info(
                "message %s processed: intent=%s risk=%s replies=%d",
                message_id,
                understanding.intent,
                understanding.risk.level.label,
                len(turn.replies),
            )
            return HandleResult(message_id=message_id, replies=list(turn.replies))

    def _always_available(self, understanding: Understanding) -> bool:
        return (
            understanding.intent in ALWAYS_AVAILABLE
            and understanding.confidence >= self.settings.nlu.intent_threshold
        )

    def _decide(self, turn: Turn, text: str) -> None:
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
            and not self._always_available(understanding)
        ):
            if not turn.slots.get("acknowledged"):
                turn.say("handoff.ack")
                turn.set_slot("acknowledged", True)
            return

        if turn.conversation.language is None:
            picked = self._language_answer(turn, text)
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
            self._repeat_question(turn)
            return
        if programmes.answer(turn, text):
            return  # a number picking a session, or the word for cancel
        if programmes.asked(turn, text):
            return  # a question about sessions, whatever the intent read
        if turn.conversation.flow is not None and self._answer(turn, text):
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

    def _tapped(self, payload: str) -> tuple[str, int, Choice] | None:
        """The choice a button payload names, even from an older message."""
        parsed = parse_payload(payload)
        if parsed is None or parsed[0] not in self.flows.flows:
            return None
        flow_name, index, choice_index = parsed
        steps = self.flows[flow_name].steps
        if index >= len(steps) or choice_index >= len(steps[index].choices):
            return None
        return flow_name, index, steps[index].choices[choice_index]

    def _follow_up(self, turn: Turn, payload: str) -> bool:
        """An answer to "did you get help there?"; "no" offers more places or a caseworker."""
        answer = follow_up.tap(turn, payload)
        if answer == "no_help":
            self.runner.run(turn, "after_services")
        return answer is not None

    def _tap(self, turn: Turn, payload: str) -> bool:
        """A tapped button does what it said."""
        tapped = self._tapped(payload)
        if tapped is None:
            return False
        self.runner.choose(turn, *tapped)
        return True

    def _pending_ask(self, turn: Turn) -> Step | None:
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

    def _language_answer(self, turn: Turn, text: str) -> str | None:
        """A language picked, by button or in words, in answer to the language question."""
        if turn.inbound.button:
            tapped = self._tapped(turn.inbound.button)
            return tapped[2].set_language if tapped else None
        step = self._pending_ask(turn)
        chosen = self._match(turn, step, text) if step is not None else None
        return (
            step.choices[chosen].set_language if step is not None and chosen is not None else None
        )

    def _answer(self, turn: Turn, text: str) -> bool:
        """Try the message as an answer to the pending question."""
        flow_name, index = turn.conversation.flow, turn.conversation.step
        step = self._pending_ask(turn)
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
            return turn.conversation.mode == "human" and not self._always_available(
                turn.understanding
            )
        if self._is_new_request(turn.understanding):
            return False
        turn.say("fallback.choose")
        self._repeat_question(turn)
        return True

    def _is_new_request(self, understanding: Understanding) -> bool:
        return (
            understanding.intent != "out_of_scope"
            and understanding.confidence >= self.settings.nlu.intent_threshold
            and self.flows.for_intent(understanding.intent_key) is not None
        )

    def _repeat_question(self, turn: Turn) -> None:
        step = self._pending_ask(turn)
        if step is not None and turn.conversation.flow is not None:
            flow, index = turn.conversation.flow, turn.conversation.step
            turn.ask(flow, index, step, turn.shown(flow, index))

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

"""The dialogue engine: one inbound message in, replies in the outbox out.

Order of work for every message (DESIGN.md, "Flow of one message"):
1. store it, once (a redelivery is recognised and not processed again);
2. understand it, and run the risk check, in every state;
3. risk at or above high: safety reply and a case, the caseworker takes over;
4. a conversation held by a caseworker: the message joins the case thread;
5. otherwise the flows decide; replies are queued in the same transaction.

Steps 3 to 5 are decided in bot/engine/dialogue.py (the pending question in
bot/engine/questions.py); the offers after the answer, here.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING

from bot.cases.escalation import CaseDesk
from bot.engine import casework, safety
from bot.engine.dialogue import Dialogue
from bot.engine.inbox import store_inbound, unprocessed
from bot.engine.language import platform_language
from bot.engine.messages import HandleResult
from bot.engine.runner import FlowRunner
from bot.engine.turn import Turn
from bot.nlu.base import NO_RISK, RiskLevel
from bot.nlu.normalise import tidy
from bot.privacy import notice
from bot.storage import repository
from bot.storage.models import Contact, Message, utcnow

if TYPE_CHECKING:
    from bot.cases.escalation import Clock
    from bot.engine.flows import FlowBook
    from bot.engine.messages import Inbound
    from bot.engine.texts import Texts
    from bot.nlu.base import NLU
    from bot.settings import Settings
    from bot.storage.crypto import Vault
    from bot.storage.db import Database

log = logging.getLogger(__name__)

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
        # What the bot does with an understood message (and the pending question).
        self.dialogue = Dialogue(settings, flows, texts, self.runner)
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
            self.dialogue.decide(turn, text)
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

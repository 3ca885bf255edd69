"""One turn of a conversation: the state, what was understood, and the replies.

Everything a turn writes goes through the session it was given, so the state
change and the replies it queues commit in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.engine.messages import OFFER_EXIT
from bot.storage import repository

SAFETY_PREFIX = "safety."
# The choices a question showed, when not all of them: [flow, step, [indices]].
SHOWN_SLOT = "shown"

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bot.cases.escalation import CaseDesk
    from bot.engine.flows import Step
    from bot.engine.messages import Inbound
    from bot.engine.texts import Texts
    from bot.nlu.base import Understanding
    from bot.storage.crypto import Vault
    from bot.storage.models import Contact, Conversation, Message


def button_payload(flow: str, step: int, choice: int) -> str:
    """A button's payload names the ask it belongs to, so a late tap still means something."""
    return f"{flow}:{step}:{choice}"


def parse_payload(payload: str) -> tuple[str, int, int] | None:
    parts = payload.split(":")
    if len(parts) != 3 or not parts[1].isdigit() or not parts[2].isdigit():
        return None
    return parts[0], int(parts[1]), int(parts[2])


@dataclass
class Turn:
    session: Session
    vault: Vault
    texts: Texts
    contact: Contact
    conversation: Conversation
    message: Message
    inbound: Inbound
    understanding: Understanding
    default_language: str
    # Cases: one per person, staffed hours and the clock (bot/cases/escalation.py).
    desk: CaseDesk
    replies: list[int] = field(default_factory=list)

    @property
    def language(self) -> str:
        return self.conversation.language or self.default_language

    @property
    def slots(self) -> dict[str, Any]:
        return self.conversation.slots

    def set_slot(self, name: str, value: Any) -> None:
        # Reassign so SQLAlchemy sees the change to the JSON column.
        self.conversation.slots = {**self.conversation.slots, name: value}

    def set_language(self, language: str) -> None:
        self.conversation.language = language
        self.contact.language = language

    def send(
        self,
        text: str,
        buttons: list[dict[str, Any]] | None = None,
        short_text: str | None = None,
        action: str | None = None,
    ) -> None:
        """Queue a reply; `action` is the outbox action (`quick_exit`, `offer_exit`)."""
        message = repository.add_outbound(
            self.session,
            self.vault,
            self.conversation,
            self.contact,
            text,
            self.language,
            buttons,
            short_text=short_text,
            action=action,
        )
        self.replies.append(message.id)

    def say(self, msgid: str, **params: Any) -> None:
        self.send(
            self.texts.get(self.language, msgid, **params),
            short_text=self.texts.short(self.language, msgid, **params),
            # every safety reply offers a quick exit, where the platform can clear a chat
            action=OFFER_EXIT if msgid.startswith(SAFETY_PREFIX) else None,
        )

    def ask(self, flow: str, index: int, step: Step, shown: list[int] | None = None) -> None:
        """Ask with buttons; `shown`: only these choices (numbered answers count them)."""
        buttons = []
        if shown is None:
            self.conversation.slots = {
                k: v for k, v in self.conversation.slots.items() if k != SHOWN_SLOT
            }
        else:
            self.set_slot(SHOWN_SLOT, [flow, index, shown])
        for i, choice in enumerate(step.choices):
            if shown is not None and i not in shown:
                continue
            button = {
                "payload": button_payload(flow, index, i),
                "label": self.texts.get(self.language, choice.label),
            }
            short_label = self.texts.short(self.language, choice.label)
            if short_label:
                button["short_label"] = short_label
            buttons.append(button)
        self.send(
            self.texts.get(self.language, step.argument),
            buttons,
            short_text=self.texts.short(self.language, step.argument),
        )
        self.conversation.flow = flow
        self.conversation.step = index

    def shown(self, flow: str, index: int) -> list[int] | None:
        """The choices the pending question showed, when it showed only some."""
        value = self.conversation.slots.get(SHOWN_SLOT)
        if isinstance(value, list) and len(value) == 3 and value[:2] == [flow, index]:
            return [int(i) for i in value[2]]
        return None

    def rest(self) -> None:
        """Nothing is pending: the next message starts afresh."""
        self.conversation.flow = None
        self.conversation.step = 0

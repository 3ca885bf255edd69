"""The one interface between the engine and language understanding.

The engine only ever calls :meth:`Understanding.parse`; whether the intent
comes from the embedded classifier or a Rasa server is the implementation's
business. Results serialise to the JSON of CONTRACT.md section 2.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any, Protocol

LANGUAGES = ("tr", "ar", "en", "fa")

INTENTS = (
    "greet",
    "goodbye",
    "thanks",
    "affirm",
    "deny",
    "menu",
    "change_language",
    "human_handoff",
    "stop",
    "delete_data",
    "faq_registration",
    "faq_health",
    "faq_education",
    "faq_psychosocial",
    "faq_parenting",
    "faq_child_activities",
    "faq_legal",
    "faq_work",
    "faq_financial_aid",
    "faq_helpline_info",
    "find_service",
    "out_of_scope",
)

# A sub-topic of an intent, written as Rasa writes a retrieval intent:
# "faq_registration/travel_permit" (training data: nlu/<lang>/topics.yml).
_TOPIC = re.compile(r"[a-z][a-z0-9_]*")


def split_intent_key(key: str) -> tuple[str, str | None]:
    """``"faq_legal/voluntary_return"`` → ``("faq_legal", "voluntary_return")``."""
    intent, _, topic = key.partition("/")
    return intent, topic or None


def valid_intent_key(key: object) -> bool:
    """An intent of CONTRACT.md section 2, alone or with a topic after a slash."""
    if not isinstance(key, str):
        return False
    intent, topic = split_intent_key(key)
    return intent in INTENTS and (topic is None or _TOPIC.fullmatch(topic) is not None)


SERVICE_CATEGORIES = (
    "health",
    "legal",
    "education",
    "psychosocial",
    "shelter",
    "food",
    "financial",
    "child_protection",
    "gbv",
    "disability",
    "language_course",
    "employment",
    "registration",
)

RISK_CATEGORIES = (
    "self_harm",
    "child_abuse",
    "domestic_violence",
    "child_marriage",
    "child_labour",
    "trafficking_exploitation",
    "missing_child",
    "medical_emergency",
    "basic_needs",
    "detention_deportation",
)


class RiskLevel(IntEnum):
    """Ordered so that levels compare: ``RiskLevel.HIGH > RiskLevel.MEDIUM``."""

    NONE = 0
    MEDIUM = 1
    HIGH = 2
    IMMINENT = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str) -> RiskLevel:
        return cls[value.upper()]


@dataclass(frozen=True)
class Entity:
    entity: str
    value: str
    text: str = ""

    def to_json(self) -> dict[str, str]:
        return {"entity": self.entity, "value": self.value}


@dataclass(frozen=True)
class Risk:
    level: RiskLevel = RiskLevel.NONE
    category: str | None = None
    evidence: tuple[str, ...] = ()
    # medium from weak evidence (the model alone, moderately sure): the bot answers the
    # question and gently asks whether the person or a child is in danger now
    unsure: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "level": self.level.label,
            "category": self.category if self.level > RiskLevel.NONE else None,
            "evidence": list(self.evidence),
        }


NO_RISK = Risk()


@dataclass(frozen=True)
class Understanding:
    """What the NLU made of one message."""

    text: str
    language: str
    intent: str
    confidence: float
    entities: tuple[Entity, ...] = ()
    risk: Risk = NO_RISK
    language_confidence: float = 0.0
    intent_ranking: tuple[tuple[str, float], ...] = field(default=())
    # the intent's sub-topic, when the question is about one (see split_intent_key)
    topic: str | None = None

    @property
    def intent_key(self) -> str:
        return f"{self.intent}/{self.topic}" if self.topic else self.intent

    def entity(self, name: str) -> str | None:
        return next((e.value for e in self.entities if e.entity == name), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "language": self.language,
            "intent": self.intent,
            "confidence": round(self.confidence, 4),
            "entities": [e.to_json() for e in self.entities],
            "risk": self.risk.to_json(),
        }


class NLU(Protocol):
    """Anything that turns a message into an :class:`Understanding`.

    ``language_hint`` is the conversation's current language; implementations
    keep it unless the text clearly is another language.
    """

    def parse(self, text: str, language_hint: str | None = None) -> Understanding: ...

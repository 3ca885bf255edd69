"""The embedded NLU: language, intent, entities and risk in one process.

:func:`build_nlu` is what the engine calls to get an :class:`~bot.nlu.base.NLU`
from the settings (embedded, or a Rasa server for intents and entities).
:meth:`EmbeddedNLU.parse` never raises: whatever bytes a platform delivers,
the engine gets an answer, and a failure in one stage leaves the others
standing (a broken classifier must not silence the risk check).
"""

from __future__ import annotations

import logging

from bot.nlu.base import NLU, Entity, Risk, Understanding
from bot.nlu.entities import EntityExtractor
from bot.nlu.intents import OUT_OF_SCOPE, IntentPrediction
from bot.nlu.language import DEFAULT_LANGUAGE, LanguageIdentifier
from bot.nlu.model_store import TrainedNLU, load_or_train
from bot.nlu.risk import RiskDetector
from bot.settings import Settings

log = logging.getLogger(__name__)

# Only the start of a very long message is classified; risk reads all of it.
MAX_UNDERSTOOD_CHARS = 4000

# A question about a topic implies the kind of service when no word names one
# ("is the vaccine free?" is about health). Such an entity has empty ``text``.
IMPLIED_CATEGORY = {
    "faq_health": "health",
    "faq_legal": "legal",
    "faq_education": "education",
    "faq_psychosocial": "psychosocial",
    "faq_work": "employment",
    "faq_financial_aid": "financial",
    "faq_registration": "registration",
}


class EmbeddedNLU:
    """Implements the :class:`~bot.nlu.base.NLU` protocol without any server."""

    def __init__(
        self,
        model: TrainedNLU,
        intent_threshold: float = 0.35,
        default_language: str = DEFAULT_LANGUAGE,
        languages: LanguageIdentifier | None = None,
    ) -> None:
        self.model = model
        self.intent_threshold = intent_threshold
        self.default_language = default_language
        self._languages = languages or LanguageIdentifier(default_language)
        self._entities = EntityExtractor(model.data)
        self._risk = RiskDetector(model.data, model.risk_model)

    @classmethod
    def from_settings(cls, settings: Settings) -> EmbeddedNLU:
        model = load_or_train(settings.nlu.data_dir, settings.nlu.model_path)
        languages = LanguageIdentifier(settings.default_language, settings.nlu.language_accuracy)
        return cls(model, settings.nlu.intent_threshold, settings.default_language, languages)

    def parse(self, text: str, language_hint: str | None = None) -> Understanding:
        text = safe_text(text)
        head = text[:MAX_UNDERSTOOD_CHARS]
        language, language_confidence = self.language(head, language_hint)
        prediction = self.intent(head)
        entities = self.entities(head)
        implied = IMPLIED_CATEGORY.get(prediction.intent)
        if implied and not any(e.entity == "service_category" for e in entities):
            entities = (Entity("service_category", implied, ""), *entities)
        return Understanding(
            text=text,
            language=language,
            intent=prediction.intent,
            confidence=prediction.confidence,
            entities=entities,
            risk=self.risk(text),
            language_confidence=language_confidence,
            intent_ranking=prediction.ranking,
            topic=prediction.topic,
        )

    def language(self, text: str, hint: str | None = None) -> tuple[str, float]:
        fallback = hint or self.default_language
        try:
            detection = self._languages.detect(text, hint, self.model.language_help)
        except Exception:
            log.exception("language detection failed; keeping %s", fallback)
            return fallback, 0.0
        return detection.language, detection.confidence

    def intent(self, text: str) -> IntentPrediction:
        if not any(ch.isalpha() for ch in text):  # empty, numbers, emoji: nothing to classify
            return IntentPrediction(OUT_OF_SCOPE, 1.0, ((OUT_OF_SCOPE, 1.0),))
        try:
            return self.model.intents.predict(text, self.intent_threshold)
        except Exception:
            log.exception("intent classification failed; answering out_of_scope")
            return IntentPrediction(OUT_OF_SCOPE, 0.0, ())

    def entities(self, text: str) -> tuple[Entity, ...]:
        try:
            return self._entities.extract(text)
        except Exception:
            log.exception("entity extraction failed")
            return ()

    def risk(self, text: str) -> Risk:
        try:
            return self._risk.assess(text)
        except Exception:
            log.exception("risk assessment failed")
            return Risk(evidence=("error:risk assessment failed",))


def safe_text(text: object) -> str:
    """Any input as a clean ``str``: lone surrogates become U+FFFD, non-strings ''."""
    if not isinstance(text, str):
        return ""
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def build_nlu(settings: Settings) -> NLU:
    """The NLU the settings ask for: embedded, or Rasa (with the embedded one beside it)."""
    embedded = EmbeddedNLU.from_settings(settings)
    if settings.nlu.backend == "rasa":
        from bot.nlu.rasa import RasaNLU

        if not settings.nlu.rasa_url:
            raise ValueError("nlu.backend is 'rasa' but nlu.rasa_url is not set")
        return RasaNLU(settings.nlu.rasa_url, embedded)
    return embedded

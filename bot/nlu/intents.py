"""The embedded intent classifier: TF-IDF n-grams and a linear model.

Features are computed on the *folded* text (normalise.fold), so Turkish
typed without its letters, Arabic spelling variants and Persian/Arabic
letter forms meet the same n-grams. Character n-grams (inside word
boundaries) carry typos, Turkish suffixes and Arabizi; word uni- and
bigrams carry the phrasing. Which linear model sits on top was chosen on
cross-validated macro-F1 (see bench/results.md); the candidates are in
:mod:`bot.nlu.intent_models`, which only training imports (with scikit-learn).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from bot.nlu.linear import CompiledLinear, Vector
from bot.nlu.normalise import fold

OUT_OF_SCOPE = "out_of_scope"
NO_TOPIC = "-"
# an example whose topic nobody labelled: the topic head leaves it out
TOPIC_UNKNOWN = "?"
# A topic answers only when the topic head is this sure (chosen on out-of-fold
# predictions of the training data: bench/topic_bench.py).
TOPIC_THRESHOLD = 0.7
# Enough for any real question; the rest of a long message is for the risk check.
MAX_CLASSIFIED_CHARS = 1000


CHOSEN = "tfidf+linearsvc(temperature)"


@dataclass(frozen=True)
class IntentPrediction:
    intent: str
    confidence: float
    ranking: tuple[tuple[str, float], ...]
    topic: str | None = None


class IntentClassifier:
    """Fit on (text, intent) pairs; predict an intent with a probability."""

    def __init__(self, candidate: str = CHOSEN) -> None:
        self.candidate = candidate
        self._model: CompiledLinear | None = None
        self._classes: tuple[str, ...] = ()
        # the topic head: same features, classes are the topics and NO_TOPIC
        self._topics: CompiledLinear | None = None
        self._topic_intent: dict[str, str] = {}

    def fit(
        self,
        texts: Sequence[str],
        intents: Sequence[str],
        topics: Sequence[str | None] | None = None,
    ) -> IntentClassifier:
        """Fit the intents; with `topics` (one per text), the topic head too.

        A topic is a name, None for "no topic", or TOPIC_UNKNOWN where nobody labelled
        it: those texts train the intents only.
        """
        if len(set(intents)) < 3:
            raise ValueError("intent training needs examples of at least three intents")
        from bot.nlu.intent_models import CANDIDATES, fit_head  # training only: scikit-learn

        prepared = [prepare(t) for t in texts]
        pipeline = CANDIDATES[self.candidate]()
        pipeline.fit(prepared, list(intents))
        self._model = CompiledLinear(pipeline)
        self._classes = self._model.classes
        if topics is not None and len({t for t in topics if t and t != TOPIC_UNKNOWN}) >= 2:
            rows = [i for i, t in enumerate(topics) if t != TOPIC_UNKNOWN]
            labels = [topics[i] or NO_TOPIC for i in rows]
            head = fit_head(pipeline, [prepared[i] for i in rows], labels)
            self._topics = CompiledLinear(head, self._model)
            self._topic_intent = {
                t: i for t, i in zip(topics, intents, strict=True) if t and t != TOPIC_UNKNOWN
            }
        return self

    @property
    def topics(self) -> dict[str, str]:
        """Each topic the head knows, with the intent it belongs to."""
        return dict(self._topic_intent)

    @property
    def classes(self) -> tuple[str, ...]:
        return self._classes

    def predict(self, text: str, threshold: float, top: int = 5) -> IntentPrediction:
        """The best intent, or ``out_of_scope`` when its probability is below *threshold*."""
        prepared = prepare(text)
        if not prepared or not self._classes:
            return IntentPrediction(OUT_OF_SCOPE, 1.0, ((OUT_OF_SCOPE, 1.0),))
        return self.predict_many([prepared], threshold, top, prepared=True)[0]

    def predict_many(
        self, texts: Sequence[str], threshold: float, top: int = 5, prepared: bool = False
    ) -> list[IntentPrediction]:
        if self._model is None:
            raise RuntimeError("the intent classifier is not trained")
        batch = list(texts) if prepared else [prepare(t) for t in texts]
        out: list[IntentPrediction] = []
        for text in batch:
            columns, values = self._model.features(text)
            row = self._model.proba(columns, values)
            order = np.argsort(row)[::-1][:top]
            ranking = tuple((self._classes[i], float(row[i])) for i in order)
            best, confidence = ranking[0]
            if not text or confidence < threshold:
                best = OUT_OF_SCOPE
            prediction = IntentPrediction(best, confidence, ranking)
            out.append(self._with_topic(prediction, columns, values) if text else prediction)
        return out

    def _with_topic(
        self, prediction: IntentPrediction, columns: NDArray[np.intp], values: Vector
    ) -> IntentPrediction:
        if self._topics is None:
            return prediction
        topic, sure = self._best_topic(columns, values)
        return with_topic(prediction, topic, sure, self._topic_intent.get(topic), TOPIC_THRESHOLD)

    def _best_topic(self, columns: NDArray[np.intp], values: Vector) -> tuple[str, float]:
        assert self._topics is not None
        row = self._topics.proba(columns, values)
        best = int(np.argmax(row))
        return self._topics.classes[best], float(row[best])

    def topic_scores(self, text: str) -> tuple[str | None, float]:
        """The topic head's best guess for *text* and its probability (None: no topic)."""
        if self._topics is None or self._model is None:
            return None, 0.0
        topic, sure = self._best_topic(*self._model.features(prepare(text)))
        return (None if topic == NO_TOPIC else topic), sure


def with_topic(
    prediction: IntentPrediction,
    topic: str,
    sure: float,
    topic_intent: str | None,
    threshold: float,
) -> IntentPrediction:
    """*prediction* with the topic head's best guess, when it is sure enough.

    A sure topic overrides another information-desk intent or out_of_scope
    (its examples are the most specific we have) but never a request such as
    find_service or stop. `topic_intent` is None for NO_TOPIC.
    """
    if topic_intent is None or sure < threshold:
        return prediction
    if prediction.intent == topic_intent:
        return replace(prediction, topic=topic)
    if prediction.intent == OUT_OF_SCOPE or prediction.intent.startswith("faq_"):
        return replace(prediction, intent=topic_intent, confidence=sure, topic=topic)
    return prediction


def prepare(text: str) -> str:
    """What the classifier sees: the folded first ``MAX_CLASSIFIED_CHARS`` characters."""
    return fold(text[: MAX_CLASSIFIED_CHARS * 2])[:MAX_CLASSIFIED_CHARS]

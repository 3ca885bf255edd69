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
from dataclasses import dataclass

import numpy as np

from bot.nlu.linear import CompiledLinear
from bot.nlu.normalise import fold

OUT_OF_SCOPE = "out_of_scope"
# Enough for any real question; the rest of a long message is for the risk check.
MAX_CLASSIFIED_CHARS = 1000


CHOSEN = "tfidf+linearsvc(temperature)"


@dataclass(frozen=True)
class IntentPrediction:
    intent: str
    confidence: float
    ranking: tuple[tuple[str, float], ...]


class IntentClassifier:
    """Fit on (text, intent) pairs; predict an intent with a probability."""

    def __init__(self, candidate: str = CHOSEN) -> None:
        self.candidate = candidate
        self._model: CompiledLinear | None = None
        self._classes: tuple[str, ...] = ()

    def fit(self, texts: Sequence[str], intents: Sequence[str]) -> IntentClassifier:
        if len(set(intents)) < 3:
            raise ValueError("intent training needs examples of at least three intents")
        from bot.nlu.intent_models import CANDIDATES  # training only: scikit-learn

        pipeline = CANDIDATES[self.candidate]()
        pipeline.fit([prepare(t) for t in texts], list(intents))
        self._model = CompiledLinear(pipeline)
        self._classes = self._model.classes
        return self

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
            row = self._model.predict_proba(text)
            order = np.argsort(row)[::-1][:top]
            ranking = tuple((self._classes[i], float(row[i])) for i in order)
            best, confidence = ranking[0]
            if not text or confidence < threshold:
                best = OUT_OF_SCOPE
            out.append(IntentPrediction(best, confidence, ranking))
        return out


def prepare(text: str) -> str:
    """What the classifier sees: the folded first ``MAX_CLASSIFIED_CHARS`` characters."""
    return fold(text[: MAX_CLASSIFIED_CHARS * 2])[:MAX_CLASSIFIED_CHARS]

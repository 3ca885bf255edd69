"""The learned half of the risk check: three linear models on one TF-IDF feature space.

See :mod:`bot.nlu.risk` for how the model's view combines with the reviewed
phrase lists. Training data: the labelled risk examples, and every intent
example as a message without risk.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from bot.nlu.linear import CompiledLinear
from bot.nlu.normalise import fold
from bot.nlu.training_data import TrainingData

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

NONE = "none"


@dataclass(frozen=True)
class ModelView:
    """What the model makes of a message (its most worrying window)."""

    category: str
    p_risk: float  # 1 - P(none)
    p_serious: float  # P(high) + P(imminent)
    p_imminent: float


NO_VIEW = ModelView(NONE, 0.0, 0.0, 0.0)


class RiskModel:
    """Three linear classifiers on one TF-IDF feature space (char_wb 2-5 + word 1-2 grams).

    * risk: binary, some risk against none, over every example (the intent
      examples count as none): P(risk);
    * category: over the risk examples only, which kind of risk it would be;
    * level: over the risk examples only, P(high or imminent | risk) and
      P(imminent | risk).

    The binary model separates risk from none without the noise a
    many-class model with balanced class weights adds to P(none).
    """

    def __init__(self, c_risk: float = 10.0, balanced: bool = True, c_kind: float = 10.0) -> None:
        self.c_risk = c_risk
        self.balanced = balanced
        self.c_kind = c_kind
        self._risk: CompiledLinear | None = None
        self._category: CompiledLinear | None = None
        self._level: CompiledLinear | None = None

    def fit(self, texts: Sequence[str], categories: Sequence[str], levels: Sequence[str]) -> None:
        from sklearn.linear_model import LogisticRegression  # training only (see bot.nlu.linear)
        from sklearn.pipeline import Pipeline

        folded = [fold(t) for t in texts]
        risky = [i for i, c in enumerate(categories) if c != NONE]
        if len(set(categories)) < 3 or len(set(levels)) < 3 or len(risky) == len(texts):
            raise ValueError("the risk model needs 'none' and two risk categories and levels")
        features = _features().fit(folded)
        matrix = features.transform(folded)
        is_risk = ["risk" if c != NONE else NONE for c in categories]
        risk = LogisticRegression(
            C=self.c_risk, max_iter=1000, class_weight="balanced" if self.balanced else None
        ).fit(matrix, is_risk)
        kind_rows = matrix[risky]
        category = LogisticRegression(C=self.c_kind, max_iter=1000, class_weight="balanced").fit(
            kind_rows, [categories[i] for i in risky]
        )
        level = LogisticRegression(C=self.c_kind, max_iter=1000, class_weight="balanced").fit(
            kind_rows, [levels[i] for i in risky]
        )
        self._risk = CompiledLinear(Pipeline([("features", features), ("model", risk)]))
        self._category = CompiledLinear(
            Pipeline([("features", features), ("model", category)]), same_features=self._risk
        )
        self._level = CompiledLinear(
            Pipeline([("features", features), ("model", level)]), same_features=self._risk
        )

    def predict(self, windows: Sequence[str]) -> ModelView:
        """The window with the highest P(risk) speaks for the message."""
        if self._risk is None or self._category is None or self._level is None or not windows:
            return NO_VIEW
        best: ModelView = NO_VIEW
        risk_column = self._risk.classes.index("risk")
        for window in windows:
            columns, values = self._risk.features(fold(window))
            p_risk = float(self._risk.proba(columns, values)[risk_column])
            if best is not NO_VIEW and p_risk <= best.p_risk:
                continue
            kinds = self._category.proba(columns, values)
            category = self._category.classes[int(np.argmax(kinds))]
            levels = dict(zip(self._level.classes, self._level.proba(columns, values), strict=True))
            p_imminent = float(levels.get("imminent", 0.0))
            p_serious = p_imminent + float(levels.get("high", 0.0))
            best = ModelView(category, p_risk, p_serious, p_imminent)
        return best


def _features() -> FeatureUnion:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    def block(analyzer: str, ngrams: tuple[int, int]) -> TfidfVectorizer:
        return TfidfVectorizer(
            analyzer=analyzer,
            ngram_range=ngrams,
            sublinear_tf=True,
            lowercase=False,
            dtype=np.float32,
        )

    return FeatureUnion([("chars", block("char_wb", (2, 5))), ("words", block("word", (1, 2)))])


def labelled_messages(data: TrainingData) -> tuple[list[str], list[str], list[str]]:
    """Texts, categories and levels the model learns from: the risk examples, then (as
    none) every intent example that is not also a risk example."""
    safe = data.intent_texts_beyond_risk()
    texts = [e.text for e in data.risk_examples] + safe
    categories = [e.category for e in data.risk_examples] + [NONE] * len(safe)
    levels = [e.level.label for e in data.risk_examples] + ["none"] * len(safe)
    return texts, categories, levels


def train_risk_model(data: TrainingData) -> RiskModel | None:
    """Fit the model on the risk examples and, as safe messages, the intent examples."""
    texts, categories, levels = labelled_messages(data)
    if len(set(categories)) < 3 or len(set(levels)) < 3 or NONE not in categories:
        return None  # too little labelled data for a model: the lists work alone
    model = RiskModel()
    model.fit(texts, categories, levels)
    return model

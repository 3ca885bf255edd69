"""Risk model families on the same folds: how well each tells risk from none.

Every variant is the binary risk-vs-none model of `bot/nlu/risk_model.py`
(the labelled risk examples and, as none, the intent examples of `nlu/`),
trained on four fifths and scored on the fifth it did not see (the same 5
stratified folds, seed 13, for every variant). Printed per variant: the
share of risk-free messages (and of the hard negatives among them) whose
P(risk) reaches the threshold that keeps 90% and 95% of the high and
imminent examples. Lower is better; the lists and thresholds are left out
so that only the model is compared.

    .venv/bin/python bench/risk_models.py [VARIANT ...]
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion
from sklearn.svm import LinearSVC

from bot.nlu.normalise import fold
from bot.nlu.training_data import load

ROOT = Path(__file__).resolve().parents[1]
RECALLS = (0.90, 0.95)


def features(chars: str = "char_wb", char_range: tuple[int, int] = (2, 5)) -> FeatureUnion:
    def block(analyzer: str, ngrams: tuple[int, int]) -> TfidfVectorizer:
        return TfidfVectorizer(
            analyzer=analyzer,
            ngram_range=ngrams,
            sublinear_tf=True,
            lowercase=False,
            dtype=np.float32,
        )

    return FeatureUnion([("c", block(chars, char_range)), ("w", block("word", (1, 2)))])


class NaiveBayesLogistic:
    """NB-LR (Wang & Manning 2012): features scaled by their log-count ratio."""

    def __init__(self, c: float) -> None:
        self.c = c

    def fit(self, x: Any, y: np.ndarray, sample_weight: Any = None) -> NaiveBayesLogistic:
        binary = x.copy()
        binary.data[:] = 1
        p = np.asarray(binary[y].sum(0)).ravel() + 1
        q = np.asarray(binary[~y].sum(0)).ravel() + 1
        self.ratio = np.log((p / p.sum()) / (q / q.sum())).astype(np.float32)
        self.model = LogisticRegression(C=self.c, max_iter=2000, class_weight="balanced")
        self.model.fit(x.multiply(self.ratio).tocsr(), y)
        return self

    def decision_function(self, x: Any) -> Any:
        return self.model.decision_function(x.multiply(self.ratio).tocsr())


def logistic(c: float, balanced: bool = True) -> Callable[[], Any]:
    weight = "balanced" if balanced else None
    return lambda: LogisticRegression(C=c, max_iter=1000, class_weight=weight)


# name -> (features, model, weight of a hard negative)
VARIANTS: dict[str, tuple[Callable[[], FeatureUnion], Callable[[], Any], float]] = {
    "shipped: char_wb 2-5 + word 1-2, LR C=10": (features, logistic(10), 1.0),
    "LR C=1": (features, logistic(1), 1.0),
    "LR C=30": (features, logistic(30), 1.0),
    "LR C=10 unbalanced": (features, logistic(10, balanced=False), 1.0),
    "char 2-5 (across words)": (lambda: features("char"), logistic(10), 1.0),
    "char_wb 1-6": (lambda: features(char_range=(1, 6)), logistic(10), 1.0),
    "linear SVM C=0.5": (features, lambda: LinearSVC(C=0.5, class_weight="balanced"), 1.0),
    "NB-LR C=10": (features, lambda: NaiveBayesLogistic(10), 1.0),
    "LR C=10, hard negatives weighted 3": (features, logistic(10), 3.0),
}


def main(names: list[str]) -> None:
    data = load(ROOT / "nlu")
    texts = [fold(e.text) for e in data.risk_examples] + [fold(e.text) for e in data.examples]
    categories = [e.category for e in data.risk_examples] + ["none"] * len(data.examples)
    levels = [e.level.label for e in data.risk_examples] + ["none"] * len(data.examples)
    risk = np.array([c != "none" for c in categories])
    high = np.array([level in ("high", "imminent") for level in levels])
    hard = np.array([i < len(data.risk_examples) and not risk[i] for i in range(len(texts))])
    folds = list(StratifiedKFold(5, shuffle=True, random_state=13).split(texts, categories))
    print(f"{len(texts)} messages: {int(risk.sum())} risk, {int(hard.sum())} hard negatives")
    for name in names or list(VARIANTS):
        make_features, make_model, hard_weight = VARIANTS[name]
        started = time.perf_counter()
        score = np.zeros(len(texts))
        for train, held in folds:
            space = make_features().fit([texts[i] for i in train])
            model = make_model()
            weights = np.where(hard[train], hard_weight, 1.0)
            matrix = space.transform([texts[i] for i in train])
            model.fit(matrix, risk[train], sample_weight=weights)
            score[held] = model.decision_function(space.transform([texts[i] for i in held]))
        cells = []
        for recall in RECALLS:
            threshold = np.quantile(score[high], 1 - recall)
            safe = float(np.mean(score[~risk] >= threshold))
            hard_share = float(np.mean(score[hard] >= threshold))
            cells.append(f"recall {recall:.2f}: safe {safe:.4f}, hard {hard_share:.4f}")
        print(f"{name:42s} {' | '.join(cells)}  ({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main(sys.argv[1:])

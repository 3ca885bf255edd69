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

bench/encoder_models.py reuses the data, folds and scoring (`risk_data`,
`out_of_fold`, `row`) for the sentence encoder variants.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion
from sklearn.svm import LinearSVC

from bot.nlu.normalise import fold
from bot.nlu.risk_model import labelled_messages
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


@dataclass(frozen=True)
class RiskData:
    """The risk examples and, as none, the intent examples, with the shared folds."""

    texts: list[str]  # folded, as the shipped model reads them
    written: list[str]  # as written
    risk: np.ndarray
    high: np.ndarray  # high or imminent
    hard: np.ndarray  # risk-free risk examples (hard negatives)
    folds: list[tuple[np.ndarray, np.ndarray]]


# (training rows, held-out rows) -> (training matrix, held-out matrix)
Matrices = Callable[[np.ndarray, np.ndarray], tuple[Any, Any]]


def risk_data() -> RiskData:
    data = load(ROOT / "nlu")
    written, categories, levels = labelled_messages(data)
    risk = np.array([c != "none" for c in categories])
    hard = np.zeros(len(written), dtype=bool)
    hard[: len(data.risk_examples)] = ~risk[: len(data.risk_examples)]
    folds = list(StratifiedKFold(5, shuffle=True, random_state=13).split(written, categories))
    return RiskData(
        texts=[fold(t) for t in written],
        written=written,
        risk=risk,
        high=np.array([level in ("high", "imminent") for level in levels]),
        hard=hard,
        folds=folds,
    )


def tfidf(texts: list[str], make: Callable[[], FeatureUnion] = features) -> Matrices:
    def matrices(train: np.ndarray, held: np.ndarray) -> tuple[Any, Any]:
        # fit, then transform, as the shipped model: fit_transform leaves the indices unsorted
        # and lbfgs on float32 then stops elsewhere
        space = make().fit([texts[i] for i in train])
        return space.transform([texts[i] for i in train]), space.transform([texts[i] for i in held])

    return matrices


def out_of_fold(
    data: RiskData, matrices: Matrices, make_model: Callable[[], Any], hard_weight: float = 1.0
) -> np.ndarray:
    """Each message's decision score from the model trained on the folds without it."""
    score = np.zeros(len(data.texts))
    for train, held in data.folds:
        fit, test = matrices(train, held)
        model = make_model()
        model.fit(fit, data.risk[train], sample_weight=np.where(data.hard[train], hard_weight, 1))
        score[held] = model.decision_function(test)
    return score


def row(name: str, score: np.ndarray, data: RiskData, seconds: float) -> str:
    """A markdown row: risk-free / hard-negative share over the threshold, per recall."""
    cells = []
    for recall in RECALLS:
        threshold = np.quantile(score[data.high], 1 - recall)
        safe = float(np.mean(score[~data.risk] >= threshold))
        cells.append(f"{safe:.4f} / {float(np.mean(score[data.hard] >= threshold)):.4f}")
    return f"| {name} | {' | '.join(cells)} | {seconds:.0f} |"


HEADER = (
    "| variant | recall 0.90: risk-free / hard negatives over threshold "
    "| recall 0.95: risk-free / hard negatives | seconds |\n| --- | --- | --- | --- |"
)


def main(names: list[str]) -> None:
    data = risk_data()
    print(
        f"{len(data.texts)} messages: {int(data.risk.sum())} risk, "
        f"{int(data.hard.sum())} hard negatives"
    )
    print(HEADER)
    for name in names or list(VARIANTS):
        make_features, make_model, hard_weight = VARIANTS[name]
        started = time.perf_counter()
        score = out_of_fold(data, tfidf(data.texts, make_features), make_model, hard_weight)
        print(row(name, score, data, time.perf_counter() - started), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])

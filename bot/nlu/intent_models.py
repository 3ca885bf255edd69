"""The intent candidates for training: TF-IDF n-grams and linear scikit-learn models.

Training only: a serving process never imports this module (nor scikit-learn);
the fitted pipeline is compiled into :class:`bot.nlu.linear.CompiledLinear`.
Which linear model is used was chosen on cross-validated macro-F1 (see
bench/results.md); the others stay here so the comparison can be re-run
(`python bench/nlu_bench.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC


def _features() -> FeatureUnion:
    return FeatureUnion(
        [
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(2, 5),
                    sublinear_tf=True,
                    # an n-gram seen in one example only: half the vocabulary, no accuracy
                    # (5-fold cross-validation over 19,058 examples: 0.8384 either way)
                    min_df=2,
                    lowercase=False,
                    dtype=np.float32,
                ),
            ),
            (
                "words",
                TfidfVectorizer(
                    analyzer="word",
                    ngram_range=(1, 2),
                    sublinear_tf=True,
                    token_pattern=r"(?u)\b\w+\b",
                    lowercase=False,
                    dtype=np.float32,
                ),
            ),
        ]
    )


class TemperatureScaledSVC(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """LinearSVC whose scores become probabilities by a softmax with a fitted temperature.

    One-vs-rest sigmoid calibration (CalibratedClassifierCV) normalised over
    22 intents comes out far too low (answers right 92% of the time got 0.59),
    so a fixed threshold sends good answers to out_of_scope. Here the
    temperature is fitted on out-of-fold scores of the training data
    (minimum log loss), which makes the confidence a calibrated probability.
    The result is a plain linear model: ``coef_`` and ``intercept_`` already
    divided by the temperature, so ``predict_proba`` is ``softmax(X @ coef_.T + b)``.
    """

    def __init__(
        self,
        C: float = 0.5,  # noqa: N803 (sklearn's name)
        folds: int = 3,
        class_weight: str | None = None,
    ) -> None:
        self.C = C
        self.folds = folds
        self.class_weight = class_weight

    def fit(self, X: Any, y: Any) -> TemperatureScaledSVC:  # noqa: N803
        labels = np.asarray(y)
        self.classes_ = np.unique(labels)
        index = {c: i for i, c in enumerate(self.classes_)}
        target = np.array([index[c] for c in labels])
        out_of_fold = np.zeros((len(labels), len(self.classes_)))
        smallest = int(np.bincount(target).min())
        folds = max(2, min(self.folds, smallest))
        splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=7)
        for train, test in splitter.split(X, target):
            svc = LinearSVC(C=self.C, class_weight=self.class_weight)
            svc.fit(X[train], target[train])
            scores = svc.decision_function(X[test])
            # a class missing from a fold's training part scores very low
            full = np.full((len(test), len(self.classes_)), -10.0)
            full[:, svc.classes_] = scores
            out_of_fold[test] = full
        self.temperature_ = _fit_temperature(out_of_fold, target)
        final = LinearSVC(C=self.C, class_weight=self.class_weight).fit(X, target)
        self.coef_ = final.coef_ / self.temperature_
        self.intercept_ = final.intercept_ / self.temperature_
        return self

    def decision_function(self, X: Any) -> Any:  # noqa: N803
        return X @ self.coef_.T + self.intercept_

    def predict_proba(self, X: Any) -> Any:  # noqa: N803
        return _softmax(np.asarray(self.decision_function(X)))

    def predict(self, X: Any) -> Any:  # noqa: N803
        return self.classes_[np.argmax(self.decision_function(X), axis=1)]


def _softmax(scores: Any) -> Any:
    scores = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(scores)
    return exp / exp.sum(axis=1, keepdims=True)


def _fit_temperature(scores: Any, target: Any) -> float:
    """The temperature minimising the log loss of ``softmax(scores / T)``."""
    best_t, best_loss = 1.0, float("inf")
    for t in np.geomspace(0.01, 10.0, 120):
        proba = _softmax(scores / t)
        loss = -float(np.mean(np.log(proba[np.arange(len(target)), target] + 1e-12)))
        if loss < best_loss:
            best_t, best_loss = float(t), loss
    return best_t


def _svc_temperature() -> Pipeline:
    return Pipeline([("features", _features()), ("model", TemperatureScaledSVC(C=0.5))])


def _logreg() -> Pipeline:
    return Pipeline(
        [("features", _features()), ("model", LogisticRegression(C=20.0, max_iter=2000))]
    )


def _svc_calibrated() -> Pipeline:
    svc = LinearSVC(C=0.5)
    return Pipeline(
        [
            ("features", _features()),
            ("model", CalibratedClassifierCV(svc, method="sigmoid", cv=3)),
        ]
    )


def _sgd() -> Pipeline:
    sgd = SGDClassifier(loss="modified_huber", alpha=1e-4, max_iter=50, random_state=0)
    return Pipeline([("features", _features()), ("model", sgd)])


def fit_head(fitted: Pipeline, texts: list[str], labels: list[str]) -> Pipeline:
    """A second linear model on *fitted*'s features (not refitted), for other labels.

    The topic head shares the intent model's vocabulary, so it costs the
    serving process one small weight matrix, not a second feature space.
    Classes are weighted ("balanced"): the examples without a topic outnumber
    each topic's many times over (out of fold: F1 0.80 -> 0.83 at under 2%
    false topics, bench/results.md).
    """
    features = fitted.steps[0][1]
    head = TemperatureScaledSVC(C=0.5, class_weight="balanced").fit(
        features.transform(texts), labels
    )
    return Pipeline([("features", features), ("model", head)])


CANDIDATES: dict[str, Callable[[], Pipeline]] = {
    "tfidf+linearsvc(temperature)": _svc_temperature,
    "tfidf+logreg": _logreg,
    "tfidf+linearsvc(calibrated)": _svc_calibrated,
    "tfidf+sgd(modified_huber)": _sgd,
}

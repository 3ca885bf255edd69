"""A static sentence encoder (wordllama) against and beside the shipped n-gram features.

Measurement only: nothing in bot/ uses the encoder. wordllama is not a project
dependency; install it into the venv by hand:

    .venv/bin/pip install wordllama
    PYTHONPATH=. .venv/bin/python bench/encoder_models.py [risk] [intents]

The wheel (0.4.0.post1) bundles one model only, ``l2_supercat`` at 256
dimensions (token embeddings distilled from Llama 2 models, Llama 2's 32,000
token vocabulary); the other sizes and the Llama 3 model are Hugging Face
downloads. It looks for its bundled tokenizer in the wrong folder, so it is
loaded with ``cache_dir`` set to the package's own folder and downloads off.
The encoder reads :func:`clean` text (case folded, Turkish letters kept).

* risk: the binary risk-vs-none model of bench/risk_models.py on the same
  data and folds (its helpers), on the embedding alone and on the shipped
  TF-IDF features with the embedding stacked beside them;
* intents: 5 stratified folds (seed 13, as `helpline nlu cross-validate`)
  over the intent examples, accuracy overall and per language, for the
  shipped features and linear SVM, and the same with the embedding stacked.

The stacked embedding is standardised on the training rows and scaled to a
row norm of about `weight`; each TF-IDF block has norm 1.
"""

from __future__ import annotations

import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from risk_models import (
    HEADER,
    ROOT,
    RiskData,
    features,
    logistic,
    out_of_fold,
    risk_data,
    row,
    tfidf,
)
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from bot.nlu.intent_models import _features as intent_features
from bot.nlu.intents import prepare
from bot.nlu.normalise import clean
from bot.nlu.training_data import load


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def encoder() -> Any:
    """The bundled wordllama model, without a network call (timed, with the RSS it adds)."""
    before, started = rss_mb(), time.perf_counter()
    import wordllama

    bundled = Path(wordllama.__file__).parent
    model = wordllama.WordLlama.load(cache_dir=bundled, disable_download=True)
    print(
        f"wordllama {wordllama.__version__}: {model.embedding.shape} loaded in "
        f"{time.perf_counter() - started:.2f} s (import included), RSS +{rss_mb() - before:.0f} MB"
    )
    return model


def embed(model: Any, texts: list[str]) -> np.ndarray:
    """Mean-pooled token embeddings of *texts*, with the per-message latency printed."""
    cleaned = [clean(t) for t in texts]
    sample = cleaned[:: max(1, len(cleaned) // 500)]
    latencies = []
    for text in sample:
        started = time.perf_counter()
        model.embed(text)
        latencies.append((time.perf_counter() - started) * 1000)
    started = time.perf_counter()
    vectors = np.asarray(model.embed(cleaned, batch_size=256), dtype=np.float32)
    print(
        f"embedding one message: p50 {statistics.median(latencies):.3f} ms, "
        f"p99 {sorted(latencies)[int(len(latencies) * 0.99) - 1]:.3f} ms; "
        f"{len(texts)} in batches: {time.perf_counter() - started:.1f} s"
    )
    return vectors


def scaled(vectors: np.ndarray, train: np.ndarray, rows: np.ndarray, weight: float) -> np.ndarray:
    """*rows* of *vectors* standardised on *train*, scaled to a row norm of about *weight*."""
    mean, spread = vectors[train].mean(0), vectors[train].std(0) + 1e-6
    result: np.ndarray = (vectors[rows] - mean) / spread * (weight / np.sqrt(vectors.shape[1]))
    return result


def alone(vectors: np.ndarray) -> Callable[[np.ndarray, np.ndarray], tuple[Any, Any]]:
    def matrices(train: np.ndarray, held: np.ndarray) -> tuple[Any, Any]:
        return scaled(vectors, train, train, 16.0), scaled(vectors, train, held, 16.0)

    return matrices


def stacked(
    sparse: Callable[[np.ndarray, np.ndarray], tuple[Any, Any]], vectors: np.ndarray, weight: float
) -> Callable[[np.ndarray, np.ndarray], tuple[Any, Any]]:
    def matrices(train: np.ndarray, held: np.ndarray) -> tuple[Any, Any]:
        fit, test = sparse(train, held)
        # float32, as the shipped TF-IDF rows (lbfgs stops elsewhere in float64)
        return (
            sp.hstack([fit, scaled(vectors, train, train, weight)], "csr", np.float32),
            sp.hstack([test, scaled(vectors, train, held, weight)], "csr", np.float32),
        )

    return matrices


def cached(
    matrices: Callable[[np.ndarray, np.ndarray], tuple[Any, Any]],
) -> Callable[[np.ndarray, np.ndarray], tuple[Any, Any]]:
    """The TF-IDF matrices of each fold computed once for all the variants."""
    store: dict[bytes, tuple[Any, Any]] = {}

    def once(train: np.ndarray, held: np.ndarray) -> tuple[Any, Any]:
        key = held.tobytes()
        if key not in store:
            store[key] = matrices(train, held)
        return store[key]

    return once


def svc(c: float) -> Callable[[], Any]:
    return lambda: LinearSVC(C=c)


def risk(model: Any) -> None:
    data: RiskData = risk_data()
    vectors = embed(model, data.written)
    shipped = cached(tfidf(data.texts, features))
    variants: list[tuple[str, Callable[[np.ndarray, np.ndarray], tuple[Any, Any]], float]] = [
        ("shipped: TF-IDF, LR C=10", shipped, 10),
        *[(f"wordllama alone, LR C={c:g}", alone(vectors), c) for c in (0.1, 1, 10)],
        *[
            (f"TF-IDF + wordllama x{w:g}, LR C={c:g}", stacked(shipped, vectors, w), c)
            for w in (0.5, 1, 2)
            for c in (3, 10)
        ],
    ]
    print(f"{len(data.texts)} messages: {int(data.risk.sum())} risk, {int(data.hard.sum())} hard")
    print(HEADER)
    for name, matrices, c in variants:
        started = time.perf_counter()
        score = out_of_fold(data, matrices, logistic(c))
        print(row(name, score, data, time.perf_counter() - started), flush=True)


def intents(model: Any) -> None:
    examples = load(ROOT / "nlu").examples
    texts = [prepare(e.text) for e in examples]
    labels = np.array([e.intent for e in examples])
    languages = np.array([e.language or "-" for e in examples])
    vectors = embed(model, [e.text for e in examples])
    folds = list(StratifiedKFold(5, shuffle=True, random_state=13).split(texts, labels))
    shipped = cached(tfidf(texts, intent_features))
    variants = [
        ("shipped: TF-IDF, linear SVM C=0.5", shipped, svc(0.5)),
        ("TF-IDF, linear SVM C=1", shipped, svc(1)),
        ("wordllama alone, LR C=1", alone(vectors), lambda: LogisticRegression(max_iter=2000)),
        *[
            (f"TF-IDF + wordllama x{w:g}, linear SVM C={c:g}", stacked(shipped, vectors, w), svc(c))
            for w in (0.5, 1, 2)
            for c in (0.5, 1)
        ],
    ]
    order = sorted(set(languages))
    print(f"{len(texts)} intent examples, {len(set(labels))} intents")
    print(f"| variant | all | {' | '.join(order)} | seconds |")
    print(f"| --- | --- |{' --- |' * len(order)} --- |")
    for name, matrices, make in variants:
        started = time.perf_counter()
        predicted = np.empty(len(texts), dtype=labels.dtype)
        for train, held in folds:
            fit, test = matrices(train, held)
            predicted[held] = make().fit(fit, labels[train]).predict(test)
        right = predicted == labels
        cells = " | ".join(f"{right[languages == lang].mean():.4f}" for lang in order)
        seconds = time.perf_counter() - started
        print(f"| {name} | {right.mean():.4f} | {cells} | {seconds:.0f} |", flush=True)


if __name__ == "__main__":
    parts = sys.argv[1:] or ["risk", "intents"]
    loaded = encoder()
    for part in parts:
        {"risk": risk, "intents": intents}[part](loaded)

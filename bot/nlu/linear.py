"""Fast prediction for fitted TF-IDF + linear scikit-learn pipelines.

scikit-learn's per-call input validation costs milliseconds, which is most
of the budget for one message. Training stays in scikit-learn; afterwards
:class:`CompiledLinear` keeps what prediction needs (each vectorizer's
analyzer, vocabulary and idf; the weights) and scores one text with one
vectorised look-up of its n-grams and one small matrix product. The results are
the pipeline's ``predict_proba`` to within 0.001 (half-precision weights; tests check it).
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import Pipeline

Vector = NDArray[np.float64]
_WHITE_SPACES = re.compile(r"\s\s+")


@dataclass(frozen=True)
class Analyzer:
    """scikit-learn's `build_analyzer()` for the settings we use, without importing it.

    Importing scikit-learn costs a serving process about 120 MB and seconds; a
    saved model holds no scikit-learn object, so only training imports it.
    The n-grams are exactly scikit-learn's (tests compare them).
    """

    kind: str  # "char_wb" | "char" | "word"
    ngram_range: tuple[int, int]
    lowercase: bool
    token_pattern: str

    @classmethod
    def of(cls, vectorizer: TfidfVectorizer) -> Analyzer:
        unsupported = [
            name
            for name in ("preprocessor", "tokenizer", "stop_words", "strip_accents")
            if getattr(vectorizer, name) is not None
        ]
        if unsupported or vectorizer.analyzer not in ("char_wb", "char", "word"):
            raise TypeError(
                f"cannot compile a vectorizer with {unsupported or vectorizer.analyzer}"
            )
        low, high = vectorizer.ngram_range
        return cls(
            vectorizer.analyzer,
            (low, high),
            bool(vectorizer.lowercase),
            vectorizer.token_pattern or "",
        )

    def __call__(self, text: str) -> list[str]:
        if self.lowercase:
            text = text.lower()
        if self.kind == "word":
            return self._words(re.findall(self.token_pattern, text))
        text = _WHITE_SPACES.sub(" ", text)
        return self._chars_wb(text) if self.kind == "char_wb" else self._chars(text)

    def _words(self, tokens: list[str]) -> list[str]:
        low, high = self.ngram_range
        grams = list(tokens) if low == 1 else []
        for n in range(max(low, 2), min(high + 1, len(tokens) + 1)):
            grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
        return grams

    def _chars_wb(self, text: str) -> list[str]:
        low, high = self.ngram_range
        grams: list[str] = []
        for word in text.split():
            word = f" {word} "
            for n in range(low, high + 1):
                offset = 0
                grams.append(word[offset : offset + n])
                while offset + n < len(word):
                    offset += 1
                    grams.append(word[offset : offset + n])
                if offset == 0:  # a short word counts once
                    break
        return grams

    def _chars(self, text: str) -> list[str]:
        low, high = self.ngram_range
        grams = list(text) if low == 1 else []
        for n in range(max(low, 2), min(high + 1, len(text) + 1)):
            grams.extend(text[i : i + n] for i in range(len(text) - n + 1))
        return grams


def gram_key(gram: str) -> int:
    """A 64-bit key for an n-gram (CRC-32 and Adler-32 side by side), stable across processes."""
    data = gram.encode("utf-8")
    return (zlib.crc32(data) << 32) | zlib.adler32(data)


class _Vectorizer:
    """One TF-IDF block of the feature space: analyzer, vocabulary, idf.

    The vocabulary is kept as sorted 64-bit n-gram keys (8 bytes an n-gram)
    instead of a dict of strings (about twenty times that): the serving process
    holds hundreds of thousands of them. An n-gram's feature column is its place
    among the sorted keys; :meth:`compile` also says which column scikit-learn
    gave each, so that the weights are put in the same order once, when compiling.
    Two n-grams sharing a key is about as likely as one in 10^8 pairs; a
    message's n-grams are looked up in one vectorised search.
    """

    def __init__(
        self,
        analyzer: Analyzer,
        keys: NDArray[np.uint64],
        idf: NDArray[np.float32],
        sublinear: bool,
        offset: int,
    ) -> None:
        self.analyzer = analyzer
        self.keys = keys
        self.idf = idf
        self.sublinear = sublinear
        self.offset = offset

    @classmethod
    def compile(
        cls, vectorizer: TfidfVectorizer, offset: int
    ) -> tuple[_Vectorizer, NDArray[np.intp]]:
        """The block, and scikit-learn's feature column for each of its columns."""
        grams = list(vectorizer.vocabulary_.items())
        keys = np.fromiter((gram_key(g) for g, _ in grams), dtype=np.uint64, count=len(grams))
        order = np.argsort(keys, kind="stable")
        columns = np.fromiter((c for _, c in grams), dtype=np.intp, count=len(grams))[order]
        idf = np.asarray(vectorizer.idf_, dtype=np.float32)[columns]
        block = cls(
            Analyzer.of(vectorizer), keys[order], idf, bool(vectorizer.sublinear_tf), offset
        )
        return block, columns + offset

    def features(self, text: str) -> tuple[NDArray[np.intp], Vector]:
        grams = self.analyzer(text)
        if not grams or not len(self.keys):
            return np.zeros(0, dtype=np.intp), np.zeros(0)
        wanted = np.fromiter((gram_key(g) for g in grams), dtype=np.uint64, count=len(grams))
        at = np.minimum(np.searchsorted(self.keys, wanted), len(self.keys) - 1)
        found = self.keys[at] == wanted
        if not found.any():
            return np.zeros(0, dtype=np.intp), np.zeros(0)
        columns, counts = np.unique(at[found], return_counts=True)
        tf = counts.astype(np.float64)
        if self.sublinear:
            tf = 1.0 + np.log(tf)
        values = tf * self.idf[columns]
        norm = float(np.sqrt(values @ values)) or 1.0
        return columns.astype(np.intp) + self.offset, values / norm


@dataclass
class _Linear:
    """Weights kept in half precision: they are most of a serving process's model
    memory (four heads over 150,000-190,000 n-grams, 28 MB in float32), and the
    rounding moves a probability by at most 0.0006 (6,136 test messages, no
    intent, risk level or category changed). Scores are summed in float32.

    A head fitted on part of the data (the risk category and level on the risk
    examples, the topic on the topic-labelled ones) has all-zero weights for the
    n-grams that part never shows: 63% of the risk features, 23% of the intent
    features. Such a head keeps only its non-zero rows, and ``rows`` says which
    feature column each one is (sorted); nothing is lost.
    """

    weights: NDArray[np.float16]  # (kept features, n_outputs)
    intercept: Vector
    rows: NDArray[np.int32] | None = None  # None: every feature column, in order (sorted)

    @classmethod
    def of(cls, model: Any, order: NDArray[np.intp]) -> _Linear:
        """*order*: scikit-learn's feature column for each of ours."""
        coef = np.asarray(model.coef_, dtype=np.float16).T[order]
        intercept = np.asarray(model.intercept_, dtype=np.float64)
        kept = np.flatnonzero(np.abs(coef).max(axis=1) > 0)
        if len(kept) > SPARSE_ROWS * len(coef):
            return cls(np.ascontiguousarray(coef), intercept)
        return cls(np.ascontiguousarray(coef[kept]), intercept, kept.astype(np.int32))

    def decision(self, columns: NDArray[np.intp], values: Vector) -> Vector:
        if self.rows is not None and len(columns):
            if not len(self.rows):
                return self.intercept.copy()
            at = np.minimum(np.searchsorted(self.rows, columns), len(self.rows) - 1)
            found = self.rows[at] == columns
            columns, values = at[found], values[found]
        if not len(columns):
            return self.intercept.copy()
        scores = values.astype(np.float32) @ self.weights[columns].astype(np.float32)
        return np.asarray(scores, dtype=np.float64) + self.intercept


# A head keeps only its non-zero rows when they are at most this share of the features.
SPARSE_ROWS = 0.9


class CompiledLinear:
    """``predict_proba`` of a fitted ``Pipeline([features, linear model])`` for one text."""

    def __init__(self, pipeline: Pipeline, same_features: CompiledLinear | None = None) -> None:
        """`same_features`: a model compiled from the same fitted features, whose
        vocabularies this one then shares instead of holding a copy."""
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression, SGDClassifier
        from sklearn.pipeline import FeatureUnion

        features, model = pipeline.steps[0][1], pipeline.steps[-1][1]
        blocks = (
            [t for _, t in features.transformer_list]
            if isinstance(features, FeatureUnion)
            else [features]
        )
        self._vectorizers: list[_Vectorizer] = []
        scikit_columns: list[NDArray[np.intp]] = []
        offset = 0
        for block in blocks:
            if not isinstance(block, TfidfVectorizer):
                raise TypeError(f"cannot compile feature block {type(block).__name__}")
            vectorizer, columns = _Vectorizer.compile(block, offset)
            self._vectorizers.append(vectorizer)
            scikit_columns.append(columns)
            offset += len(block.vocabulary_)
        # our column i is scikit-learn's column order[i]: the weights' rows follow suit
        order = np.concatenate(scikit_columns)
        if same_features is not None:
            if [v.keys.tobytes() for v in same_features._vectorizers] != [
                v.keys.tobytes() for v in self._vectorizers
            ]:
                raise ValueError("same_features was compiled from other features")
            self._vectorizers = same_features._vectorizers
        self.classes: tuple[str, ...] = tuple(str(c) for c in model.classes_)
        self._kind: str
        self._linear: list[_Linear] = []
        self._sigmoids: list[tuple[Vector, Vector]] = []
        if isinstance(model, LogisticRegression) and len(model.classes_) == 2:
            self._kind = "sigmoid"  # binary: one weight vector, P(classes[1]) = sigmoid
            self._linear.append(_Linear.of(model, order))
        elif isinstance(model, LogisticRegression) or hasattr(model, "temperature_"):
            self._kind = "softmax"
            self._linear.append(_Linear.of(model, order))
        elif isinstance(model, SGDClassifier) and model.loss == "modified_huber":
            self._kind = "modified_huber"
            self._linear.append(_Linear.of(model, order))
        elif isinstance(model, CalibratedClassifierCV):
            self._kind = "calibrated"
            for calibrated in model.calibrated_classifiers_:
                self._linear.append(_Linear.of(calibrated.estimator, order))
                a = np.array([c.a_ for c in calibrated.calibrators], dtype=np.float64)
                b = np.array([c.b_ for c in calibrated.calibrators], dtype=np.float64)
                self._sigmoids.append((a, b))
        else:
            raise TypeError(f"cannot compile model {type(model).__name__}")
        if len(self.classes) < 3 and self._kind != "sigmoid":
            raise ValueError("compiled models need three or more classes (two: LogisticRegression)")

    def features(self, text: str) -> tuple[NDArray[np.intp], Vector]:
        """The text's non-zero feature columns and values (what :meth:`proba` takes)."""
        parts = [vectorizer.features(text) for vectorizer in self._vectorizers]
        return np.concatenate([c for c, _ in parts]), np.concatenate([v for _, v in parts])

    def predict_proba(self, text: str) -> Vector:
        return self.proba(*self.features(text))

    def proba(self, columns: NDArray[np.intp], values: Vector) -> Vector:
        """``predict_proba`` from :meth:`features` (of this model or one sharing its features)."""
        if self._kind == "sigmoid":
            score = float(self._linear[0].decision(columns, values)[0])
            positive = 1.0 / (1.0 + np.exp(-score))
            return np.array([1.0 - positive, positive], dtype=np.float64)
        if self._kind == "softmax":
            scores = self._linear[0].decision(columns, values)
            scores = np.exp(scores - scores.max())
            return np.asarray(scores / scores.sum(), dtype=np.float64)
        if self._kind == "modified_huber":
            scores = self._linear[0].decision(columns, values)
            proba = (np.clip(scores, -1, 1) + 1) / 2
            total = proba.sum()
            if total == 0:
                return np.full(len(self.classes), 1.0 / len(self.classes))
            return np.asarray(proba / total, dtype=np.float64)
        average = np.zeros(len(self.classes))
        for linear, (a, b) in zip(self._linear, self._sigmoids, strict=True):
            scores = linear.decision(columns, values)
            proba = 1.0 / (1.0 + np.exp(a * scores + b))
            total = proba.sum()
            if total == 0:
                proba = np.full(len(self.classes), 1.0 / len(self.classes))
            else:
                proba = proba / total
            average += proba
        return np.asarray(average / len(self._linear), dtype=np.float64)

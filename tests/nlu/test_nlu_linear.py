"""Compiled models give scikit-learn's n-grams and probabilities; serving never imports it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from bot.nlu.linear import Analyzer, CompiledLinear
from bot.nlu.model_store import load_or_train
from tests.nlu.conftest import FIXTURE_DATA

TEXTS = [
    "merhaba  çocuğum okula gitmiyor, ne yapmalıyım?",
    "ابني عمره 9 سنين وما بيعرف يقرا",
    "ana badde mosa3ade\tbas ma fi 7ada",
    "a b  c",
    "I lost my kimlik card — what now?!",
    "",
    "   ",
    "x",
    "سلام، کجا می‌توانم دکتر پیدا کنم",
]
SETTINGS = [
    {"analyzer": "char_wb", "ngram_range": (2, 5), "lowercase": False},
    {"analyzer": "char_wb", "ngram_range": (1, 4), "lowercase": True},
    {"analyzer": "char", "ngram_range": (1, 3)},
    {"analyzer": "word", "ngram_range": (1, 2), "token_pattern": r"(?u)\b\w+\b"},
    {"analyzer": "word", "ngram_range": (2, 3)},
    {"analyzer": "word", "ngram_range": (1, 1), "lowercase": False},
]


@pytest.mark.parametrize("options", SETTINGS)
def test_the_analyzer_gives_scikit_learns_ngrams(options: dict[str, object]) -> None:
    vectorizer = TfidfVectorizer(**options)  # type: ignore[arg-type]
    reference = vectorizer.build_analyzer()
    ours = Analyzer.of(vectorizer)
    for text in TEXTS:
        assert ours(text) == reference(text), text


def test_unsupported_vectorizers_are_refused() -> None:
    with pytest.raises(TypeError):
        Analyzer.of(TfidfVectorizer(strip_accents="unicode"))


def test_compiled_probabilities_match_and_shared_features_share_vocabularies() -> None:
    texts = [t for t in TEXTS if t.strip()] * 3
    labels = ["a", "b", "c"] * (len(texts) // 3)
    features = FeatureUnion(
        [
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4))),
            ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2))),
        ]
    ).fit(texts)
    matrix = features.transform(texts)
    first = Pipeline([("f", features), ("m", LogisticRegression().fit(matrix, labels))])
    second = Pipeline([("f", features), ("m", LogisticRegression(C=3).fit(matrix, labels))])
    compiled = CompiledLinear(first)
    shared = CompiledLinear(second, same_features=compiled)
    for text in TEXTS:
        expected = first.predict_proba([text])[0]
        assert np.allclose(compiled.predict_proba(text), expected, atol=1e-3)
        assert np.allclose(shared.predict_proba(text), second.predict_proba([text])[0], atol=1e-3)
    assert shared._vectorizers is compiled._vectorizers


def test_a_head_fitted_on_part_of_the_data_keeps_only_its_non_zero_rows() -> None:
    texts = [t for t in TEXTS if t.strip()] * 3
    features = FeatureUnion(
        [
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4))),
            ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2))),
        ]
    ).fit(texts)
    matrix = features.transform(texts)
    part = [i for i, t in enumerate(texts) if t.isascii()]  # the Latin-script half
    labels = ["a", "b", "c"] * (len(part) // 3) + ["a", "b", "c"][: len(part) % 3]
    head = LogisticRegression().fit(matrix[part], labels)
    compiled = CompiledLinear(Pipeline([("f", features), ("m", head)]))
    linear = compiled._linear[0]
    assert linear.rows is not None and 0 < len(linear.rows) < matrix.shape[1]
    pipeline = Pipeline([("f", features), ("m", head)])
    for text in [*TEXTS, "ابني عمره 9", "kimlik card"]:
        expected = pipeline.predict_proba([text])[0]
        assert np.allclose(compiled.predict_proba(text), expected, atol=1e-3), text


def test_serving_does_not_import_scikit_learn(tmp_path: Path) -> None:
    """About 120 MB and seconds of start-up: a saved model must load and parse without it."""
    model_path = tmp_path / "nlu.pkl"
    load_or_train(FIXTURE_DATA, model_path)
    code = (
        "import sys, bot.cli, bot.web.app\n"
        "from bot.nlu.model_store import load\n"
        "from bot.nlu.embedded import EmbeddedNLU\n"
        f"model = load(__import__('pathlib').Path({str(model_path)!r}))\n"
        "assert model is not None\n"
        "print(EmbeddedNLU(model).parse('merhaba, my child is sick').intent)\n"
        "print('sklearn' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.split()[-1:] == ["False"], result.stdout + result.stderr

"""Shared NLU fixtures: a tiny model from tests/nlu/fixtures, the full one from nlu/.

The full model is trained once per test session into a temporary model path.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.nlu.embedded import EmbeddedNLU
from bot.nlu.language import LanguageIdentifier
from bot.nlu.model_store import TrainedNLU, load_or_train
from bot.nlu.risk import RiskDetector

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
FIXTURE_DATA = FIXTURES / "nlu"
REAL_DATA = ROOT / "nlu"
TEST_SPLIT = ROOT / "tests" / "data" / "nlu_test"


@pytest.fixture(scope="session")
def languages() -> LanguageIdentifier:
    return LanguageIdentifier()


@pytest.fixture(scope="session")
def small_model(tmp_path_factory: pytest.TempPathFactory) -> TrainedNLU:
    return load_or_train(FIXTURE_DATA, tmp_path_factory.mktemp("small") / "nlu.pkl")


@pytest.fixture(scope="session")
def small_nlu(small_model: TrainedNLU, languages: LanguageIdentifier) -> EmbeddedNLU:
    return EmbeddedNLU(small_model, intent_threshold=0.2, languages=languages)


@pytest.fixture(scope="session")
def full_model_path(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield tmp_path_factory.mktemp("full") / "nlu.pkl"


@pytest.fixture(scope="session")
def full_model(full_model_path: Path) -> TrainedNLU:
    if not any(REAL_DATA.glob("*/intents.yml")):
        pytest.skip("nlu/ has no intent files yet")
    return load_or_train(REAL_DATA, full_model_path)


@pytest.fixture(scope="session")
def full_nlu(full_model: TrainedNLU, languages: LanguageIdentifier) -> EmbeddedNLU:
    return EmbeddedNLU(full_model, intent_threshold=0.35, languages=languages)


@pytest.fixture(scope="session")
def lists(full_model: TrainedNLU) -> RiskDetector:
    """The real phrase lists and frames, without the model, to test the rules exactly."""
    return RiskDetector(full_model.data, None)

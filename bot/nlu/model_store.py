"""Train, save and load the embedded NLU model.

The saved file (``settings.nlu.model_path``, a gzipped pickle) carries a fingerprint
of every file under ``nlu/`` and of this code's model version: when either
changes, the saved model is stale and is retrained (in seconds) on load, so a
deployment never answers with a model trained on yesterday's data. Plain
pickle rather than joblib: joblib's import costs a serving process about 4 MB
beside numpy, and the model holds no array large enough for its memory maps to help.
The model keeps only the part of the training data that serving reads
(:meth:`TrainingData.for_serving`).
"""

from __future__ import annotations

import gzip
import logging
import os
import pickle
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bot.nlu import training_data
from bot.nlu.intents import CHOSEN, TOPIC_UNKNOWN, IntentClassifier
from bot.nlu.language import LanguageHelp, learn_language_help
from bot.nlu.risk import RiskModel, train_risk_model
from bot.nlu.training_data import TrainingData

log = logging.getLogger(__name__)

# Bump when features or models change so that saved models are retrained.
MODEL_VERSION = "20"


@dataclass
class TrainedNLU:
    fingerprint: str
    data: TrainingData
    intents: IntentClassifier
    risk_model: RiskModel | None
    training_seconds: float
    language_help: LanguageHelp | None = None


def data_fingerprint(data_dir: Path) -> str:
    return f"v{MODEL_VERSION}:{CHOSEN}:{training_data.fingerprint(data_dir)}"


def train(data_dir: Path, candidate: str = CHOSEN, data: TrainingData | None = None) -> TrainedNLU:
    """Load `nlu/` and fit the intent classifier and the risk model.

    *data*: `data_dir` already loaded, by a caller that needs the whole training data
    afterwards (the model keeps only what serving reads).
    """
    started = time.perf_counter()
    fingerprint = data_fingerprint(data_dir)
    data = data if data is not None else training_data.load(data_dir)
    if not data.examples:
        raise training_data.TrainingDataError(f"{data_dir}: no intent examples found")
    classifier = IntentClassifier(candidate).fit(
        [e.text for e in data.examples],
        [e.intent for e in data.examples],
        [e.topic if e.topic_labelled else TOPIC_UNKNOWN for e in data.examples],
    )
    risk_model = train_risk_model(data)
    language_help = learn_language_help(data)
    return TrainedNLU(
        fingerprint,
        data.for_serving(),
        classifier,
        risk_model,
        time.perf_counter() - started,
        language_help,
    )


def save(model: TrainedNLU, path: Path) -> None:
    """Write atomically: a reader never sees half a model."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    os.close(fd)
    try:
        with gzip.open(tmp, "wb", compresslevel=3) as file:
            pickle.dump(model, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def load(path: Path) -> TrainedNLU | None:
    """The saved model, or None if missing or unreadable."""
    if not path.exists():
        return None
    try:
        with gzip.open(path, "rb") as file:
            model = pickle.load(file)  # our own file, written by save()
    except Exception as exc:  # a corrupt or foreign file: retrain rather than fail
        log.warning("NLU model at %s unreadable (%s); retraining", path, type(exc).__name__)
        return None
    return model if isinstance(model, TrainedNLU) else None


def load_or_train(data_dir: Path, model_path: Path) -> TrainedNLU:
    """The saved model if it matches `data_dir`, else a freshly trained (and saved) one."""
    fingerprint = data_fingerprint(data_dir)
    saved = load(model_path)
    if saved is not None and saved.fingerprint == fingerprint:
        return saved
    log.info("training the NLU model from %s (saved model missing or stale)", data_dir)
    model = train(data_dir)
    try:
        save(model, model_path)
    except OSError as exc:
        log.warning("could not save the NLU model to %s: %s", model_path, exc)
    return model

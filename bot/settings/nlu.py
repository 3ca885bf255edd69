"""`nlu:` in config.yml: which NLU runs, where its data and model are, how sure it must be."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class NluSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    backend: Literal["embedded", "rasa"] = "embedded"
    rasa_url: str | None = None
    data_dir: Path = Path("nlu")
    model_path: Path = Path("models/nlu.pkl")
    intent_threshold: float = Field(0.35, ge=0.0, le=1.0)
    # lingua's models: "low" (trigrams, ~13 MB, fast start) or "high" (~145 MB, ~7 s to load)
    language_accuracy: Literal["low", "high"] = "low"

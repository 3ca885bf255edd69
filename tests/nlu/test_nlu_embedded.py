from __future__ import annotations

from pathlib import Path

import pytest

from bot.nlu.base import RiskLevel
from bot.nlu.embedded import EmbeddedNLU, build_nlu
from bot.nlu.model_store import data_fingerprint, load, load_or_train
from bot.settings import NluSettings, load_settings

FIXTURE_DATA = Path(__file__).resolve().parent / "fixtures" / "nlu"

ODD_INPUTS = [
    "",
    "   \t  ",
    "😀🙏😭",
    "\x00\x01\x02\x7f",
    "\ud800 lone surrogate",
    "\ufffd\ufffd binary-looking \x9b\x1b[31m",
    "a" * 20_000,
    "hello " * 5000,
    "‏‎\u202e reversed",
    "12345",
]


@pytest.mark.parametrize("text", ODD_INPUTS)
@pytest.mark.parametrize("hint", [None, "ar"])
def test_parse_never_raises(small_nlu: EmbeddedNLU, text: str, hint: str | None) -> None:
    result = small_nlu.parse(text, hint)
    assert result.language in ("tr", "ar", "en", "fa")
    assert 0.0 <= result.confidence <= 1.0
    result.to_json()  # serialisable


def test_empty_text(small_nlu: EmbeddedNLU) -> None:
    for text in ("", "   ", "\n"):
        result = small_nlu.parse(text, "fa")
        assert result.intent == "out_of_scope"
        assert result.risk.level == RiskLevel.NONE
        assert result.language == "fa"
    assert small_nlu.parse("").language == "tr"


def test_risk_is_read_in_all_of_a_long_message(small_nlu: EmbeddedNLU) -> None:
    text = "hello " * 3000 + " my husband said he will kill me tonight"
    result = small_nlu.parse(text)
    assert result.risk.level == RiskLevel.IMMINENT
    assert result.text == text


def test_intent_and_entities(small_nlu: EmbeddedNLU) -> None:
    result = small_nlu.parse("I need a lawyer in Esenyurt")
    assert result.intent in ("faq_legal", "find_service")
    assert result.entity("service_category") == "legal"
    assert result.entity("district") == "Esenyurt"
    assert result.to_json()["entities"][0] == {"entity": "service_category", "value": "legal"}


def test_low_confidence_is_out_of_scope(small_model: object) -> None:
    strict = EmbeddedNLU(small_model, intent_threshold=0.999)  # type: ignore[arg-type]
    result = strict.parse("hello")
    assert result.intent == "out_of_scope"
    assert result.confidence < 0.999


def test_model_is_saved_and_retrained_when_data_changes(tmp_path: Path) -> None:
    data = tmp_path / "nlu"
    for source in FIXTURE_DATA.rglob("*.yml"):
        target = data / source.relative_to(FIXTURE_DATA)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())
    model_path = tmp_path / "models" / "nlu.pkl"
    first = load_or_train(data, model_path)
    assert model_path.exists()
    saved = load(model_path)
    assert saved is not None and saved.fingerprint == first.fingerprint
    # unchanged data: the saved model is used as it is
    again = load_or_train(data, model_path)
    assert again.fingerprint == first.fingerprint
    assert again.training_seconds == first.training_seconds
    # changed data: stale, retrained, saved
    with (data / "en" / "intents.yml").open("a", encoding="utf-8") as f:
        f.write("- intent: thanks\n  examples: |\n    - thank you\n    - thanks a lot\n")
    retrained = load_or_train(data, model_path)
    assert retrained.fingerprint == data_fingerprint(data) != first.fingerprint
    assert "thanks" in retrained.intents.classes
    # a corrupt file is replaced, not fatal
    model_path.write_bytes(b"not a model")
    assert load_or_train(data, model_path).fingerprint == retrained.fingerprint


def test_build_nlu_embedded_and_rasa(tmp_path: Path) -> None:
    no_file = tmp_path / "absent.yml"
    nlu_settings = NluSettings(data_dir=FIXTURE_DATA, model_path=tmp_path / "m.pkl")
    settings = load_settings(no_file, nlu=nlu_settings)
    assert isinstance(build_nlu(settings), EmbeddedNLU)
    rasa_settings = nlu_settings.model_copy(
        update={"backend": "rasa", "rasa_url": "http://127.0.0.1:9"}
    )
    rasa = load_settings(no_file, nlu=rasa_settings)
    nlu = build_nlu(rasa)
    assert type(nlu).__name__ == "RasaNLU"

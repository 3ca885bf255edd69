from __future__ import annotations

from pathlib import Path

import pytest

from bot.nlu.base import RiskLevel
from bot.nlu.training_data import TrainingDataError, load, strip_annotations

FIXTURE_DATA = Path(__file__).resolve().parent / "fixtures" / "nlu"


def test_strip_annotations() -> None:
    text, found = strip_annotations("I need a [lawyer](service_category) in [Esenyurt](district)")
    assert text == "I need a lawyer in Esenyurt"
    assert [(a.entity, a.value, a.text) for a in found] == [
        ("service_category", "lawyer", "lawyer"),
        ("district", "Esenyurt", "Esenyurt"),
    ]
    text, found = strip_annotations('a [hospital]{"entity": "service_category", "value": "health"}')
    assert text == "a hospital"
    assert found[0].value == "health"


def test_fixture_data_loads() -> None:
    data = load(FIXTURE_DATA)
    languages = {e.language for e in data.examples}
    assert languages == {"tr", "ar", "en", "fa"}
    assert "lawyer" in data.synonyms["legal"]
    assert "hospital" in data.synonyms["health"]  # from the annotation's value
    assert "Esenyurt" in data.lookups["district"]
    assert any(p.level == RiskLevel.IMMINENT for p in data.risk.phrases)
    assert data.risk.hard_negatives["en"] == ["course ... about violence"]
    assert {e.category for e in data.risk_examples} >= {"none", "child_marriage"}


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (
            'version: "3.1"\nnlu:\n- intent: no_such_intent\n  examples: |\n    - hi\n',
            "unknown intent",
        ),
        ('version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    hi\n', "does not start"),
        ("nlu: [\n", "not valid YAML"),
        ("language: tr\ncategories:\n  self_harm:\n    urgent:\n      - x\n", "unknown level"),
        ("language: tr\ncategories:\n  arson:\n    high:\n      - x\n", "unknown risk category"),
        ("risk_examples:\n- category: none\n  level: high\n  examples: |\n    - x\n", "level"),
    ],
)
def test_malformed_data_names_file_and_problem(tmp_path: Path, content: str, problem: str) -> None:
    (tmp_path / "tr").mkdir()
    bad = tmp_path / "tr" / "bad.yml"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(TrainingDataError) as error:
        load(tmp_path)
    assert str(bad) in str(error.value)
    assert problem in str(error.value)


def test_missing_directory() -> None:
    with pytest.raises(TrainingDataError):
        load(Path("/nonexistent/nlu"))


def test_a_risk_free_risk_example_with_an_intent_is_read_once_by_the_risk_model(
    tmp_path: Path,
) -> None:
    (tmp_path / "en").mkdir()
    (tmp_path / "risk" / "examples").mkdir(parents=True)
    (tmp_path / "en" / "risk_free.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: faq_education\n  examples: |\n'
        "    - my son had a fight at school, the teacher called me\n"
        "    - is there a chess club at school\n"
    )
    (tmp_path / "risk" / "examples" / "en.yml").write_text(
        "risk_examples:\n- category: none\n  level: none\n  examples: |\n"
        "    - my son had a fight at school, the teacher called me\n"
    )
    data = load(tmp_path)
    assert len(data.examples) == 2 and len(data.risk_examples) == 1
    assert data.intent_texts_beyond_risk() == ["is there a chess club at school"]
    # intents only: their topics were never labelled, so the topic head leaves them out
    assert not any(e.topic_labelled for e in data.examples)


def test_every_risk_free_intent_example_is_still_a_risk_free_risk_example() -> None:
    # nlu/<lang>/risk_free.yml repeats the hard negatives of nlu/risk/examples/ with their
    # intents: an edit to one file must be made in the other too
    data = load(Path(__file__).resolve().parents[2] / "nlu")
    risk_free = {e.text for e in data.risk_examples if e.category == "none"}
    untopical = [e.text for e in data.examples if not e.topic_labelled]
    assert len(untopical) > 4000
    assert [t for t in untopical if t not in risk_free] == []

"""Sub-topics of an intent (Rasa retrieval intents, ``intent/topic``): data, head, rules."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.nlu import training_data
from bot.nlu.intents import OUT_OF_SCOPE, IntentPrediction, with_topic
from bot.nlu.model_store import TrainedNLU, train
from tests.nlu.conftest import FIXTURE_DATA

TOPICS = """\
version: "3.1"
nlu:
- intent: faq_legal/voluntary_return
  examples: |
    - how does voluntary return to syria work
    - if i return voluntarily can i come back to turkey later
    - what happens to my kimlik after voluntary return
    - they gave me a voluntary return form, what does it mean
    - i want to go back home for good, what is the procedure
    - voluntary return procedure for syrians
    - can my family return together with voluntary return
    - do i lose temporary protection if i go back
    - going back to syria forever, what paper do i sign
    - is voluntary return free
- intent: faq_registration/marriage_registration
  examples: |
    - we only had a religious marriage, is it valid
    - how do we register our marriage officially
    - imam nikah is it enough in turkey
    - where do foreigners get a civil marriage
    - our marriage is not registered, what can we do
    - can we register the children if we only had a religious wedding
    - civil marriage documents for syrians
    - how to make our marriage official at the municipality
    - is a sheikh marriage legal here
    - we married in syria, how do we register it in turkey
"""


@pytest.fixture(scope="module")
def topic_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("topics") / "nlu"
    shutil.copytree(FIXTURE_DATA, data)
    (data / "en" / "topics.yml").write_text(TOPICS, encoding="utf-8")
    return data


def test_a_retrieval_intent_is_an_example_of_its_intent_with_a_topic(topic_data: Path) -> None:
    examples = training_data.load(topic_data).examples
    returns = [e for e in examples if e.topic == "voluntary_return"]
    assert len(returns) == 10
    assert {e.intent for e in returns} == {"faq_legal"}
    assert {e.language for e in returns} == {"en"}
    assert any(e.intent == "faq_legal" and e.topic is None for e in examples)


@pytest.mark.parametrize(
    ("key", "problem"),
    [("faq_nothing/voluntary_return", "unknown intent"), ("faq_legal/Voluntary Return", "topic")],
)
def test_a_bad_retrieval_intent_names_the_file(tmp_path: Path, key: str, problem: str) -> None:
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "bad.yml").write_text(
        f'version: "3.1"\nnlu:\n- intent: {key}\n  examples: |\n    - hello\n', encoding="utf-8"
    )
    with pytest.raises(training_data.TrainingDataError, match=problem) as error:
        training_data.load(tmp_path)
    assert "bad.yml" in str(error.value)


def test_the_topic_head_names_the_topic_of_a_question_and_none_of_others(
    topic_data: Path,
) -> None:
    intents = train(topic_data).intents
    assert intents.topics == {
        "voluntary_return": "faq_legal",
        "marriage_registration": "faq_registration",
    }
    back = intents.predict("what happens if i go back to syria with voluntary return", 0.2)
    assert (back.intent, back.topic) == ("faq_legal", "voluntary_return")
    married = intents.predict("is our religious marriage valid, how to register it", 0.2)
    assert (married.intent, married.topic) == ("faq_registration", "marriage_registration")
    hello = intents.predict("hello", 0.2)
    assert (hello.intent, hello.topic) == ("greet", None)


def test_without_topics_in_the_data_there_is_no_topic_head(small_model: TrainedNLU) -> None:
    intents = small_model.intents
    assert intents.topics == {}
    assert intents.predict("i need a lawyer", 0.2).topic is None


GUESS = IntentPrediction("faq_health", 0.4, (("faq_health", 0.4),))


@pytest.mark.parametrize(
    ("prediction", "sure", "expected"),
    [
        # the intent agrees: the topic is added, nothing else changes
        (IntentPrediction("faq_legal", 0.9, ()), 0.8, ("faq_legal", 0.9, "voluntary_return")),
        # another information-desk intent or out_of_scope: the sure topic wins
        (GUESS, 0.8, ("faq_legal", 0.8, "voluntary_return")),
        (IntentPrediction(OUT_OF_SCOPE, 0.2, ()), 0.8, ("faq_legal", 0.8, "voluntary_return")),
        # a request is never overridden
        (IntentPrediction("find_service", 0.9, ()), 0.99, ("find_service", 0.9, None)),
        (IntentPrediction("stop", 0.9, ()), 0.99, ("stop", 0.9, None)),
        # not sure enough: no topic
        (IntentPrediction("faq_legal", 0.9, ()), 0.49, ("faq_legal", 0.9, None)),
    ],
)
def test_when_a_topic_counts(
    prediction: IntentPrediction, sure: float, expected: tuple[str, float, str | None]
) -> None:
    chosen = with_topic(prediction, "voluntary_return", sure, "faq_legal", threshold=0.5)
    assert (chosen.intent, chosen.confidence, chosen.topic) == expected


def test_no_topic_is_never_a_topic() -> None:
    chosen = with_topic(GUESS, "-", 0.99, None, threshold=0.5)
    assert chosen == GUESS

from __future__ import annotations

import pytest

from bot.nlu.entities import EntityExtractor, PhraseMatcher
from bot.nlu.model_store import TrainedNLU


@pytest.fixture(scope="module")
def extractor(small_model: TrainedNLU) -> EntityExtractor:
    return EntityExtractor(small_model.data)


def _values(extractor: EntityExtractor, text: str, entity: str) -> list[str]:
    return [e.value for e in extractor.extract(text) if e.entity == entity]


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("hastaneye nasıl giderim", "health"),
        ("HASTANEYE GİTMEM LAZIM", "health"),
        ("wen fi mustashfa", "health"),  # Arabizi spelling variant: typo tolerance
        ("وين المستشفى", "health"),  # with the article
        ("بالمستشفى", "health"),  # with a clinging preposition
        ("I need a lawyer", "legal"),
        ("avukata ihtiyacım var", "legal"),
        ("بدي محامي", "legal"),
        ("یک وکیل میخواهم", "legal"),
        ("adli yardıma başvurmak", "legal"),  # two-word form with a suffix
        ("I need a lawer", None),  # 5 letters, one edit: tolerated
        ("where is the hosptial", "health"),  # transposition in a long word
        ("gida yardimi nerede", "food"),  # Turkish without its letters
    ],
)
def test_service_category(extractor: EntityExtractor, text: str, category: str | None) -> None:
    found = _values(extractor, text, "service_category")
    if category is None:
        assert found == ["legal"]
    else:
        assert category in found


def test_no_category_in_plain_text(extractor: EntityExtractor) -> None:
    assert _values(extractor, "good morning, how are you", "service_category") == []
    assert _values(extractor, "pasta tarifi", "service_category") == []


@pytest.mark.parametrize(
    ("text", "district"),
    [
        ("Esenyurt'ta oturuyorum", "Esenyurt"),
        ("esenyurtta hastane var mi", "Esenyurt"),
        ("ESENYURT", "Esenyurt"),
        ("انا ساكن باسنيورت", "Esenyurt"),
        ("اسنيورت", "Esenyurt"),
        ("در اسنیورت", "Esenyurt"),
        ("esenyrt", "Esenyurt"),  # a typo
        ("kucukcekmece", "Küçükçekmece"),
        ("küçük çekmece", "Küçükçekmece"),  # written as two words
        ("كوتشوك تشكمجة", "Küçükçekmece"),
        ("Bağcılar'da", "Bağcılar"),
    ],
)
def test_district_standard_name(extractor: EntityExtractor, text: str, district: str) -> None:
    assert _values(extractor, text, "district") == [district]


def test_annotated_examples_feed_the_matcher(extractor: EntityExtractor) -> None:
    # "[hospital]{"entity": "service_category", "value": "health"}" in en/intents.yml
    assert _values(extractor, "a hospital please", "service_category") == ["health"]


def test_matcher_prefers_longest_form() -> None:
    matcher = PhraseMatcher([("legal aid", "legal"), ("aid", "financial")])
    assert [h.value for h in matcher.find("free legal aid office")] == ["legal"]
    assert [h.value for h in matcher.find("cash aid")] == ["financial"]


def test_a_word_that_folds_into_english_is_not_a_category() -> None:
    """Turkish "iş" (work) folds to "is": English questions must not become employment."""
    matcher = PhraseMatcher(
        [("iş", "employment"), ("iş arıyorum", "employment"), ("hospital", "health")]
    )
    assert [h.value for h in matcher.find("where is the nearest hospital")] == ["health"]
    assert [h.value for h in matcher.find("is ariyorum")] == ["employment"]

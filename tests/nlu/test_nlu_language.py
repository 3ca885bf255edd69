from __future__ import annotations

import pytest

from bot.nlu.language import LanguageIdentifier


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Merhaba, en yakın hastane nerede?", "tr"),
        ("hastane nerede", "tr"),
        ("cocugum icin okul kaydi nasil yapilir", "tr"),  # Turkish without its letters
        ("I need a lawyer for my residence permit", "en"),
        ("where is the nearest clinic", "en"),
        ("مرحبا بدي محامي", "ar"),
        ("شو لازم اعمل لحتى سجل ابني بالمدرسة", "ar"),
        ("وين في مستشفى قريب", "ar"),
        ("سلام، من به یک وکیل نیاز دارم", "fa"),
        ("چطور میتوانم بچه ام را در مکتب ثبت نام کنم", "fa"),
        ("کجا میتوانم کمک پیدا کنم", "fa"),
    ],
)
def test_clear_messages(languages: LanguageIdentifier, text: str, expected: str) -> None:
    assert languages.detect(text).language == expected


@pytest.mark.parametrize(
    "text",
    [
        "marhaba, badde mosa3ade",
        "3andi moshkle",
        "badde 7ada yse3edni",
        "shu lazem a3mel",
        "wen fi mostashfa",
        "ana bidi mo7ami ya3ni",
    ],
)
def test_arabizi_is_arabic(languages: LanguageIdentifier, text: str) -> None:
    assert languages.detect(text).language == "ar"


def test_persian_letters_and_words_decide_against_arabic(languages: LanguageIdentifier) -> None:
    # the same greeting, then one Persian-only letter or word
    assert languages.detect("سلام چطوری").language == "fa"
    assert languages.detect("سلام كيفك").language == "ar"
    assert languages.detect("من میخواهم").language == "fa"


@pytest.mark.parametrize(
    ("text", "hint"),
    [("ok", "ar"), ("1", "fa"), ("👍", "en"), ("Esenyurt", "ar"), ("tamam", "en"), ("?", "tr")],
)
def test_short_or_ambiguous_keeps_the_hint(
    languages: LanguageIdentifier, text: str, hint: str
) -> None:
    assert languages.detect(text, hint).language == hint


def test_clear_switch_overrides_the_hint(languages: LanguageIdentifier) -> None:
    assert languages.detect("I need a lawyer for my family please", "tr").language == "en"
    assert languages.detect("benim çocuğum okula gitmiyor ne yapmalıyım", "ar").language == "tr"
    assert languages.detect("badde mosa3ade la2no 3andi moshkle", "en").language == "ar"


def test_empty_and_symbols_get_hint_or_default(languages: LanguageIdentifier) -> None:
    assert languages.detect("", None).language == "tr"
    assert languages.detect("   ", "fa").language == "fa"
    assert languages.detect("!!! 123 ???", "ar").language == "ar"
    assert languages.detect("😀🙏", None).language == "tr"
    assert languages.detect("", None).confidence == 0.0


def test_mixed_message_goes_to_the_dominant_language(languages: LanguageIdentifier) -> None:
    assert languages.detect("merhaba, I need a doctor for my son today please").language == "en"
    assert languages.detect("مرحبا، بدي اروح على hastane بس ما بعرف وين").language == "ar"


def test_confidence_is_a_probability(languages: LanguageIdentifier) -> None:
    for text in ("hello there", "merhaba", "مرحبا", "سلام چطوری", "badde mosa3ade"):
        detection = languages.detect(text)
        assert 0.0 <= detection.confidence <= 1.0

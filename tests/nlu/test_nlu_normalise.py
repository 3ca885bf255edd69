from __future__ import annotations

import pytest

from bot.nlu.normalise import (
    ascii_digits,
    clean,
    fold,
    strip_arabic_marks,
    tidy,
    tokens,
    turkish_lower,
    unify_arabic,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("İSTANBUL", "istanbul"),
        ("ISPARTA", "ısparta"),
        ("IĞDIR", "ığdır"),
        ("Işık İLE", "ışık ile"),
        ("KÜÇÜKÇEKMECE", "küçükçekmece"),
    ],
)
def test_turkish_lower(text: str, expected: str) -> None:
    assert turkish_lower(text) == expected
    assert "\u0307" not in turkish_lower(text)  # no combining dot above


def test_fold_makes_turkish_letters_ascii() -> None:
    assert fold("HASTANEYE GİDİYORUM, çocuğum ÖKSÜRÜYOR") == "hastaneye gidiyorum cocugum oksuruyor"
    assert fold("ISPARTA") == fold("isparta") == "isparta"
    assert fold("Şişli'de") == "sisli de"


@pytest.mark.parametrize(
    ("variant", "plain"),
    [
        ("أحمد", "احمد"),
        ("إسطنبول", "اسطنبول"),
        ("آمنة", "امنه"),
        ("ٱلله", "الله"),
        ("مدرسة", "مدرسه"),  # ta marbuta
        ("مستشفى", "مستشفي"),  # alef maqsura
        ("مسؤول", "مسوول"),
        ("رئيس", "رييس"),
        ("مُسَاعَدَة", "مساعده"),  # diacritics
        ("مســــاعدة", "مساعده"),  # tatweel
    ],
)
def test_arabic_variants_unify(variant: str, plain: str) -> None:
    assert fold(variant) == plain


def test_persian_and_arabic_ya_kaf_meet() -> None:
    assert fold("کمک") == fold("كمك")
    assert fold("یک") == fold("يك")
    assert fold("بیمارستان") == fold("بيمارستان")


def test_digits_to_ascii() -> None:
    assert ascii_digits("٠١٢٣٤٥٦٧٨٩") == "0123456789"
    assert ascii_digits("۰۱۲۳۴۵۶۷۸۹") == "0123456789"
    assert fold("بنتي عمرها ١٤ سنة") == "بنتي عمرها 14 سنه"
    assert fold("دخترم ۱۳ ساله است") == "دخترم 13 ساله است"


def test_repeated_letters_squeeze_but_numbers_stay() -> None:
    # "heeeelp" is "help"; "5000 dolar" is not "50 dolar", an adult's age
    assert fold("heeeelp 5000 dolar 1999") == "help 5000 dolar 1999"


def test_zero_width_non_joiner_and_invisibles() -> None:
    assert tidy("می\u200cخواهم") == "میخواهم"
    assert fold("می\u200cخواهم") == fold("میخواهم")
    assert tidy("a\u200bb\u200fc\ufeff") == "abc"


def test_controls_whitespace_and_punctuation() -> None:
    assert tidy("  hello\x00\x07 \t\n world  ") == "hello world"
    assert fold("Help!!! me??? ... now") == "help me now"
    assert fold("heeeeelp") == "help"
    assert fold("") == ""
    assert fold("😀😀 !!!") == ""
    assert tokens("Kocam *beni* dövüyor.") == ["kocam", "beni", "dovuyor"]


def test_clean_keeps_letters_readable() -> None:
    assert clean("Ben İYİYİM") == "ben iyiyim"
    assert strip_arabic_marks("عَرَبِيّ") == "عربي"
    assert unify_arabic("إلى") == "الي"
    # clean does not fold Turkish letters or Persian letters away
    assert clean("Çocuk") == "çocuk"
    assert "ی" in clean("سلام چطوری")

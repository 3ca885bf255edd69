"""SMS segments counted as the network counts them (GSM-7 160/153, UCS-2 70/67)."""

from __future__ import annotations

import pytest

from bot.channels.sms_text import GSM7, UCS2, Encoding, Segments, count_segments, fit_sms, fits

FSI, PDI = "\u2068", "\u2069"


@pytest.mark.parametrize(
    ("text", "encoding", "units", "count"),
    [
        ("a" * 160, GSM7, 160, 1),
        ("a" * 161, GSM7, 161, 2),
        ("a" * 306, GSM7, 306, 2),
        ("a" * 307, GSM7, 307, 3),
        ("a" * 459, GSM7, 459, 3),
        ("a" * 460, GSM7, 460, 4),
        ("ğ" * 70, UCS2, 70, 1),
        ("ğ" * 71, UCS2, 71, 2),
        ("ğ" * 134, UCS2, 134, 2),
        ("ğ" * 201, UCS2, 201, 3),
        ("ğ" * 202, UCS2, 202, 4),
    ],
    ids=lambda value: str(value)[:12] if isinstance(value, str) else str(value),
)
def test_single_and_multipart_limits(text: str, encoding: Encoding, units: int, count: int) -> None:
    assert count_segments(text) == Segments(encoding, units, count)


@pytest.mark.parametrize("char", ["^", "{", "}", "[", "]", "~", "\\", "|", "€", "\f"])
def test_the_extension_table_counts_two(char: str) -> None:
    assert count_segments(char * 80).units == 160
    assert count_segments(char * 80).count == 1
    assert count_segments(char * 81).count == 2


def test_a_two_septet_character_is_not_split_between_parts() -> None:
    # 306 septets would be two parts, but € cannot straddle the 153-septet boundary.
    text = "a" * 152 + "€" + "a" * 152
    assert count_segments(text) == Segments(GSM7, 306, 3)
    emoji = "ğ" * 66 + "😀" + "ğ" * 66
    assert count_segments(emoji) == Segments(UCS2, 134, 3)


def test_english_is_gsm7_and_turkish_letters_in_gsm7_keep_it() -> None:
    assert count_segments("Hello, call 112 now.").encoding == GSM7
    # Ç ü Ü ö Ö é are in the GSM-7 table; a text with only these stays GSM-7.
    assert count_segments("Çocuk Ümit Öykü gül ördek café").encoding == GSM7


@pytest.mark.parametrize("char", ["ğ", "ş", "ı", "İ", "Ğ", "Ş", "ç", "ب", FSI, PDI, "😀"])
def test_one_character_outside_gsm7_makes_the_whole_message_ucs2(char: str) -> None:
    text = "a" * 100 + char
    segments = count_segments(text)
    assert segments.encoding == UCS2
    assert segments.count == 2  # 101+ units > 70


def test_lowercase_c_cedilla_is_not_in_gsm7() -> None:
    """3GPP TS 23.038 and Twilio's segment calculator have only the capital Ç (0x09)."""
    assert count_segments("Ç").encoding == GSM7
    assert count_segments("ç").encoding == UCS2


def test_emoji_count_two_units() -> None:
    assert count_segments("😀" * 35) == Segments(UCS2, 70, 1)
    assert count_segments("😀" * 36) == Segments(UCS2, 72, 2)


def test_arabic_with_isolated_numbers_counts_the_isolates() -> None:
    text = f"اتصل بالرقم {FSI}112{PDI}"
    # 12 letters and spaces, 3 digits, 2 isolates
    assert count_segments(text) == Segments(UCS2, 17, 1)


def test_fit_prefers_the_full_text_then_the_short_one() -> None:
    full, short = "ğ" * 150, "ğ" * 40
    assert fit_sms([full, short], "\n1. a", 3) == (full + "\n1. a", True)
    longer = "ğ" * 300
    assert fit_sms([longer, short], "\n1. a", 3) == (short + "\n1. a", True)


def test_when_nothing_fits_whole_sentences_are_kept_never_half_words() -> None:
    sentence = "Bu çok uzun bir cümledir ve hiçbir şekilde kesilmemelidir."
    text = " ".join([sentence] * 10)
    rendered, fitted = fit_sms([text], "", 3)
    assert not fitted
    assert fits(rendered, 3)
    assert rendered.endswith("kesilmemelidir.")
    assert rendered == " ".join([sentence] * (len(rendered) // len(sentence)))
    one_long_sentence = "kelime " * 100
    cut, _ = fit_sms([one_long_sentence.strip()], "", 1)
    assert fits(cut, 1)
    assert set(cut.split()) == {"kelime"}


def test_choices_over_the_budget_go_whole_with_the_shortest_text() -> None:
    choices = "".join(f"\n{n}. seçenek numarası {n}" for n in range(1, 9))
    assert not fits(choices, 1)
    rendered, fitted = fit_sms(["Uzun bir soru. " * 10, "Hangisi?"], choices, 1)
    assert (rendered, fitted) == ("Hangisi?" + choices, False)

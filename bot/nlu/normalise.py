"""Text normalisation for matching: pure functions, no state.

Two levels are used by the rest of the package:

* :func:`clean` keeps the text readable (case folded, orthographic variants
  unified, whitespace tidied) and is what the intent classifier and the
  language detector see;
* :func:`fold` goes further for *matching* (Turkish letters to ASCII, Persian
  and Arabic letter variants to one form, punctuation dropped), so that
  "hastaneye", "HASTANEYE" and "hastanéye" all meet the phrase "hastane*".
"""

from __future__ import annotations

import re
import unicodedata

# Turkish dotted/dotless I must be mapped before str.lower(): Python lowers
# "İ" to "i" + U+0307 (combining dot) and "I" to "i", both wrong for Turkish.
_TURKISH_UPPER = str.maketrans({"İ": "i", "I": "ı"})

# Turkish letters folded to ASCII for matching: people type without them.
_TURKISH_ASCII = str.maketrans(
    {"ç": "c", "ğ": "g", "ı": "i", "ö": "o", "ş": "s", "ü": "u", "â": "a", "î": "i", "û": "u"}
)

# Arabic-script orthographic variants unified for matching.
_ARABIC_LETTERS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ٲ": "ا",
        "ٳ": "ا",
        "ة": "ه",
        "ۀ": "ه",
        "ى": "ي",
        "ؤ": "و",
        "ئ": "ي",
        # Persian ی and ک against Arabic ي and ك: one form for matching.
        "ی": "ي",
        "ې": "ي",
        "ك": "ک",
        "ڪ": "ک",
    }
)

_DIGITS = str.maketrans(
    {
        **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic ٠-٩
        **{chr(0x06F0 + i): str(i) for i in range(10)},  # Persian ۰-۹
    }
)

# Harakat, tanwin, shadda, sukun, superscript alef, Quranic marks.
_ARABIC_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_TATWEEL = "\u0640"
_ZWNJ = "\u200c"
# Zero-width and bidi formatting characters other than ZWNJ, plus BOM.
_INVISIBLE = re.compile("[\u200b\u200d\u200e\u200f\u202a-\u202e\u2060-\u2069\ufeff\u00ad]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"\s+")
# Anything that is not a letter, digit or the `*` used by phrase patterns.
_NON_WORD = re.compile(r"[^\w*]+")
_REPEATS = re.compile(r"([^\W\d])\1{2,}")  # letters, never digits: "5000" stays


def turkish_lower(text: str) -> str:
    """Lower-case with Turkish rules: ``İSTANBUL`` → ``istanbul``, ``ISPARTA`` → ``ısparta``."""
    return text.translate(_TURKISH_UPPER).lower()


def ascii_digits(text: str) -> str:
    """Eastern Arabic (٠-٩) and Persian (۰-۹) digits to ASCII."""
    return text.translate(_DIGITS)


def strip_arabic_marks(text: str) -> str:
    """Remove Arabic diacritics (harakat) and tatweel."""
    return _ARABIC_DIACRITICS.sub("", text).replace(_TATWEEL, "")


def unify_arabic(text: str) -> str:
    """Unify alef forms, ta marbuta, alef maqsura, hamza seats and ی/ي, ک/ك."""
    return strip_arabic_marks(text).translate(_ARABIC_LETTERS)


def fold_turkish(text: str) -> str:
    """Turkish letters to ASCII (``çğıöşü`` → ``cgiosu``); expects lower-case text."""
    return text.translate(_TURKISH_ASCII)


def tidy(text: str) -> str:
    """NFC, controls and invisible characters out, Arabic marks off, ASCII digits.

    Case and letters keep their identity (the language detector needs ی vs ي
    and English "I"). ZWNJ, which Persian uses inside words (می‌خواهم),
    becomes nothing: people write the same word with a space, a ZWNJ or
    neither, and the joined form is the one typed most on phones.
    """
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub(" ", text)
    text = _INVISIBLE.sub("", text).replace(_ZWNJ, "")
    text = strip_arabic_marks(ascii_digits(text))
    return _SPACES.sub(" ", text).strip()


def clean(text: str) -> str:
    """:func:`tidy` plus Turkish-aware lower case (``İSTANBUL`` → ``istanbul``)."""
    return turkish_lower(tidy(text))


def fold(text: str) -> str:
    """Matching form: :func:`clean`, then letters folded and punctuation to spaces.

    Accents outside Turkish (é, à) are stripped too; letters are squeezed so
    that "heeeelp" matches "help" (three or more repeats become one).
    """
    text = clean(text)
    text = unify_arabic(fold_turkish(text))
    text = _strip_latin_accents(text)
    text = _REPEATS.sub(r"\1", text)
    text = _NON_WORD.sub(" ", text).replace("_", " ")
    return _SPACES.sub(" ", text).strip()


def tokens(text: str) -> list[str]:
    """Matching tokens of *text* (see :func:`fold`), ``*`` removed."""
    return [t for t in fold(text).replace("*", " ").split() if t]


def _strip_latin_accents(text: str) -> str:
    """Remove combining marks from Latin letters only (Arabic script untouched)."""
    if text.isascii():
        return text
    out: list[str] = []
    for ch in text:
        if "\u00c0" <= ch <= "\u024f":
            base = unicodedata.normalize("NFD", ch)[0]
            out.append(base)
        else:
            out.append(ch)
    return "".join(out)

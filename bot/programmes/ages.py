"""A child's age in a message: "my 9-year-old", "9 yaşındaki", "عمره ٩ سنوات", "۹ ساله"."""

from __future__ import annotations

import re

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# A number right before or after a word for years or age, in tr, ar, en, fa.
_AGE_WORDS = (
    r"(?:years?|yrs?|yo|y/o|aged?|old|yaş\w*|yas\w*|سن[ةه]|سنوات|سنين|أعوام|اعوام|عام|"
    r"عمر\w*|ساله|سال|سن)(?![a-z])"
)
_NUMBER = r"(\d{1,2})"
_BEFORE = re.compile(_NUMBER + r"[\s\-]*(?:-?\s*)" + _AGE_WORDS, re.IGNORECASE)
_AFTER = re.compile(_AGE_WORDS + r"\s*(?:\w+\s+){0,2}?" + _NUMBER, re.IGNORECASE)


def find_age(text: str) -> int | None:
    """The age named in the text (0-17 for a child, up to 99), or None."""
    plain = text.translate(_DIGITS)
    for pattern in (_BEFORE, _AFTER):
        match = pattern.search(plain)
        if match is not None:
            return int(match.group(1))
    return None

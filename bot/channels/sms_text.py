"""SMS segments counted as the network counts them, and texts chosen to fit a budget.

GSM-7 (3GPP TS 23.038, via the `gsm0338` codec): 160 septets in one SMS, 153
per part of a longer one; the extension table (``^{}[]~\\|€`` and form feed)
takes two septets. One character outside GSM-7 (any Arabic letter, Turkish
ğ ş ı İ, lowercase ç, a Unicode bidi isolate, an emoji) makes the whole
message UCS-2: 70 UTF-16 code units alone, 67 per part. A two-unit character
(an escape pair, a surrogate pair) is never split between two parts.

A text is made to fit by choosing a shorter one written for SMS (the
catalogs' ``<msgid>.sms``), never by cutting words; only when no written text
fits does `fit_sms` keep the leading whole sentences that do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import gsm0338  # noqa: F401  (registers the "gsm03.38" codec)

Encoding = Literal["GSM-7", "UCS-2"]
GSM7: Encoding = "GSM-7"
UCS2: Encoding = "UCS-2"
LIMITS = {GSM7: (160, 153), UCS2: (70, 67)}

# Where a text may be cut: after a sentence (. ! ? or the Arabic ؟) or a line; else between words.
SENTENCE_END = re.compile(r"(?<=[.!?؟])\s+|\n+")
WORD_END = re.compile(r"\s+")


@dataclass(frozen=True)
class Segments:
    encoding: Encoding
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    count: int


def _septets(char: str) -> int | None:
    """Septets this character takes in GSM-7, or None when it is not in GSM-7."""
    try:
        return len(char.encode("gsm03.38"))
    except UnicodeEncodeError:
        return None


def _sizes(text: str) -> tuple[Encoding, list[int]]:
    septets = [_septets(char) for char in text]
    if all(size is not None for size in septets):
        return GSM7, [size for size in septets if size is not None]
    return UCS2, [len(char.encode("utf-16-le")) // 2 for char in text]


def count_segments(text: str) -> Segments:
    """How many SMS parts the network sends this text in, and in which encoding."""
    encoding, sizes = _sizes(text)
    single, part = LIMITS[encoding]
    units = sum(sizes)
    if units <= single:
        return Segments(encoding, units, 1)
    count, filled = 1, 0
    for size in sizes:
        if filled + size > part:
            count, filled = count + 1, 0
        filled += size
    return Segments(encoding, units, count)


def fits(text: str, max_segments: int) -> bool:
    return count_segments(text).count <= max_segments


def _leading_part(text: str, suffix: str, max_segments: int) -> str:
    """The longest run of whole leading sentences (else words) that fits with the suffix."""
    for boundary in (SENTENCE_END, WORD_END):
        cuts = [match.start() for match in boundary.finditer(text)]
        for cut in reversed(cuts):
            if cut and fits(text[:cut] + suffix, max_segments):
                return text[:cut] + suffix
    return suffix.lstrip("\n")


def fit_sms(texts: list[str], suffix: str, max_segments: int) -> tuple[str, bool]:
    """The first text that fits (with the suffix, e.g. the numbered choices) and whether one did.

    `texts` are the candidates best first (the full text, then the short
    one). When none fits, the shortest is cut back to whole sentences; when
    the suffix alone is over the budget, the shortest goes whole with it.
    """
    candidates = [text for text in texts if text]
    for text in candidates:
        if fits(text + suffix, max_segments):
            return text + suffix, True
    if not candidates:
        return suffix.lstrip("\n"), fits(suffix, max_segments)
    shortest = min(candidates, key=lambda text: count_segments(text).units)
    if not fits(suffix.lstrip("\n"), max_segments):
        # The choices alone are over the budget and cannot be dropped: keep the question whole.
        return shortest + suffix, False
    return _leading_part(shortest, suffix, max_segments), False

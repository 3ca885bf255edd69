"""Matching a reply to the choices of a question: by button, number, label, keyword or intent."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from bot.nlu.normalise import fold

if TYPE_CHECKING:
    from bot.engine.flows import Step
    from bot.engine.texts import Texts
    from bot.nlu.base import Understanding


# A number alone, perhaps with a dot or bracket: "2", "2.", "2)", "٢" (Arabic-Indic), "۲"
# (Persian). `\d` is any decimal digit (not "²"), and `int` reads them all.
_NUMBER = re.compile(r"\s*(\d{1,3})\s*[.)]?\s*")
# Bidi marks phones put around what is typed in Arabic, and the keycap of "2️⃣".
_MARKS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\ufe0f\u20e3]")


def choice_by_number(text: str, count: int) -> int | None:
    """The index a numbered answer picks ("2", "٢" and "۲" all pick the second), or None."""
    match = _NUMBER.fullmatch(_MARKS.sub("", text))
    if match is None:
        return None
    number = int(match.group(1))
    return number - 1 if 1 <= number <= count else None


def match_choice(
    step: Step,
    text: str,
    understanding: Understanding,
    texts: Texts,
    language: str,
    intent_threshold: float,
    shown: list[int] | None = None,
) -> int | None:
    """The index of the choice this reply picks, or None.

    `shown`: the choices the question showed, when not all; a number counts those.
    """
    if shown is None:
        by_number = choice_by_number(text, len(step.choices))
    else:
        picked = choice_by_number(text, len(shown))
        by_number = shown[picked] if picked is not None else None
    if by_number is not None:
        return by_number
    folded = fold(text)
    if not folded:
        return None
    words = set(folded.split())
    for index, choice in enumerate(step.choices):
        label = fold(texts.get(language, choice.label))
        if label and (folded == label or (len(folded) >= 4 and fuzz.ratio(folded, label) >= 85)):
            return index
        if any(fold(k) in words or (" " in k and fold(k) in folded) for k in choice.keywords):
            return index
    if understanding.confidence < intent_threshold:
        return None
    # a choice for an intent takes its topics too; one for a topic, only that topic
    understood = (understanding.intent, understanding.intent_key)
    return next((i for i, c in enumerate(step.choices) if c.intent in understood), None)

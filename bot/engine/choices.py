"""Matching a reply to the choices of a question: by button, number, label, keyword or intent."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from bot.nlu.normalise import fold

if TYPE_CHECKING:
    from bot.engine.flows import Step
    from bot.engine.texts import Texts
    from bot.nlu.base import Understanding


def choice_by_number(text: str, count: int) -> int | None:
    folded = fold(text)
    if folded.isdigit():
        number = int(folded)
        if 1 <= number <= count:
            return number - 1
    return None


def match_choice(
    step: Step,
    text: str,
    understanding: Understanding,
    texts: Texts,
    language: str,
    intent_threshold: float,
) -> int | None:
    """The index of the choice this reply picks, or None."""
    by_number = choice_by_number(text, len(step.choices))
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
    confident = understanding.confidence >= intent_threshold
    for index, choice in enumerate(step.choices):
        if choice.intent and confident and choice.intent == understanding.intent:
            return index
    return None

"""What surrounds a risk phrase: the clause it stands in, and Turkish negation in the verb."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.nlu.risk_lexicon import Match, tokenize

# clause boundaries: sentence and clause punctuation in our four scripts
CLAUSE = re.compile(r"[.!?;,\n\u060c\u061b\u061f\u06d4]+")


@dataclass(frozen=True)
class Clause:
    text: str
    first_token: int
    end_token: int


def has_letters(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


def clauses_of(text: str, token_count: int) -> list[Clause]:
    """The text's clauses with the token positions they cover (one clause if unsure)."""
    out: list[Clause] = []
    position = 0
    for piece in CLAUSE.split(text):
        count = len(tokenize(piece)[0])
        if count:
            out.append(Clause(piece.strip(), position, position + count))
            position += count
    if position != token_count:
        return [Clause(text, 0, token_count)]
    return out


def clause_of(clauses: Sequence[Clause], token: int) -> int:
    for index, clause in enumerate(clauses):
        if clause.first_token <= token < clause.end_token:
            return index
    return 0


# Turkish negation inside the verb, after a stem (folded): dövmüyor, vurmaz, dövmedi,
# vermem, öldürmeyeceğim. Not the infinitive (ölmek, ölmeyi) nor "ölmem lazım" (I must).
_TURKISH_NEGATIVE = re.compile(
    r"^m(?:[iu]yor|[ae]z|[ae]d[iu]|[ae]m(?:$|[ei]z)|[ae]y[ae]c[ae][kg]|[ae]s[iu]n|[ae]yin)"
)
_TURKISH_NEED = frozenset({"lazim", "gerek", "gerekiyor", "gerekir"})


def turkish_negated_verb(tokens: Sequence[str], match: Match) -> str | None:
    """The matched Turkish verb that carries a negation suffix, if any."""
    if match.pattern.language != "tr":
        return None
    elements = [e for e in match.pattern.elements if not e.gap]
    for element, position in zip(elements, match.tokens, strict=False):
        if not element.prefix:
            continue
        rest = tokens[position][len(element.word) :]
        if not _TURKISH_NEGATIVE.match(rest):
            continue
        following = tokens[position + 1] if position + 1 < len(tokens) else ""
        if rest.startswith(("mem", "mam")) and following in _TURKISH_NEED:
            continue
        return tokens[position]
    return None


# Risks that exist only for a child: an adult's wedding or job is not one.
CHILD_ONLY = frozenset({"child_marriage", "child_labour"})
ADULT_AGE = range(18, 100)
AGE_REACH = 3  # words either side of the phrase's first word where its age stands


def adult_age(tokens: Sequence[str], match: Match) -> str | None:
    """The age that makes a child-only hit an adult's ("kızım 25 yaşında nikah"), if any.

    Only when every number near the phrase's first word is an adult age and no
    number in the message is a child's: "14 yaşındaki kızımı 40 yaşında biriyle"
    stays a disclosure.
    """
    if match.pattern.category not in CHILD_ONLY:
        return None
    numbers = [int(t) for t in tokens if t.isdigit() and len(t) <= 3]
    if any(n not in ADULT_AGE for n in numbers):
        return None
    lo, hi = max(0, match.start - AGE_REACH), match.start + AGE_REACH + 1
    near = [t for t in tokens[lo:hi] if t.isdigit() and len(t) <= 3]
    return near[0] if near else None


def frame_for(hit: Match, frames: Sequence[Match], clauses: Sequence[Clause]) -> Match | None:
    """The frame around *hit*, if any.

    A frame sets aside the hits below imminent in its clause and lowers an
    imminent one to a question (medium). An object frame ("kimliği kayboldu")
    sets aside a missing-child hit at any level when the two share words:
    what was lost is a document, not the child.
    """
    clause = clause_of(clauses, hit.start)
    for frame in frames:
        if lost_thing(frame, hit):
            return frame
    for frame in frames:
        if clause_of(clauses, frame.start) == clause:
            return frame
    return None


def lost_thing(frame: Match, hit: Match) -> bool:
    return (
        frame.pattern.category == "object"
        and hit.pattern.category == "missing_child"
        and bool(set(frame.tokens) & set(hit.tokens))
    )

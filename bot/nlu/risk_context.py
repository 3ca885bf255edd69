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

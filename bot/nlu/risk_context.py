"""What surrounds a risk phrase: the clause it stands in, and Turkish negation in the verb."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.nlu.risk_data import FRAME_KINDS
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
# vermem, öldürmeyeceğim, dövmemiş. Not the infinitive (ölmek, ölmeyi) nor "ölmem
# lazım" (I must). A passive before it counts too: dövülmedi (dov-ul-medi),
# kaçırılmadı (kacir-il-madi), alınmadı (al-in-madi).
_NEGATIVE_SUFFIX = (
    r"m(?:[iu]yor|[ae]z|[ae]d[iu]|[ae]m(?:$|[ei]z)|[ae]m[iu]s"
    r"|[ae]y[ae]c[ae][kg]|[ae]s[iu]n|[ae]yin)"
)
_TURKISH_NEGATIVE = re.compile(rf"^(?:[iu][ln]|n)?{_NEGATIVE_SUFFIX}")
# the light verb after a phrase ("gözaltına almadılar"), negated; with a passive
# ("gözaltına alınmadı", "sınır dışı edilmedi") after any phrase, without one only
# after a phrase that ends in a stem: "ölmek istiyorum olmaz mı" is no negation
_LIGHT_VERBS = r"(?:al|ed|et|ol|tut|yap|gotur|kon|gonder|birak|cikar|kaldir)"
_LIGHT_VERB_NEGATED = re.compile(rf"^{_LIGHT_VERBS}{_NEGATIVE_SUFFIX}")
_LIGHT_PASSIVE_NEGATED = re.compile(rf"^{_LIGHT_VERBS}(?:[iu][ln]|n){_NEGATIVE_SUFFIX}")
_TURKISH_NEED = frozenset({"lazim", "gerek", "gerekiyor", "gerekir"})


_TURKISH_NEGATIVE_WORD = re.compile(rf"^[a-z]{{2,}}{_NEGATIVE_SUFFIX}")


def turkish_negative_phrase(match: Match) -> bool:
    """A Turkish phrase whose own verb is negative: "nefes almıyor", "eve gelmedi"."""
    if match.pattern.language != "tr":
        return False
    return any(_TURKISH_NEGATIVE_WORD.match(word) for word in match.pattern.literals)


def turkish_negated_verb(tokens: Sequence[str], match: Match) -> str | None:
    """The matched Turkish verb that carries a negation suffix, if any.

    Also the negated light verb right after the phrase: "eşim ... gözaltı*" in
    "eşim gözaltına alınmadı", "sınır dışı" in "sınır dışı edilmedi".
    """
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
    following = tokens[match.end] if match.end < len(tokens) else ""
    if _LIGHT_PASSIVE_NEGATED.match(following):
        return following
    if elements and elements[-1].prefix and _LIGHT_VERB_NEGATED.match(following):
        return following
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
    if any(n not in ADULT_AGE for n in _ages(tokens)):
        return None
    lo, hi = max(0, match.start - AGE_REACH), match.start + AGE_REACH + 1
    near = [t for t in tokens[lo:hi] if t.isdigit() and len(t) <= 3]
    return near[0] if near else None


def names_a_child_age(tokens: Sequence[str]) -> bool:
    """Whether a number in the message could be a child's age (under 18)."""
    return any(n < ADULT_AGE.start for n in _ages(tokens))


def _ages(tokens: Sequence[str]) -> list[int]:
    """The numbers of up to three digits: the ones that could be ages."""
    return [int(t) for t in tokens if t.isdigit() and len(t) <= 3]


def frame_for(hit: Match, frames: Sequence[Match], clauses: Sequence[Clause]) -> Match | None:
    """The frame around *hit*, if any.

    A frame sets aside the hits below imminent in its clause and lowers an
    imminent one to a question (medium). Four kinds are bound tighter than
    their clause:

    * an object frame ("kimliği kayboldu", "الكيملك انحرق", "کمپ تابستانی")
      sets aside a missing-child, medical or detention hit at any level when
      the two share words: what was lost or burnt is a document, not the
      child, and the camp is a summer camp;
    * a service frame ("ambulans kaç dakikada geliyor") sets aside only the
      hit it shares words with (the bare "ambulans"), never another phrase of
      its clause ("... oğlum nefes almıyor"); an imminent hit only when the
      frame holds all its words ("if we call an ambulance"), and then to medium;
    * a resolution ("resolved:missing_child": "onu bulduk") resolves hits of
      its own category that come before it in the message ("kayboldu ... onu
      bulduk"), never one after it ("bulduk ama yine kayboldu");
    * a figure of speech ("this heat will kill me") sets aside only the hit it
      shares words with, never another phrase of its clause ("my son got burnt
      and my heart burned for him").
    """
    clause = clause_of(clauses, hit.start)
    for frame in frames:
        if lost_thing(frame, hit) or bound_to_words(frame, hit) or resolves(frame, hit):
            return frame
    for frame in frames:
        if frame.pattern.category in CLAUSE_KINDS and clause_of(clauses, frame.start) == clause:
            return frame
    return None


# a service question and a figure of speech are bound to the words they share with a hit,
# a resolution to its category; the other kinds cover their whole clause
WORD_KINDS = frozenset({"service", "idiom"})
CLAUSE_KINDS = frozenset(FRAME_KINDS) - WORD_KINDS - {"resolved"}
# what an object frame may name instead of a person or a place of risk: a thing lost
# (missing child), a thing burnt (medical), a summer camp (detention's "کمپ")
OBJECT_CATEGORIES = frozenset({"missing_child", "medical_emergency", "detention_deportation"})


def lost_thing(frame: Match, hit: Match) -> bool:
    return (
        frame.pattern.category == "object"
        and hit.pattern.category in OBJECT_CATEGORIES
        and bool(set(frame.tokens) & set(hit.tokens))
    )


def bound_to_words(frame: Match, hit: Match) -> bool:
    """A service question or a figure of speech that holds some of the hit's own words
    ("ambulans ... kaç dakikada", "sıcaktan öldüm")."""
    return frame.pattern.category in WORD_KINDS and bool(set(frame.tokens) & set(hit.tokens))


def asks_service(frame: Match, hit: Match) -> bool:
    """A service question that holds every word of the hit ("if we call an ambulance")."""
    return frame.pattern.category == "service" and set(hit.tokens) <= set(frame.tokens)


def resolves(frame: Match, hit: Match) -> bool:
    """A resolution of the hit's category after or around the hit ("kayboldu ... onu bulduk",
    "cancelled the deportation"), never one that ends before the hit begins."""
    kind, _, category = frame.pattern.category.partition(":")
    return kind == "resolved" and category == hit.pattern.category and frame.end > hit.start


def frame_kind(frame: Match) -> str:
    return frame.pattern.category.partition(":")[0]


def touching(cues: frozenset[tuple[str, ...]], tokens: Sequence[str], match: Match) -> bool:
    """Whether one of *cues* (folded word sequences) touches *match*: right before or after
    it, or inside one of its gaps ("doctor said she is not fine" for "doctor said ... fine")."""
    gap = set(range(match.start, match.end)) - set(match.tokens)
    for cue in cues:
        n = len(cue)
        if tuple(tokens[max(0, match.start - n) : match.start]) == cue:
            return True
        if tuple(tokens[match.end : match.end + n]) == cue:
            return True
        for i in gap:
            if tuple(tokens[i : i + n]) == cue and all(j in gap for j in range(i, i + n)):
                return True
    return False

"""Matching the reviewed risk phrase lists (nlu/risk/<lang>.yml) against a message.

A phrase is a sequence of folded words; ``stem*`` matches any word the stem
begins and a lone ``...`` skips up to four words. Phrases are indexed by their
first word (exact words in a dict, stems in a dict probed with every prefix
of a message word), so a message costs a few look-ups per word whatever the
size of the lists.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.nlu.base import RiskLevel
from bot.nlu.normalise import clean, fold

MAX_GAP = 4
# a negation cue this close (in words) before the phrase, or right after it, negates it
NEGATION_BEFORE = 3
NEGATION_AFTER = 2


_TURKISH_LETTERS = frozenset("çğıöşü")
_WORD_PIECES = re.compile(r"[^\w*]+")
# Arabic written in Latin letters uses digits for the letters Latin lacks (3 ع, 7 ح, 2 ء...)
_ARABIZI_DIGITS = frozenset("235789")
_ARABIZI_WORD = re.compile(r"[a-z0-9']+")
_VOWELS = re.compile(r"[aeiou']+")
_REPEATS = re.compile(r"([a-z])\1+")


def arabizi_skeleton(word: str) -> str:
    """A Latin word without its vowels and doubled letters: "ebni", "ibne", "ebne" → "bn".

    Arabizi has no fixed vowels (بنتي is bnti, binti, bente), so a phrase from
    the Arabizi lists also matches a word with the same skeleton; "" for a word
    that is not Latin letters and digits.
    """
    if not _ARABIZI_WORD.fullmatch(word) or word.isdigit():
        return ""
    return _REPEATS.sub(r"\1", _VOWELS.sub("", word))


@dataclass(frozen=True)
class Element:
    word: str  # folded; empty for a gap
    prefix: bool = False
    gap: bool = False
    # the spelling with Turkish letters that a token must have, when folding it
    # away would make the word another common one ("ölüyor" vs "oluyor")
    strict: str = ""
    # an Arabizi word also matches a token with this skeleton (see arabizi_skeleton)
    skeleton: str = ""

    def accepts(self, token: str, spelled: str, skeleton: str = "") -> bool:
        if self.strict and spelled != self.strict:
            return False
        if self.prefix:
            return token.startswith(self.word) or bool(
                self.skeleton and skeleton.startswith(self.skeleton)
            )
        return token == self.word or bool(self.skeleton and skeleton == self.skeleton)


def tokenize(text: str) -> tuple[list[str], list[str]]:
    """Matching tokens of *text* and, aligned with them, their spelling before folding."""
    folded: list[str] = []
    spelled: list[str] = []
    for piece in _WORD_PIECES.split(clean(text)):
        for token in fold(piece).split():
            folded.append(token)
            spelled.append(piece)
    return folded, spelled


@dataclass(frozen=True)
class Pattern:
    """A compiled phrase with what it stands for (category/level, or a hard negative)."""

    elements: tuple[Element, ...]
    source: str  # the phrase as written in the list
    language: str
    category: str = ""
    level: RiskLevel = RiskLevel.NONE

    @property
    def name(self) -> str:
        """How evidence names it: ``lexicon:<name>`` (bench/risk_phrase_check.py reads it)."""
        return phrase_name(self.language, self.category, self.level, self.source)

    @property
    def literals(self) -> frozenset[str]:
        return frozenset(e.word for e in self.elements if not e.gap and not e.prefix)


@dataclass(frozen=True)
class Match:
    pattern: Pattern
    start: int  # first token
    end: int  # one past the last token
    tokens: tuple[int, ...]  # positions of the matched (non-gap) tokens


def phrase_name(language: str, category: str, level: RiskLevel, source: str) -> str:
    return f"{language}:{category}:{level.label}:{source}"


def compile_phrase(
    phrase: str,
    language: str,
    category: str = "",
    level: RiskLevel = RiskLevel.NONE,
    homographs: frozenset[str] = frozenset(),
    arabizi: bool = False,
) -> Pattern | None:
    """``"kocam ... döv*"`` → elements (kocam)(gap)(dov*); None if nothing is left.

    A whole word written with Turkish letters whose folded form is in
    *homographs* (the list's reviewed ``homographs``: another common word once
    the letters are gone) is matched only as spelled: "ölüyor", dying, never
    matches "oluyor", happening. Every other word matches with or without its
    Turkish letters, because most people type without them. With *arabizi*, a
    phrase written in Arabizi also matches other vowels (see :func:`_arabizi`):
    the risk phrases ask for it, frames and hard negatives do not, so that a
    loose spelling can raise a risk but never set one aside.
    """
    elements: list[Element] = []
    for raw in phrase.split():
        if raw.strip(".…") == "" and ("..." in raw or "…" in raw):
            if elements and not elements[-1].gap:
                elements.append(Element("", gap=True))
            continue
        prefix = raw.endswith("*")
        words = fold(raw.rstrip("*")).replace("*", " ").split()
        spelled = clean(raw.rstrip("*"))
        for i, word in enumerate(words):
            strict = ""
            if (
                len(words) == 1
                and not prefix
                and word in homographs
                and _TURKISH_LETTERS & set(spelled)
            ):
                strict = spelled
            elements.append(Element(word, prefix=prefix and i == len(words) - 1, strict=strict))
    while elements and elements[-1].gap:
        elements.pop()
    if not elements:
        return None
    if arabizi:
        elements = _arabizi(elements)
    return Pattern(tuple(elements), phrase, language, category, level)


def _arabizi(elements: list[Element]) -> list[Element]:
    """An Arabizi phrase (Latin words, one with a letter digit: "ebni da3") gets skeletons.

    Only such phrases: the digit keeps a phrase from matching Turkish or English words
    that happen to share a skeleton with an Arabizi word ("bana" and "ebni").
    """
    words = [e.word for e in elements if not e.gap]
    if not all(arabizi_skeleton(w) for w in words) or not any(
        _ARABIZI_DIGITS & set(w) for w in words
    ):
        return elements
    return [
        Element(e.word, e.prefix, e.gap, e.strict, arabizi_skeleton(e.word)) if not e.gap else e
        for e in elements
    ]


class PhraseIndex:
    """Finds every occurrence of a set of patterns in a token sequence."""

    def __init__(self, patterns: Iterable[Pattern]) -> None:
        self._exact: dict[str, list[Pattern]] = {}
        self._stems: dict[str, list[Pattern]] = {}
        # Arabizi phrases again, by their first word's skeleton
        self._skeletons: dict[str, list[Pattern]] = {}
        self._skeleton_stems: dict[str, list[Pattern]] = {}
        self._count = 0
        for pattern in patterns:
            self._count += 1
            head = pattern.elements[0]
            _add(self._stems if head.prefix else self._exact, head.word, pattern)
            if head.skeleton:
                _add(
                    self._skeleton_stems if head.prefix else self._skeletons,
                    head.skeleton,
                    pattern,
                )
        self._longest_stem = max(map(len, self._stems), default=0)
        self._longest_skeleton_stem = max(map(len, self._skeleton_stems), default=0)

    def __len__(self) -> int:
        return self._count

    def find(self, tokens: Sequence[str], spelled: Sequence[str] | None = None) -> list[Match]:
        spelled = spelled if spelled is not None else tokens
        skeletons = (
            [arabizi_skeleton(t) for t in tokens]
            if self._skeletons or self._skeleton_stems
            else [""] * len(tokens)
        )
        matches: list[Match] = []
        for i, token in enumerate(tokens):
            candidates = _probe(self._exact, self._stems, self._longest_stem, token)
            if skeletons[i]:
                again = _probe(
                    self._skeletons,
                    self._skeleton_stems,
                    self._longest_skeleton_stem,
                    skeletons[i],
                )
                # a pattern found by its word and by its skeleton is tried once
                candidates = list({id(p): p for p in candidates + again}.values())
            for pattern in candidates:
                if not pattern.elements[0].accepts(token, spelled[i], skeletons[i]):
                    continue
                positions = _match_from(
                    pattern.elements, 1, tokens, spelled, skeletons, i + 1, (i,)
                )
                if positions is not None:
                    matches.append(Match(pattern, i, positions[-1] + 1, positions))
        return matches


def _add(index: dict[str, list[Pattern]], key: str, pattern: Pattern) -> None:
    index.setdefault(key, []).append(pattern)


def _probe(
    exact: dict[str, list[Pattern]], stems: dict[str, list[Pattern]], longest: int, key: str
) -> list[Pattern]:
    """The patterns whose first word is *key*, or a stem *key* begins with."""
    found = list(exact.get(key, ()))
    for n in range(1, min(len(key), longest) + 1):
        found.extend(stems.get(key[:n], ()))
    return found


def _match_from(
    elements: tuple[Element, ...],
    e: int,
    tokens: Sequence[str],
    spelled: Sequence[str],
    skeletons: Sequence[str],
    t: int,
    positions: tuple[int, ...],
) -> tuple[int, ...] | None:
    """Match elements[e:] at tokens[t:]; the positions of matched tokens, or None."""
    if e == len(elements):
        return positions
    element = elements[e]
    if element.gap:
        for skip in range(MAX_GAP + 1):
            found = _match_from(elements, e + 1, tokens, spelled, skeletons, t + skip, positions)
            if found is not None:
                return found
        return None
    if t < len(tokens) and element.accepts(tokens[t], spelled[t], skeletons[t]):
        return _match_from(elements, e + 1, tokens, spelled, skeletons, t + 1, (*positions, t))
    return None


class NegationCues:
    """Cue words or short sequences (folded) that negate a phrase next to them.

    A one-word cue written ``stem*`` (Persian ``نمی*``: نمیزنه, نمی‌رسانم) matches
    any longer word it begins, right before or right after the phrase. It never
    makes a negation clear, only the phrase less certain: the same stem begins
    "I can't" and "I don't want".
    """

    def __init__(self, cues: Iterable[str]) -> None:
        self._cues: set[tuple[str, ...]] = set()
        self._stems: set[str] = set()
        for cue in cues:
            if cue.endswith("*") and len(cue.split()) == 1:
                self._stems.add(fold(cue.rstrip("*")))
                continue
            words = tuple(fold(cue).replace("*", " ").split())
            if words:
                self._cues.add(words)

    def negates(
        self,
        tokens: Sequence[str],
        match: Match,
        span: tuple[int, int] | None = None,
        after: bool = True,
    ) -> tuple[str, bool] | None:
        """The cue that negates *match* and whether the negation is clear, or None.

        A cue that is a literal word of the phrase ("yiyecek yok"), or a
        several-word cue the phrase itself matched ("don't want to live": "don t"),
        does not count; a matched token that *is* a cue ("döv*" matching "dövmüyor")
        does. Cues are looked for a few words before the phrase, inside its
        gaps and (with *after*) right after it, never outside *span*, the
        token range of the phrase's clause. The negation is *clear* when the cue is a
        matched word or touches one ("does not hit", "ما بيضربني"); a cue
        further away only makes the phrase less certain.
        """
        literals = match.pattern.literals
        first, stop = span or (0, len(tokens))
        lo = max(first, match.start - NEGATION_BEFORE)
        hi = min(stop, match.end + (NEGATION_AFTER if after else 0))
        matched = set(match.tokens)
        found: tuple[str, bool] | None = None
        for i in range(lo, hi):
            for cue in self._cues:
                end = i + len(cue)
                if tuple(tokens[i:end]) != cue:
                    continue
                if len(cue) == 1 and cue[0] in literals:
                    continue
                if set(cue) <= literals and set(range(i, end)) <= matched:
                    continue  # the phrase's own words ("don't want to live"): not a negation
                clear = (
                    bool(matched & set(range(i, end)))
                    or end in matched
                    or ((i - 1) in matched and i == match.end)
                )
                if clear:
                    return " ".join(cue), True
                found = found or (" ".join(cue), False)
            touching = i == match.end or i == match.start - 1
            if found is None and touching and i not in matched and self._stemmed(tokens[i]):
                found = (tokens[i], False)
        return found

    def any_in(self, words: Iterable[str]) -> bool:
        """Whether one of *words* is itself a one-word cue ("yok", "no", "ما", "نمیکشه")."""
        return any((word,) in self._cues or self._stemmed(word) for word in words)

    def _stemmed(self, token: str) -> bool:
        return any(token.startswith(stem) and len(token) > len(stem) for stem in self._stems)

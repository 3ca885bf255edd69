"""Entities: ``service_category`` from synonyms, ``district`` from the lookup table.

Both are found by the same matcher on folded tokens (normalise.fold), so a
form written once in the data meets the ways people type it:

* Turkish suffixes: a form of 4+ letters also matches a word it begins with
  a short ending ("hastane" → "hastaneye", "esenyurt" → "esenyurtta");
* Arabic proclitics: "ال", "وال", "بال", "لل" are peeled off ("المستشفى");
* typos: words of 5+ letters match a form within edit distance 1 (2 for 8+);
* multi-word forms ("adli yardım") match as a sequence, and two written
  words also match a one-word form ("küçük çekmece" → Küçükçekmece).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from bot.nlu.base import SERVICE_CATEGORIES, Entity
from bot.nlu.normalise import fold
from bot.nlu.training_data import TrainingData

MAX_SUFFIX = 5
MIN_PREFIX_FORM = 4
MIN_FUZZY = 5
MAX_AMBIGUOUS = 2  # single words this short are not matched on their own
_ARABIC_PROCLITICS = ("وال", "بال", "فال", "كال", "کال", "لل", "ال")
_ARABIC_ONE_LETTER = frozenset("وبلف")


@dataclass(frozen=True)
class _Hit:
    start: int
    length: int
    value: str
    text: str


class PhraseMatcher:
    """Finds written forms of values in text, tolerant of suffixes and typos."""

    def __init__(self, forms: Iterable[tuple[str, str]]) -> None:
        """*forms*: (written form, value) pairs; the first value given for a form wins."""
        self._single: dict[str, str] = {}
        self._multi: dict[tuple[str, ...], str] = {}
        for written, value in forms:
            words = tuple(fold(written).split())
            if not words:
                continue
            variants = {words}
            if len(words) == 1:
                variants.add((_peel(words[0]),))
            for variant in variants:
                if len(variant) == 1 and len(variant[0]) <= MAX_AMBIGUOUS:
                    continue  # "iş" folds to English "is": too short to mean anything alone
                if len(variant) == 1:
                    self._single.setdefault(variant[0], value)
                else:
                    self._multi.setdefault(variant, value)
        # indexes keep matching a message to a few dictionary look-ups
        self._prefix_forms: dict[str, list[str]] = {}
        for form in sorted(self._single, key=len, reverse=True):
            if len(form) >= MIN_PREFIX_FORM:
                self._prefix_forms.setdefault(form[:MIN_PREFIX_FORM], []).append(form)
        self._fuzzy_forms: dict[str, list[str]] = {}
        for form in self._single:
            if len(form) >= MIN_FUZZY:
                self._fuzzy_forms.setdefault(form[0], []).append(form)
        self._multi_heads: dict[tuple[str, ...], list[tuple[str, str]]] = {}
        for key, value in self._multi.items():
            self._multi_heads.setdefault(key[:-1], []).append((key[-1], value))
        self._max_words = max((len(k) for k in self._multi), default=1)

    def find(self, text: str) -> list[_Hit]:
        """All matches, longest first where they overlap, in order of appearance."""
        words = fold(text[:4000]).split()
        hits: list[_Hit] = []
        taken: set[int] = set()
        for size in range(self._max_words, 1, -1):
            for i in range(len(words) - size + 1):
                if taken & set(range(i, i + size)):
                    continue
                value = self._match_sequence(words[i : i + size])
                if value is not None:
                    hits.append(_Hit(i, size, value, " ".join(words[i : i + size])))
                    taken.update(range(i, i + size))
        for i in range(len(words) - 1):  # two written words for one form
            if i in taken or i + 1 in taken:
                continue
            joined = words[i] + words[i + 1]
            if len(joined) >= MIN_FUZZY and joined in self._single:
                hits.append(_Hit(i, 2, self._single[joined], f"{words[i]} {words[i + 1]}"))
                taken.update((i, i + 1))
        for i, word in enumerate(words):
            if i in taken:
                continue
            value = self._match_word(word)
            if value is not None:
                hits.append(_Hit(i, 1, value, word))
        return sorted(hits, key=lambda h: h.start)

    def _match_sequence(self, words: list[str]) -> str | None:
        exact = self._multi.get(tuple(words))
        if exact is not None:
            return exact
        # the last word may carry a suffix: "adli yardıma", "legal aid's"
        for last, value in self._multi_heads.get(tuple(words[:-1]), []):
            if _with_suffix(words[-1], last):
                return value
        return None

    def _match_word(self, word: str) -> str | None:
        variants = _variants(word)
        for candidate in variants:
            value = self._single.get(candidate)
            if value is not None:
                return value
        for candidate in variants:
            for form in self._prefix_forms.get(candidate[:MIN_PREFIX_FORM], []):
                if _with_suffix(candidate, form):
                    return self._single[form]
        if len(word) < MIN_FUZZY:
            return None
        return self._fuzzy(word)

    def _fuzzy(self, word: str) -> str | None:
        # only forms with the same first letter: a typo there is rare, and it
        # keeps "pasta" from "hasta" and the search small
        forms = self._fuzzy_forms.get(word[0], [])
        if not forms:
            return None
        best: tuple[int, str] | None = None
        probes = {word}
        probes.update(word[:n] for n in range(MIN_FUZZY, len(word)) if len(word) - n <= 3)
        for probe in probes:
            limit = 2 if len(probe) >= 8 else 1
            match = process.extractOne(
                probe, forms, scorer=Levenshtein.distance, score_cutoff=limit
            )
            if match is None:
                continue
            form, distance = match[0], int(match[1])
            if abs(len(form) - len(probe)) > limit:
                continue
            # a probe cut from a longer word only counts if the form is long enough
            if probe != word and len(form) < 6:
                continue
            if best is None or distance < best[0]:
                best = (distance, self._single[form])
        return best[1] if best else None


class EntityExtractor:
    """``service_category`` and ``district`` entities from the training data's tables."""

    def __init__(self, data: TrainingData) -> None:
        categories: list[tuple[str, str]] = []
        district_names = data.lookups.get("district", [])
        districts: list[tuple[str, str]] = [(name, name) for name in district_names]
        canonical = {fold(name): name for name in district_names}
        for value, forms in data.synonyms.items():
            if value in SERVICE_CATEGORIES:
                categories.append((value, value))
                categories.extend((form, value) for form in forms)
            elif fold(value) in canonical:
                name = canonical[fold(value)]
                districts.extend((form, name) for form in forms)
        for example in data.examples:
            for ann in example.entities:
                if ann.entity == "service_category" and ann.value in SERVICE_CATEGORIES:
                    categories.append((ann.text, ann.value))
                elif ann.entity == "district" and fold(ann.value) in canonical:
                    districts.append((ann.text, canonical[fold(ann.value)]))
        self._categories = PhraseMatcher(categories)
        self._districts = PhraseMatcher(districts)

    def extract(self, text: str) -> tuple[Entity, ...]:
        found: list[Entity] = []
        seen: set[tuple[str, str]] = set()
        district_hits = self._districts.find(text)
        district_spans = {(h.start, h.length) for h in district_hits}
        for hit in self._categories.find(text):
            if (hit.start, hit.length) in district_spans:
                continue
            if ("service_category", hit.value) not in seen:
                seen.add(("service_category", hit.value))
                found.append(Entity("service_category", hit.value, hit.text))
        for hit in district_hits:
            if ("district", hit.value) not in seen:
                seen.add(("district", hit.value))
                found.append(Entity("district", hit.value, hit.text))
        return tuple(found)


def _peel(word: str) -> str:
    """Arabic definite article and clinging prepositions off: "بالمستشفى" → "مستشفى"."""
    for prefix in _ARABIC_PROCLITICS:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            return word[len(prefix) :]
    return word


def _variants(word: str) -> tuple[str, ...]:
    """*word*, without its article, and without one clinging letter ("باسنيورت")."""
    variants = [word, _peel(word)]
    if word[:1] in _ARABIC_ONE_LETTER and len(word) >= 5:
        variants.append(word[1:])
    return tuple(dict.fromkeys(variants))


def _with_suffix(word: str, form: str) -> bool:
    """*word* is *form* plus a short ending (Turkish case suffixes, Persian -ی/-ها)."""
    return (
        len(form) >= MIN_PREFIX_FORM
        and word.startswith(form)
        and 0 < len(word) - len(form) <= MAX_SUFFIX
    )
